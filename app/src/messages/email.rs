//! Email through an SMTP server (`lettre`), as a plain-text part and an HTML part that
//! says the same.

use crate::html::escape;
use crate::messages::delivery::{Due, Outcome, Provider, PROVIDER_TIMEOUT};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

pub struct SmtpEmail {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

#[derive(Debug, thiserror::Error)]
pub enum SmtpSettingsError {
    #[error("SMTP_URL is not a valid smtp:// or smtps:// URL: {0}")]
    Url(String),
    #[error("EMAIL_FROM is not a valid address: {0}")]
    From(String),
}

impl SmtpEmail {
    /// `url` as lettre reads it: `smtps://user:password@host:465` (TLS),
    /// `smtp://user:password@host:587?tls=required` (STARTTLS), or `smtp://127.0.0.1:2525`
    /// (plain, for a local relay or a test server).
    pub fn new(url: &str, from: &str) -> Result<Self, SmtpSettingsError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|error| SmtpSettingsError::Url(error.to_string()))?
            .timeout(Some(PROVIDER_TIMEOUT))
            .build();
        let from = from.parse().map_err(|_| SmtpSettingsError::From(from.to_string()))?;
        Ok(SmtpEmail { transport, from })
    }
}

/// The HTML part: the text, escaped, one paragraph per blank-line-separated block.
fn html_of(subject: &str, body: &str) -> String {
    let paragraphs: String = body.split("\n\n").map(|block| format!("<p>{}</p>", escape(block).replace('\n', "<br>"))).collect();
    format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{}</title></head><body style=\"font-family:sans-serif\">{paragraphs}</body></html>", escape(subject))
}

#[async_trait::async_trait]
impl Provider for SmtpEmail {
    fn name(&self) -> &'static str {
        "smtp"
    }

    async fn send(&self, message: &Due) -> Outcome {
        let Ok(to) = message.to.parse::<Mailbox>() else { return Outcome::Failed(format!("not an email address: {}", message.to)) };
        let subject = message.subject.clone().unwrap_or_else(|| "Raia".into());
        let email = lettre::Message::builder().from(self.from.clone()).to(to).subject(&subject).multipart(
            MultiPart::alternative()
                .singlepart(SinglePart::builder().header(ContentType::TEXT_PLAIN).body(message.body.clone()))
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html_of(&subject, &message.body))),
        );
        let email = match email {
            Ok(email) => email,
            Err(error) => return Outcome::Failed(error.to_string()),
        };
        match self.transport.send(email).await {
            Ok(response) => Outcome::Sent(response.message().next().map(str::to_string)),
            // 5xx: the server refuses this message for good (an unknown mailbox).
            Err(error) if error.is_permanent() => Outcome::Failed(error.to_string()),
            Err(error) => Outcome::Retry(error.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_part_escapes_and_keeps_paragraphs() {
        let html = html_of("Code", "Your code is 123456.\n\nNever share <it>.");
        assert!(html.contains("<p>Your code is 123456.</p><p>Never share &lt;it&gt;.</p>"), "{html}");
    }
}
