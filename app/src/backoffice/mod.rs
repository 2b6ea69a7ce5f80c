//! The back office's work that spans domains: staff accounts (identity) and the claims
//! they hold (services), the outbox as admins see it (messages), and the changes owed to
//! agencies' registers that did not go through (registers). It sits above the
//! domains it joins, so none of them needs to know about another.

pub mod messages_api;
pub mod registers_api;
pub mod staff_api;
#[cfg(feature = "ssr")]
pub mod staff_access;
