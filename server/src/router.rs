//! Every URL the server answers, in one place.

use crate::state::AppState;
use crate::config::AppEnv;
use crate::{africas_talking_simulator, body_limit, callbacks, card_simulator, client_address, csrf, daraja_simulator, dev_outbox, dev_ussd, documents, health, issued_documents, language, my_data, security_headers, run_to_end, service_worker, support_tickets, unavailable, ussd_callback};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{middleware, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, AxumRouteListing, LeptosRoutes};
use raia_app::identity::web::AccountOfRequest;
use raia_app::islands::loader::BrowserBundle;
use raia_app::{shell, App};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::trace::TraceLayer;

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let options = state.leptos_options.clone();

    let mut router = Router::new();
    if state.config.env == AppEnv::Dev {
        router = router
            .route("/dev/outbox", get(dev_outbox::page))
            .route("/dev/outbox.json", get(dev_outbox::json))
            .route("/dev/ussd", get(dev_ussd::page).post(dev_ussd::step))
            .nest_service("/sim/mpesa", daraja_simulator::routes(daraja_simulator::DarajaSimulator::new(state.config.payments.simulator_delay_seconds)))
            .nest_service("/sim/card", card_simulator::routes())
            .nest_service("/sim/africastalking", africas_talking_simulator::AfricasTalkingSimulator::default().routes());
    }
    router
        .route("/healthz", get(health::alive))
        .route("/readyz", get(health::ready))
        .route("/lang/{code}", get(language::switch))
        .route("/sw.js", get(service_worker::script))
        .route("/api/{*fn_name}", post(server_functions))
        .route("/documents", post(documents::upload).layer(axum::extract::DefaultBodyLimit::max(documents::MAX_REQUEST_BYTES)))
        .route("/documents/{id}", get(documents::download))
        .route("/account/data/download", get(my_data::download))
        .route("/issued/{file}", get(issued_documents::download))
        .route("/.well-known/raia-document-keys.json", get(issued_documents::keys))
        .route("/support/open", post(support_tickets::open).layer(axum::extract::DefaultBodyLimit::max(support_tickets::MAX_REQUEST_BYTES)))
        .route("/documents/support/{id}", get(support_tickets::screenshot))
        .route("/callbacks/mpesa/{secret}/stk", post(callbacks::stk).layer(axum::extract::DefaultBodyLimit::max(CALLBACK_BYTES)))
        .route("/callbacks/mpesa/{secret}/c2b", post(callbacks::c2b).layer(axum::extract::DefaultBodyLimit::max(CALLBACK_BYTES)))
        .route("/callbacks/ussd/{secret}", post(ussd_callback::step).layer(axum::extract::DefaultBodyLimit::max(CALLBACK_BYTES)))
        .leptos_routes_with_context(&state, routes, app_context(&state), move || shell(options.clone()))
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(app_context(&state), shell))
        .layer(middleware::from_fn_with_state(state.assets.clone(), unavailable::friendly_page))
        .layer(middleware::from_fn_with_state(state.clone(), security_headers::add))
        .layer(middleware::from_fn(csrf::same_origin_only))
        .layer(middleware::from_fn(body_limit::server_functions))
        .layer(middleware::from_fn_with_state(std::sync::Arc::new(state.config.trusted_proxies.clone()), client_address::attach))
        .layer(compression())
        .layer(middleware::from_fn(run_to_end::run_to_end))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// Daraja's callbacks are a few hundred bytes of JSON; a USSD step is smaller.
pub const CALLBACK_BYTES: usize = 64 * 1024;

/// The app's routes, listed once per process. Listing them renders the app with every
/// resource suppressed through a flag that is global to the process (leptos_server's
/// `SuppressResourceLoad`): a resource first polled while another router is being built
/// would wait forever (leptos issue #4773). Building a router twice, as tests do with one
/// server each, must never stall a page another server is rendering.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<AxumRouteListing>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Pages and server functions' answers compressed on the fly (a page's HTML shrinks about
/// fourfold); the build's static files are already compressed (`--precompress`) and pass
/// through untouched. Brotli at quality 4 costs little CPU per page; its highest quality
/// (the default, 11) would cost more CPU than a page takes to render.
/// No secret is ever in a page body (CSRF is checked by origin, not tokens), so BREACH,
/// which reads secrets out of compressed pages, has nothing to read.
fn compression() -> CompressionLayer {
    CompressionLayer::new().br(true).gzip(true).quality(CompressionLevel::Precise(4))
}

/// The span every request's log lines carry: its method and path, without the query string
/// and with the callback secret cut out, so that no log level ever writes a secret
/// (tower-http's default span holds the whole URI).
fn request_span(request: &Request<Body>) -> tracing::Span {
    tracing::debug_span!("request", method = %request.method(), path = %loggable_path(request.uri().path()))
}

fn loggable_path(path: &str) -> String {
    if path.starts_with("/callbacks/ussd/") {
        return "/callbacks/ussd/[secret]".to_string();
    }
    match path.strip_prefix("/callbacks/mpesa/").and_then(|rest| rest.split_once('/')) {
        Some((_secret, kind)) => format!("/callbacks/mpesa/[secret]/{kind}"),
        None => path.to_string(),
    }
}

/// What pages and server functions find with `use_context`.
fn app_context(state: &AppState) -> impl Fn() + Clone + Send + 'static {
    let (db, identity, cookie) = (state.db.clone(), state.identity.clone(), state.session_cookie.clone());
    let (applications, payments) = (state.applications.clone(), state.payments.clone());
    let performance_figures = state.performance_figures.clone();
    let bundle = BrowserBundle { script: state.assets.script.clone(), wasm: state.assets.wasm.clone(), release: state.assets.hashed };
    move || {
        provide_context(bundle.clone());
        provide_context(AccountOfRequest::default());
        provide_context(payments.clone());
        provide_context(db.clone());
        provide_context(identity.clone());
        provide_context(applications.clone());
        provide_context(applications.issuer.clone());
        provide_context(cookie.clone());
        provide_context(performance_figures.clone());
    }
}

async fn server_functions(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    handle_server_fns_with_context(app_context(&state), request).await
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn the_callback_secret_never_reaches_the_log() {
        assert_eq!(loggable_path("/callbacks/mpesa/0123456789abcdef/stk"), "/callbacks/mpesa/[secret]/stk");
        assert_eq!(loggable_path("/callbacks/ussd/0123456789abcdef"), "/callbacks/ussd/[secret]");
        assert_eq!(loggable_path("/services/good-conduct"), "/services/good-conduct");
    }
}
