//! The support tables: rows in, rows out. A ticket's status changes only by a conditional
//! update from the status its mover saw, so a reply and a "resolved" at once end with one winner.

use crate::support::views::{AttachmentInfo, TicketMessage, TicketStatus, TicketSummary, Topic};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row, Transaction};

/// A ticket as stored, with what its lists show.
#[derive(Clone, Debug)]
pub struct TicketRow {
    pub id: i64,
    pub account_id: i64,
    /// The agency of the linked application, whose officers may answer.
    pub agency: Option<String>,
    pub summary: TicketSummary,
}

const SELECT: &str = "SELECT t.id, t.reference, t.account_id, t.topic, t.agency, t.status, t.created_at, t.updated_at, a.reference AS application_reference, \
                      c.first_name, c.surname FROM support_tickets t LEFT JOIN applications a ON a.id = t.application_id JOIN accounts c ON c.id = t.account_id";

fn from_row(row: &AnyRow) -> TicketRow {
    TicketRow {
        id: row.get("id"),
        account_id: row.get("account_id"),
        agency: row.get("agency"),
        summary: TicketSummary {
            reference: row.get("reference"),
            topic: Topic::parse(&row.get::<String, _>("topic")).unwrap_or(Topic::Other),
            status: TicketStatus::parse(&row.get::<String, _>("status")).unwrap_or(TicketStatus::AwaitingStaff),
            application_reference: row.get("application_reference"),
            citizen_name: format!("{} {}", row.get::<String, _>("first_name"), row.get::<String, _>("surname")),
            created_at: row.get("created_at"),
            updated_at: row.get("updated_at"),
        },
    }
}

pub async fn find_by_reference<'e, E: Executor<'e, Database = Any>>(executor: E, reference: &str) -> Result<Option<TicketRow>, sqlx::Error> {
    let row = sqlx::query(&format!("{SELECT} WHERE t.reference = $1")).bind(reference).fetch_optional(executor).await?;
    Ok(row.as_ref().map(from_row))
}

/// A citizen's tickets, latest activity first.
pub async fn list_for_account<'e, E: Executor<'e, Database = Any>>(executor: E, account_id: i64) -> Result<Vec<TicketRow>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SELECT} WHERE t.account_id = $1 ORDER BY t.updated_at DESC, t.id DESC LIMIT 200")).bind(account_id).fetch_all(executor).await?;
    Ok(rows.iter().map(from_row).collect())
}

/// The back office's tickets: every agency's (`agency` empty) or one agency's, never the
/// asker's own. Those awaiting staff come first, longest waiting first; then the rest,
/// latest activity first.
pub async fn desk<'e, E: Executor<'e, Database = Any>>(executor: E, agency: &str, staff_id: i64) -> Result<Vec<TicketRow>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE ($1 = '' OR t.agency = $1) AND t.account_id <> $2 \
         ORDER BY CASE t.status WHEN 'awaiting_staff' THEN 0 WHEN 'awaiting_citizen' THEN 1 ELSE 2 END, \
         CASE WHEN t.status = 'awaiting_staff' THEN t.updated_at ELSE -t.updated_at END, t.id LIMIT 200"
    ))
    .bind(agency)
    .bind(staff_id)
    .fetch_all(executor)
    .await?;
    Ok(rows.iter().map(from_row).collect())
}

/// How many tickets of the desk await staff.
pub async fn awaiting_staff<'e, E: Executor<'e, Database = Any>>(executor: E, agency: &str, staff_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM support_tickets WHERE status = 'awaiting_staff' AND ($1 = '' OR agency = $1) AND account_id <> $2")
        .bind(agency)
        .bind(staff_id)
        .fetch_one(executor)
        .await
}

pub struct NewTicket<'a> {
    pub reference: &'a str,
    pub account_id: i64,
    pub topic: Topic,
    pub application: Option<(i64, &'a str)>,
}

