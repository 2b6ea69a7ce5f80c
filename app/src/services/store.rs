//! The applications tables: rows in, rows out. Every change of an application is a
//! conditional update on its `version`, so two moves made at once end with one winner.

use crate::services::status::{Action, Actor, Status};
use crate::services::views::{Answers, DocumentInfo, TimelineEntry};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row, Transaction};

#[derive(Clone, Debug)]
pub struct ApplicationRow {
    pub id: i64,
    pub reference: Option<String>,
    pub account_id: i64,
    pub service_slug: String,
    pub agency: String,
    pub status: Status,
    pub version: i64,
    pub answers: Answers,
    pub amount_due_cents: i64,
    pub declaration_accepted: bool,
    pub claimed_by: Option<i64>,
    pub collection_centre: Option<String>,
    pub officer_note: Option<String>,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
}

const COLUMNS: &str = "id, reference, account_id, service_slug, agency, status, version, answers, amount_due_cents, declaration_accepted_at, claimed_by, collection_centre, officer_note, updated_at, submitted_at";

fn from_row(row: &AnyRow) -> ApplicationRow {
    ApplicationRow {
        id: row.get("id"),
        reference: row.get("reference"),
        account_id: row.get("account_id"),
        service_slug: row.get("service_slug"),
        agency: row.get("agency"),
        status: Status::parse(&row.get::<String, _>("status")).unwrap_or(Status::Draft),
        version: row.get("version"),
        answers: serde_json::from_str(&row.get::<String, _>("answers")).unwrap_or_default(),
        amount_due_cents: row.get("amount_due_cents"),
        declaration_accepted: row.get::<Option<i64>, _>("declaration_accepted_at").is_some(),
        claimed_by: row.get("claimed_by"),
        collection_centre: row.get("collection_centre"),
        officer_note: row.get("officer_note"),
        updated_at: row.get("updated_at"),
        submitted_at: row.get("submitted_at"),
    }
}

pub async fn find_draft<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64, service_slug: &str) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM applications WHERE account_id = $1 AND service_slug = $2 AND status = 'draft'"))
        .bind(account_id)
        .bind(service_slug)
        .fetch_optional(executor)
        .await?;
    Ok(row.as_ref().map(from_row))
}

pub async fn find_by_reference<'e, E: Executor<'e, Database = Any>>(executor: E, reference: &str) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM applications WHERE reference = $1")).bind(reference).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

/// Paid applications of the given services, oldest first: what the register worker answers.
pub async fn paid_of_services<'e, E: Executor<'e, Database = Any>>(executor: E, slugs: &[&str], limit: i64) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    if slugs.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (0..slugs.len()).map(|i| format!("${}", i + 2)).collect();
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE status = 'paid' AND service_slug IN ({}) ORDER BY updated_at, id LIMIT $1", placeholders.join(", "));
    let mut query = sqlx::query(&sql).bind(limit);
    for slug in slugs {
        query = query.bind(*slug);
    }
    Ok(query.fetch_all(executor).await?.iter().map(from_row).collect())
}

pub async fn find_by_id<'e, E: Executor<'e, Database = Any>>(executor: E, id: i64) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM applications WHERE id = $1")).bind(id).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

/// A new draft; `None` when another request made this citizen's draft for the service first.
pub async fn insert_draft(tx: &mut Transaction<'static, Any>, account_id: i64, service_slug: &str, agency: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO applications (account_id, service_slug, agency, status, created_at, updated_at) VALUES ($1, $2, $3, 'draft', $4, $4) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(account_id)
    .bind(service_slug)
    .bind(agency)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(inserted)
}

