//! Configuration from the environment (and an optional `.env` file), with safe defaults
//! for a developer's machine. In production the insecure defaults are refused at start-up.

use std::fmt;
use std::net::SocketAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppEnv {
    /// A developer's machine or CI: local simulators are mounted, plain HTTP is fine.
    Dev,
    /// A deployment that citizens use.
    Prod,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub env: AppEnv,
    pub bind_addr: SocketAddr,
    /// The address citizens use, e.g. `https://raia.go.ke`; links in SMS and QR codes use it.
    pub public_base_url: String,
    pub database_url: String,
    pub database_max_connections: u32,
    /// Whether cookies carry `Secure` (sent over HTTPS only).
    pub cookie_secure: bool,
    /// A catalogue file to use instead of the shipped one (`CATALOGUE_FILE`).
    pub catalogue_file: Option<std::path::PathBuf>,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRUSTED_PROXIES`).
    pub trusted_proxies: crate::client_address::TrustedProxies,
    pub payments: PaymentsConfig,
    pub messaging: MessagingConfig,
    /// Part of the URL Africa's Talking posts USSD steps to (`USSD_CALLBACK_SECRET`); `None`
    /// turns the USSD menu off (a production server without one answers 404 there).
    pub ussd_callback_secret: Option<String>,
    /// Seals authenticator secrets at rest (`SECRETS_KEY`, 64 hex characters; every process
    /// of one Raia needs the same one).
    pub secrets_key: raia_app::identity::sealing::SecretsKey,
    /// Development only (`DEMO_HISTORY=true`): months of finished applications, so that
    /// `/performance` shows figures on a fresh database. Off in tests, which count rows.
    pub demo_history: bool,
    /// Agencies' registers with an API of their own (`REGISTER_NTSA_URL`, `_KRA_URL`,
    /// `_BRS_URL`, each with its `_TOKEN`); the others are the embedded registers.
    pub registers: RegistersConfig,
    /// Signs issued documents (`DOCUMENT_SIGNING_KEY`, `DOCUMENT_RETIRED_KEYS`).
    pub document_keys: raia_app::issued::signing::DocumentKeys,
}

pub use crate::register_config::RegistersConfig;

/// Where SMS and email go (`SMS_PROVIDER`, `EMAIL_PROVIDER`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SmsProvider {
    /// Stored in the outbox only (`/dev/outbox`): development.
    Outbox,
    /// Africa's Talking (`AFRICASTALKING_BASE_URL`, `_USERNAME`, `_API_KEY`, `_SENDER_ID`).
    AfricasTalking { base_url: String, username: String, api_key: String, sender_id: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EmailProvider {
    Outbox,
    /// An SMTP server (`SMTP_URL`, e.g. `smtps://user:password@smtp.example:465`), sending
    /// from `EMAIL_FROM`.
    Smtp { url: String, from: String },
}

#[derive(Clone, Debug)]
pub struct MessagingConfig {
    pub sms: SmsProvider,
    pub email: EmailProvider,
    /// How often the delivery worker looks for messages to send (`DELIVER_EVERY_SECONDS`).
    pub deliver_every_seconds: u64,
}

/// Daraja, the card gateway and the reconciliation worker.
#[derive(Clone, Debug)]
pub struct PaymentsConfig {
    pub mpesa_base_url: String,
    pub mpesa_consumer_key: String,
    pub mpesa_consumer_secret: String,
    pub mpesa_shortcode: String,
    pub mpesa_passkey: String,
    /// Part of the callback URLs Daraja posts to: only Daraja (and we) know it.
    pub callback_secret: String,
    pub paybill_number: String,
    pub card_gateway_url: String,
    /// The dev simulator's delay before it answers (`MPESA_SIM_DELAY_SECONDS`).
    pub simulator_delay_seconds: u64,
    /// A push with no answer after this long is given up.
    pub pending_timeout_seconds: i64,
    pub reconcile_every_seconds: u64,
}

