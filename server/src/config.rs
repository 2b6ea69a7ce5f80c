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
    /// Where uploaded documents are stored (`UPLOAD_DIR`).
    pub upload_dir: std::path::PathBuf,
    /// A catalogue file to use instead of the shipped one (`CATALOGUE_FILE`).
    pub catalogue_file: Option<std::path::PathBuf>,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/raia.db";
pub const DEFAULT_UPLOAD_DIR: &str = "data/uploads";
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

        let env = match get("APP_ENV").as_deref() {
            None | Some("dev") => AppEnv::Dev,
            Some("prod") => AppEnv::Prod,
            Some(other) => {
                problems.push(format!("APP_ENV must be `dev` or `prod`, not `{other}`"));
                AppEnv::Dev
            }
        };

        // cargo-leptos passes the address from Cargo.toml as LEPTOS_SITE_ADDR; BIND_ADDR wins.
        let bind_text = get("BIND_ADDR").or_else(|| get("LEPTOS_SITE_ADDR")).unwrap_or_else(|| DEFAULT_BIND_ADDR.into());
        let bind_addr = bind_text.parse().unwrap_or_else(|_| {
            problems.push(format!("BIND_ADDR `{bind_text}` is not an address like 127.0.0.1:3000"));
            DEFAULT_BIND_ADDR.parse().expect("default address parses")
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

        if env == AppEnv::Prod {
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

        // Uploaded documents live outside the database, in this folder (content-addressed).
        let upload_dir = std::path::PathBuf::from(get("UPLOAD_DIR").unwrap_or_else(|| DEFAULT_UPLOAD_DIR.into()));
        // The service catalogue: the one shipped with Raia unless a file is named.
        let catalogue_file = get("CATALOGUE_FILE").map(std::path::PathBuf::from);

        if problems.is_empty() {
            Ok(Config { env, bind_addr, public_base_url, database_url, database_max_connections, cookie_secure, upload_dir, catalogue_file })
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
    fn prod_with_https_starts_with_secure_cookies() {
        let config = config(&[("APP_ENV", "prod"), ("PUBLIC_BASE_URL", "https://raia.example/")]).expect("valid prod config");
        assert!(config.cookie_secure);
        assert_eq!(config.public_base_url, "https://raia.example");
    }

    #[test]
    fn bad_values_are_named() {
        let error = config(&[("APP_ENV", "staging"), ("BIND_ADDR", "nowhere"), ("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(error.0.len(), 3, "{error}");
    }
}
