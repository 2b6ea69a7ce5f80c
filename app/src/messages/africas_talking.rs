//! SMS through Africa's Talking: `POST {base}/version1/messaging` with the form fields
//! `username`, `to`, `message` and optionally `from` (a sender ID), authorised by the
//! `apiKey` header. Each recipient's `statusCode` says whether it was accepted (100
//! processed, 101 sent, 102 queued); anything else is kept with its `status`.

use crate::messages::delivery::{Due, Outcome, Provider, PROVIDER_TIMEOUT};
use serde::Deserialize;

#[derive(Clone, Debug)]
pub struct AfricasTalkingSettings {
    /// `https://api.africastalking.com`, its sandbox, or a local fake.
    pub base_url: String,
    pub username: String,
    pub api_key: String,
    /// A registered sender ID or short code; the account's default when absent.
    pub sender_id: Option<String>,
}

pub struct AfricasTalking {
    settings: AfricasTalkingSettings,
    http: reqwest::Client,
}

impl AfricasTalking {
    pub fn new(settings: AfricasTalkingSettings) -> Self {
        let http = reqwest::Client::builder().timeout(PROVIDER_TIMEOUT).build().unwrap_or_default();
        AfricasTalking { settings, http }
    }
}

#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "SMSMessageData")]
    data: MessageData,
}

#[derive(Deserialize)]
struct MessageData {
    #[serde(rename = "Recipients", default)]
    recipients: Vec<Recipient>,
    #[serde(rename = "Message", default)]
    message: String,
}

#[derive(Deserialize)]
struct Recipient {
    #[serde(rename = "statusCode")]
    status_code: i64,
    #[serde(default)]
    status: String,
    #[serde(rename = "messageId", default)]
    message_id: Option<String>,
}

/// What one recipient's status code means for the message.
fn outcome_of(recipient: &Recipient) -> Outcome {
    match recipient.status_code {
        100..=102 => Outcome::Sent(recipient.message_id.clone().filter(|id| !id.is_empty() && id != "None")),
        // Out of credit, or trouble at Africa's Talking or the network: it may work later.
        405 | 500 | 501 | 502 => Outcome::Retry(format!("{} ({})", recipient.status, recipient.status_code)),
        _ => Outcome::Failed(format!("{} ({})", recipient.status, recipient.status_code)),
    }
}

#[async_trait::async_trait]
impl Provider for AfricasTalking {
    fn name(&self) -> &'static str {
        "africastalking"
    }

    async fn send(&self, message: &Due) -> Outcome {
        let url = format!("{}/version1/messaging", self.settings.base_url.trim_end_matches('/'));
        let mut form = vec![("username", self.settings.username.as_str()), ("to", message.to.as_str()), ("message", message.body.as_str())];
        if let Some(sender) = &self.settings.sender_id {
            form.push(("from", sender.as_str()));
        }
        let response = match self.http.post(url).header("apiKey", &self.settings.api_key).header("Accept", "application/json").form(&form).send().await {
            Ok(response) => response,
            Err(error) => return Outcome::Retry(format!("Africa's Talking unreachable: {}", without_url(&error))),
        };
        let status = response.status();
        if !status.is_success() {
            return Outcome::Retry(format!("Africa's Talking answered HTTP {}", status.as_u16()));
        }
        match response.bytes().await {
            Ok(body) => outcome_of_answer(&body),
            Err(_) => Outcome::Retry("Africa's Talking's answer was cut short".into()),
        }
    }
}

/// What a successful (2xx) answer's body says of the message. One recipient is sent to
/// at a time, so the first recipient's status decides.
pub fn outcome_of_answer(body: &[u8]) -> Outcome {
    match serde_json::from_slice::<Answer>(body) {
        Ok(answer) => match answer.data.recipients.first() {
            Some(recipient) => outcome_of(recipient),
            None => Outcome::Failed(format!("no recipient accepted: {}", answer.data.message)),
        },
        Err(_) => Outcome::Retry("Africa's Talking's answer was not understood".into()),
    }
}

/// A reqwest error's text without its URL (which names the API's address, not a secret,
/// but makes every message's error different).
fn without_url(error: &reqwest::Error) -> String {
    let mut error_text = error.to_string();
    if let Some(url) = error.url() {
        error_text = error_text.replace(url.as_str(), "");
    }
    error_text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recipient(status_code: i64, status: &str) -> Recipient {
        Recipient { status_code, status: status.into(), message_id: Some("ATXid_1".into()) }
    }

    #[test]
    fn status_codes_decide_sent_retry_or_failed() {
        assert_eq!(outcome_of(&recipient(101, "Success")), Outcome::Sent(Some("ATXid_1".into())));
        assert_eq!(outcome_of(&recipient(102, "Queued")), Outcome::Sent(Some("ATXid_1".into())));
        assert_eq!(outcome_of(&recipient(405, "InsufficientBalance")), Outcome::Retry("InsufficientBalance (405)".into()));
        assert_eq!(outcome_of(&recipient(403, "InvalidPhoneNumber")), Outcome::Failed("InvalidPhoneNumber (403)".into()));
    }
}
