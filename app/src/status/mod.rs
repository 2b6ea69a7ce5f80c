//! Service status: notices admins post (information, planned maintenance, an outage,
//! service restored), a banner on every page while one is current, and `/status`.

pub mod api;
pub mod views;
#[cfg(feature = "ssr")]
pub mod notices;
