//! USSD for feature phones (`*384*NNNN#` through Africa's Talking): a citizen with no data
//! bundle follows their applications, pays a fee by M-Pesa and chooses their language.
//! `menu` decides every screen from the answers so far; `service` loads the caller's facts
//! and does what the menu asks (a push through the payment service, a language change).

pub mod menu;
pub mod service;
