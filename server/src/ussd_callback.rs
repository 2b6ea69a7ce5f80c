//! `POST /callbacks/ussd/<secret>`: Africa's Talking forwards each USSD step here as a
//! form (`sessionId`, `serviceCode`, `phoneNumber`, `networkCode`, `text`) and shows the
//! plain-text answer on the phone (`CON …` to go on, `END …` to close). The secret follows
//! the M-Pesa callbacks' rules: compared in constant time, a wrong one is 404. Anything
//! malformed is 400; our own failure is a polite `END` in both languages, never a silent
//! error screen on the caller's phone.

use crate::callbacks::secret_matches;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use raia_app::ussd::menu::{self, Screen};
use raia_app::ussd::service::{Step, Ussd};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct UssdForm {
    session_id: String,
    phone_number: String,
    /// Absent or empty on the first step.
    #[serde(default)]
    text: String,
}

/// The longest field Africa's Talking sends is a few dozen characters.
const LONGEST_FIELD: usize = 512;

pub async fn step(State(state): State<AppState>, Path(secret): Path<String>, body: Bytes) -> Response {
    let Some(expected) = state.config.ussd_callback_secret.as_deref() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    if !secret_matches(expected, &secret) {
        tracing::warn!("USSD step with a wrong secret refused");
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(form) = parse(&body) else {
        tracing::warn!(bytes = body.len(), "malformed USSD step");
        return (StatusCode::BAD_REQUEST, "malformed USSD step").into_response();
    };
    let step = Step { session_id: form.session_id, phone_number: form.phone_number, text: form.text };
    let ussd = Ussd { db: state.db.clone(), payments: state.payments.clone(), web_address: web_address(&state.config.public_base_url) };
    match ussd.answer(&step).await {
        Ok(screen) => plain(&screen),
        Err(error) => {
            tracing::error!(?error, "USSD step failed");
            plain(&menu::unavailable())
        }
    }
}

fn parse(body: &[u8]) -> Option<UssdForm> {
    if crate::nul_bytes::holds_nul(body) {
        return None;
    }
    let form: UssdForm = serde_urlencoded::from_bytes(body).ok()?;
    let sensible = |field: &str| field.len() <= LONGEST_FIELD && !field.chars().any(char::is_control);
    (sensible(&form.session_id) && !form.session_id.is_empty() && sensible(&form.phone_number) && sensible(&form.text)).then_some(form)
}

fn plain(screen: &Screen) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], screen.to_response()).into_response()
}

/// `https://raia.go.ke` as a phone shows it: `raia.go.ke`.
pub fn web_address(public_base_url: &str) -> String {
    public_base_url.trim_start_matches("https://").trim_start_matches("http://").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn africas_talking_form_encoding_is_read_as_sent() {
        let form = parse(b"sessionId=ATUid_1a2b&serviceCode=%2A384%2A1234%23&phoneNumber=%2B254712345678&networkCode=63902&text=2%2A1%2A").unwrap();
        assert_eq!(form.session_id, "ATUid_1a2b");
        assert_eq!(form.phone_number, "+254712345678");
        assert_eq!(form.text, "2*1*");
        assert_eq!(parse(b"sessionId=s&phoneNumber=%2B254712345678&text=").unwrap().text, "");
        assert_eq!(parse(b"sessionId=s&phoneNumber=%2B254712345678").unwrap().text, "");
    }

    #[test]
    fn malformed_steps_are_refused() {
        for body in [&b"phoneNumber=%2B254712345678&text="[..], b"sessionId=&phoneNumber=1", b"sessionId=s&phoneNumber=1&text=1%00", b"sessionId=s&phoneNumber=1&text=%0A", b"\xff\xfe", b"{\"sessionId\":\"s\"}"] {
            assert!(parse(body).is_none(), "{:?}", String::from_utf8_lossy(body));
        }
    }
}
