//! The settings of agencies' registers and of the document keys: which agencies answer
//! over their own API, and which key signs the documents Raia issues. A production server
//! refuses the published development key and a plain-HTTP agency (fail closed).

use raia_app::issued::signing::DocumentKeys;

#[derive(Clone, Debug, Default)]
pub struct RegistersConfig {
    pub ntsa: Option<raia_app::registers::http::AgencyEndpoint>,
    pub kra: Option<raia_app::registers::http::AgencyEndpoint>,
    pub brs: Option<raia_app::registers::http::AgencyEndpoint>,
    /// Per call attempt (`REGISTER_TIMEOUT_MS`, default 4000).
    pub timeout_ms: u64,
}

pub fn registers(get: &impl Fn(&str) -> Option<String>, production: bool, problems: &mut Vec<String>) -> RegistersConfig {
    let mut registers = RegistersConfig { timeout_ms: 4000, ..Default::default() };
    if let Some(text) = get("REGISTER_TIMEOUT_MS") {
        match text.trim().parse::<u64>() {
            Ok(ms) if (100..=60_000).contains(&ms) => registers.timeout_ms = ms,
            _ => problems.push("REGISTER_TIMEOUT_MS must be a number of milliseconds from 100 to 60000".into()),
        }
    }
    for (agency, slot) in [("NTSA", &mut registers.ntsa), ("KRA", &mut registers.kra), ("BRS", &mut registers.brs)] {
        let Some(url) = get(&format!("REGISTER_{agency}_URL")) else { continue };
        let token = get(&format!("REGISTER_{agency}_TOKEN"));
        match (reqwest::Url::parse(url.trim()), token) {
            (Ok(base_url), _) if production && base_url.scheme() != "https" => problems.push(format!("REGISTER_{agency}_URL must be https in prod")),
            (Ok(base_url), Some(token)) => *slot = Some(raia_app::registers::http::AgencyEndpoint { base_url, token }),
            (Ok(_), None) => problems.push(format!("REGISTER_{agency}_URL needs REGISTER_{agency}_TOKEN, the token Raia presents to the agency")),
            (Err(_), _) => problems.push(format!("REGISTER_{agency}_URL is not a URL")),
        }
    }
    registers
}

pub fn document_keys(get: &impl Fn(&str) -> Option<String>, production: bool, problems: &mut Vec<String>) -> DocumentKeys {
    match get("DOCUMENT_SIGNING_KEY") {
        None if production => {
            problems.push("DOCUMENT_SIGNING_KEY must be set in prod: make one with `raia-server new-document-key KID`".into());
            DocumentKeys::development()
        }
        None => DocumentKeys::development(),
        Some(text) => match DocumentKeys::from_settings(&text, get("DOCUMENT_RETIRED_KEYS").as_deref()) {
            Ok(keys) if production && keys.is_development() => {
                problems.push("DOCUMENT_SIGNING_KEY is the published development key: make your own in prod".into());
                keys
            }
            Ok(keys) => keys,
            Err(error) => {
                problems.push(error.to_string());
                DocumentKeys::development()
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)], production: bool) -> (RegistersConfig, DocumentKeys, Vec<String>) {
        let get = |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string());
        let mut problems = Vec::new();
        let registers = registers(&get, production, &mut problems);
        let keys = document_keys(&get, production, &mut problems);
        (registers, keys, problems)
    }

    #[test]
    fn prod_refuses_a_missing_or_published_document_key_and_plain_http_agencies() {
        let (_, _, problems) = settings(&[], true);
        assert!(problems.iter().any(|p| p.contains("DOCUMENT_SIGNING_KEY must be set")), "{problems:?}");
        // raia_app::issued::signing::DEV_SEED in base64url.
        let dev_seed = "cmFpYS1kZXZlbG9wbWVudC1kb2N1bWVudC1rZXktMDA";
        let (_, _, problems) = settings(&[("DOCUMENT_SIGNING_KEY", &format!("k:{dev_seed}:2026-01-01")), ("REGISTER_NTSA_URL", "http://ntsa.example/api/"), ("REGISTER_NTSA_TOKEN", "t")], true);
        assert!(problems.iter().any(|p| p.contains("published development key")), "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("must be https")), "{problems:?}");
        let (_, keys, problems) = settings(&[], false);
        assert!(problems.is_empty() && keys.is_development(), "development signs with the published key");
    }

    #[test]
    fn an_agency_url_needs_its_token() {
        let (registers, _, problems) = settings(&[("REGISTER_KRA_URL", "https://kra.example/api/")], false);
        assert!(registers.kra.is_none());
        assert!(problems.iter().any(|p| p.contains("REGISTER_KRA_TOKEN")), "{problems:?}");
    }
}
