//! The `issued_documents` table.

use crate::issued::views::{DocumentStatus, FactLine};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row, Transaction};

#[derive(Clone, Debug)]
pub struct DocumentRow {
    pub id: i64,
    pub number: String,
    pub template: String,
    pub application_id: i64,
    pub application_reference: String,
    pub account_id: i64,
    pub agency: String,
    pub agency_name_en: String,
    pub agency_name_sw: String,
    pub title_en: String,
    pub title_sw: String,
    pub bilingual: bool,
    pub holder_name: String,
    pub facts: Vec<FactLine>,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub key_id: String,
    pub signed: String,
    pub status: DocumentStatus,
    pub status_reason: Option<String>,
}

pub struct NewDocumentRow<'a> {
    pub number: &'a str,
    pub template: &'a str,
    pub application_id: i64,
    pub application_reference: &'a str,
    pub account_id: i64,
    pub agency: &'a str,
    pub agency_name_en: &'a str,
    pub agency_name_sw: &'a str,
    pub title_en: &'a str,
    pub title_sw: &'a str,
    pub bilingual: bool,
    pub holder_name: &'a str,
    pub facts: &'a [FactLine],
    pub issued_on: &'a str,
    pub expires_on: Option<&'a str>,
    pub key_id: &'a str,
    pub signed: &'a str,
}

const COLUMNS: &str = "id, number, kind, application_id, application_reference, account_id, agency, agency_name_en, agency_name_sw, title_en, title_sw, bilingual, holder_name, facts, issued_on, expires_on, key_id, signed, status, status_reason";

fn from_row(row: &AnyRow) -> DocumentRow {
    DocumentRow {
        id: row.get("id"),
        number: row.get("number"),
        template: row.get("kind"),
        application_id: row.get("application_id"),
        application_reference: row.get("application_reference"),
        account_id: row.get("account_id"),
        agency: row.get("agency"),
        agency_name_en: row.get("agency_name_en"),
        agency_name_sw: row.get("agency_name_sw"),
        title_en: row.get("title_en"),
        title_sw: row.get("title_sw"),
        bilingual: row.get::<i64, _>("bilingual") == 1,
        holder_name: row.get("holder_name"),
        facts: serde_json::from_str(&row.get::<String, _>("facts")).unwrap_or_default(),
        issued_on: row.get("issued_on"),
        expires_on: row.get("expires_on"),
        key_id: row.get("key_id"),
        signed: row.get("signed"),
        status: DocumentStatus::parse(&row.get::<String, _>("status")).unwrap_or(DocumentStatus::Revoked),
        status_reason: row.get("status_reason"),
    }
}

/// Inserts the document; false when its application has one already (issued once).
pub async fn insert_in(tx: &mut Transaction<'static, Any>, new: &NewDocumentRow<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO issued_documents (number, kind, application_id, application_reference, account_id, agency, agency_name_en, agency_name_sw, title_en, title_sw, bilingual, holder_name, facts, issued_on, expires_on, key_id, signed, status, issued_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 'valid', $18) ON CONFLICT (application_id) DO NOTHING",
    )
    .bind(new.number)
    .bind(new.template)
    .bind(new.application_id)
    .bind(new.application_reference)
    .bind(new.account_id)
    .bind(new.agency)
    .bind(new.agency_name_en)
    .bind(new.agency_name_sw)
    .bind(new.title_en)
    .bind(new.title_sw)
    .bind(new.bilingual as i64)
    .bind(new.holder_name)
    .bind(serde_json::to_string(new.facts).unwrap_or_default())
    .bind(new.issued_on)
    .bind(new.expires_on)
    .bind(new.key_id)
    .bind(new.signed)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(inserted == 1)
}

pub async fn find_by_number<'e, E: Executor<'e, Database = Any>>(executor: E, number: &str) -> Result<Option<DocumentRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM issued_documents WHERE number = $1")).bind(number.trim().to_ascii_uppercase()).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn for_application<'e, E: Executor<'e, Database = Any>>(executor: E, application_id: i64) -> Result<Option<DocumentRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM issued_documents WHERE application_id = $1")).bind(application_id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn for_account<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM issued_documents WHERE account_id = $1 ORDER BY issued_at DESC, id DESC LIMIT 200")).bind(account_id).fetch_all(executor).await?;
    Ok(rows.iter().map(from_row).collect())
}

pub async fn set_status(tx: &mut Transaction<'static, Any>, id: i64, status: DocumentStatus, reason: &str, by: i64, now: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query("UPDATE issued_documents SET status = $1, status_reason = $2, status_by = $3, status_at = $4 WHERE id = $5")
        .bind(status.as_str())
        .bind(reason)
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(changed == 1)
}
