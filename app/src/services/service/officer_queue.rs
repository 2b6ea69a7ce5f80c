//! The officers' work: their agency's queue, one application, claims and the moves they make; admins' view of claims.

use super::*;
use crate::identity::data_access::{self, RecordKind};

impl Applications {
    pub(super) fn officers_agency(officer: &Account) -> Result<&str, AppError> {
        match (&officer.agency, officer.is_officer()) {
            (Some(agency), true) => Ok(agency),
            _ => Err(AppError::Forbidden),
        }
    }

    /// A page of the officer's agency's queue, after `after` (a `QueueCursor` as text; empty
    /// or unreadable: the first page).
    pub async fn queue(&self, officer: &Account, service: &str, status: &str, after: &str) -> Result<Queue, AppError> {
        let agency = Self::officers_agency(officer)?;
        let status = Status::parse(status).map(Status::as_str).unwrap_or("");
        let service = self.catalogue.service(service).filter(|s| s.agency == agency).map(|s| s.slug.as_str()).unwrap_or("");
        let rows = store::queue(self.db.pool(), agency, service, status, officer.id, store::QueueCursor::parse(after)).await?;
        // A full page may have a next one; the link says where it starts.
        let next = (rows.len() as i64 == store::QUEUE_PAGE)
            .then(|| rows.last().and_then(|r| Some(store::QueueCursor { submitted_at: r.application.submitted_at?, id: r.application.id }.as_text())))
            .flatten();
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            let Some(service) = self.catalogue.service(&row.application.service_slug) else { continue };
            items.push(QueueItem {
                reference: row.application.reference.clone().unwrap_or_default(),
                service_name: service.name.clone(),
                applicant_name: row.applicant_name,
                status: row.application.status,
                submitted_at: row.application.submitted_at,
                claimed_by_name: row.claimed_by_name,
            });
        }
        Ok(Queue {
            agency_name: self.catalogue.agency(agency).map(|a| a.name.clone()).unwrap_or_default(),
            services: self.catalogue.services.iter().filter(|s| s.agency == agency).map(|s| (s.slug.clone(), s.name.clone())).collect(),
            items,
            next,
        })
    }

    /// An application of the officer's agency. Never one the officer applied for: to them
    /// it is "not found", so they can neither claim nor decide it.
    pub(super) async fn agency_application(&self, officer: &Account, reference: &str) -> Result<ApplicationRow, AppError> {
        let agency = Self::officers_agency(officer)?;
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?;
        row.filter(|r| r.agency == agency && r.status != Status::Draft && r.account_id != officer.id).ok_or(AppError::NotFound)
    }

    /// An application of the officer's agency, opened: the applicant sees it under "who
    /// looked at my data". One outside the officer's own work (nothing for them to do on it
    /// now, not claimed by them, never opened by them before: a decided application, say)
    /// opens only with a reason, which the applicant reads too.
    pub async fn officer_view(&self, officer: &Account, reference: &str, reason: &str) -> Result<ApplicationDetails, AppError> {
        let row = self.agency_application(officer, reference).await?;
        let service = self.service(&row.service_slug)?;
        let actions: Vec<Action> = officer_actions(row.status, Shape::of(service))
            .into_iter()
            // Deciding is for the officer who claimed the application.
            .filter(|a| !needs_claim(*a) || row.claimed_by == Some(officer.id))
            .collect();
        let reason = reason.trim();
        if reason.chars().count() > data_access::REASON_MAX_CHARS {
            return Err(AppError::field("reason", Problem::TextTooLong { max: data_access::REASON_MAX_CHARS as i64 }));
        }
        let record = row.reference.clone().unwrap_or_default();
        let own_work = !actions.is_empty()
            || row.claimed_by == Some(officer.id)
            || data_access::opened_before(self.db.pool(), officer.id, RecordKind::Application, &record).await?;
        if !own_work && reason.is_empty() {
            return Err(AppError::field("reason", Problem::ReasonRequired));
        }
        data_access::record(self.db.pool(), row.account_id, officer, RecordKind::Application, &record, Some(reason), self.now()).await?;
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
        // A transfer is approved only while the register still gives the vehicle to the seller.
        if action == Action::Approve {
            self.check_still_owners(&row, service, officer.id, "approval").await?;
        }
        let details = MoveDetails { note: (!note.is_empty()).then_some(note), centre: centre.as_deref(), facts: None, claim: action == Action::Claim };
        self.apply_move(&row, service, action, Actor::Officer, Some(officer), details).await?;
        Ok(())
    }

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
}
