//! Help for citizens: support tickets (`TKT-2026-000123`) a citizen opens at `/support`
//! and follows in their account, answered from the back office by admins and by officers
//! of the agency of the application a ticket is about. Every staff answer reaches the
//! citizen by email and in their notifications, in the same transaction as the answer.
//!
//! `api` (thin server functions) → `service` (the rules) → `store` (SQL for SQLite and
//! PostgreSQL); `views` are the types pages show.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;
pub mod views;
