//! Issuing documents (in the transaction of the move that earns them), drawing them again
//! for download, verifying them online, and an agency's revoking or suspending them.

use crate::clock::Clock;
use crate::db::Db;
use crate::errors::{AppError, Problem};
use crate::i18n::{td_string, Locale};
use crate::issued::pdf::{self, Drawing};
use crate::issued::signing::{mask_name, Claims, DocumentKeys};
use crate::issued::store::{self, DocumentRow, NewDocumentRow};
use crate::issued::views::{DocumentStatus, FactLine, IssuedDocumentView, Verification};
use crate::messages::outbox::{self, Message};
use crate::messages::texts::fill;
use sqlx::{Any, Transaction};
use std::sync::Arc;

#[derive(Clone)]
pub struct Issuer {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub keys: Arc<DocumentKeys>,
    /// For the QR code's address and the SMS link.
    pub public_base_url: String,
}

/// A document to issue, as the service that earned it describes it.
pub struct Issue<'a> {
    pub template: &'a str,
    pub title_en: &'a str,
    pub title_sw: &'a str,
    pub bilingual: bool,
    pub valid_days: Option<u32>,
    pub agency: &'a str,
    pub agency_name_en: &'a str,
    pub agency_name_sw: &'a str,
    pub application_id: i64,
    pub application_reference: &'a str,
    pub account_id: i64,
    pub holder_name: &'a str,
    pub holder_phone: &'a str,
    pub holder_language: Locale,
    pub facts: Vec<FactLine>,
}

/// A PDF as the browser downloads it.
pub struct PdfDownload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

fn day_of(seconds: i64) -> String {
    crate::calendar::iso_date(seconds.div_euclid(86_400))
}

impl Issuer {
    fn today(&self) -> String {
        day_of(self.clock.now())
    }

    fn expired(&self, expires_on: Option<&str>) -> bool {
        expires_on.is_some_and(|day| day < self.today().as_str())
    }

    fn verify_address(&self) -> String {
        self.public_base_url.trim_end_matches('/').to_string()
    }

    /// What the QR code carries: the verification page's address with the signed payload,
    /// so a phone's camera opens the online check and an offline verifier reads `code`.
    pub fn qr_text(&self, signed: &str) -> String {
        format!("{}/verify/document?code={signed}", self.verify_address())
    }

    /// Issues the document in the caller's transaction (with the SMS that tells its holder).
    /// Returns its number; `None` when the application has one already.
    pub async fn issue_in(&self, tx: &mut Transaction<'static, Any>, issue: &Issue<'_>) -> Result<Option<String>, AppError> {
        if store::for_application(&mut **tx, issue.application_id).await?.is_some() {
            return Ok(None);
        }
        let now = self.clock.now();
        let year = crate::calendar::year_of(now);
        let number = format!("DOC-{year}-{:06}", crate::db::next_reference_number(tx, "DOC", year).await?);
        let issued_on = self.today();
        let expires_on = issue.valid_days.map(|days| day_of(now + i64::from(days) * 86_400));
        let claims = Claims { typ: issue.template.to_string(), no: number.clone(), hn: mask_name(issue.holder_name), iss: issued_on.clone(), exp: expires_on.clone(), ag: issue.agency.to_string() };
        let signed = self.keys.sign(&claims);
        let row = NewDocumentRow {
            number: &number,
            template: issue.template,
            application_id: issue.application_id,
            application_reference: issue.application_reference,
            account_id: issue.account_id,
            agency: issue.agency,
            agency_name_en: issue.agency_name_en,
            agency_name_sw: issue.agency_name_sw,
            title_en: issue.title_en,
            title_sw: issue.title_sw,
            bilingual: issue.bilingual,
            holder_name: issue.holder_name,
            facts: &issue.facts,
            issued_on: &issued_on,
            expires_on: expires_on.as_deref(),
            key_id: self.keys.signing_kid(),
            signed: &signed,
        };
        if !store::insert_in(tx, &row, now).await? {
            return Ok(None);
        }
        let l = issue.holder_language;
        let title = if l == Locale::sw { issue.title_sw } else { issue.title_en };
        let link = format!("{}/my-documents", self.verify_address());
        let body = fill(&td_string!(l, messages.document_issued).to_string(), &[("title", title), ("number", &number), ("link", &link)]);
        outbox::queue(tx, &Message::sms(issue.holder_phone, l, body).for_account(issue.account_id), now).await?;
        Ok(Some(number))
    }