/// A new ticket, awaiting staff.
pub async fn insert_ticket(tx: &mut Transaction<'static, Any>, ticket: &NewTicket<'_>, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO support_tickets (reference, account_id, topic, application_id, agency, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'awaiting_staff', $6, $6) RETURNING id",
    )
    .bind(ticket.reference)
    .bind(ticket.account_id)
    .bind(ticket.topic.as_str())
    .bind(ticket.application.map(|(id, _)| id))
    .bind(ticket.application.map(|(_, agency)| agency))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
}

/// Moves a ticket, only if it is still in the status its mover saw. False otherwise.
pub async fn move_status(tx: &mut Transaction<'static, Any>, ticket_id: i64, from: TicketStatus, to: TicketStatus, now: i64) -> Result<bool, sqlx::Error> {
    let changed = sqlx::query(
        "UPDATE support_tickets SET status = $1, updated_at = $2, resolved_at = CASE WHEN $1 = 'resolved' THEN $2 ELSE NULL END WHERE id = $3 AND status = $4",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(ticket_id)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok(changed == 1)
}

pub struct NewMessage<'a> {
    pub ticket_id: i64,
    pub author_id: i64,
    pub author_name: &'a str,
    pub from_staff: bool,
    pub body: &'a str,
}

pub async fn insert_message(tx: &mut Transaction<'static, Any>, message: &NewMessage<'_>, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO support_messages (ticket_id, author_id, author_name, from_staff, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(message.ticket_id)
        .bind(message.author_id)
        .bind(message.author_name)
        .bind(i64::from(message.from_staff))
        .bind(message.body)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
}

pub struct NewAttachment<'a> {
    pub message_id: i64,
    pub sha256: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub file_name: &'a str,
}

pub async fn insert_attachment(tx: &mut Transaction<'static, Any>, attachment: &NewAttachment<'_>, now: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("INSERT INTO support_attachments (message_id, sha256, content_type, size_bytes, file_name, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(attachment.message_id)
        .bind(attachment.sha256)
        .bind(attachment.content_type)
        .bind(attachment.size_bytes)
        .bind(attachment.file_name)
        .bind(now)
        .fetch_one(&mut **tx)
        .await
}

/// A ticket's conversation, oldest first, with each message's screenshot.
pub async fn messages<'e, E: Executor<'e, Database = Any>>(executor: E, ticket_id: i64) -> Result<Vec<TicketMessage>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT m.author_name, m.from_staff, m.body, m.created_at, f.id AS attachment_id, f.file_name, f.size_bytes \
         FROM support_messages m LEFT JOIN support_attachments f ON f.message_id = m.id WHERE m.ticket_id = $1 ORDER BY m.id",
    )
    .bind(ticket_id)
    .fetch_all(executor)
    .await?;
    Ok(rows
        .iter()
        .map(|row| TicketMessage {
            from_staff: row.get::<i64, _>("from_staff") != 0,
            author_name: row.get("author_name"),
            body: row.get("body"),
            at: row.get("created_at"),
            attachment: row.get::<Option<i64>, _>("attachment_id").map(|id| AttachmentInfo {
                id,
                file_name: row.get::<Option<String>, _>("file_name").unwrap_or_default(),
                size_bytes: row.get::<Option<i64>, _>("size_bytes").unwrap_or_default(),
            }),
        })
        .collect())
}

/// A stored screenshot, with the ticket it belongs to and where its bytes are.
pub struct StoredAttachment {
    pub ticket_reference: String,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
}

pub async fn find_attachment<'e, E: Executor<'e, Database = Any>>(executor: E, id: i64) -> Result<Option<StoredAttachment>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT t.reference, f.sha256, f.content_type, f.file_name FROM support_attachments f \
         JOIN support_messages m ON m.id = f.message_id JOIN support_tickets t ON t.id = m.ticket_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(executor)
    .await?;
    Ok(row.map(|row| StoredAttachment { ticket_reference: row.get("reference"), sha256: row.get("sha256"), content_type: row.get("content_type"), file_name: row.get("file_name") }))
}
