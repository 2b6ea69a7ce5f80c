//! An agency's register behind its own API: JSON over HTTPS (the contract is
//! `docs/agency-registers.openapi.yaml`). Each call has a timeout; reads and idempotent
//! writes are retried with backoff; a circuit breaker per agency stops a slow agency from
//! holding every request of Raia's.

use super::breaker::Breaker;
use super::*;
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Where one agency's API is, and the token Raia presents to it.
#[derive(Clone)]
pub struct AgencyEndpoint {
    pub base_url: Url,
    pub token: String,
}

/// The address, never the token.
impl std::fmt::Debug for AgencyEndpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgencyEndpoint").field("base_url", &self.base_url.as_str()).finish_non_exhaustive()
    }
}

#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Per attempt.
    pub timeout: Duration,
    /// Retries after the first attempt, for answers that may be better next time.
    pub retries: u32,
    /// The first wait before a retry; doubled each time.
    pub backoff: Duration,
    pub open_for: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings { timeout: Duration::from_secs(4), retries: 2, backoff: Duration::from_millis(200), open_for: breaker::OPEN_FOR }
    }
}

struct Agency {
    endpoint: AgencyEndpoint,
    breaker: Breaker,
}

/// The registers of the agencies that have an API; the others answer from `fallback`.
pub struct HttpRegisters {
    client: reqwest::Client,
    settings: HttpSettings,
    ntsa: Option<Agency>,
    kra: Option<Agency>,
    brs: Option<Agency>,
    fallback: Box<dyn Registers>,
}

impl HttpRegisters {
    pub fn new(settings: HttpSettings, ntsa: Option<AgencyEndpoint>, kra: Option<AgencyEndpoint>, brs: Option<AgencyEndpoint>, fallback: Box<dyn Registers>) -> Self {
        let agency = |endpoint: AgencyEndpoint| Agency { endpoint, breaker: Breaker::new(settings.open_for) };
        HttpRegisters {
            client: reqwest::Client::builder().timeout(settings.timeout).build().expect("an HTTP client with a timeout"),
            ntsa: ntsa.map(agency),
            kra: kra.map(agency),
            brs: brs.map(agency),
            settings,
            fallback,
        }
    }

    /// One call, retried while the answer may be better next time. `None` for 404.
    async fn call<T: DeserializeOwned>(&self, agency: &Agency, method: Method, path: &[&str], query: &[(&str, &str)], body: Option<&serde_json::Value>, asker: &Asker) -> Result<Option<T>, RegisterError> {
        let mut url = agency.endpoint.base_url.clone();
        url.path_segments_mut().map_err(|_| RegisterError::Malformed("the base URL cannot take a path".into()))?.pop_if_empty().extend(path);
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut wait = self.settings.backoff;
        let mut attempt = 0;
        loop {
            if !agency.breaker.allow() {
                return Err(RegisterError::NotAnswering("circuit open after repeated failures".into()));
            }
            let result = self.attempt(agency, method.clone(), url.clone(), body, asker).await;
            match result {
                Ok(answer) => {
                    agency.breaker.succeeded();
                    return Ok(answer);
                }
                Err(RegisterError::NotAnswering(reason)) => {
                    agency.breaker.failed();
                    if attempt >= self.settings.retries {
                        return Err(RegisterError::NotAnswering(reason));
                    }
                }
                // Unreadable answers are not counted against the agency's health, nor retried:
                // the same request gets the same answer.
                Err(other) => return Err(other),
            }
            attempt += 1;
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }

    async fn attempt<T: DeserializeOwned>(&self, agency: &Agency, method: Method, url: Url, body: Option<&serde_json::Value>, asker: &Asker) -> Result<Option<T>, RegisterError> {
        let mut request = self.client.request(method, url).bearer_auth(&agency.endpoint.token).header("X-Raia-Purpose", asker.purpose.as_str());
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|error| RegisterError::NotAnswering(if error.is_timeout() { "timed out".into() } else { error.to_string() }))?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
            return Err(RegisterError::NotAnswering(format!("answered {status}")));
        }
        if !status.is_success() {
            return Err(RegisterError::Malformed(format!("answered {status}")));
        }
        let bytes = response.bytes().await.map_err(|error| RegisterError::NotAnswering(error.to_string()))?;
        serde_json::from_slice(&bytes).map(Some).map_err(|error| RegisterError::Malformed(error.to_string()))
    }
}