/// Saves answers while the citizen may still edit them. False when the application moved meanwhile.
pub async fn save_answers(tx: &mut Transaction<'static, Any>, row: &ApplicationRow, answers: &Answers, amount_due_cents: i64, now: i64) -> Result<bool, sqlx::Error> {
    let text = serde_json::to_string(answers).unwrap_or_else(|_| "{}".into());
    let changed = sqlx::query(
        "UPDATE applications SET answers = $1, amount_due_cents = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5 AND status IN ('draft', 'action_required')",
    )
    .bind(text)
    .bind(amount_due_cents)
    .bind(now)
    .bind(row.id)
    .bind(row.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

pub async fn accept_declaration(tx: &mut Transaction<'static, Any>, row: &ApplicationRow, now: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE applications SET declaration_accepted_at = $1, version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3 AND status IN ('draft', 'action_required')",
    )
    .bind(now)
    .bind(row.id)
    .bind(row.version)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

/// The change a status move makes besides the status.
pub struct Move<'a> {
    pub to: Status,
    pub reference: Option<&'a str>,
    pub claimed_by: Option<i64>,
    pub officer_note: Option<&'a str>,
    pub collection_centre: Option<&'a str>,
    pub submitted: bool,
    /// The claim ends: nobody holds the application any more.
    pub release_claim: bool,
}

/// Moves an application, only if it is still at the version the mover saw. False otherwise.
/// A decision (completed, rejected) is timed here, in the same statement, for the performance page.
pub async fn move_status(tx: &mut Transaction<'static, Any>, row: &ApplicationRow, change: &Move<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE applications SET status = $1, reference = COALESCE($2, reference), claimed_by = CASE WHEN $11 = 1 THEN NULL ELSE COALESCE($3, claimed_by) END, \
         officer_note = $4, declaration_accepted_at = CASE WHEN $1 = 'action_required' THEN NULL ELSE declaration_accepted_at END, collection_centre = COALESCE($5, collection_centre), \
         submitted_at = CASE WHEN $6 = 1 THEN $7 ELSE submitted_at END, decided_at = CASE WHEN $1 IN ('completed', 'rejected') THEN $7 ELSE decided_at END, \
         version = version + 1, updated_at = $7 \
         WHERE id = $8 AND version = $9 AND status = $10",
    )
    .bind(change.to.as_str())
    .bind(change.reference)
    .bind(change.claimed_by)
    .bind(change.officer_note)
    .bind(change.collection_centre)
    .bind(i64::from(change.submitted))
    .bind(now)
    .bind(row.id)
    .bind(row.version)
    .bind(row.status.as_str())
    .bind(i64::from(change.release_claim))
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

pub struct NewEvent<'a> {
    pub application_id: i64,
    pub actor: Actor,
    pub actor_name: Option<&'a str>,
    pub action: Action,
    pub from: Status,
    pub to: Status,
    pub note: Option<&'a str>,
}

pub async fn insert_event(tx: &mut Transaction<'static, Any>, event: &NewEvent<'_>, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO application_events (application_id, at, actor, actor_name, action, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(event.application_id)
    .bind(now)
    .bind(event.actor.as_str())
    .bind(event.actor_name)
    .bind(event.action.as_str())
    .bind(event.from.as_str())
    .bind(event.to.as_str())
    .bind(event.note)
    .fetch_one(&mut **tx)
    .await
}

pub async fn timeline<'e, E: Executor<'e, Database = Any>>(executor: E, application_id: i64) -> Result<Vec<TimelineEntry>, sqlx::Error> {
    let rows = sqlx::query("SELECT at, actor, actor_name, action, to_status, note FROM application_events WHERE application_id = $1 ORDER BY id")
        .bind(application_id)
        .fetch_all(executor)
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(TimelineEntry {
                at: row.get("at"),
                actor: Actor::parse(&row.get::<String, _>("actor")),
                actor_name: row.get("actor_name"),
                action: Action::parse(&row.get::<String, _>("action"))?,
                to_status: Status::parse(&row.get::<String, _>("to_status"))?,
                note: row.get("note"),
            })
        })
        .collect())
}

pub use crate::db::next_reference_number;

fn document_from_row(row: &AnyRow) -> DocumentInfo {
    DocumentInfo {
        id: row.get("id"),
        field: row.get("field"),
        file_name: row.get("file_name"),
        content_type: row.get("content_type"),
        size_bytes: row.get("size_bytes"),
    }
}

