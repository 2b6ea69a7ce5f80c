use crate::assets::BuildAssets;
use crate::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use raia_app::db::Db;
use raia_app::identity::service::Identity;
use raia_app::request::SessionCookie;
use raia_app::payments::service::Payments;
use raia_app::performance::cache::FiguresCache;
use raia_app::services::service::Applications;
use std::sync::Arc;

/// What every request handler can reach. Holds no per-citizen state: sessions, counters
/// and queues live in the database, so several server processes can share the work.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    pub db: Db,
    pub assets: Arc<BuildAssets>,
    pub identity: Identity,
    pub applications: Applications,
    pub payments: Payments,
    pub session_cookie: SessionCookie,
    /// `/performance`'s figures, counted at most every few minutes in each process.
    pub performance_figures: FiguresCache,
}
