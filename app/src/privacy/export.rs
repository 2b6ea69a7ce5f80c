//! Everything Raia holds about one citizen, section by section, as JSON: the file behind
//! "Download my data" and the counts on `/account/data`.
//!
//! Every table that names an account is either read here or listed in `WITHHELD` with the
//! reason; a test reads the schema and fails on a table that is neither, so a new table
//! cannot silently be left out of what a citizen is shown.

use serde_json::{json, Map, Value};
use sqlx::{any::AnyRow, Any, Column, Executor, Row};

/// A section of the download: its name, the table it comes from, and its query (`$1` is the
/// account's id). Hashes, sealed secrets and session tokens are never selected.
pub struct Section {
    pub name: &'static str,
    pub table: &'static str,
    sql: &'static str,
}

pub const SECTIONS: &[Section] = &[
    Section {
        name: "account",
        table: "accounts",
        sql: "SELECT id_number, account_type, first_name, surname, email, phone, phone_verified, role, agency, preferred_language, \
              code_channel, message_codes_allowed, failed_password_attempts, locked_until, created_at FROM accounts WHERE id = $1",
    },
    Section {
        name: "population_registry",
        table: "registry_people",
        sql: "SELECT r.id_number, r.first_name, r.surname, r.year_of_birth, r.citizenship FROM registry_people r \
              JOIN accounts a ON a.id_number = r.id_number WHERE a.id = $1",
    },
    Section {
        name: "applications",
        table: "applications",
        sql: "SELECT reference, service_slug, agency, status, answers, amount_due_cents, declaration_accepted_at, collection_centre, \
              officer_note, created_at, updated_at, submitted_at, decided_at FROM applications WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "application_history",
        table: "application_events",
        sql: "SELECT a.reference, e.at, e.actor, e.actor_name, e.action, e.from_status, e.to_status, e.note FROM application_events e \
              JOIN applications a ON a.id = e.application_id WHERE a.account_id = $1 ORDER BY e.id",
    },
    Section {
        name: "uploaded_documents",
        table: "application_documents",
        sql: "SELECT a.reference, d.field, d.file_name, d.content_type, d.size_bytes, d.sha256, d.uploaded_at FROM application_documents d \
              JOIN applications a ON a.id = d.application_id WHERE a.account_id = $1 ORDER BY d.id",
    },
    Section {
        name: "invoices",
        table: "invoices",
        sql: "SELECT i.number, a.reference, i.service_fee_cents, i.convenience_fee_cents, i.total_cents, i.status, i.expires_at, i.created_at, i.paid_at \
              FROM invoices i JOIN applications a ON a.id = i.application_id WHERE a.account_id = $1 ORDER BY i.id",
    },
    Section {
        name: "payments",
        table: "payments",
        sql: "SELECT i.number AS invoice, p.method, p.status, p.mpesa_receipt, p.phone, p.card_brand, p.card_last4, p.amount_cents, p.result_desc, \
              p.created_at, p.updated_at FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN applications a ON a.id = i.application_id \
              WHERE a.account_id = $1 ORDER BY p.id",
    },
    Section {
        name: "receipts",
        table: "receipts",
        sql: "SELECT r.number, i.number AS invoice, r.verify_code, r.created_at FROM receipts r JOIN invoices i ON i.id = r.invoice_id \
              JOIN applications a ON a.id = i.application_id WHERE a.account_id = $1 ORDER BY r.id",
    },
    Section {
        name: "money_kept_for_refund",
        table: "payments_needing_attention",
        sql: "SELECT kind, method, mpesa_receipt, amount_cents, phone, payer_name, account_number, reason, created_at, resolved_at \
              FROM payments_needing_attention WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "issued_documents",
        table: "issued_documents",
        sql: "SELECT number, kind, application_reference, agency, title_en, holder_name, facts, issued_on, expires_on, status, status_reason, issued_at \
              FROM issued_documents WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "vehicle_transfers",
        table: "transfer_parties",
        sql: "SELECT a.reference, t.confirmed_at FROM transfer_parties t JOIN applications a ON a.id = t.application_id WHERE t.account_id = $1",
    },
    Section {
        name: "notifications",
        table: "notifications",
        sql: "SELECT kind, detail, link, created_at, read_at FROM notifications WHERE account_id = $1 ORDER BY id",
    },
    Section {
        // A message that carried a one-time code keeps no readable text (see messages::outbox).
        name: "messages_sent",
        table: "outbox_messages",
        sql: "SELECT channel, recipient, subject, CASE WHEN holds_secret <> 0 OR redacted_at IS NOT NULL THEN NULL ELSE body END AS body, \
              language, status, created_at, sent_at FROM outbox_messages WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "account_activity",
        table: "security_events",
        sql: "SELECT kind, detail, client_address, at FROM security_events WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "logged_in_browsers",
        table: "sessions",
        sql: "SELECT stage, user_agent, client_address, created_at, last_seen_at FROM sessions WHERE account_id = $1 ORDER BY created_at",
    },
    Section {
        name: "authenticator_app",
        table: "authenticators",
        sql: "SELECT confirmed_at, created_at FROM authenticators WHERE account_id = $1",
    },
    Section {
        name: "backup_codes",
        table: "backup_codes",
        sql: "SELECT used_at FROM backup_codes WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "one_time_codes",
        table: "one_time_codes",
        sql: "SELECT purpose, channel, created_at, expires_at, attempts, used_at, voided FROM one_time_codes WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "support_requests",
        table: "support_tickets",
        sql: "SELECT reference, topic, agency, status, created_at, updated_at, resolved_at FROM support_tickets WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "support_messages",
        table: "support_messages",
        sql: "SELECT t.reference, m.author_name, m.from_staff, m.body, m.created_at FROM support_messages m \
              JOIN support_tickets t ON t.id = m.ticket_id WHERE t.account_id = $1 ORDER BY m.id",
    },
    Section {
        name: "support_screenshots",
        table: "support_attachments",
        sql: "SELECT t.reference, s.file_name, s.content_type, s.size_bytes, s.sha256, s.uploaded_at FROM support_attachments s \
              JOIN support_messages m ON m.id = s.message_id JOIN support_tickets t ON t.id = m.ticket_id WHERE t.account_id = $1 ORDER BY s.id",
    },
    Section {
        // Which register was asked about the citizen, and why; not whom it was asked about
        // (a buyer's ID number is the buyer's data).
        name: "register_lookups",
        table: "register_calls",
        sql: "SELECT agency, operation, purpose, outcome, at FROM register_calls WHERE account_id = $1 ORDER BY id",
    },
    Section {
        name: "who_looked_at_my_data",
        table: "data_access",
        sql: "SELECT at, viewer_role, agency, record_kind, record, reason FROM data_access WHERE account_id = $1 ORDER BY id",
    },
];