pub async fn documents<'e, E: Executor<'e, Database = Any>>(executor: E, application_id: i64) -> Result<Vec<DocumentInfo>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, field, file_name, content_type, size_bytes FROM application_documents WHERE application_id = $1 ORDER BY id")
        .bind(application_id)
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(document_from_row).collect())
}

/// A document with the application it belongs to and where its bytes are.
pub struct StoredDocument {
    pub info: DocumentInfo,
    pub application_id: i64,
    pub sha256: String,
}

pub async fn find_document<'e, E: Executor<'e, Database = Any>>(executor: E, id: i64) -> Result<Option<StoredDocument>, sqlx::Error> {
    let row = sqlx::query("SELECT id, field, file_name, content_type, size_bytes, application_id, sha256 FROM application_documents WHERE id = $1")
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.map(|row| StoredDocument { info: document_from_row(&row), application_id: row.get("application_id"), sha256: row.get("sha256") }))
}

/// The stored file (its SHA-256) of the document on a field, if there is one.
pub async fn document_file_on_field(tx: &mut Transaction<'static, Any>, application_id: i64, field: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT sha256 FROM application_documents WHERE application_id = $1 AND field = $2")
        .bind(application_id)
        .bind(field)
        .fetch_optional(&mut **tx)
        .await
}

/// Whether any document (of any application) or support screenshot still points at this
/// stored file: the same content uploaded twice is stored once.
pub struct NewDocument<'a> {
    pub field: &'a str,
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub file_name: &'a str,
}

/// Attaches a document to a field, replacing the one there, if the application is still editable at this version.
pub async fn replace_document(tx: &mut Transaction<'static, Any>, row: &ApplicationRow, document: &NewDocument<'_>, now: i64) -> Result<bool, sqlx::Error> {
    let bumped = sqlx::query("UPDATE applications SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = $3 AND status IN ('draft', 'action_required')")
        .bind(now)
        .bind(row.id)
        .bind(row.version)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if bumped != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM application_documents WHERE application_id = $1 AND field = $2").bind(row.id).bind(document.field).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO application_documents (application_id, field, sha256, content_type, size_bytes, file_name, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(row.id)
    .bind(document.field)
    .bind(document.sha256)
    .bind(document.content_type)
    .bind(document.size_bytes)
    .bind(document.file_name)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(true)
}

pub async fn list_for_account<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM applications WHERE account_id = $1 ORDER BY updated_at DESC, id DESC"))
        .bind(account_id)
        .fetch_all(executor)
        .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// Applications per page of an officer's queue.
pub const QUEUE_PAGE: i64 = 50;

/// Where a page of the queue ends: the next page starts after this application (keyset, so
/// page 1,000 of an agency's millions reads its 50 rows from the index like page 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueCursor {
    pub submitted_at: i64,
    pub id: i64,
}

impl QueueCursor {
    /// As written in the page's link: `submitted_at-id`.
    pub fn parse(text: &str) -> Option<QueueCursor> {
        let (submitted_at, id) = text.trim().split_once('-')?;
        Some(QueueCursor { submitted_at: submitted_at.parse().ok()?, id: id.parse().ok()? })
    }

    pub fn as_text(&self) -> String {
        format!("{}-{}", self.submitted_at, self.id)
    }
}

/// A row of the queue: the application, and the names of its applicant and of the officer
/// holding it, read in the same query (not two more per row).
pub struct QueueRow {
    pub application: ApplicationRow,
    pub applicant_name: String,
    pub claimed_by_name: Option<String>,
}

