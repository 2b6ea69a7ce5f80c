//! Support as plain Rust: a citizen opens a ticket (topic, optionally one of their own
//! applications, a message, optionally a screenshot) and replies on it; admins, and
//! officers of the agency of the linked application, answer it and mark it resolved.
//! Every method is given the logged-in account and checks what it may do: someone
//! else's ticket, or another agency's, is "not found".

use crate::clock::Clock;
use crate::db::Db;
use crate::errors::{AppError, FieldProblem, Problem};
use crate::identity::accounts::{self, Account};
use crate::messages::notifications::{self, AccountNotice};
use crate::messages::outbox::{self, Message};
use crate::messages::texts;
use crate::services::{documents, stored_files};
use crate::services::service::{format_reference, Applications, DocumentDownload};
use crate::services::store as applications_store;
use crate::support::store::{self, NewAttachment, NewMessage, NewTicket, TicketRow};
use crate::support::views::{Desk, TicketDetails, TicketStatus, TicketSummary, Topic};
use std::sync::Arc;

/// The longest message a citizen or staff member may write.
pub const MESSAGE_MAX: usize = 2_000;

/// The reference series of tickets: `TKT-2026-000123`, counted like applications'.
const REFERENCE_PREFIX: &str = "TKT";

/// What happens to a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketMove {
    CitizenReply,
    StaffReply,
    Resolve,
}

/// The one table of a ticket's moves. A citizen may always write (a resolved ticket opens
/// again); staff answer and resolve open tickets only.
pub fn next_status(from: TicketStatus, change: TicketMove) -> Option<TicketStatus> {
    use TicketMove::*;
    use TicketStatus::*;
    match (from, change) {
        (_, CitizenReply) => Some(AwaitingStaff),
        (AwaitingStaff | AwaitingCitizen, StaffReply) => Some(AwaitingCitizen),
        (AwaitingStaff | AwaitingCitizen, Resolve) => Some(Resolved),
        (Resolved, StaffReply | Resolve) => None,
    }
}

/// A message as it will be stored: trimmed, present, not too long.
pub fn check_message(text: &str) -> Result<String, Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Required);
    }
    if text.chars().count() > MESSAGE_MAX {
        return Err(Problem::TextTooLong { max: MESSAGE_MAX as i64 });
    }
    Ok(text.to_string())
}

/// An application reference as citizens type it (` psp-2026-000001 `); `None` when left empty.
pub fn typed_reference(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_ascii_uppercase())
}

/// The optional screenshot of a new ticket, as the upload arrived.
#[derive(Clone, Copy, Debug)]
pub enum Screenshot<'a> {
    None,
    /// The request was cut off at the size limit.
    TooLarge,
    File { name: &'a str, bytes: &'a [u8] },
}

/// What the citizen filled in on `/support`.
#[derive(Clone, Copy, Debug)]
pub struct TicketForm<'a> {
    pub topic: &'a str,
    pub application: &'a str,
    pub message: &'a str,
    pub screenshot: Screenshot<'a>,
}

fn moved() -> AppError {
    AppError::field("", Problem::AlreadyMoved)
}

#[derive(Clone)]
pub struct Support {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    /// For the link in the email a reply sends.
    pub public_base_url: String,
}

impl From<&Applications> for Support {
    /// Support shares the applications' database and clock.
    fn from(applications: &Applications) -> Self {
        Support {
            db: applications.db.clone(),
            clock: applications.clock.clone(),
            public_base_url: applications.public_base_url.clone(),
        }
    }
}

impl Support {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    // ------------------------------------------------------------ citizens

