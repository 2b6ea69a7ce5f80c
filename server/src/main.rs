//! `raia-server`: serves the portal. Reads its configuration from the environment
//! (see README), applies database migrations, then serves until SIGTERM or Ctrl-C.

use axum::serve::ListenerExt;
use leptos::config::get_configuration;
use raia_app::db::Db;
use raia_app::identity::registry;
use raia_app::request::SessionCookie;
use raia_server::assets::BuildAssets;
use raia_server::{delivery_worker, housekeeping, reconciler, register_worker, router, staff_command, startup, AppEnv, AppState, Config};
use std::sync::Arc;
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    init_logging(config.env);
    raia_server::panics::install();

    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => run(config).await,
        Some("import-registry") => match args.get(1) {
            Some(path) => import_registry(&config, path).await,
            None => Err("usage: raia-server import-registry FILE.csv".into()),
        },
        Some("import-register") => match (args.get(1).and_then(|k| raia_app::registers::import::Kind::parse(k)), args.get(2)) {
            (Some(kind), Some(path)) => import_register(&config, kind, path).await,
            _ => Err("usage: raia-server import-register vehicles|fines|driving-licences|kra-pins|business-names FILE.csv".into()),
        },
        Some("new-document-key") => match args.get(1) {
            Some(kid) => {
                let today = raia_app::calendar::iso_date(raia_app::clock::Clock::now(&raia_app::clock::SystemClock).div_euclid(86_400));
                let (signing, public) = raia_app::issued::signing::DocumentKeys::generate(kid, &today);
                println!("DOCUMENT_SIGNING_KEY={signing}");
                println!("# when this key is retired, add to DOCUMENT_RETIRED_KEYS: {kid}:{public}:{today}:LAST-DAY-IT-SIGNED");
                Ok(())
            }
            None => Err("usage: raia-server new-document-key KID (for example raia-2027)".into()),
        },
        Some("import-uploads") => match args.get(1) {
            Some(folder) => import_uploads(&config, folder).await,
            None => Err("usage: raia-server import-uploads FOLDER (the former UPLOAD_DIR)".into()),
        },
        Some("create-staff") => staff_command::create(&config, &args[1..]).await,
        Some("disable-staff") => staff_command::set_disabled(&config, &args[1..], true).await,
        Some("enable-staff") => staff_command::set_disabled(&config, &args[1..], false).await,
        Some("seed-scale") => raia_server::seed_scale::command(&config, &args[1..]).await,
        Some("check-catalogue") => startup::catalogue(&config).map(|c| println!("the catalogue is valid: {} services", c.services.len())).map_err(Into::into),
        Some(other) => Err(format!("unknown command `{other}` (try: serve, import-registry FILE.csv, import-register KIND FILE.csv, import-uploads FOLDER, new-document-key KID, create-staff, disable-staff, enable-staff, check-catalogue, seed-scale --citizens N --applications M)").into()),
    };
    if let Err(error) = result {
        tracing::error!(%error, "Raia stopped");
        std::process::exit(1);
    }
}

async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let mut leptos_options = get_configuration(None)?.leptos_options;
    leptos_options.site_addr = config.bind_addr;

    let db = Db::connect(&config.database_url, config.database_max_connections).await?;
    db.migrate().await?;

    let assets = Arc::new(BuildAssets::load(&leptos_options));
    let catalogue = startup::catalogue(&config)?;
    let identity = startup::identity(&config, &db);
    startup::seed(&config, &identity, &catalogue).await?;
    let applications = startup::applications(&config, &db, &identity, catalogue);
    let payments = startup::payments(&config, &db, &identity, &applications);
    reconciler::spawn(payments.clone(), std::time::Duration::from_secs(config.payments.reconcile_every_seconds));
    housekeeping::spawn(db.clone(), identity.clock.clone(), config.env);
    register_worker::spawn(applications.clone(), db.clone(), identity.clock.clone());
    delivery_worker::spawn(startup::delivery(&config, &db, &identity)?, std::time::Duration::from_secs(config.messaging.deliver_every_seconds));
    let session_cookie = SessionCookie::new(config.cookie_secure);
    let state = AppState { leptos_options, config: Arc::new(config.clone()), db: db.clone(), assets, identity, applications, payments, session_cookie, performance_figures: Default::default() };
    let app = router(state);

    // TCP_NODELAY: without it a small response (a static file, a short page) waits for the
    // client's delayed ACK under Nagle's algorithm, about 40 ms on a keep-alive connection.
    let listener = tokio::net::TcpListener::bind(config.bind_addr).await?.tap_io(|stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY");
        }
    });
    tracing::info!(address = %config.bind_addr, env = ?config.env, database = db.backend().name(), "Raia is serving");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    db.close().await;
    tracing::info!("Raia stopped cleanly");
    Ok(())
}

/// `raia-server import-register KIND FILE.csv`: adds the rows an agency's extract holds.
async fn import_register(config: &Config, kind: raia_app::registers::import::Kind, path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let db = Db::connect(&config.database_url, config.database_max_connections).await?;
    db.migrate().await?;
    let added = raia_app::registers::import::import(&db, kind, &text).await.map_err(|e| format!("{path}: {e}"))?;
    println!("{added} {} added from {path} (rows already there are kept)", kind.name());
    Ok(())
}

/// `raia-server import-registry FILE.csv`: adds the people a registry extract holds.
async fn import_registry(config: &Config, path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let people = registry::parse_csv(&text)?;
    let db = Db::connect(&config.database_url, 2).await?;
    db.migrate().await?;
    let added = registry::import(&db, &people).await?;
    println!("{added} of {} people added to the registry", people.len());
    db.close().await;
    Ok(())
}

async fn import_uploads(config: &Config, folder: &str) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::connect(&config.database_url, 2).await?;
    db.migrate().await?;
    raia_server::import_uploads::run(&db, std::path::Path::new(folder)).await?;
    db.close().await;
    Ok(())
}

/// JSON lines in production (for log collectors), readable lines on a developer's machine.
fn init_logging(env: AppEnv) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match env {
        AppEnv::Prod => builder.json().init(),
        AppEnv::Dev => builder.init(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