/// The queue's SQL, with the filters chosen: binds the agency, the officer's id, the cursor
/// (submission time, id), then the service and the status when chosen. Public for
/// `raia-bench scale`, which has PostgreSQL explain it.
pub fn queue_sql(service: bool, status: bool) -> String {
    let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect();
    let mut sql = format!(
        "SELECT {}, p.first_name || ' ' || p.surname AS applicant_name, c.first_name || ' ' || c.surname AS claimed_by_name \
         FROM applications a JOIN accounts p ON p.id = a.account_id LEFT JOIN accounts c ON c.id = a.claimed_by \
         WHERE a.agency = $1 AND a.status <> 'draft' AND a.account_id <> $2 AND (a.submitted_at, a.id) > ($3, $4)",
        columns.join(", ")
    );
    let mut next = 5;
    for (column, chosen) in [("service_slug", service), ("status", status)] {
        if chosen {
            sql.push_str(&format!(" AND a.{column} = ${next}"));
            next += 1;
        }
    }
    sql.push_str(&format!(" ORDER BY a.submitted_at, a.id LIMIT {QUEUE_PAGE}"));
    sql
}

/// A page of an agency's submitted applications, oldest first, after `after`; drafts never
/// show, nor the officer's own. Filters left out of the SQL when not chosen, so that each
/// shape has a plan that reads one index in order (migration 0016).
pub async fn queue<'e, E: Executor<'e, Database = Any>>(executor: E, agency: &str, service: &str, status: &str, officer_id: i64, after: Option<QueueCursor>) -> Result<Vec<QueueRow>, sqlx::Error> {
    let sql = queue_sql(!service.is_empty(), !status.is_empty());
    // Before every submission time there is: the first page.
    let after = after.unwrap_or(QueueCursor { submitted_at: i64::MIN, id: 0 });
    let mut query = sqlx::query(&sql).bind(agency).bind(officer_id).bind(after.submitted_at).bind(after.id);
    for value in [service, status] {
        if !value.is_empty() {
            query = query.bind(value);
        }
    }
    let rows = query.fetch_all(executor).await?;
    Ok(rows
        .iter()
        .map(|row| QueueRow { application: from_row(row), applicant_name: row.get("applicant_name"), claimed_by_name: row.get("claimed_by_name") })
        .collect())
}

/// Applications under review, with someone holding the claim, longest held first;
/// every agency's, or only those one officer holds.
pub async fn claimed<'e, E: Executor<'e, Database = Any>>(executor: E, held_by: Option<i64>) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM applications WHERE status = 'under_review' AND claimed_by IS NOT NULL AND ($1 = 0 OR claimed_by = $1) ORDER BY updated_at, id LIMIT 500"
    ))
    .bind(held_by.unwrap_or(0))
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

pub struct NotificationRow {
    pub id: i64,
    pub read: bool,
    pub reference: String,
    pub service_slug: String,
    pub action: Action,
    pub to_status: Status,
    pub amount_due_cents: i64,
    pub note: Option<String>,
    pub at: i64,
}

/// The application events among a citizen's latest notifications, newest first (the
/// notification centre merges them with the account notices).
pub async fn notifications<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64, limit: i64) -> Result<Vec<NotificationRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT n.id, n.read_at, a.reference, a.service_slug, e.action, e.to_status, a.amount_due_cents, e.note, e.at FROM notifications n \
         JOIN application_events e ON e.id = n.event_id JOIN applications a ON a.id = e.application_id \
         WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            Some(NotificationRow {
                id: row.get("id"),
                read: row.get::<Option<i64>, _>("read_at").is_some(),
                reference: row.get::<Option<String>, _>("reference")?,
                service_slug: row.get("service_slug"),
                action: Action::parse(&row.get::<String, _>("action"))?,
                to_status: Status::parse(&row.get::<String, _>("to_status"))?,
                amount_due_cents: row.get("amount_due_cents"),
                note: row.get("note"),
                at: row.get("at"),
            })
        })
        .collect())
}

/// Full names of accounts by id, for "reviewed by" and applicant columns.
pub async fn full_name<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<String, sqlx::Error> {
    let name: Option<(String, String)> = sqlx::query_as("SELECT first_name, surname FROM accounts WHERE id = $1").bind(account_id).fetch_optional(executor).await?;
    Ok(name.map(|(first, last)| format!("{first} {last}")).unwrap_or_default())
}