/// Safaricom's public sandbox values: fine for the simulator, refused in prod.
pub const SANDBOX_SHORTCODE: &str = "174379";
pub const SANDBOX_PASSKEY: &str = "bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919";
pub const DEV_CALLBACK_SECRET: &str = "dev-callback-secret-not-for-production";
pub const DEV_USSD_SECRET: &str = "dev-ussd-secret-not-for-production";

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/raia.db";
const DEFAULT_BIND_ADDR: &str = "127.0.0.1:3000";

#[derive(Debug, PartialEq, Eq)]
pub struct ConfigError(pub Vec<String>);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Raia cannot start with this configuration:")?;
        for problem in &self.0 {
            writeln!(f, "  - {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Reads the process environment, after loading `.env` when there is one.
    pub fn from_env() -> Result<Self, ConfigError> {
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok().filter(|value| !value.trim().is_empty()))
    }

    /// Builds the configuration from any source of variables (the environment, or a test's map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let mut problems = Vec::new();

        // cargo-leptos passes the address from Cargo.toml as LEPTOS_SITE_ADDR; BIND_ADDR wins.
        let bind_text = get("BIND_ADDR").or_else(|| get("LEPTOS_SITE_ADDR")).unwrap_or_else(|| DEFAULT_BIND_ADDR.into());
        let bind_addr: SocketAddr = bind_text.parse().unwrap_or_else(|_| {
            problems.push(format!("BIND_ADDR `{bind_text}` is not an address like 127.0.0.1:3000"));
            DEFAULT_BIND_ADDR.parse().expect("default address parses")
        });

        // Fail closed: development (simulators, the dev outbox, demo accounts with published
        // passwords) only when asked for, or by default on a loopback address nobody else reaches.
        let env = match get("APP_ENV").as_deref() {
            Some("dev") => AppEnv::Dev,
            Some("prod") => AppEnv::Prod,
            None if bind_addr.ip().is_loopback() => AppEnv::Dev,
            // Either refuses to start; the env chosen here only keeps the other messages relevant.
            None => {
                problems.push(format!("APP_ENV must be set (`prod`, or `dev` on a developer's machine) to listen on {bind_addr}, which is not a loopback address"));
                AppEnv::Dev
            }
            Some(other) => {
                problems.push(format!("APP_ENV must be `dev` or `prod`, not `{other}`"));
                AppEnv::Dev
            }
        };

        let trusted_proxies = crate::client_address::TrustedProxies::parse(&get("TRUSTED_PROXIES").unwrap_or_default()).unwrap_or_else(|entry| {
            problems.push(format!("TRUSTED_PROXIES: `{entry}` is not an address or a CIDR block like 10.0.0.0/8"));
            Default::default()
        });

        let public_base_url_set = get("PUBLIC_BASE_URL");
        let public_base_url = public_base_url_set
            .clone()
            .unwrap_or_else(|| format!("http://{bind_addr}"))
            .trim_end_matches('/')
            .to_string();
        if !public_base_url.starts_with("http://") && !public_base_url.starts_with("https://") {
            problems.push(format!("PUBLIC_BASE_URL `{public_base_url}` must start with https:// (or http:// in dev)"));
        }

        let database_url = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
            problems.push("DATABASE_URL must start with sqlite:// or postgres://".into());
        }
        // Citizens' data crosses this connection: in production only over TLS whose
        // certificate is checked and names the host (fail closed, never `prefer`).
        if env == AppEnv::Prod && database_url.starts_with("postgres") && !database_url.contains("sslmode=verify-full") {
            problems.push("DATABASE_URL must connect with ?sslmode=verify-full in prod (and sslrootcert=… for a private authority)".into());
        }

        let database_max_connections = match get("DATABASE_MAX_CONNECTIONS") {
            None => 10,
            Some(text) => text.parse().ok().filter(|n| (1..=1000).contains(n)).unwrap_or_else(|| {
                problems.push(format!("DATABASE_MAX_CONNECTIONS `{text}` must be a number from 1 to 1000"));
                10
            }),
        };

        let cookie_secure = match get("COOKIE_SECURE").as_deref() {
            None => public_base_url.starts_with("https://"),
            Some("true") => true,
            Some("false") => false,
            Some(other) => {
                problems.push(format!("COOKIE_SECURE must be `true` or `false`, not `{other}`"));
                true
            }
        };

        let demo_history = match get("DEMO_HISTORY").as_deref() {
            None | Some("false") => false,
            Some("true") if env == AppEnv::Dev => true,
            Some("true") => {
                problems.push("DEMO_HISTORY=true is for development only: it adds made-up applications".into());
                false
            }
            Some(other) => {
                problems.push(format!("DEMO_HISTORY must be `true` or `false`, not `{other}`"));
                false
            }
        };

        let number = |name: &str, default: i64, problems: &mut Vec<String>| match get(name) {
            None => default,
            Some(text) => text.parse().ok().filter(|n: &i64| *n >= 0).unwrap_or_else(|| {
                problems.push(format!("{name} `{text}` must be a whole number of seconds"));
                default
            }),
        };
        let payments = PaymentsConfig {
            mpesa_base_url: get("MPESA_BASE_URL").unwrap_or_else(|| format!("http://{bind_addr}/sim/mpesa")),
            mpesa_consumer_key: get("MPESA_CONSUMER_KEY").unwrap_or_else(|| "raia-dev".into()),
            mpesa_consumer_secret: get("MPESA_CONSUMER_SECRET").unwrap_or_else(|| "raia-dev-secret".into()),
            mpesa_shortcode: get("MPESA_SHORTCODE").unwrap_or_else(|| SANDBOX_SHORTCODE.into()),
            mpesa_passkey: get("MPESA_PASSKEY").unwrap_or_else(|| SANDBOX_PASSKEY.into()),
            callback_secret: get("MPESA_CALLBACK_SECRET").unwrap_or_else(|| DEV_CALLBACK_SECRET.into()),
            paybill_number: get("PAYBILL_NUMBER").unwrap_or_else(|| "222111".into()),
            card_gateway_url: get("CARD_GATEWAY_URL").unwrap_or_else(|| format!("http://{bind_addr}/sim/card")),
            simulator_delay_seconds: number("MPESA_SIM_DELAY_SECONDS", 3, &mut problems) as u64,
            pending_timeout_seconds: number("PAYMENT_TIMEOUT_SECONDS", 180, &mut problems),
            reconcile_every_seconds: number("RECONCILE_EVERY_SECONDS", 15, &mut problems).max(1) as u64,
        };

        let messaging = MessagingConfig {
            sms: match get("SMS_PROVIDER").as_deref() {
                None | Some("outbox") => SmsProvider::Outbox,
                Some("africastalking") => {
                    let (username, api_key) = (get("AFRICASTALKING_USERNAME").unwrap_or_default(), get("AFRICASTALKING_API_KEY").unwrap_or_default());
                    if username.is_empty() || api_key.is_empty() {
                        problems.push("SMS_PROVIDER=africastalking needs AFRICASTALKING_USERNAME and AFRICASTALKING_API_KEY".into());
                    }
                    let base_url = get("AFRICASTALKING_BASE_URL").unwrap_or_else(|| "https://api.africastalking.com".into());
                    SmsProvider::AfricasTalking { base_url, username, api_key, sender_id: get("AFRICASTALKING_SENDER_ID") }
                }
                Some(other) => {
                    problems.push(format!("SMS_PROVIDER must be `outbox` or `africastalking`, not `{other}`"));
                    SmsProvider::Outbox
                }
            },
            email: match get("EMAIL_PROVIDER").as_deref() {
                None | Some("outbox") => EmailProvider::Outbox,
                Some("smtp") => {
                    let (url, from) = (get("SMTP_URL").unwrap_or_default(), get("EMAIL_FROM").unwrap_or_default());
                    if url.is_empty() || from.is_empty() {
                        problems.push("EMAIL_PROVIDER=smtp needs SMTP_URL and EMAIL_FROM".into());
                    }
                    EmailProvider::Smtp { url, from }
                }
                Some(other) => {
                    problems.push(format!("EMAIL_PROVIDER must be `outbox` or `smtp`, not `{other}`"));
                    EmailProvider::Outbox
                }
            },
            deliver_every_seconds: number("DELIVER_EVERY_SECONDS", 1, &mut problems).max(1) as u64,
        };

        if env == AppEnv::Prod {
            // A production server whose codes never leave the database locks every citizen out.
            if messaging.sms == SmsProvider::Outbox || messaging.email == EmailProvider::Outbox {
                problems.push("SMS_PROVIDER=africastalking and EMAIL_PROVIDER=smtp must be set in prod: the outbox alone delivers nothing".into());
            }
            if payments.callback_secret == DEV_CALLBACK_SECRET || payments.callback_secret.len() < 32 {
                problems.push("MPESA_CALLBACK_SECRET must be set in prod: 32 or more random characters".into());
            }
            if get("MPESA_BASE_URL").is_none() || get("MPESA_CONSUMER_KEY").is_none() || get("MPESA_CONSUMER_SECRET").is_none() || payments.mpesa_passkey == SANDBOX_PASSKEY {
                problems.push("MPESA_BASE_URL, MPESA_CONSUMER_KEY, MPESA_CONSUMER_SECRET and MPESA_PASSKEY must be set in prod".into());
            }
            if get("CARD_GATEWAY_URL").is_none() {
                problems.push("CARD_GATEWAY_URL must be set in prod".into());
            }
            // Defaults that are fine on a laptop and dangerous in front of citizens.
            match &public_base_url_set {
                None => problems.push("PUBLIC_BASE_URL must be set in prod (the https:// address citizens use)".into()),
                Some(url) if !url.starts_with("https://") => {
                    problems.push("PUBLIC_BASE_URL must use https:// in prod".into())
                }
                _ => {}
            }
            if !cookie_secure {
                problems.push("COOKIE_SECURE=false is refused in prod: session cookies must never travel over plain HTTP".into());
            }
        }

        // The same rules as Daraja's callback secret. A production server may go without USSD
        // (no secret, no menu), but never with a guessable secret or the development one.
        let ussd_callback_secret = match get("USSD_CALLBACK_SECRET") {
            None if env == AppEnv::Dev => Some(DEV_USSD_SECRET.to_string()),
            None => None,
            Some(secret) => {
                if env == AppEnv::Prod && (secret == DEV_USSD_SECRET || secret.len() < 32) {
                    problems.push("USSD_CALLBACK_SECRET must be 32 or more random characters in prod (or unset, to turn USSD off)".into());
                }
                Some(secret)
            }
        };

        let secrets_key = match get("SECRETS_KEY") {
            None => {
                if env == AppEnv::Prod {
                    problems.push("SECRETS_KEY must be set in prod: 64 hex characters, e.g. from `openssl rand -hex 32`".into());
                }
                raia_app::identity::sealing::SecretsKey::dev()
            }
            Some(text) => match raia_app::identity::sealing::SecretsKey::from_hex(&text) {
                Some(key) if env == AppEnv::Prod && text.trim() == raia_app::identity::sealing::DEV_SECRETS_KEY => {
                    problems.push("SECRETS_KEY is the published development key: set your own in prod".into());
                    key
                }
                Some(key) => key,
                None => {
                    problems.push("SECRETS_KEY must be 64 hex characters (32 bytes)".into());
                    raia_app::identity::sealing::SecretsKey::dev()
                }
            },
        };

        let registers = crate::register_config::registers(&get, env == AppEnv::Prod, &mut problems);
        let document_keys = crate::register_config::document_keys(&get, env == AppEnv::Prod, &mut problems);

        // The service catalogue: the one shipped with Raia unless a file is named.
        let catalogue_file = get("CATALOGUE_FILE").map(std::path::PathBuf::from);

        if problems.is_empty() {
            Ok(Config { env, bind_addr, public_base_url, database_url, database_max_connections, cookie_secure, catalogue_file, trusted_proxies, payments, messaging, ussd_callback_secret, secrets_key, demo_history, registers, document_keys })
        } else {
            Err(ConfigError(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_serve_locally_on_embedded_sqlite() {
        let config = config(&[]).expect("defaults are valid in dev");
        assert_eq!(config.env, AppEnv::Dev);
        assert_eq!(config.bind_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.public_base_url, "http://127.0.0.1:3000");
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert!(!config.cookie_secure);
    }

    #[test]
    fn prod_refuses_insecure_defaults_and_says_why() {
        let error = config(&[("APP_ENV", "prod")]).expect_err("prod needs a real address");
        let text = error.to_string();
        assert!(text.contains("PUBLIC_BASE_URL must be set in prod"), "{text}");

        let error = config(&[("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "http://raia.example")]).unwrap_err();
        assert!(error.to_string().contains("https://"));

        let error = config(&[("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "https://raia.example"), ("COOKIE_SECURE", "false")]).unwrap_err();
        assert!(error.to_string().contains("COOKIE_SECURE=false is refused"));
    }

    #[test]
    fn the_made_up_demo_history_is_for_development_only() {
        assert!(!config(&[]).unwrap().demo_history, "off unless asked for");
        assert!(config(&[("DEMO_HISTORY", "true")]).unwrap().demo_history);
        let error = config(&[("APP_ENV", "prod"), ("DEMO_HISTORY", "true")]).unwrap_err();
        assert!(error.to_string().contains("DEMO_HISTORY=true is for development only"), "{error}");
        assert!(config(&[("DEMO_HISTORY", "yes")]).unwrap_err().to_string().contains("DEMO_HISTORY must be `true` or `false`"));
    }

    #[test]
    fn prod_with_https_starts_with_secure_cookies() {
        let mut vars = vec![("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "https://raia.example/")];
        vars.extend_from_slice(PROD_PAYMENTS);
        let config = config(&vars).expect("valid prod config");
        assert!(config.cookie_secure);
        assert_eq!(config.public_base_url, "https://raia.example");
    }

    const PROD_PAYMENTS: &[(&str, &str)] = &[
        ("MPESA_BASE_URL", "https://api.safaricom.co.ke"),
        ("MPESA_CONSUMER_KEY", "key"),
        ("MPESA_CONSUMER_SECRET", "secret"),
        ("MPESA_PASSKEY", "a-real-passkey"),
        ("MPESA_CALLBACK_SECRET", "0123456789abcdef0123456789abcdef"),
        ("CARD_GATEWAY_URL", "https://cards.example"),
        ("SMS_PROVIDER", "africastalking"),
        ("AFRICASTALKING_USERNAME", "raia"),
        ("AFRICASTALKING_API_KEY", "atsk_key"),
        ("EMAIL_PROVIDER", "smtp"),
        ("SMTP_URL", "smtps://raia:secret@smtp.example:465"),
        ("EMAIL_FROM", "Raia <no-reply@raia.example>"),
        ("SECRETS_KEY", "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c"),
        ("DOCUMENT_SIGNING_KEY", "raia-test-1:BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU:2026-01-01"),
    ];

    #[test]
    fn prod_runs_ussd_only_with_a_strong_secret_of_its_own() {
        let mut vars = vec![("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "https://raia.example/")];
        vars.extend_from_slice(PROD_PAYMENTS);
        assert_eq!(config(&vars).expect("valid without USSD").ussd_callback_secret, None);
        for weak in [DEV_USSD_SECRET, "short"] {
            vars.push(("USSD_CALLBACK_SECRET", weak));
            assert!(config(&vars).unwrap_err().to_string().contains("USSD_CALLBACK_SECRET must be 32"));
            vars.pop();
        }
        vars.push(("USSD_CALLBACK_SECRET", "fedcba9876543210fedcba9876543210"));
        assert_eq!(config(&vars).unwrap().ussd_callback_secret.as_deref(), Some("fedcba9876543210fedcba9876543210"));
        assert_eq!(config(&[]).unwrap().ussd_callback_secret.as_deref(), Some(DEV_USSD_SECRET));
    }

    #[test]
    fn prod_refuses_a_missing_or_published_secrets_key() {
        let mut vars = vec![("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "https://raia.example/")];
        vars.extend(PROD_PAYMENTS.iter().filter(|(name, _)| *name != "SECRETS_KEY"));
        assert!(config(&vars).unwrap_err().to_string().contains("SECRETS_KEY must be set in prod"));
        vars.push(("SECRETS_KEY", raia_app::identity::sealing::DEV_SECRETS_KEY));
        assert!(config(&vars).unwrap_err().to_string().contains("published development key"));
        vars.pop();
        vars.push(("SECRETS_KEY", "too-short"));
        assert!(config(&vars).unwrap_err().to_string().contains("64 hex characters"));
    }

    #[test]
    fn prod_refuses_messages_that_never_leave_the_outbox() {
        let mut vars = vec![("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "https://raia.example/")];
        vars.extend(PROD_PAYMENTS.iter().filter(|(name, _)| *name != "EMAIL_PROVIDER"));
        let error = config(&vars).unwrap_err().to_string();
        assert!(error.contains("EMAIL_PROVIDER=smtp must be set in prod"), "{error}");
        let dev = config(&[]).unwrap();
        assert_eq!((dev.messaging.sms, dev.messaging.email), (SmsProvider::Outbox, EmailProvider::Outbox));
        let error = config(&[("SMS_PROVIDER", "africastalking")]).unwrap_err().to_string();
        assert!(error.contains("AFRICASTALKING_API_KEY"), "{error}");
    }

    #[test]
    fn prod_refuses_postgresql_without_verified_tls() {
        let plain = config(&[("APP_ENV", "prod"), ("DATABASE_URL", "postgres://raia@db.internal/raia")]).unwrap_err().to_string();
        assert!(plain.contains("sslmode=verify-full"), "{plain}");
        let unchecked = config(&[("APP_ENV", "prod"), ("DATABASE_URL", "postgres://raia@db.internal/raia?sslmode=require")]).unwrap_err().to_string();
        assert!(unchecked.contains("sslmode=verify-full"), "{unchecked}");
        let verified = config(&[("APP_ENV", "prod"), ("DATABASE_URL", "postgres://raia@db.internal/raia?sslmode=verify-full")]).unwrap_err().to_string();
        assert!(!verified.contains("sslmode"), "{verified}");
        assert!(config(&[("DATABASE_URL", "postgres://raia@127.0.0.1/raia")]).is_ok(), "development may connect without TLS");
    }

    #[test]
    fn prod_refuses_sandbox_payment_settings() {
        let error = config(&[("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "https://raia.example")]).unwrap_err().to_string();
        assert!(error.contains("MPESA_CALLBACK_SECRET"), "{error}");
        assert!(error.contains("MPESA_PASSKEY"), "{error}");
        let dev = config(&[]).unwrap();
        assert_eq!(dev.payments.mpesa_base_url, "http://127.0.0.1:3000/sim/mpesa");
        assert_eq!(dev.payments.simulator_delay_seconds, 3);
    }

    #[test]
    fn bad_values_are_named() {
        let error = config(&[("APP_ENV", "staging"), ("BIND_ADDR", "nowhere"), ("DATABASE_URL", "mysql://x"), ("TRUSTED_PROXIES", "10.0.0.0/8, proxy")]).unwrap_err();
        assert_eq!(error.0.len(), 4, "{error}");
        assert!(error.to_string().contains("`proxy` is not an address"), "{error}");
    }

    #[test]
    fn without_app_env_only_a_loopback_address_is_development() {
        assert_eq!(config(&[("BIND_ADDR", "127.0.0.1:3000")]).unwrap().env, AppEnv::Dev);
        assert_eq!(config(&[("BIND_ADDR", "[::1]:3000")]).unwrap().env, AppEnv::Dev);
        let error = config(&[("BIND_ADDR", "0.0.0.0:3000")]).expect_err("a public address without APP_ENV is refused");
        assert!(error.to_string().contains("APP_ENV must be set"), "{error}");
        // Nor does LEPTOS_SITE_ADDR (set by cargo-leptos) open a back door.
        assert!(config(&[("LEPTOS_SITE_ADDR", "0.0.0.0:3000")]).is_err());
        // Asking for dev explicitly still works anywhere (a container on a developer's machine).
        assert_eq!(config(&[("APP_ENV", "dev"), ("BIND_ADDR", "0.0.0.0:3000")]).unwrap().env, AppEnv::Dev);
    }
}
