//! Citizen identity: registration against the population registry, login with password
//! and one-time code, lockout, password reset, sessions.

pub mod activity;
pub mod contact;
pub mod data_access;

#[cfg(feature = "ssr")]
pub mod accounts;
#[cfg(feature = "ssr")]
pub mod authenticator;
#[cfg(feature = "ssr")]
pub mod contact_change;
#[cfg(feature = "ssr")]
pub mod sealing;
#[cfg(feature = "ssr")]
pub mod two_factor;
#[cfg(feature = "ssr")]
pub mod codes;
#[cfg(feature = "ssr")]
pub mod password;
#[cfg(feature = "ssr")]
pub mod registry;
#[cfg(feature = "ssr")]
pub mod retention;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod sessions;
#[cfg(feature = "ssr")]
pub mod staff;
#[cfg(feature = "ssr")]
pub mod throttle;
#[cfg(feature = "ssr")]
pub mod web;

pub mod api;
pub mod views;
pub mod security_api;
#[cfg(feature = "ssr")]
pub mod seed;
