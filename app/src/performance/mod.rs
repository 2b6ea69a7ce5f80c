//! Public service performance (`/performance`): for every service of the catalogue, grouped
//! by agency, how many applications came in and were decided in the last 30 and 90 days, how
//! long completion took (median and 90th percentile), the share completed within the
//! catalogue's promise (`processing_days`), and how many are in progress now.
//!
//! `store` counts in SQL (SQLite and PostgreSQL), `service` turns the counts into published
//! figures (the rule that hides any figure from fewer than 5 applications lives there),
//! `chart` draws them as SVG, `cache` keeps them for a few minutes, and `api` is the page's
//! one server function.

pub mod api;
#[cfg(feature = "ssr")]
pub mod cache;
pub mod chart;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
