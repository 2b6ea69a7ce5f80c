//! Applying for services and moving applications, as plain Rust: the citizen fills in a
//! draft, submits, corrects, withdraws; an officer of the service's agency claims and
//! decides. Every method is given the logged-in account and checks what it may do:
//! another citizen's application, or another agency's, is "not found".

use crate::clock::Clock;
use crate::db::Db;
use crate::errors::{AppError, Problem};
use crate::identity::accounts::Account;
use crate::messages::notifications;
use crate::messages::outbox::{self, Message};
use crate::messages::texts;
use crate::services::answers::{self, Context};
use crate::services::catalogue::{Catalogue, FieldKind, Service};
use crate::services::documents::{self, DocumentStore};
use crate::services::status::{next_status, officer_actions, Action, Actor, Status};
use crate::services::store::{self, ApplicationRow, Move, NewDocument, NewEvent};
use crate::services::views::{ApplicationDetails, ApplicationSummary, ClaimedApplication, DocumentInfo, FormState, NotificationView, Notified, Queue, QueueItem};
use crate::payments::invoices;
use sqlx::{Any, Transaction};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

#[derive(Clone)]
pub struct Applications {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub catalogue: Arc<Catalogue>,
    pub documents: DocumentStore,
    /// For links in SMS messages.
    pub public_base_url: String,
    /// `/performance`'s figures, counted at most every few minutes.
    pub performance: crate::performance::cache::FiguresCache,
}

/// Which application a form edits: the citizen's draft of a service, or a submitted one sent back for correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormTarget {
    Draft { service: String },
    Correction { reference: String },
}

impl FormTarget {
    /// From the form's hidden fields: a reference when correcting, else the service.
    pub fn from_fields(service: &str, reference: &str) -> FormTarget {
        if reference.trim().is_empty() {
            FormTarget::Draft { service: service.trim().to_string() }
        } else {
            FormTarget::Correction { reference: reference.trim().to_string() }
        }
    }
}

/// A document as the browser downloads it.
pub struct DocumentDownload {
    pub content_type: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

fn moved() -> AppError {
    AppError::field("", Problem::AlreadyMoved)
}

pub fn format_reference(prefix: &str, year: i64, number: i64) -> String {
    format!("{prefix}-{year}-{number:06}")
}

impl Applications {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn context(&self) -> Context<'_> {
        Context { catalogue: &self.catalogue, today: self.now().div_euclid(86_400) }
    }

    fn service(&self, slug: &str) -> Result<&Service, AppError> {
        self.catalogue.service(slug).ok_or(AppError::NotFound)
    }

    /// The application a form edits, if it exists and is the citizen's.
    async fn target_row(&self, citizen: &Account, target: &FormTarget) -> Result<Option<ApplicationRow>, AppError> {
        match target {
            FormTarget::Draft { service } => {
                self.service(service)?;
                Ok(store::find_draft(self.db.pool(), citizen.id, service).await?)
            }
            FormTarget::Correction { reference } => {
                let row = store::find_by_reference(self.db.pool(), reference).await?;
                match row.filter(|r| r.account_id == citizen.id) {
                    Some(row) => Ok(Some(row)),
                    None => Err(AppError::NotFound),
                }
            }
        }
    }

    /// The application a form edits (if it exists yet) and its service.
    async fn target_and_service(&self, citizen: &Account, target: &FormTarget) -> Result<(Option<ApplicationRow>, &Service), AppError> {
        let existing = self.target_row(citizen, target).await?;
        let slug = match (&existing, target) {
            (Some(row), _) => row.service_slug.clone(),
            (None, FormTarget::Draft { service }) => service.clone(),
            (None, FormTarget::Correction { .. }) => return Err(AppError::NotFound),
        };
        Ok((existing, self.service(&slug)?))
    }

