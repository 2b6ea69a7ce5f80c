//! Raia's web server: configuration, the axum router around the Leptos app, and the
//! small HTTP endpoints that are not pages (health, language switch, service worker).

pub mod africas_talking_simulator;
pub mod assets;
pub mod body_limit;
pub mod callbacks;
pub mod card_simulator;
pub mod client_address;
pub mod config;
pub mod csrf;
pub mod daraja_simulator;
pub mod delivery_worker;
pub mod dev_outbox;
pub mod dev_ussd;
pub mod documents;
pub mod health;
pub mod housekeeping;
pub mod import_uploads;
pub mod language;
pub mod my_data;
pub mod nul_bytes;
pub mod panics;
pub mod reconciler;
pub mod register_config;
pub mod register_worker;
pub mod issued_documents;
pub mod router;
pub mod run_to_end;
pub mod security_headers;
pub mod seed_scale;
pub mod service_worker;
pub mod staff_command;
pub mod startup;
pub mod state;
pub mod support_tickets;
pub mod unavailable;
pub mod ussd_callback;

pub use config::{AppEnv, Config};
pub use router::router;
pub use state::AppState;
