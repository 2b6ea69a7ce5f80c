//! Moving an application through the status machine, in one transaction with its event and the message to its citizen.

use super::*;

impl Applications {
    /// The collection centre the citizen chose in the form, if the form asked.
    pub(super) fn chosen_centre(&self, row: &ApplicationRow) -> Option<String> {
        let service = self.catalogue.service(&row.service_slug)?;
        let field = service.fields().find(|f| f.kind == FieldKind::Centre)?;
        row.answers.get(&field.name).cloned()
    }

    pub(super) async fn apply_move(&self, row: &ApplicationRow, service: &Service, action: Action, actor: Actor, by: Option<&Account>, details: MoveDetails<'_>) -> Result<String, AppError> {
        let mut tx = self.db.begin_write().await?;
        let reference = self.move_in(&mut tx, row, service, action, actor, by, details).await?;
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
    /// (on the way to Awaiting payment) the invoice, all in the caller's transaction. `by`
    /// names who moved it in the timeline (an officer, or a party to a transfer).
    /// Returns the application's reference.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn move_in(&self, tx: &mut Transaction<'static, Any>, row: &ApplicationRow, service: &Service, action: Action, actor: Actor, by: Option<&Account>, details: MoveDetails<'_>) -> Result<String, AppError> {
        let to = next_status(row.status, action, Shape::of(service)).ok_or(AppError::field("", Problem::NotAllowedNow))?;
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
            claimed_by: by.filter(|_| details.claim).map(|o| o.id),
            officer_note,
            collection_centre: details.centre,
            // A corrected application keeps its place in the queue.
            submitted: action == Action::Submit,
            release_claim: action == Action::ReleaseClaim,
        };
        if !store::move_status(tx, row, &change, now).await? {
            return Err(moved());
        }
        let by_name = by.map(Account::full_name);
        let event = NewEvent {
            application_id: row.id,
            actor,
            actor_name: by_name.as_deref(),
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
        // A transfer: the other party is asked with the submission, the register ordered with the approval.
        if to == Status::AwaitingConfirmation {
            self.ask_counterparty_in(tx, row, service, &reference, now).await?;
        }
        if action == Action::Approve && Shape::of(service).transfer {
            self.order_owner_change_in(tx, row, service, &reference, now).await?;
        }
        // The document is issued with the move that earns it: both commit, or neither.
        if to == Status::Approved || action == Action::Deliver {
            self.issue_document_in(tx, row, service, &reference, details.facts).await?;
        }
        self.tell_citizen_in(tx, row, service, &reference, action, to, details, now).await?;
        Ok(reference)
    }

    /// Queues the SMS about a move in the move's own transaction, in the citizen's language:
    /// the move and its message commit together or not at all.
    #[allow(clippy::too_many_arguments)]
    pub(super) async fn tell_citizen_in(&self, tx: &mut Transaction<'static, Any>, row: &ApplicationRow, service: &Service, reference: &str, action: Action, to: Status, details: MoveDetails<'_>, now: i64) -> Result<(), AppError> {
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