    /// The application to write to: the existing one, or a new draft.
    async fn target_row_or_new_draft(&self, citizen: &Account, target: &FormTarget) -> Result<ApplicationRow, AppError> {
        if let Some(row) = self.target_row(citizen, target).await? {
            return Ok(row);
        }
        let FormTarget::Draft { service } = target else { return Err(AppError::NotFound) };
        let agency = self.service(service)?.agency.clone();
        let mut tx = self.db.begin_write().await?;
        store::insert_draft(&mut tx, citizen.id, service, &agency, self.now()).await?;
        tx.commit().await?;
        // Made now, or a moment ago by the citizen's other tab: either way it is there.
        store::find_draft(self.db.pool(), citizen.id, service).await?.ok_or(AppError::Internal)
    }

    fn editable(row: &ApplicationRow) -> Result<(), AppError> {
        if row.status.is_editable() { Ok(()) } else { Err(AppError::field("", Problem::NotAllowedNow)) }
    }

    async fn document_fields(&self, row: Option<&ApplicationRow>) -> Result<(Vec<DocumentInfo>, HashSet<String>), AppError> {
        let documents = match row {
            Some(row) => store::documents(self.db.pool(), row.id).await?,
            None => Vec::new(),
        };
        let fields = documents.iter().map(|d| d.field.clone()).collect();
        Ok((documents, fields))
    }

    // ------------------------------------------------------------ the citizen's form

    /// The form as it stands: saved answers, uploaded documents, and where to continue.
    pub async fn form(&self, citizen: &Account, target: &FormTarget) -> Result<FormState, AppError> {
        let (row, service) = self.target_and_service(citizen, target).await?;
        if let Some(row) = &row {
            Self::editable(row).map_err(|_| AppError::NotFound)?;
        }
        let (documents, document_fields) = self.document_fields(row.as_ref()).await?;
        let answers = row.as_ref().map(|r| r.answers.clone()).unwrap_or_default();
        let first_incomplete_step = answers::first_incomplete_step(service, &answers, &document_fields, &self.context()).map(|s| s as u32);
        Ok(FormState {
            service: service.clone(),
            centres: self.catalogue.centres.clone(),
            reference: row.as_ref().and_then(|r| r.reference.clone()),
            status: row.as_ref().map(|r| r.status).unwrap_or(Status::Draft),
            amount_due_cents: answers::chosen_fee_cents(service, &answers),
            answers,
            documents,
            declaration_accepted: row.as_ref().is_some_and(|r| r.declaration_accepted),
            officer_note: row.as_ref().and_then(|r| r.officer_note.clone()),
            first_incomplete_step,
        })
    }