    /// Opens a ticket; its reference. Every problem of the form is named beside its field,
    /// and nothing is stored then.
    pub async fn open(&self, citizen: &Account, form: &TicketForm<'_>) -> Result<String, AppError> {
        let mut problems = Vec::new();
        let topic = Topic::parse(form.topic);
        if topic.is_none() {
            problems.push(FieldProblem::new("topic", if form.topic.trim().is_empty() { Problem::Required } else { Problem::InvalidChoice }));
        }
        // Only the citizen's own application: another's answers exactly as one that does not exist.
        let application = match typed_reference(form.application) {
            None => None,
            Some(reference) => match applications_store::find_by_reference(self.db.pool(), &reference).await?.filter(|row| row.account_id == citizen.id) {
                Some(row) => Some((row.id, row.agency)),
                None => {
                    problems.push(FieldProblem::new("application", Problem::NotYourApplication));
                    None
                }
            },
        };
        let message = check_message(form.message).map_err(|problem| problems.push(FieldProblem::new("message", problem))).ok();
        let screenshot = match form.screenshot {
            Screenshot::None => None,
            Screenshot::TooLarge => {
                problems.push(FieldProblem::new("screenshot", Problem::FileTooLarge));
                None
            }
            Screenshot::File { name, bytes } => match documents::check_upload(bytes) {
                Ok(content_type) => Some((documents::clean_file_name(name), bytes, content_type)),
                Err(problem) => {
                    problems.push(FieldProblem::new("screenshot", problem));
                    None
                }
            },
        };
        let (Some(topic), Some(message), true) = (topic, message, problems.is_empty()) else {
            return Err(AppError::Invalid(problems));
        };

        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        // The screenshot is kept in the request's own transaction: both, or neither.
        let sha256 = match &screenshot {
            Some((_, bytes, _)) => Some(stored_files::keep(&mut tx, bytes, now).await.map_err(|error| {
                tracing::error!(%error, "storing a support screenshot failed");
                AppError::field("screenshot", Problem::FileNotSaved)
            })?),
            None => None,
        };
        let year = crate::calendar::year_of(now);
        let reference = format_reference(REFERENCE_PREFIX, year, applications_store::next_reference_number(&mut tx, REFERENCE_PREFIX, year).await?);
        let ticket = NewTicket { reference: &reference, account_id: citizen.id, topic, application: application.as_ref().map(|(id, agency)| (*id, agency.as_str())) };
        let ticket_id = store::insert_ticket(&mut tx, &ticket, now).await?;
        let message = NewMessage { ticket_id, author_id: citizen.id, author_name: &citizen.full_name(), from_staff: false, body: &message };
        let message_id = store::insert_message(&mut tx, &message, now).await?;
        if let (Some((file_name, bytes, content_type)), Some(sha256)) = (&screenshot, &sha256) {
            let attachment = NewAttachment { message_id, sha256, content_type, size_bytes: bytes.len() as i64, file_name };
            store::insert_attachment(&mut tx, &attachment, now).await?;
        }
        tx.commit().await?;
        Ok(reference)
    }

    /// The citizen's own ticket; anyone else's is "not found".
    async fn own_ticket(&self, citizen: &Account, reference: &str) -> Result<TicketRow, AppError> {
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?;
        row.filter(|row| row.account_id == citizen.id).ok_or(AppError::NotFound)
    }

    pub async fn my_tickets(&self, citizen: &Account) -> Result<Vec<TicketSummary>, AppError> {
        let rows = store::list_for_account(self.db.pool(), citizen.id).await?;
        Ok(rows.into_iter().map(|row| TicketSummary { citizen_name: String::new(), ..row.summary }).collect())
    }

    pub async fn my_ticket(&self, citizen: &Account, reference: &str) -> Result<TicketDetails, AppError> {
        let row = self.own_ticket(citizen, reference).await?;
        let messages = store::messages(self.db.pool(), row.id).await?;
        Ok(TicketDetails { summary: TicketSummary { citizen_name: String::new(), ..row.summary }, messages })
    }

    /// The citizen writes on their ticket: it goes back to the top of the back office's desk.
    pub async fn citizen_reply(&self, citizen: &Account, reference: &str, text: &str) -> Result<(), AppError> {
        let row = self.own_ticket(citizen, reference).await?;
        let body = check_message(text).map_err(|problem| AppError::field("message", problem))?;
        let mut tx = self.db.begin_write().await?;
        self.move_in(&mut tx, &row, TicketMove::CitizenReply).await?;
        let message = NewMessage { ticket_id: row.id, author_id: citizen.id, author_name: &citizen.full_name(), from_staff: false, body: &body };
        store::insert_message(&mut tx, &message, self.now()).await?;
        tx.commit().await?;
        Ok(())
    }

    // ------------------------------------------------------------ staff

    /// Which tickets a staff member may answer: every agency's for an admin (`""`), their
    /// agency's for an officer; nobody else answers tickets.
    fn desk_scope(staff: &Account) -> Result<&str, AppError> {
        if staff.is_admin() {
            return Ok("");
        }
        match (staff.is_officer(), staff.agency.as_deref()) {
            (true, Some(agency)) if !agency.is_empty() => Ok(agency),
            _ => Err(AppError::Forbidden),
        }
    }

    /// A ticket the staff member may answer: never their own, and for an officer only one
    /// linked to an application of their agency. Any other is "not found".
    async fn desk_ticket_row(&self, staff: &Account, reference: &str) -> Result<TicketRow, AppError> {
        let scope = Self::desk_scope(staff)?;
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?;
        row.filter(|row| row.account_id != staff.id && (scope.is_empty() || row.agency.as_deref() == Some(scope))).ok_or(AppError::NotFound)
    }

    pub async fn desk(&self, staff: &Account) -> Result<Desk, AppError> {
        let scope = Self::desk_scope(staff)?;
        let tickets = store::desk(self.db.pool(), scope, staff.id).await?.into_iter().map(|row| row.summary).collect();
        let awaiting_staff = store::awaiting_staff(self.db.pool(), scope, staff.id).await?;
        Ok(Desk { tickets, awaiting_staff })
    }

    pub async fn desk_ticket(&self, staff: &Account, reference: &str) -> Result<TicketDetails, AppError> {
        let row = self.desk_ticket_row(staff, reference).await?;
        let messages = store::messages(self.db.pool(), row.id).await?;
        // The citizen sees under "who looked at my data" that staff opened their request.
        crate::identity::data_access::record(self.db.pool(), row.account_id, staff, crate::identity::data_access::RecordKind::SupportTicket, &row.summary.reference, None, self.now()).await?;
        Ok(TicketDetails { summary: row.summary, messages })
    }

