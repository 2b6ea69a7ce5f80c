//! Safaricom Daraja (Lipa na M-Pesa Online) as it is spoken over HTTP: the messages with
//! Daraja's own field names, and a client for the OAuth token, STK push and STK query.
//! In development the base URL points at the simulator the server mounts at `/sim/mpesa`.

use crate::payments::gateway::{GatewayError, GatewayOutcome, PaymentGateway, PaymentRequest};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::Mutex;

/// `YYYYMMDDHHmmss` in East Africa Time, as Daraja wants its `Timestamp`.
pub fn timestamp(unix_seconds: i64) -> String {
    let local = unix_seconds + crate::calendar::EAT_OFFSET_SECONDS;
    let (year, month, day) = crate::calendar::civil_from_days(local.div_euclid(86_400));
    let seconds = local.rem_euclid(86_400);
    format!("{year:04}{month:02}{day:02}{:02}{:02}{:02}", seconds / 3600, (seconds % 3600) / 60, seconds % 60)
}

/// base64(shortcode + passkey + timestamp): the STK `Password`.
pub fn stk_password(shortcode: &str, passkey: &str, timestamp: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{shortcode}{passkey}{timestamp}"))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StkPushRequest {
    pub business_short_code: String,
    pub password: String,
    pub timestamp: String,
    pub transaction_type: String,
    pub amount: i64,
    #[serde(rename = "PartyA")]
    pub party_a: String,
    #[serde(rename = "PartyB")]
    pub party_b: String,
    pub phone_number: String,
    #[serde(rename = "CallBackURL")]
    pub callback_url: String,
    pub account_reference: String,
    pub transaction_desc: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StkPushResponse {
    #[serde(rename = "MerchantRequestID")]
    pub merchant_request_id: String,
    #[serde(rename = "CheckoutRequestID")]
    pub checkout_request_id: String,
    pub response_code: String,
    pub response_description: String,
    #[serde(default)]
    pub customer_message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StkQueryRequest {
    pub business_short_code: String,
    pub password: String,
    pub timestamp: String,
    #[serde(rename = "CheckoutRequestID")]
    pub checkout_request_id: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StkQueryResponse {
    pub response_code: String,
    #[serde(rename = "MerchantRequestID", default)]
    pub merchant_request_id: String,
    #[serde(rename = "CheckoutRequestID")]
    pub checkout_request_id: String,
    /// Absent while the customer has not answered yet.
    #[serde(default)]
    pub result_code: Option<String>,
    #[serde(default)]
    pub result_desc: Option<String>,
}

/// The body Daraja posts to the `CallBackURL`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StkCallbackEnvelope {
    #[serde(rename = "Body")]
    pub body: StkCallbackBody,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StkCallbackBody {
    #[serde(rename = "stkCallback")]
    pub stk_callback: StkCallback,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct StkCallback {
    #[serde(rename = "MerchantRequestID")]
    pub merchant_request_id: String,
    #[serde(rename = "CheckoutRequestID")]
    pub checkout_request_id: String,
    pub result_code: i64,
    pub result_desc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callback_metadata: Option<CallbackMetadata>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CallbackMetadata {
    pub item: Vec<MetadataItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct MetadataItem {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
}

impl StkCallback {
    fn item(&self, name: &str) -> Option<&serde_json::Value> {
        self.callback_metadata.as_ref()?.item.iter().find(|i| i.name == name)?.value.as_ref()
    }

    /// The paid amount in cents (Daraja sends whole shillings, sometimes as `1.00`). `None`
    /// for anything that is not a count of cents: a negative amount, fractions of a cent,
    /// or a figure too large to count (which overflowed before).
    pub fn amount_cents(&self) -> Option<i64> {
        let value = self.item("Amount")?;
        if let Some(kes) = value.as_i64() {
            return kes.checked_mul(100).filter(|cents| (0..=MAX_CENTS).contains(cents));
        }
        let cents = value.as_f64()? * 100.0;
        let whole = cents.round();
        // Floats carry shillings like 0.29 as 28.999...: a few units of the float's own
        // precision are noise; anything more is a fraction of a cent.
        let noise = 4.0 * f64::EPSILON * whole.abs().max(1.0);
        ((0.0..=MAX_CENTS as f64).contains(&whole) && (cents - whole).abs() <= noise).then_some(whole as i64)
    }

    pub fn receipt_number(&self) -> Option<String> {
        self.item("MpesaReceiptNumber")?.as_str().map(str::to_string)
    }

    pub fn phone_number(&self) -> Option<String> {
        let value = self.item("PhoneNumber")?;
        value.as_i64().map(|n| n.to_string()).or_else(|| value.as_str().map(str::to_string))
    }
}

/// Daraja's C2B confirmation (a paybill payment), as posted to our confirmation URL.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct C2bConfirmation {
    #[serde(rename = "TransactionType")]
    pub transaction_type: String,
    #[serde(rename = "TransID")]
    pub trans_id: String,
    #[serde(rename = "TransTime")]
    pub trans_time: String,
    #[serde(rename = "TransAmount")]
    pub trans_amount: String,
    #[serde(rename = "BusinessShortCode")]
    pub business_short_code: String,
    #[serde(rename = "BillRefNumber")]
    pub bill_ref_number: String,
    #[serde(rename = "MSISDN")]
    pub msisdn: String,
    #[serde(rename = "FirstName", default)]
    pub first_name: String,
}

impl C2bConfirmation {
    /// `TransAmount` ("4550.00") in cents; `None` if it is not a plain amount.
    pub fn amount_cents(&self) -> Option<i64> {
        parse_amount(&self.trans_amount)
    }
}

/// The most money Raia counts in one figure: a trillion shillings, far beyond any fee, and
/// far enough from `i64::MAX` that sums of a few never overflow.
pub const MAX_CENTS: i64 = 100_000_000_000_000;

/// Shillings as Daraja writes them (`4550`, `4550.5`, `4550.00`) in cents. Digits only,
/// at most two after the point: a sign, a third decimal or a stray character is not an
/// amount (before, `-10.50` read as -950 cents and `1.999` as 199).
pub fn parse_amount(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || whole.len() > 15 || fraction.len() > 2 || !digits(whole) || !digits(fraction) || (text.ends_with('.') && fraction.is_empty()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    Some(whole * 100 + fraction).filter(|cents| *cents <= MAX_CENTS)
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: serde_json::Value,
}

/// Where and who Raia is at Daraja.
#[derive(Clone, Debug)]
pub struct DarajaSettings {
    pub base_url: String,
    pub consumer_key: String,
    pub consumer_secret: String,
    pub shortcode: String,
    pub passkey: String,
}

/// The real Daraja client. The OAuth token is cached until a minute before it expires (per
/// process: each process may hold its own token).
pub struct DarajaClient {
    settings: DarajaSettings,
    http: reqwest::Client,
    clock: Arc<dyn crate::clock::Clock>,
    token: Mutex<Option<(String, i64)>>,
}

impl DarajaClient {
    pub fn new(settings: DarajaSettings, clock: Arc<dyn crate::clock::Clock>) -> Self {
        let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(20)).build().expect("an HTTP client");
        DarajaClient { settings, http, clock, token: Mutex::new(None) }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url.trim_end_matches('/'))
    }

    async fn token(&self) -> Result<String, GatewayError> {
        let now = self.clock.now();
        let mut cached = self.token.lock().await;
        if let Some((token, expires_at)) = cached.as_ref() {
            if *expires_at - 60 > now {
                return Ok(token.clone());
            }
        }
        let response = self
            .http
            .get(self.url("/oauth/v1/generate?grant_type=client_credentials"))
            .basic_auth(&self.settings.consumer_key, Some(&self.settings.consumer_secret))
            .send()
            .await
            .map_err(|e| GatewayError::NotSent(e.to_string()))?;
        if !response.status().is_success() {
            return Err(GatewayError::Refused(format!("token: HTTP {}", response.status())));
        }
        // Without a token no push was sent: whatever went wrong, nothing can have been taken.
        let token: TokenResponse = response.json().await.map_err(|e| GatewayError::NotSent(e.to_string()))?;
        let lifetime = token.expires_in.as_i64().or_else(|| token.expires_in.as_str().and_then(|s| s.parse().ok())).unwrap_or(3599);
        *cached = Some((token.access_token.clone(), now + lifetime));
        Ok(token.access_token)
    }

    async fn post<T: Serialize, R: for<'de> Deserialize<'de>>(&self, path: &str, body: &T) -> Result<R, GatewayError> {
        let token = self.token().await?;
        let response = self.http.post(self.url(path)).bearer_auth(token).json(body).send().await.map_err(GatewayError::of_send)?;
        if !response.status().is_success() {
            return Err(GatewayError::Refused(format!("{path}: HTTP {}", response.status())));
        }
        response.json().await.map_err(GatewayError::unreachable)
    }

    fn credentials(&self) -> (String, String) {
        let timestamp = timestamp(self.clock.now());
        (stk_password(&self.settings.shortcode, &self.settings.passkey, &timestamp), timestamp)
    }
}

/// What an STK query or callback result code means for the payment. A query's success
/// carries no receipt number; the callback (even a late one) brings it.
pub fn outcome_of(result_code: i64, result_desc: &str, receipt: Option<String>) -> GatewayOutcome {
    match result_code {
        0 => GatewayOutcome::Succeeded { receipt },
        code => GatewayOutcome::Failed { code, reason: result_desc.to_string() },
    }
}

#[async_trait::async_trait]
impl PaymentGateway for DarajaClient {
    async fn start(&self, request: &PaymentRequest, callback_url: &str) -> Result<GatewayOutcome, GatewayError> {
        let PaymentRequest::Mpesa { phone, amount_cents, account_reference, description } = request else {
            return Err(GatewayError::Refused("Daraja takes M-Pesa payments only".into()));
        };
        let (password, timestamp) = self.credentials();
        let body = StkPushRequest {
            business_short_code: self.settings.shortcode.clone(),
            password,
            timestamp,
            transaction_type: "CustomerPayBillOnline".into(),
            amount: amount_cents / 100,
            party_a: phone.trim_start_matches('+').to_string(),
            party_b: self.settings.shortcode.clone(),
            phone_number: phone.trim_start_matches('+').to_string(),
            callback_url: callback_url.to_string(),
            account_reference: account_reference.chars().take(12).collect(),
            transaction_desc: description.chars().take(13).collect(),
        };
        let answer: StkPushResponse = self.post("/mpesa/stkpush/v1/processrequest", &body).await?;
        if answer.response_code != "0" {
            return Ok(GatewayOutcome::Failed { code: answer.response_code.parse().unwrap_or(1), reason: answer.response_description });
        }
        Ok(GatewayOutcome::Pending { gateway_id: answer.checkout_request_id })
    }

    async fn query(&self, checkout_request_id: &str) -> Result<GatewayOutcome, GatewayError> {
        let (password, timestamp) = self.credentials();
        let body = StkQueryRequest { business_short_code: self.settings.shortcode.clone(), password, timestamp, checkout_request_id: checkout_request_id.to_string() };
        let answer: StkQueryResponse = self.post("/mpesa/stkpushquery/v1/query", &body).await?;
        Ok(match answer.result_code.as_deref().and_then(|c| c.parse::<i64>().ok()) {
            None => GatewayOutcome::Pending { gateway_id: checkout_request_id.to_string() },
            Some(code) => outcome_of(code, answer.result_desc.as_deref().unwrap_or(""), None),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_base64_of_shortcode_passkey_and_timestamp() {
        assert_eq!(timestamp(1_795_345_500), "20261122140500");
        assert_eq!(stk_password("174379", "passkey", "20261122140500"), "MTc0Mzc5cGFzc2tleTIwMjYxMTIyMTQwNTAw");
    }

    #[test]
    fn an_stk_push_uses_daraja_field_names() {
        let request = StkPushRequest {
            business_short_code: "174379".into(),
            password: "cGFzcw==".into(),
            timestamp: "20261122140500".into(),
            transaction_type: "CustomerPayBillOnline".into(),
            amount: 4550,
            party_a: "254712345678".into(),
            party_b: "174379".into(),
            phone_number: "254712345678".into(),
            callback_url: "https://raia.example/callbacks/mpesa/s3cret/stk".into(),
            account_reference: "RA2600000001".into(),
            transaction_desc: "Passport".into(),
        };
        let json = serde_json::to_value(&request).unwrap();
        for key in ["BusinessShortCode", "Password", "Timestamp", "TransactionType", "Amount", "PartyA", "PartyB", "PhoneNumber", "CallBackURL", "AccountReference", "TransactionDesc"] {
            assert!(json.get(key).is_some(), "{key} in {json}");
        }
        assert_eq!(serde_json::from_value::<StkPushRequest>(json).unwrap(), request);
    }

    #[test]
    fn a_successful_callback_reads_its_metadata() {
        let body = r#"{"Body":{"stkCallback":{"MerchantRequestID":"29115-34620561-1","CheckoutRequestID":"ws_CO_191220191020363925","ResultCode":0,"ResultDesc":"The service request is processed successfully.","CallbackMetadata":{"Item":[{"Name":"Amount","Value":4550.00},{"Name":"MpesaReceiptNumber","Value":"NLJ7RT61SV"},{"Name":"Balance"},{"Name":"TransactionDate","Value":20261122140501},{"Name":"PhoneNumber","Value":254712345678}]}}}}"#;
        let callback: StkCallbackEnvelope = serde_json::from_str(body).unwrap();
        let stk = callback.body.stk_callback;
        assert_eq!(stk.checkout_request_id, "ws_CO_191220191020363925");
        assert_eq!(stk.amount_cents(), Some(455_000));
        assert_eq!(stk.receipt_number().as_deref(), Some("NLJ7RT61SV"));
        assert_eq!(stk.phone_number().as_deref(), Some("254712345678"));
    }

    #[test]
    fn a_cancelled_callback_has_no_metadata() {
        let body = r#"{"Body":{"stkCallback":{"MerchantRequestID":"1","CheckoutRequestID":"ws_CO_1","ResultCode":1032,"ResultDesc":"Request cancelled by user"}}}"#;
        let stk = serde_json::from_str::<StkCallbackEnvelope>(body).unwrap().body.stk_callback;
        assert_eq!((stk.result_code, stk.amount_cents()), (1032, None));
        assert!(matches!(outcome_of(stk.result_code, &stk.result_desc, None), GatewayOutcome::Failed { code: 1032, .. }));
    }

    #[test]
    fn query_answers_and_c2b_confirmations_parse() {
        let pending = r#"{"ResponseCode":"0","ResponseDescription":"accepted","MerchantRequestID":"1","CheckoutRequestID":"ws_CO_1"}"#;
        assert_eq!(serde_json::from_str::<StkQueryResponse>(pending).unwrap().result_code, None);
        let done = r#"{"ResponseCode":"0","MerchantRequestID":"1","CheckoutRequestID":"ws_CO_1","ResultCode":"1037","ResultDesc":"DS timeout user cannot be reached"}"#;
        assert_eq!(serde_json::from_str::<StkQueryResponse>(done).unwrap().result_code.as_deref(), Some("1037"));
        let c2b = r#"{"TransactionType":"Pay Bill","TransID":"RKTQDM7W6S","TransTime":"20261122140500","TransAmount":"4550.00","BusinessShortCode":"600638","BillRefNumber":"RA2600000001","MSISDN":"254712345678","FirstName":"Wanjiku"}"#;
        let c2b: C2bConfirmation = serde_json::from_str(c2b).unwrap();
        assert_eq!(c2b.amount_cents(), Some(455_000));
        assert_eq!(C2bConfirmation { trans_amount: "12.5".into(), ..c2b.clone() }.amount_cents(), Some(1250));
        assert_eq!(C2bConfirmation { trans_amount: "lots".into(), ..c2b }.amount_cents(), None);
        for bad in ["-10.50", "1.999", "+5", "1.-5", "1.+5", "", ".5", "5.", "92233720368547758.00"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }
}