    /// Saves one step's answers once they all pass; a problem per field otherwise (nothing saved).
    pub async fn save_step(&self, citizen: &Account, target: &FormTarget, step: usize, submitted: &HashMap<String, String>) -> Result<(), AppError> {
        let (existing, service) = self.target_and_service(citizen, target).await?;
        let (_, document_fields) = self.document_fields(existing.as_ref()).await?;
        let cleaned = answers::check_step(service, step, submitted, &document_fields, &self.context()).map_err(AppError::Invalid)?;

        let row = self.target_row_or_new_draft(citizen, target).await?;
        Self::editable(&row)?;
        let mut answers = row.answers.clone();
        for field in &service.steps[step].fields {
            answers.remove(&field.name);
        }
        answers.extend(cleaned);
        // Once the fee is paid, the option it paid for is settled: a correction may not change
        // it (we freeze it rather than bill or refund a difference).
        if let Some(fee_field) = service.steps[step].fields.iter().find(|f| f.kind == FieldKind::FeeOption) {
            if row.answers.get(&fee_field.name) != answers.get(&fee_field.name) && self.fee_paid(row.id).await? {
                return Err(AppError::field(&fee_field.name, Problem::FeeFrozen));
            }
        }
        let amount = answers::chosen_fee_cents(service, &answers);
        let mut tx = self.db.begin_write().await?;
        if !store::save_answers(&mut tx, &row, &answers, amount, self.now()).await? {
            return Err(moved());
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether the application's fee has been paid.
    async fn fee_paid(&self, application_id: i64) -> Result<bool, AppError> {
        let invoice = crate::payments::invoices::latest_for_application(self.db.pool(), application_id).await?;
        Ok(invoice.is_some_and(|i| i.status == crate::payments::invoices::InvoiceStatus::Paid))
    }

    /// Stores an uploaded file for a file field of the form.
    pub async fn attach_document(&self, citizen: &Account, target: &FormTarget, field: &str, file_name: &str, bytes: &[u8]) -> Result<(), AppError> {
        let (_, service) = self.target_and_service(citizen, target).await?;
        if !service.fields().any(|f| f.name == field && f.kind == FieldKind::File) {
            return Err(AppError::NotFound);
        }
        let content_type = documents::check_upload(bytes).map_err(|problem| AppError::field(field, problem))?;
        let row = self.target_row_or_new_draft(citizen, target).await?;
        Self::editable(&row)?;
        // A full or unwritable disk: the citizen is told beside the field, and no row is
        // written (the store left no part of the file behind).
        let sha256 = self.documents.put(bytes).await.map_err(|error| {
            tracing::error!(%error, "storing a document failed");
            AppError::field(field, Problem::FileNotSaved)
        })?;
        let document = NewDocument { field, sha256: &sha256, content_type, size_bytes: bytes.len() as i64, file_name: &documents::clean_file_name(file_name) };
        let mut tx = self.db.begin_write().await?;
        let replaced = store::document_file_on_field(&mut tx, row.id, field).await?;
        if !store::replace_document(&mut tx, &row, &document, self.now()).await? {
            return Err(moved());
        }
        tx.commit().await?;
        // Another replacement may have removed this content's file between `put` and the
        // commit (no row pointed at it then): now that a row does, make sure it is there.
        self.documents.put(bytes).await.map_err(|error| {
            tracing::error!(%error, "storing a document failed");
            AppError::Internal
        })?;
        if let Some(replaced) = replaced.filter(|old| *old != sha256) {
            self.remove_file_if_unused(&replaced).await;
        }
        Ok(())
    }

    /// Deletes a stored file that no document points at any more. The file is first set
    /// aside and the rows counted again, so an upload of the same content committing at
    /// that moment (in this process or another) keeps it.
    async fn remove_file_if_unused(&self, sha256: &str) {
        match store::document_file_in_use(self.db.pool(), sha256).await {
            Ok(false) => {}
            Ok(true) => return,
            Err(error) => return tracing::error!(%error, "checking a replaced document's file failed"),
        }
        let aside = match self.documents.set_aside(sha256).await {
            Ok(Some(aside)) => aside,
            Ok(None) => return,
            Err(error) => return tracing::error!(%error, "removing a replaced document's file failed"),
        };
        let result = match store::document_file_in_use(self.db.pool(), sha256).await {
            Ok(false) => self.documents.discard(&aside).await,
            // In use again, or we cannot tell: keep it.
            _ => self.documents.restore(sha256, &aside).await,
        };
        if let Err(error) = result {
            tracing::error!(%error, "removing a replaced document's file failed");
        }
    }

    pub async fn accept_declaration(&self, citizen: &Account, target: &FormTarget, accepted: bool) -> Result<(), AppError> {
        if !accepted {
            return Err(AppError::field("declaration", Problem::MustAccept));
        }
        let row = self.target_row(citizen, target).await?.ok_or(AppError::field("", Problem::FlowExpired))?;
        Self::editable(&row)?;
        let mut tx = self.db.begin_write().await?;
        if !store::accept_declaration(&mut tx, &row, self.now()).await? {
            return Err(moved());
        }
        tx.commit().await?;
        Ok(())
    }

    /// Submits a draft (it gets its reference) or resubmits a correction. Returns the reference.
    pub async fn submit(&self, citizen: &Account, target: &FormTarget) -> Result<String, AppError> {
        let row = self.target_row(citizen, target).await?.ok_or(AppError::field("", Problem::FlowExpired))?;
        let service = self.service(&row.service_slug)?;
        let (_, document_fields) = self.document_fields(Some(&row)).await?;
        if let Some(step) = answers::first_incomplete_step(service, &row.answers, &document_fields, &self.context()) {
            let submitted: HashMap<String, String> = row.answers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            let problems = answers::check_step(service, step, &submitted, &document_fields, &self.context()).err().unwrap_or_default();
            return Err(AppError::Invalid(problems));
        }
        if !row.declaration_accepted {
            return Err(AppError::field("declaration", Problem::MustAccept));
        }
        let action = if row.status == Status::Draft { Action::Submit } else { Action::Resubmit };
        let reference = self.apply_move(&row, service, action, Actor::Citizen, None, MoveDetails::default()).await?;
        Ok(reference)
    }

    /// Withdraws an application before an officer starts on it.
    pub async fn withdraw(&self, citizen: &Account, reference: &str, seen_version: i64) -> Result<(), AppError> {
        let row = self.citizens_application(citizen, reference).await?;
        if row.version != seen_version {
            return Err(moved());
        }
        let service = self.service(&row.service_slug)?;
        self.apply_move(&row, service, Action::Withdraw, Actor::Citizen, None, MoveDetails::default()).await?;
        Ok(())
    }

    async fn citizens_application(&self, citizen: &Account, reference: &str) -> Result<ApplicationRow, AppError> {
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?;
        row.filter(|r| r.account_id == citizen.id).ok_or(AppError::NotFound)
    }

    // ------------------------------------------------------------ reading

    pub async fn my_applications(&self, citizen: &Account) -> Result<Vec<ApplicationSummary>, AppError> {
        let rows = store::list_for_account(self.db.pool(), citizen.id).await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let service = self.catalogue.service(&row.service_slug)?;
                Some(ApplicationSummary {
                    reference: row.reference,
                    service_slug: row.service_slug,
                    service_name: service.name.clone(),
                    status: row.status,
                    amount_due_cents: row.amount_due_cents,
                    updated_at: row.updated_at,
                })
            })
            .collect())
    }

    pub async fn my_application(&self, citizen: &Account, reference: &str) -> Result<ApplicationDetails, AppError> {
        let row = self.citizens_application(citizen, reference).await?;
        let service = self.service(&row.service_slug)?;
        let actions = [Action::Withdraw, Action::Resubmit]
            .into_iter()
            .filter(|a| next_status(row.status, *a, service.payment, service.collection).is_some())
            .collect();
        self.details(row, None, actions).await
    }

    async fn details(&self, row: ApplicationRow, viewer: Option<&Account>, actions: Vec<Action>) -> Result<ApplicationDetails, AppError> {
        let service = self.service(&row.service_slug)?.clone();
        let documents = store::documents(self.db.pool(), row.id).await?;
        let timeline = store::timeline(self.db.pool(), row.id).await?;
        let applicant_name = store::full_name(self.db.pool(), row.account_id).await?;
        let claimed_by_name = match row.claimed_by {
            Some(id) => Some(store::full_name(self.db.pool(), id).await?),
            None => None,
        };
        Ok(ApplicationDetails {
            reference: row.reference.clone().unwrap_or_default(),
            service,
            centres: self.catalogue.centres.clone(),
            applicant_name,
            status: row.status,
            version: row.version,
            answers: row.answers,
            documents,
            amount_due_cents: row.amount_due_cents,
            officer_note: row.officer_note,
            collection_centre: row.collection_centre,
            claimed_by_name,
            claimed_by_viewer: viewer.is_some_and(|v| row.claimed_by == Some(v.id)),
            submitted_at: row.submitted_at,
            timeline,
            actions,
        })
    }

    /// The notification centre: application events and account notices, newest first.
    pub async fn notifications(&self, citizen: &Account, limit: i64) -> Result<Vec<NotificationView>, AppError> {
        let stored = notifications::list(self.db.pool(), citizen.id, limit).await?;
        let mut events: HashMap<i64, store::NotificationRow> = store::notifications(self.db.pool(), citizen.id, limit).await?.into_iter().map(|n| (n.id, n)).collect();
        Ok(stored
            .into_iter()
            .filter_map(|n| {
                let about = match n.notice {
                    Some((notice, detail, link)) => Notified::Account { notice, detail, link },
                    None => {
                        let event = events.remove(&n.id)?;
                        Notified::Application {
                            service_name: self.catalogue.service(&event.service_slug)?.name.clone(),
                            reference: event.reference,
                            action: event.action,
                            to_status: event.to_status,
                            amount_due_cents: event.amount_due_cents,
                            note: event.note,
                        }
                    }
                };
                Some(NotificationView { id: n.id, read: n.read, at: n.at, about })
            })
            .collect())
    }

    pub async fn unread_notifications(&self, citizen: &Account) -> Result<i64, AppError> {
        Ok(notifications::unread(self.db.pool(), citizen.id).await?)
    }

    /// Marks one of the citizen's notifications as read, or all of them (`None`).
    pub async fn mark_notifications_read(&self, citizen: &Account, id: Option<i64>) -> Result<(), AppError> {
        notifications::mark_read(self.db.pool(), citizen.id, id, self.now()).await?;
        Ok(())
    }

    /// A document, for its applicant or an officer of the agency (once submitted).
    pub async fn document(&self, viewer: &Account, document_id: i64) -> Result<DocumentDownload, AppError> {
        let stored = store::find_document(self.db.pool(), document_id).await?.ok_or(AppError::NotFound)?;
        let row = store::find_by_id(self.db.pool(), stored.application_id).await?.ok_or(AppError::NotFound)?;
        let applicant = row.account_id == viewer.id;
        let agency_officer = viewer.is_officer() && viewer.agency.as_deref() == Some(row.agency.as_str()) && row.status != Status::Draft;
        if !applicant && !agency_officer {
            return Err(AppError::NotFound);
        }
        let bytes = self.documents.get(&stored.sha256).await.map_err(|error| {
            tracing::error!(%error, document_id, "a stored document is missing");
            AppError::Internal
        })?;
        Ok(DocumentDownload { content_type: stored.info.content_type, file_name: stored.info.file_name, bytes })
    }

    // ------------------------------------------------------------ officers

    fn officers_agency(officer: &Account) -> Result<&str, AppError> {
        match (&officer.agency, officer.is_officer()) {
            (Some(agency), true) => Ok(agency),
            _ => Err(AppError::Forbidden),
        }
    }

    pub async fn queue(&self, officer: &Account, service: &str, status: &str) -> Result<Queue, AppError> {
        let agency = Self::officers_agency(officer)?;
        let status = Status::parse(status).map(Status::as_str).unwrap_or("");
        let service = self.catalogue.service(service).filter(|s| s.agency == agency).map(|s| s.slug.as_str()).unwrap_or("");
        let rows = store::queue(self.db.pool(), agency, service, status, officer.id).await?;
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(service) = self.catalogue.service(&row.service_slug) else { continue };
            let claimed_by_name = match row.claimed_by {
                Some(id) => Some(store::full_name(self.db.pool(), id).await?),
                None => None,
            };
            items.push(QueueItem {
                reference: row.reference.clone().unwrap_or_default(),
                service_name: service.name.clone(),
                applicant_name: store::full_name(self.db.pool(), row.account_id).await?,
                status: row.status,
                submitted_at: row.submitted_at,
                claimed_by_name,
            });
        }
        Ok(Queue {
            agency_name: self.catalogue.agency(agency).map(|a| a.name.clone()).unwrap_or_default(),
            services: self.catalogue.services.iter().filter(|s| s.agency == agency).map(|s| (s.slug.clone(), s.name.clone())).collect(),
            items,
        })
    }

    /// An application of the officer's agency. Never one the officer applied for: to them
    /// it is "not found", so they can neither claim nor decide it.
    async fn agency_application(&self, officer: &Account, reference: &str) -> Result<ApplicationRow, AppError> {
        let agency = Self::officers_agency(officer)?;
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?;
        row.filter(|r| r.agency == agency && r.status != Status::Draft && r.account_id != officer.id).ok_or(AppError::NotFound)
    }

    pub async fn officer_view(&self, officer: &Account, reference: &str) -> Result<ApplicationDetails, AppError> {
        let row = self.agency_application(officer, reference).await?;
        let service = self.service(&row.service_slug)?;
        let actions = officer_actions(row.status, service.payment, service.collection)
            .into_iter()
            // Deciding is for the officer who claimed the application.
            .filter(|a| !needs_claim(*a) || row.claimed_by == Some(officer.id))
            .collect();
        self.details(row, Some(officer), actions).await
    }

    /// An officer's move: claim, approve, reject (with a reason), request action (with a note),
    /// ready for collection (at a centre), complete.
    pub async fn officer_move(&self, officer: &Account, reference: &str, seen_version: i64, action: &str, note: &str, centre: &str) -> Result<(), AppError> {
        let row = self.agency_application(officer, reference).await?;
        let Some(action) = Action::parse(action).filter(|a| a.actor() == Actor::Officer) else {
            return Err(AppError::field("", Problem::NotAllowedNow));
        };
        if row.version != seen_version {
            return Err(moved());
        }
        if needs_claim(action) && row.claimed_by != Some(officer.id) {
            return Err(moved());
        }
        let note = note.trim();
        if matches!(action, Action::Reject | Action::RequestAction) && note.is_empty() {
            return Err(AppError::field("note", Problem::ReasonRequired));
        }
        if note.chars().count() > 1000 {
            return Err(AppError::field("note", Problem::TextTooLong { max: 1000 }));
        }
        let centre = if action == Action::MarkReady {
            let chosen = if centre.trim().is_empty() { row.collection_centre.clone().or_else(|| self.chosen_centre(&row)) } else { Some(centre.trim().to_string()) };
            match chosen.and_then(|slug| self.catalogue.centre(&slug).map(|c| c.slug.clone())) {
                Some(slug) => Some(slug),
                None => return Err(AppError::field("centre", Problem::InvalidChoice)),
            }
        } else {
            None
        };
        let service = self.service(&row.service_slug)?;
        let details = MoveDetails { note: (!note.is_empty()).then_some(note), centre: centre.as_deref(), claim: action == Action::Claim };
        self.apply_move(&row, service, action, Actor::Officer, Some(officer), details).await?;
        Ok(())
    }

    // ------------------------------------------------------------ admins: claims

    /// Every application under review, with who holds it, longest held first. Admins only.
    pub async fn claims(&self, admin: &Account) -> Result<Vec<ClaimedApplication>, AppError> {
        if !admin.is_admin() {
            return Err(AppError::Forbidden);
        }
        let rows = store::claimed(self.db.pool(), None).await?;
        let mut claims = Vec::with_capacity(rows.len());
        for row in rows {
            let (Some(service), Some(holder)) = (self.catalogue.service(&row.service_slug), row.claimed_by) else { continue };
            claims.push(ClaimedApplication {
                reference: row.reference.clone().unwrap_or_default(),
                version: row.version,
                service_name: service.name.clone(),
                agency_short_name: self.catalogue.agency(&row.agency).map(|a| a.short_name.clone()).unwrap_or_default(),
                claimed_by_name: store::full_name(self.db.pool(), holder).await?,
                claimed_at: row.updated_at,
            });
        }
        Ok(claims)
    }

    /// Hands an application under review back to the queue: an admin may, for any agency;
    /// so may the officer holding the claim (as one of their moves).
    pub async fn release_claim(&self, staff: &Account, reference: &str, seen_version: i64) -> Result<(), AppError> {
        if !staff.is_admin() {
            return self.officer_move(staff, reference, seen_version, Action::ReleaseClaim.as_str(), "", "").await;
        }
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?;
        let row = row.filter(|r| r.status != Status::Draft).ok_or(AppError::NotFound)?;
        if row.version != seen_version {
            return Err(moved());
        }
        let service = self.service(&row.service_slug)?;
        self.apply_move(&row, service, Action::ReleaseClaim, Actor::Officer, Some(staff), MoveDetails::default()).await?;
        Ok(())
    }

    /// Releases every claim an officer holds, in the caller's transaction (the one that
    /// disables their account), so nothing stays under review with nobody to decide it.
    /// Returns how many were released.
    pub async fn release_claims_held_in(&self, tx: &mut Transaction<'static, Any>, officer_id: i64) -> Result<usize, AppError> {
        let mut released = 0;
        // A claim the officer moves at this very moment is read again on the next round.
        for _ in 0..5 {
            // (A service gone from the catalogue has no table of moves left to release it by.)
            let rows: Vec<(ApplicationRow, &Service)> = store::claimed(&mut **tx, Some(officer_id))
                .await?
                .into_iter()
                .filter_map(|row| self.catalogue.service(&row.service_slug).map(|service| (row, service)))
                .collect();
            if rows.is_empty() {
                return Ok(released);
            }
            for (row, service) in rows {
                match self.move_in(tx, &row, service, Action::ReleaseClaim, Actor::System, None, MoveDetails::default()).await {
                    Ok(_) => released += 1,
                    Err(error) if error == moved() => {}
                    Err(error) => return Err(error),
                }
            }
        }
        Err(moved())
    }

    /// The collection centre the citizen chose in the form, if the form asked.
    fn chosen_centre(&self, row: &ApplicationRow) -> Option<String> {
        let service = self.catalogue.service(&row.service_slug)?;
        let field = service.fields().find(|f| f.kind == FieldKind::Centre)?;
        row.answers.get(&field.name).cloned()
    }

    // ------------------------------------------------------------ the one place applications move

    async fn apply_move(&self, row: &ApplicationRow, service: &Service, action: Action, actor: Actor, officer: Option<&Account>, details: MoveDetails<'_>) -> Result<String, AppError> {
        let mut tx = self.db.begin_write().await?;
        let reference = self.move_in(&mut tx, row, service, action, actor, officer, details).await?;
        tx.commit().await?;
        Ok(reference)
    }

    /// Records that an application's fee was paid, inside the payment's own transaction, so
    /// that the payment, the receipt, the move to Paid and its SMS commit together or not at all.
    pub async fn payment_received_in(&self, tx: &mut Transaction<'static, Any>, application_id: i64) -> Result<String, AppError> {
        let row = store::find_by_id(&mut **tx, application_id).await?.ok_or(AppError::NotFound)?;
        let service = self.service(&row.service_slug)?;
        self.move_in(tx, &row, service, Action::PaymentReceived, Actor::System, None, MoveDetails::default()).await
    }

    /// The one place an application moves: status, reference, timeline, notification, SMS and
    /// (on the way to Awaiting payment) the invoice, all in the caller's transaction.
    /// Returns the application's reference.
    #[allow(clippy::too_many_arguments)]
    async fn move_in(&self, tx: &mut Transaction<'static, Any>, row: &ApplicationRow, service: &Service, action: Action, actor: Actor, officer: Option<&Account>, details: MoveDetails<'_>) -> Result<String, AppError> {
        let to = next_status(row.status, action, service.payment, service.collection).ok_or(AppError::field("", Problem::NotAllowedNow))?;
        let now = self.now();
        let new_reference = match &row.reference {
            Some(_) => None,
            None => {
                let year = crate::calendar::year_of(now);
                let number = store::next_reference_number(tx, &service.reference_prefix, year).await?;
                Some(format_reference(&service.reference_prefix, year, number))
            }
        };
        // The note stays on the application while it explains the status (a correction asked for, a refusal).
        let officer_note = match action {
            Action::RequestAction | Action::Reject => details.note,
            Action::Resubmit => None,
            _ => row.officer_note.as_deref(),
        };
        let change = Move {
            to,
            reference: new_reference.as_deref(),
            claimed_by: officer.filter(|_| details.claim).map(|o| o.id),
            officer_note,
            collection_centre: details.centre,
            // A corrected application keeps its place in the queue.
            submitted: action == Action::Submit,
            release_claim: action == Action::ReleaseClaim,
        };
        if !store::move_status(tx, row, &change, now).await? {
            return Err(moved());
        }
        let officer_name = officer.map(Account::full_name);
        let event = NewEvent {
            application_id: row.id,
            actor,
            actor_name: officer_name.as_deref(),
            action,
            from: row.status,
            to,
            note: details.note.or(details.centre.and_then(|c| self.catalogue.centre(c)).map(|c| c.name.as_str())),
        };
        let event_id = store::insert_event(tx, &event, now).await?;
        // A released claim is the back office's own business: the timeline shows it, no message.
        if action != Action::ReleaseClaim {
            notifications::notify_event(tx, row.account_id, event_id, now).await?;
        }
        if to == Status::AwaitingPayment {
            invoices::open(tx, row.id, row.amount_due_cents, now).await?;
        }
        if to == Status::Withdrawn {
            invoices::cancel_open(tx, row.id).await?;
        }
        let reference = new_reference.or(row.reference.clone()).unwrap_or_default();
        self.tell_citizen_in(tx, row, service, &reference, action, to, details, now).await?;
        Ok(reference)
    }

    /// Queues the SMS about a move in the move's own transaction, in the citizen's language:
    /// the move and its message commit together or not at all.
    #[allow(clippy::too_many_arguments)]
    async fn tell_citizen_in(&self, tx: &mut Transaction<'static, Any>, row: &ApplicationRow, service: &Service, reference: &str, action: Action, to: Status, details: MoveDetails<'_>, now: i64) -> Result<(), AppError> {
        let Some(citizen) = crate::identity::accounts::find_by_id(&mut **tx, row.account_id).await? else { return Ok(()) };
        let language = citizen.language;
        let link = format!("{}/applications/{reference}", self.public_base_url.trim_end_matches('/'));
        let centre = details.centre.and_then(|c| self.catalogue.centre(c)).map(|c| format!("{}, {}", c.name, c.town)).unwrap_or_default();
        let service_name = service.name.get(language);
        let text = texts::ApplicationMove { action, to, service: &service_name, reference, amount_cents: row.amount_due_cents, link: &link, note: details.note, centre: &centre };
        if let Some(body) = texts::application_moved(language, &text) {
            outbox::queue(tx, &Message::sms(&citizen.phone, language, body).for_account(citizen.id), now).await?;
        }
        Ok(())
    }
}

/// Moves that only the officer holding the claim may make (an admin may also release it).
fn needs_claim(action: Action) -> bool {
    matches!(action, Action::Approve | Action::Reject | Action::RequestAction | Action::ReleaseClaim)
}

#[derive(Clone, Copy, Default)]
struct MoveDetails<'a> {
    note: Option<&'a str>,
    centre: Option<&'a str>,
    claim: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn references_read_like_ecitizen() {
        assert_eq!(super::format_reference("PSP", 2026, 123), "PSP-2026-000123");
    }
}
