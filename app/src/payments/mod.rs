//! Paying fees: invoices, M-Pesa (Daraja STK push and paybill), card, receipts anyone can verify.

pub mod api;
pub mod views;

#[cfg(feature = "ssr")]
pub mod attention;
#[cfg(feature = "ssr")]
pub mod daraja;
#[cfg(feature = "ssr")]
pub mod gateway;
#[cfg(feature = "ssr")]
pub mod invoices;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod states;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod texts;
