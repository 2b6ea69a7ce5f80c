//! What a citizen reads: their applications, one application's details and timeline, notifications, their documents.

use super::*;

impl Applications {
    pub(super) async fn citizens_application(&self, citizen: &Account, reference: &str) -> Result<ApplicationRow, AppError> {
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?;
        row.filter(|r| r.account_id == citizen.id).ok_or(AppError::NotFound)
    }

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
        let actions = [Action::Withdraw, Action::Resubmit, Action::Cancel]
            .into_iter()
            .filter(|a| next_status(row.status, *a, Shape::of(service)).is_some())
            .collect();
        self.details(row, None, actions).await
    }

    pub(super) async fn details(&self, row: ApplicationRow, viewer: Option<&Account>, actions: Vec<Action>) -> Result<ApplicationDetails, AppError> {
        let service = self.service(&row.service_slug)?.clone();
        let documents = store::documents(self.db.pool(), row.id).await?;
        let timeline = store::timeline(self.db.pool(), row.id).await?;
        let applicant_name = store::full_name(self.db.pool(), row.account_id).await?;
        let claimed_by_name = match row.claimed_by {
            Some(id) => Some(store::full_name(self.db.pool(), id).await?),
            None => None,
        };
        let issued = self.issuer.for_application(row.id, row.reference.as_deref().unwrap_or_default()).await?;
        Ok(ApplicationDetails {
            issued,
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
        let Some(bytes) = stored_files::read(self.db.pool(), &stored.sha256).await? else {
            tracing::error!(document_id, "a stored document is missing");
            return Err(AppError::Internal);
        };
        // The applicant sees that their agency's officer opened the file, and which.
        let record = format!("{} · {}", row.reference.as_deref().unwrap_or_default(), stored.info.file_name);
        crate::identity::data_access::record(self.db.pool(), row.account_id, viewer, crate::identity::data_access::RecordKind::Document, &record, None, self.now()).await?;
        Ok(DocumentDownload { content_type: stored.info.content_type, file_name: stored.info.file_name, bytes })
    }
}
