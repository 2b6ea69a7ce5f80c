//! A citizen's data rights under the Kenya Data Protection Act 2019: to see everything Raia
//! holds about them (`/account/data`, and the same as a JSON file to take elsewhere), and who
//! among staff opened their records ("who looked at my data", kept by identity).
//!
//! It reads across every domain's tables, so it sits above them: nothing below imports it.

pub mod api;
#[cfg(feature = "ssr")]
pub mod closing;
#[cfg(feature = "ssr")]
pub mod export;
pub mod views;