    /// Staff answer: the message, the email to the citizen (in their language) and the
    /// notification in their account commit together or not at all.
    pub async fn staff_reply(&self, staff: &Account, reference: &str, text: &str) -> Result<(), AppError> {
        let row = self.desk_ticket_row(staff, reference).await?;
        let body = check_message(text).map_err(|problem| AppError::field("message", problem))?;
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        self.move_in(&mut tx, &row, TicketMove::StaffReply).await?;
        // Citizens see who answered by first name only.
        let message = NewMessage { ticket_id: row.id, author_id: staff.id, author_name: &staff.first_name, from_staff: true, body: &body };
        store::insert_message(&mut tx, &message, now).await?;
        let reference = &row.summary.reference;
        if let Some(citizen) = accounts::find_by_id(&mut *tx, row.account_id).await? {
            let link = format!("{}/support/{reference}", self.public_base_url.trim_end_matches('/'));
            let language = citizen.language;
            let email = Message::email(&citizen.email, language, texts::support_reply_subject(language, reference), texts::support_reply(language, reference, &body, &link));
            outbox::queue(&mut tx, &email.for_account(citizen.id), now).await?;
            notifications::notify(&mut tx, citizen.id, AccountNotice::SupportReply, reference, Some(&format!("/support/{reference}")), now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Staff mark a ticket resolved; the citizen can still write on it, which opens it again.
    pub async fn resolve(&self, staff: &Account, reference: &str) -> Result<(), AppError> {
        let row = self.desk_ticket_row(staff, reference).await?;
        let mut tx = self.db.begin_write().await?;
        self.move_in(&mut tx, &row, TicketMove::Resolve).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves a ticket by the table, from the status its mover saw.
    async fn move_in(&self, tx: &mut sqlx::Transaction<'static, sqlx::Any>, row: &TicketRow, change: TicketMove) -> Result<TicketStatus, AppError> {
        let from = row.summary.status;
        let to = next_status(from, change).ok_or(AppError::field("", Problem::NotAllowedNow))?;
        if !store::move_status(tx, row.id, from, to, self.now()).await? {
            return Err(moved());
        }
        Ok(to)
    }

    // ------------------------------------------------------------ screenshots

    /// A ticket's screenshot, for its citizen and the staff who may answer the ticket;
    /// "not found" for anyone else.
    pub async fn attachment(&self, account: &Account, id: i64) -> Result<DocumentDownload, AppError> {
        let stored = store::find_attachment(self.db.pool(), id).await?.ok_or(AppError::NotFound)?;
        let allowed = match self.own_ticket(account, &stored.ticket_reference).await {
            Ok(_) => true,
            Err(AppError::NotFound) => self.desk_ticket_row(account, &stored.ticket_reference).await.is_ok(),
            Err(error) => return Err(error),
        };
        if !allowed {
            return Err(AppError::NotFound);
        }
        let Some(bytes) = stored_files::read(self.db.pool(), &stored.sha256).await? else {
            tracing::error!("a support screenshot's file is missing");
            return Err(AppError::NotFound);
        };
        Ok(DocumentDownload { content_type: stored.content_type, file_name: stored.file_name, bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TicketMove::*;
    use TicketStatus::*;

    #[test]
    fn a_citizen_may_always_write_and_it_becomes_staffs_turn() {
        for from in [AwaitingStaff, AwaitingCitizen, Resolved] {
            assert_eq!(next_status(from, CitizenReply), Some(AwaitingStaff), "from {from:?}");
        }
    }

    #[test]
    fn staff_answer_open_tickets_and_it_becomes_the_citizens_turn() {
        assert_eq!(next_status(AwaitingStaff, StaffReply), Some(AwaitingCitizen));
        assert_eq!(next_status(AwaitingCitizen, StaffReply), Some(AwaitingCitizen));
        assert_eq!(next_status(Resolved, StaffReply), None);
    }

    #[test]
    fn staff_resolve_open_tickets_once() {
        assert_eq!(next_status(AwaitingStaff, Resolve), Some(Resolved));
        assert_eq!(next_status(AwaitingCitizen, Resolve), Some(Resolved));
        assert_eq!(next_status(Resolved, Resolve), None);
    }

    #[test]
    fn messages_are_trimmed_required_and_at_most_2000_characters() {
        assert_eq!(check_message("  My code never came  "), Ok("My code never came".to_string()));
        assert_eq!(check_message(" \n "), Err(Problem::Required));
        assert!(check_message(&"ñ".repeat(MESSAGE_MAX)).is_ok(), "counted in characters, not bytes");
        assert_eq!(check_message(&"a".repeat(MESSAGE_MAX + 1)), Err(Problem::TextTooLong { max: 2_000 }));
    }

    #[test]
    fn typed_references_are_trimmed_and_upper_case() {
        assert_eq!(typed_reference(" psp-2026-000001 "), Some("PSP-2026-000001".to_string()));
        assert_eq!(typed_reference("   "), None);
    }
}