    fn view(&self, row: &DocumentRow, application_reference: String) -> IssuedDocumentView {
        IssuedDocumentView {
            number: row.number.clone(),
            title_en: row.title_en.clone(),
            title_sw: row.title_sw.clone(),
            agency: row.agency.clone(),
            application_reference,
            issued_on: row.issued_on.clone(),
            expires_on: row.expires_on.clone(),
            expired: self.expired(row.expires_on.as_deref()),
            status: row.status,
            status_reason: row.status_reason.clone(),
        }
    }

    /// "My documents": every document issued to the account, newest first.
    pub async fn mine(&self, account_id: i64) -> Result<Vec<IssuedDocumentView>, AppError> {
        let rows = store::for_account(self.db.pool(), account_id).await?;
        Ok(rows.iter().map(|row| self.view(row, row.application_reference.clone())).collect())
    }

    /// The document an application issued, for its page (the caller has checked who may see it).
    pub async fn for_application(&self, application_id: i64, reference: &str) -> Result<Option<IssuedDocumentView>, AppError> {
        Ok(store::for_application(self.db.pool(), application_id).await?.map(|row| self.view(&row, reference.to_string())))
    }

    /// The PDF of one of the account's documents ("not found" for anyone else's).
    pub async fn pdf_for_holder(&self, account_id: i64, number: &str, locale: Locale) -> Result<PdfDownload, AppError> {
        let row = store::find_by_number(self.db.pool(), number).await?.filter(|r| r.account_id == account_id).ok_or(AppError::NotFound)?;
        Ok(self.draw(&row, locale))
    }

    pub fn draw(&self, row: &DocumentRow, locale: Locale) -> PdfDownload {
        let drawing = Drawing {
            locale,
            bilingual: row.bilingual,
            template: &row.template,
            title_en: &row.title_en,
            title_sw: &row.title_sw,
            agency_en: &row.agency_name_en,
            agency_sw: &row.agency_name_sw,
            number: &row.number,
            holder_name: &row.holder_name,
            issued_on: &row.issued_on,
            expires_on: row.expires_on.as_deref(),
            facts: &row.facts,
            qr_text: &self.qr_text(&row.signed),
            key_id: &row.key_id,
            verify_address: &self.verify_address(),
        };
        PdfDownload { file_name: format!("{}.pdf", row.number), bytes: pdf::render(&drawing) }
    }

    /// Online verification of a scanned code: the signature first (a forged code is refused
    /// whatever the database says), then the document's standing now.
    pub async fn verify_code(&self, code: &str) -> Result<Verification, AppError> {
        let Ok(claims) = self.keys.verify(code) else { return Ok(Verification::Refused) };
        let row = store::find_by_number(self.db.pool(), &claims.no).await?;
        Ok(Verification::Genuine {
            number: claims.no.clone(),
            template: claims.typ.clone(),
            holder_masked: claims.hn.clone(),
            agency: claims.ag.clone(),
            issued_on: claims.iss.clone(),
            expired: self.expired(claims.exp.as_deref()),
            expires_on: claims.exp.clone(),
            status: row.as_ref().map(|r| r.status),
            status_reason: row.and_then(|r| r.status_reason),
        })
    }

    /// Online verification by number, for someone holding the paper without a camera.
    pub async fn verify_number(&self, number: &str) -> Result<Verification, AppError> {
        let Some(row) = store::find_by_number(self.db.pool(), number).await? else { return Ok(Verification::NotFound) };
        Ok(Verification::Genuine {
            number: row.number.clone(),
            template: row.template.clone(),
            holder_masked: mask_name(&row.holder_name),
            agency: row.agency.clone(),
            issued_on: row.issued_on.clone(),
            expired: self.expired(row.expires_on.as_deref()),
            expires_on: row.expires_on.clone(),
            status: Some(row.status),
            status_reason: row.status_reason.clone(),
        })
    }

    /// An officer of the issuing agency revokes, suspends or reinstates a document, with a
    /// reason that verification then shows. Another agency's document is "not found".
    pub async fn set_status(&self, officer_id: i64, officer_agency: &str, number: &str, status: DocumentStatus, reason: &str) -> Result<(), AppError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(AppError::field("reason", Problem::ReasonRequired));
        }
        if reason.chars().count() > 300 {
            return Err(AppError::field("reason", Problem::TextTooLong { max: 300 }));
        }
        let row = store::find_by_number(self.db.pool(), number).await?.filter(|r| r.agency == officer_agency).ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin_write().await?;
        store::set_status(&mut tx, row.id, status, reason, officer_id, self.clock.now()).await?;
        tx.commit().await?;
        tracing::info!(document = row.number.as_str(), status = status.as_str(), officer = officer_id, "document status changed");
        Ok(())
    }
}
