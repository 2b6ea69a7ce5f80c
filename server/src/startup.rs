//! Building the services from configuration, and the data every start needs.

use crate::config::{AppEnv, Config};
use raia_app::clock::SystemClock;
use raia_app::db::Db;
use raia_app::identity::password::PasswordHasher;
use raia_app::identity::registry::TableRegistry;
use raia_app::identity::seed;
use raia_app::identity::service::Identity;
use raia_app::services::catalogue::Catalogue;
use raia_app::services::catalogue_file;
use raia_app::payments::daraja::{DarajaClient, DarajaSettings};
use raia_app::payments::gateway::CardGatewayClient;
use raia_app::payments::service::Payments;
use raia_app::services::service::Applications;
use crate::config::{EmailProvider, SmsProvider};
use raia_app::messages::africas_talking::{AfricasTalking, AfricasTalkingSettings};
use raia_app::messages::delivery::{Delivery, OutboxOnly, Provider};
use raia_app::messages::email::SmtpEmail;
use raia_app::issued::service::Issuer;
use raia_app::registers::embedded::EmbeddedRegisters;
use raia_app::registers::http::{HttpRegisters, HttpSettings};
use raia_app::registers::logged::Logged;
use raia_app::registers::Registers;
use std::sync::Arc;

/// At most this many argon2 computations at once per process: a login rush queues here
/// instead of taking every thread from browsing and paying.
pub fn hashing_permits() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

pub fn identity(config: &Config, db: &Db) -> Identity {
    Identity {
        db: db.clone(),
        clock: Arc::new(SystemClock),
        registry: Arc::new(TableRegistry::new(db.clone())),
        hasher: PasswordHasher::new(hashing_permits()),
        secrets: config.secrets_key.clone(),
    }
}

/// The service catalogue, checked: the configured file, or the one shipped with Raia.
pub fn catalogue(config: &Config) -> Result<Catalogue, String> {
    let text = match &config.catalogue_file {
        Some(path) => std::fs::read_to_string(path).map_err(|e| format!("CATALOGUE_FILE {}: {e}", path.display()))?,
        None => catalogue_file::BUILT_IN.to_string(),
    };
    catalogue_file::parse(&text).map_err(|e| e.to_string())
}

/// The registers: each agency's own API where one is configured, the embedded register
/// otherwise; every call logged.
pub fn registers(config: &Config, db: &Db, identity: &Identity) -> Arc<dyn Registers> {
    let embedded = Box::new(EmbeddedRegisters::new(db.clone()));
    let settings = &config.registers;
    let inner: Box<dyn Registers> = if settings.ntsa.is_none() && settings.kra.is_none() && settings.brs.is_none() {
        embedded
    } else {
        let http = HttpSettings { timeout: std::time::Duration::from_millis(settings.timeout_ms), ..HttpSettings::default() };
        Box::new(HttpRegisters::new(http, settings.ntsa.clone(), settings.kra.clone(), settings.brs.clone(), embedded))
    };
    Arc::new(Logged { inner, db: db.clone(), clock: identity.clock.clone() })
}

pub fn issuer(config: &Config, db: &Db, identity: &Identity) -> Issuer {
    Issuer { db: db.clone(), clock: identity.clock.clone(), keys: Arc::new(config.document_keys.clone()), public_base_url: config.public_base_url.clone() }
}

pub fn applications(config: &Config, db: &Db, identity: &Identity, catalogue: Catalogue) -> Applications {
    Applications {
        db: db.clone(),
        clock: identity.clock.clone(),
        catalogue: Arc::new(catalogue),
        registers: registers(config, db, identity),
        issuer: issuer(config, db, identity),
        public_base_url: config.public_base_url.clone(),
    }
}

pub fn payments(config: &Config, db: &Db, identity: &Identity, applications: &Applications) -> Payments {
    let settings = &config.payments;
    let daraja = DarajaSettings {
        base_url: settings.mpesa_base_url.clone(),
        consumer_key: settings.mpesa_consumer_key.clone(),
        consumer_secret: settings.mpesa_consumer_secret.clone(),
        shortcode: settings.mpesa_shortcode.clone(),
        passkey: settings.mpesa_passkey.clone(),
    };
    Payments {
        db: db.clone(),
        clock: identity.clock.clone(),
        applications: applications.clone(),
        mpesa: Arc::new(DarajaClient::new(daraja, identity.clock.clone())),
        card: Arc::new(CardGatewayClient::new(&settings.card_gateway_url)),
        stk_callback_url: format!("{}/callbacks/mpesa/{}/stk", config.public_base_url, settings.callback_secret),
        paybill_number: settings.paybill_number.clone(),
        pending_timeout_seconds: settings.pending_timeout_seconds,
    }
}

/// The delivery worker's view of the outbox, with the providers the configuration names.
pub fn delivery(config: &Config, db: &Db, identity: &Identity) -> Result<Delivery, String> {
    let sms: Arc<dyn Provider> = match &config.messaging.sms {
        SmsProvider::Outbox => Arc::new(OutboxOnly),
        SmsProvider::AfricasTalking { base_url, username, api_key, sender_id } => Arc::new(AfricasTalking::new(AfricasTalkingSettings {
            base_url: base_url.clone(),
            username: username.clone(),
            api_key: api_key.clone(),
            sender_id: sender_id.clone(),
        })),
    };
    let email: Arc<dyn Provider> = match &config.messaging.email {
        EmailProvider::Outbox => Arc::new(OutboxOnly),
        EmailProvider::Smtp { url, from } => Arc::new(SmtpEmail::new(url, from).map_err(|e| e.to_string())?),
    };
    Ok(Delivery { db: db.clone(), clock: identity.clock.clone(), sms, email })
}

/// The registry's seed people always; the demo citizen and staff in development, and with
/// `DEMO_HISTORY=true` months of made-up applications for `/performance`.
pub async fn seed(config: &Config, identity: &Identity, catalogue: &Catalogue) -> Result<(), String> {
    let added = seed::registry_people(identity).await.map_err(|e| format!("registry seed: {e}"))?;
    if added > 0 {
        tracing::info!(added, "registry people seeded");
    }
    if config.env == AppEnv::Dev {
        let added = raia_app::registers::import::seed_demo(&identity.db).await.map_err(|e| format!("demo registers: {e}"))?;
        if added > 0 {
            tracing::info!(added, "demo register extracts seeded (vehicles, fines, licences, PINs, business names)");
        }
        seed::demo_citizen(identity).await.map_err(|e| format!("demo account: {e}"))?;
        let agencies: Vec<String> = catalogue.agencies.iter().map(|a| a.slug.clone()).collect();
        seed::demo_staff(identity, &agencies).await.map_err(|e| format!("demo staff: {e}"))?;
    }
    if config.demo_history {
        let added = raia_app::performance::demo::seed(&identity.db, catalogue, identity.clock.now()).await.map_err(|e| format!("demo history: {e}"))?;
        if added > 0 {
            tracing::info!(added, "demo history of applications seeded for /performance");
        }
    }
    Ok(())
}
