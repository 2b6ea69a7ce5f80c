//! How Raia asks a payment provider for money, whatever the provider: an M-Pesa STK push
//! (answered later) or a card charge (answered at once), and how it asks again.

use serde::{Deserialize, Serialize};

pub enum PaymentRequest {
    Mpesa { phone: String, amount_cents: i64, account_reference: String, description: String },
    /// `reference` is the attempt's own key: the gateway files the charge under it, so an
    /// attempt interrupted before its answer can still be asked about.
    Card { number: String, amount_cents: i64, description: String, reference: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GatewayOutcome {
    /// Asked; the answer comes later (a callback, or a query).
    Pending { gateway_id: String },
    /// Paid; the provider's receipt number when it said it.
    Succeeded { receipt: Option<String> },
    Failed { code: i64, reason: String },
}

#[derive(Debug)]
pub enum GatewayError {
    /// The request never left (no connection, no token): nothing can have been taken.
    NotSent(String),
    /// The request may have reached the provider, but no usable answer came back (a timeout,
    /// a garbled answer): the payment's fate is unknown until the provider tells us.
    Unreachable(String),
    /// The provider refused the request itself.
    Refused(String),
}

impl GatewayError {
    pub fn unreachable(error: impl std::fmt::Display) -> GatewayError {
        GatewayError::Unreachable(error.to_string())
    }

    /// A failed send: `NotSent` when no connection was made, else `Unreachable`.
    pub fn of_send(error: reqwest::Error) -> GatewayError {
        if error.is_connect() || error.is_builder() {
            GatewayError::NotSent(error.to_string())
        } else {
            GatewayError::Unreachable(error.to_string())
        }
    }
}

impl std::fmt::Display for GatewayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GatewayError::NotSent(e) => write!(f, "payment request not sent: {e}"),
            GatewayError::Unreachable(e) => write!(f, "payment provider unreachable: {e}"),
            GatewayError::Refused(e) => write!(f, "payment provider refused: {e}"),
        }
    }
}

#[async_trait::async_trait]
pub trait PaymentGateway: Send + Sync {
    async fn start(&self, request: &PaymentRequest, callback_url: &str) -> Result<GatewayOutcome, GatewayError>;
    async fn query(&self, gateway_id: &str) -> Result<GatewayOutcome, GatewayError>;
}

/// A card number passes the Luhn check.
pub fn luhn_valid(number: &str) -> bool {
    let digits: Vec<u32> = number.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_digit(10)).collect::<Option<_>>().unwrap_or_default();
    if !(12..=19).contains(&digits.len()) {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { *d })
        .sum();
    sum % 10 == 0
}

/// The brand a card number belongs to, by its first digits.
pub fn card_brand(number: &str) -> &'static str {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    match digits.get(..2).and_then(|p| p.parse::<u32>().ok()) {
        Some(40..=49) => "Visa",
        Some(51..=55) | Some(22..=27) => "Mastercard",
        Some(34) | Some(37) => "American Express",
        _ => "Card",
    }
}

pub fn last_four(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len().saturating_sub(4)..].iter().collect()
}

/// What the card gateway's charge endpoint takes and answers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CardCharge {
    pub number: String,
    pub amount_cents: i64,
    pub description: String,
    #[serde(default)]
    pub reference: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CardChargeResult {
    /// `succeeded`, `declined` or `insufficient_funds`.
    pub status: String,
    pub id: String,
}

fn card_outcome(result: &CardChargeResult) -> GatewayOutcome {
    match result.status.as_str() {
        "succeeded" => GatewayOutcome::Succeeded { receipt: Some(result.id.clone()) },
        "insufficient_funds" => GatewayOutcome::Failed { code: 51, reason: "insufficient funds".into() },
        _ => GatewayOutcome::Failed { code: 5, reason: "declined".into() },
    }
}

/// A card gateway spoken to over HTTP (the simulator at `/sim/card` in development).
pub struct CardGatewayClient {
    base_url: String,
    http: reqwest::Client,
}

impl CardGatewayClient {
    pub fn new(base_url: &str) -> Self {
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(20)).build().expect("an HTTP client");
        CardGatewayClient { base_url: base_url.trim_end_matches('/').to_string(), http }
    }
}

#[async_trait::async_trait]
impl PaymentGateway for CardGatewayClient {
    async fn start(&self, request: &PaymentRequest, _callback_url: &str) -> Result<GatewayOutcome, GatewayError> {
        let PaymentRequest::Card { number, amount_cents, description, reference } = request else {
            return Err(GatewayError::Refused("the card gateway takes cards only".into()));
        };
        let charge = CardCharge { number: number.clone(), amount_cents: *amount_cents, description: description.clone(), reference: reference.clone() };
        let response = self.http.post(format!("{}/charges", self.base_url)).json(&charge).send().await.map_err(GatewayError::of_send)?;
        if !response.status().is_success() {
            return Err(GatewayError::Refused(format!("HTTP {}", response.status())));
        }
        let result: CardChargeResult = response.json().await.map_err(GatewayError::unreachable)?;
        Ok(card_outcome(&result))
    }

    /// What became of the charge filed under our reference; `Failed` with code 404 when the
    /// gateway never saw it (so nothing was taken).
    async fn query(&self, reference: &str) -> Result<GatewayOutcome, GatewayError> {
        let response = self.http.get(format!("{}/charges/{reference}", self.base_url)).send().await.map_err(GatewayError::unreachable)?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(GatewayOutcome::Failed { code: 404, reason: "the card gateway has no such charge".into() });
        }
        if !response.status().is_success() {
            return Err(GatewayError::Unreachable(format!("HTTP {}", response.status())));
        }
        let result: CardChargeResult = response.json().await.map_err(GatewayError::unreachable)?;
        Ok(card_outcome(&result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_are_checked_and_reduced_to_brand_and_last_four() {
        assert!(luhn_valid("4242 4242 4242 4242"));
        assert!(luhn_valid("4000000000000002"));
        assert!(luhn_valid("4000-0000-0000-9995"));
        assert!(!luhn_valid("4242 4242 4242 4241"));
        assert!(!luhn_valid("4242"));
        assert!(!luhn_valid("abcd efgh ijkl mnop"));
        assert_eq!(card_brand("4242424242424242"), "Visa");
        assert_eq!(card_brand("5555555555554444"), "Mastercard");
        assert_eq!(last_four("4242 4242 4242 4242"), "4242");
    }
}
