//! Documents Raia issues (certificates, licence confirmations, search results): signed so
//! anyone can verify them offline from the QR code, drawn as PDF on the server, listed in
//! the citizen's account, revocable by the agency.

pub mod api;
pub mod views;

#[cfg(feature = "ssr")]
pub mod pdf;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod signing;
#[cfg(feature = "ssr")]
pub mod store;