/// What is kept but never exported, and why: the citizen is told it exists.
pub const WITHHELD: &[(&str, &str)] = &[
    ("accounts.password_hash", "your password, kept only as an Argon2 hash that cannot be read back"),
    ("sessions.token_hash", "the keys of your logged-in browsers, kept only as hashes"),
    ("one_time_codes.code_hash", "one-time codes, kept only as hashes until they expire"),
    ("authenticators.sealed_secret", "your authenticator app's secret, sealed with the server's key"),
    ("backup_codes.code_hash", "your backup codes, kept only as hashes"),
    ("data_access.viewer_id", "which member of staff opened a record: kept for audits, shown as their role and agency"),
    ("support_messages.author_id", "which member of staff answered: shown by first name"),
    ("register_calls.subject", "whom a register was asked about, when it was somebody else (a buyer, say)"),
];

/// Columns that hold JSON text: exported as JSON, not as a string of it.
const JSON_COLUMNS: &[&str] = &["answers", "facts"];

/// Everything Raia holds about the account, as the download gives it.
pub async fn everything<'c, E>(executor: E, account_id: i64, now: i64) -> Result<Value, sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let mut sections = Map::new();
    for section in SECTIONS {
        let rows = sqlx::query(section.sql).bind(account_id).fetch_all(executor).await?;
        sections.insert(section.name.to_string(), Value::Array(rows.iter().map(row_json).collect()));
    }
    Ok(json!({
        "about": "Everything Raia holds about you (Kenya Data Protection Act 2019, sections 26 and 31). Times are seconds since 1970-01-01 UTC; amounts are in cents of a Kenya shilling.",
        "generated_at": now,
        "data": sections,
        "kept_but_not_included": WITHHELD.iter().map(|(what, why)| json!({ "what": what, "why": why })).collect::<Vec<_>>(),
    }))
}

/// How many records each section holds, for the page: each section's own query, counted by
/// the database, so that no row leaves it just to be counted.
pub async fn counts<'c, E>(executor: E, account_id: i64) -> Result<Vec<(String, i64)>, sqlx::Error>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let mut counts = Vec::with_capacity(SECTIONS.len());
    for section in SECTIONS {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM ({}) AS section", section.sql)).bind(account_id).fetch_one(executor).await?;
        counts.push((section.name.to_string(), count));
    }
    Ok(counts)
}

/// One row as a JSON object: integers as numbers, text as strings, JSON text as JSON.
fn row_json(row: &AnyRow) -> Value {
    let mut object = Map::new();
    for (index, column) in row.columns().iter().enumerate() {
        let name = column.name();
        let value = if let Ok(number) = row.try_get::<Option<i64>, _>(index) {
            json!(number)
        } else if let Ok(text) = row.try_get::<Option<String>, _>(index) {
            match text {
                Some(text) if JSON_COLUMNS.contains(&name) => serde_json::from_str(&text).unwrap_or(Value::String(text)),
                other => json!(other),
            }
        } else {
            Value::Null
        };
        object.insert(name.to_string(), value);
    }
    Value::Object(object)
}

/// `/account/data`: how many records of each kind, and who looked at them (newest first,
/// with the agency's name).
pub async fn overview(db: &crate::db::Db, catalogue: &crate::services::catalogue::Catalogue, account_id: i64) -> Result<crate::privacy::views::MyDataOverview, sqlx::Error> {
    use crate::identity::data_access;
    use crate::privacy::views::{HeldSection, LookedAt, MyDataOverview};
    let sections = counts(db.pool(), account_id).await?.into_iter().map(|(name, count)| HeldSection { name, count }).collect();
    let looked_at = data_access::for_account(db.pool(), account_id, Some(data_access::SHOWN))
        .await?
        .into_iter()
        .map(|access| {
            let agency_name = access.agency.as_deref().and_then(|slug| catalogue.agency(slug)).map(|a| a.short_name.clone());
            LookedAt { access, agency_name }
        })
        .collect();
    Ok(MyDataOverview { sections, looked_at })
}
