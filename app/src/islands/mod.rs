//! Everything that runs in the browser. Raia renders each page on the server and ships
//! WASM only for the components here, marked `#[island]`; a page with none of them still
//! works fully (forms post, links navigate). Islands never translate: the server passes
//! them their words as props, so no locale tables reach the phone.

pub mod loader;
pub mod payment_watch;
pub mod print_button;
pub mod show_password;

pub use payment_watch::PaymentWatch;
pub use print_button::PrintButton;
pub use show_password::ShowPassword;
