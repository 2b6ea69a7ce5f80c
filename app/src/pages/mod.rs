//! One module per page (or group of steps) of the site.

pub mod dashboard;
pub mod forgot_password;
pub mod home;
pub mod login;
pub mod not_found;
pub mod notifications;
pub mod offline;
pub mod one_time_code;
pub mod register;
pub mod too_many;
pub mod account;
pub mod admin;
pub mod admin_claims;
pub mod admin_messages;
pub mod admin_payments;
pub mod admin_status;
pub mod applications;
pub mod apply;
pub mod officer;
pub mod services;
pub mod status;
pub mod help;
pub mod support;
pub mod pay;
pub mod receipts;
