//! Applying: the form and its drafts, step by step, documents, the declaration, submitting and withdrawing.

use super::*;

impl Applications {
    /// The application a form edits, if it exists and is the citizen's.
    pub(super) async fn target_row(&self, citizen: &Account, target: &FormTarget) -> Result<Option<ApplicationRow>, AppError> {
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
    pub(super) async fn target_and_service(&self, citizen: &Account, target: &FormTarget) -> Result<(Option<ApplicationRow>, &Service), AppError> {
        let existing = self.target_row(citizen, target).await?;
        let slug = match (&existing, target) {
            (Some(row), _) => row.service_slug.clone(),
            (None, FormTarget::Draft { service }) => service.clone(),
            (None, FormTarget::Correction { .. }) => return Err(AppError::NotFound),
        };
        Ok((existing, self.service(&slug)?))
    }

    /// The application to write to: the existing one, or a new draft.
    pub(super) async fn target_row_or_new_draft(&self, citizen: &Account, target: &FormTarget) -> Result<ApplicationRow, AppError> {
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

    pub(super) fn editable(row: &ApplicationRow) -> Result<(), AppError> {
        if row.status.is_editable() { Ok(()) } else { Err(AppError::field("", Problem::NotAllowedNow)) }
    }

    pub(super) async fn document_fields(&self, row: Option<&ApplicationRow>) -> Result<(Vec<DocumentInfo>, HashSet<String>), AppError> {
        let documents = match row {
            Some(row) => store::documents(self.db.pool(), row.id).await?,
            None => Vec::new(),
        };
        let fields = documents.iter().map(|d| d.field.clone()).collect();
        Ok((documents, fields))
    }

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
        let mut cleaned = answers::check_step(service, step, submitted, &document_fields, &self.context()).map_err(AppError::Invalid)?;
        self.check_with_registers(citizen, service, service.steps[step].fields.iter(), &mut cleaned).await?;

        let row = self.target_row_or_new_draft(citizen, target).await?;
        Self::editable(&row)?;
        let mut answers = row.answers.clone();
        for field in &service.steps[step].fields {
            answers.remove(&field.name);
        }
        // What a register said about this step's answers goes with them.
        if service.steps[step].fields.iter().any(|f| f.lookup.is_some()) {
            answers.retain(|key, _| !key.starts_with("notice.") && !key.starts_with("register."));
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

    /// Stores an uploaded file for a file field of the form.
    pub async fn attach_document(&self, citizen: &Account, target: &FormTarget, field: &str, file_name: &str, bytes: &[u8]) -> Result<(), AppError> {
        let (_, service) = self.target_and_service(citizen, target).await?;
        if !service.fields().any(|f| f.name == field && f.kind == FieldKind::File) {
            return Err(AppError::NotFound);
        }
        let content_type = documents::check_upload(bytes).map_err(|problem| AppError::field(field, problem))?;
        let row = self.target_row_or_new_draft(citizen, target).await?;
        Self::editable(&row)?;
        let mut tx = self.db.begin_write().await?;
        // The file and the row naming it are one transaction: both are kept, or neither.
        // Should the database refuse the bytes alone, the citizen is told beside the field.
        let sha256 = stored_files::keep(&mut tx, bytes, self.now()).await.map_err(|error| {
            tracing::error!(%error, "storing a document failed");
            AppError::field(field, Problem::FileNotSaved)
        })?;
        let document = NewDocument { field, sha256: &sha256, content_type, size_bytes: bytes.len() as i64, file_name: &documents::clean_file_name(file_name) };
        let replaced = store::document_file_on_field(&mut tx, row.id, field).await?;
        if !store::replace_document(&mut tx, &row, &document, self.now()).await? {
            return Err(moved());
        }
        tx.commit().await?;
        if let Some(replaced) = replaced.filter(|old| *old != sha256) {
            self.remove_file_if_unused(&replaced).await;
        }
        Ok(())
    }

    /// Deletes a kept file that no document points at any more. A failure only leaves an
    /// unused file behind, so it is logged, not shown.
    async fn remove_file_if_unused(&self, sha256: &str) {
        if let Err(error) = stored_files::remove_if_unused(&self.db, sha256).await {
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
        // Asked again: the notice may have been paid, or the name taken, since the form.
        let mut checked = row.answers.clone();
        self.check_with_registers(citizen, service, service.fields(), &mut checked).await?;
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
}
