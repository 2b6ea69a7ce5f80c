//! Government services: the catalogue, applying, status tracking and the officers' work.

pub mod api;
pub mod catalogue;
pub mod status;
pub mod transfers_api;
pub mod views;

#[cfg(feature = "ssr")]
pub mod answers;
#[cfg(feature = "ssr")]
pub mod catalogue_file;
#[cfg(feature = "ssr")]
pub mod documents;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod stored_files;
#[cfg(feature = "ssr")]
pub mod texts;