fn json_of<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

#[derive(Deserialize)]
struct List<T> {
    items: Vec<T>,
}

#[async_trait::async_trait]
impl Registers for HttpRegisters {
    async fn vehicle(&self, registration_number: &str, asker: &Asker) -> Result<Option<Vehicle>, RegisterError> {
        let Some(ntsa) = &self.ntsa else { return self.fallback.vehicle(registration_number, asker).await };
        self.call(ntsa, Method::GET, &["vehicles", &normalise_registration(registration_number)], &[], None, asker).await
    }

    async fn vehicles_owned_by(&self, id_number: &str, asker: &Asker) -> Result<Vec<Vehicle>, RegisterError> {
        let Some(ntsa) = &self.ntsa else { return self.fallback.vehicles_owned_by(id_number, asker).await };
        let list: Option<List<Vehicle>> = self.call(ntsa, Method::GET, &["vehicles"], &[("owner_id_number", &normalise_key(id_number))], None, asker).await?;
        Ok(list.map(|l| l.items).unwrap_or_default())
    }

    async fn change_owner(&self, change: &OwnerChange, asker: &Asker) -> Result<OwnerChangeOutcome, RegisterError> {
        let Some(ntsa) = &self.ntsa else { return self.fallback.change_owner(change, asker).await };
        let path = ["vehicles", &normalise_registration(&change.registration_number), "owner"];
        let outcome: Option<OwnerChangeOutcome> = self.call(ntsa, Method::PUT, &path, &[], Some(&json_of(change)), asker).await?;
        Ok(outcome.unwrap_or(OwnerChangeOutcome::Unknown))
    }

    async fn fine(&self, notice_number: &str, asker: &Asker) -> Result<Option<Fine>, RegisterError> {
        let Some(ntsa) = &self.ntsa else { return self.fallback.fine(notice_number, asker).await };
        self.call(ntsa, Method::GET, &["fines", &normalise_key(notice_number)], &[], None, asker).await
    }

    async fn pay_fine(&self, notice_number: &str, payment: &FinePayment, asker: &Asker) -> Result<FineSettlement, RegisterError> {
        let Some(ntsa) = &self.ntsa else { return self.fallback.pay_fine(notice_number, payment, asker).await };
        // PUT with Raia's reference: idempotent, so a retry after a lost answer pays once.
        let outcome: Option<FineSettlement> = self.call(ntsa, Method::PUT, &["fines", &normalise_key(notice_number), "payment"], &[], Some(&json_of(payment)), asker).await?;
        Ok(outcome.unwrap_or(FineSettlement::Unknown))
    }

    async fn driving_licence(&self, licence_number: &str, asker: &Asker) -> Result<Option<DrivingLicence>, RegisterError> {
        let Some(ntsa) = &self.ntsa else { return self.fallback.driving_licence(licence_number, asker).await };
        self.call(ntsa, Method::GET, &["driving-licences", &normalise_key(licence_number)], &[], None, asker).await
    }

    async fn kra_pin(&self, pin: &str, asker: &Asker) -> Result<Option<KraPin>, RegisterError> {
        let Some(kra) = &self.kra else { return self.fallback.kra_pin(pin, asker).await };
        self.call(kra, Method::GET, &["pins", &normalise_key(pin)], &[], None, asker).await
    }

    async fn business_names_like(&self, name: &str, asker: &Asker) -> Result<Vec<BusinessName>, RegisterError> {
        let Some(brs) = &self.brs else { return self.fallback.business_names_like(name, asker).await };
        let list: Option<List<BusinessName>> = self.call(brs, Method::GET, &["business-names"], &[("similar_to", name)], None, asker).await?;
        Ok(list.map(|l| l.items).unwrap_or_default())
    }
}
