//! `/dev/ussd`: a feature phone's USSD dialog in the browser, for developers and anyone
//! trying Raia. Each step is posted to `/callbacks/ussd/<secret>` over HTTP exactly as
//! Africa's Talking would post it, so this page tries the real callback and nothing else.
//! Plain forms, no script. Mounted only when APP_ENV=dev.

use raia_app::html::escape;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use raia_app::i18n::{td_string, Locale};
use raia_app::language::{locale_of_request, switch_href};
use rand::Rng;
use serde::Deserialize;

/// The code a phone would dial (Africa's Talking gives each service its own).
pub const SERVICE_CODE: &str = "*384*1234#";
const DEMO_PHONE: &str = "+254712345678";

/// The dialog as it stands: what the phone shows, and what it needs for the next step.
struct Dialog {
    phone: String,
    session: String,
    /// Every answer so far, joined by `*` (Africa's Talking's `text`); `None` before the first.
    answers: Option<String>,
    screen: Option<String>,
    open: bool,
}

#[derive(Deserialize)]
struct StepForm {
    action: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    session: String,
    answers: Option<String>,
    #[serde(default)]
    answer: String,
}

pub async fn page(headers: HeaderMap, State(state): State<AppState>) -> Response {
    let locale = locale_of(&headers);
    let dialog = Dialog { phone: DEMO_PHONE.into(), session: String::new(), answers: None, screen: None, open: false };
    render(&state, locale, &dialog)
}

pub async fn step(headers: HeaderMap, State(state): State<AppState>, body: Bytes) -> Response {
    let locale = locale_of(&headers);
    let Ok(form) = serde_urlencoded::from_bytes::<StepForm>(&body) else {
        return (StatusCode::BAD_REQUEST, "malformed form").into_response();
    };
    let (session, text) = match form.action.as_str() {
        "dial" => (new_session_id(), String::new()),
        "send" => {
            let answer = form.answer.trim();
            let text = match form.answers.as_deref() {
                None => answer.to_string(),
                Some(so_far) => format!("{so_far}*{answer}"),
            };
            (form.session.clone(), text)
        }
        _ => {
            let dialog = Dialog { phone: form.phone, session: String::new(), answers: None, screen: Some(td_string!(locale, dev_ussd.cancelled).to_string()), open: false };
            return render(&state, locale, &dialog);
        }
    };
    let shown = match ask_the_callback(&state, &session, &form.phone, &text).await {
        Ok(shown) => shown,
        Err(error) => {
            tracing::warn!(%error, "the USSD callback could not be reached from /dev/ussd");
            "END (no answer from the callback)".to_string()
        }
    };
    let (open, screen) = match shown.split_once(' ') {
        Some(("CON", rest)) => (true, rest.to_string()),
        Some(("END", rest)) => (false, rest.to_string()),
        _ => (false, shown),
    };
    let answers = (form.action == "send").then_some(text);
    render(&state, locale, &Dialog { phone: form.phone, session, answers, screen: Some(screen), open })
}

/// Posts one step to our own callback, as Africa's Talking does.
async fn ask_the_callback(state: &AppState, session: &str, phone: &str, text: &str) -> Result<String, reqwest::Error> {
    let secret = state.config.ussd_callback_secret.clone().unwrap_or_default();
    let url = format!("http://{}/callbacks/ussd/{secret}", state.config.bind_addr);
    let form = [("sessionId", session), ("serviceCode", SERVICE_CODE), ("phoneNumber", phone), ("networkCode", "63902"), ("text", text)];
    reqwest::Client::new().post(url).form(&form).send().await?.text().await
}

fn new_session_id() -> String {
    let bytes: [u8; 12] = rand::thread_rng().gen();
    format!("ATUid_dev_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn locale_of(headers: &HeaderMap) -> Locale {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    locale_of_request(header(header::COOKIE), header(header::ACCEPT_LANGUAGE))
}

fn render(state: &AppState, l: Locale, dialog: &Dialog) -> Response {
    let (lang, other, other_name) = match l {
        Locale::sw => ("sw", "en", "English"),
        Locale::en => ("en", "sw", "Kiswahili"),
    };
    let screen = match &dialog.screen {
        Some(text) => format!(
            "<h2 class=\"ussd-phone__label\" id=\"screen-label\">{}</h2><output class=\"ussd-phone__screen\" aria-labelledby=\"screen-label\" aria-live=\"polite\">{}</output>",
            td_string!(l, dev_ussd.screen),
            escape(text)
        ),
        None => String::new(),
    };
    let controls = if dialog.open {
        format!(
            "<input type=\"hidden\" name=\"phone\" value=\"{phone}\"><input type=\"hidden\" name=\"session\" value=\"{session}\">{answers}\
             <div class=\"form-group\"><label class=\"label\" for=\"answer\">{answer}</label>\
             <input class=\"input input--short\" id=\"answer\" name=\"answer\" inputmode=\"numeric\" autocomplete=\"off\" autofocus></div>\
             <div class=\"button-row\"><button class=\"button button--primary\" name=\"action\" value=\"send\">{send}</button>\
             <button class=\"button button--secondary\" name=\"action\" value=\"cancel\">{cancel}</button></div>",
            phone = escape(&dialog.phone),
            session = escape(&dialog.session),
            answers = dialog.answers.as_deref().map(|a| format!("<input type=\"hidden\" name=\"answers\" value=\"{}\">", escape(a))).unwrap_or_default(),
            answer = td_string!(l, dev_ussd.answer),
            send = td_string!(l, dev_ussd.send),
            cancel = td_string!(l, dev_ussd.cancel),
        )
    } else {
        format!(
            "<div class=\"form-group\"><label class=\"label\" for=\"phone\">{label}</label>\
             <input class=\"input input--medium\" id=\"phone\" name=\"phone\" type=\"tel\" autocomplete=\"tel\" value=\"{phone}\"></div>\
             <button class=\"button button--primary\" name=\"action\" value=\"dial\">{dial} {SERVICE_CODE}</button>",
            label = td_string!(l, dev_ussd.phone),
            phone = escape(&dialog.phone),
            dial = td_string!(l, dev_ussd.dial),
        )
    };
    let html = format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} – Raia</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body><main id=\"main-content\" class=\"container\">\
         <nav class=\"dev-language\" aria-label=\"{language}\"><a lang=\"{other}\" href=\"{switch}\">{other_name}</a></nav>\
         <h1>{title}</h1><p class=\"lead\">{lead}</p>\
         <section class=\"ussd-phone\">{screen}<form method=\"post\" action=\"/dev/ussd\">{controls}</form></section>\
         <p>{hint}</p>\
         </main></body></html>",
        title = td_string!(l, dev_ussd.title),
        stylesheet = state.assets.stylesheet,
        switch = escape(&switch_href(other, "/dev/ussd")),
        lead = td_string!(l, dev_ussd.lead),
        language = td_string!(l, lang.label),
        hint = td_string!(l, dev_ussd.hint),
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}
