//! Transfers between two people (a vehicle from its owner to a buyer). The owner names the
//! vehicle and the buyer; the buyer accepts from their own account with a code sent to
//! their phone; the owner pays; an NTSA officer approves, which orders the register to record
//! the buyer as owner; once the register has, both are told and the application completes.
//! Either party may cancel until approval. The register is asked again at every step whether
//! the vehicle is still the owner's, and its change itself is conditional on that.

use super::*;
use crate::identity::accounts::{self, ROLE_CITIZEN};
use crate::identity::codes::{self, Purpose};
use crate::identity::contact::{mask_phone, IdNumber, Identifier};
use crate::messages::notifications::AccountNotice;
use crate::messages::outbox::Channel;
use crate::registers::orders::{self, OrderKind};
use crate::registers::{normalise_key, Asker, OwnerChange, Vehicle};
use crate::services::views::{TransferView, REGISTER_VEHICLE};
use sqlx::Row;

/// The code flow a transfer's acceptance belongs to: one per application.
fn code_flow(application_id: i64) -> String {
    format!("transfer:{application_id}")
}

/// The registration number a transfer is for (as the register confirmed it in the form).
fn registration_of(row: &ApplicationRow, service: &Service) -> String {
    service.transfer_fields().and_then(|(vehicle, _)| row.answers.get(&vehicle.name)).cloned().unwrap_or_default()
}

/// The account named as a transfer's other party.
async fn buyer_id<'e, E: sqlx::Executor<'e, Database = Any>>(executor: E, application_id: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT account_id FROM transfer_parties WHERE application_id = $1").bind(application_id).fetch_optional(executor).await
}

/// Who a citizen is to a transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Party {
    Owner,
    Buyer,
}

impl Applications {
    /// The vehicle, when the register gives it to `owner_id_number` with no caveat in the way.
    pub(super) async fn transferable_vehicle(&self, owner_id_number: &str, registration: &str, asker: &Asker) -> Result<Result<Vehicle, Problem>, AppError> {
        Ok(match self.registers.vehicle(registration, asker).await? {
            None => Err(Problem::VehicleUnknown),
            Some(vehicle) if normalise_key(&vehicle.owner_id_number) != normalise_key(owner_id_number) => Err(Problem::VehicleNotYours),
            Some(vehicle) if !vehicle.caveats.is_empty() => Err(Problem::VehicleHasCaveat),
            Some(vehicle) => Ok(vehicle),
        })
    }

    /// The other party: an active citizen's account with this ID number, not the citizen's own.
    pub(super) async fn counterparty(&self, citizen: &Account, id_number: &str) -> Result<Result<Account, Problem>, AppError> {
        let Some(id) = IdNumber::parse(id_number) else { return Ok(Err(Problem::InvalidIdNumber)) };
        if id.as_str() == citizen.id_number {
            return Ok(Err(Problem::CounterpartyIsYou));
        }
        let other = accounts::find_by_identifier(self.db.pool(), &Identifier::IdNumber(id)).await?;
        Ok(other.filter(|a| !a.disabled && a.role == ROLE_CITIZEN).ok_or(Problem::CounterpartyUnknown))
    }

    /// In the submission's transaction: names the other party and tells them, in the portal and by SMS.
    pub(super) async fn ask_counterparty_in(&self, tx: &mut Transaction<'static, Any>, row: &ApplicationRow, service: &Service, reference: &str, now: i64) -> Result<(), AppError> {
        let Some((vehicle_field, party_field)) = service.transfer_fields() else { return Ok(()) };
        let party = match row.answers.get(&party_field.name).and_then(|id| IdNumber::parse(id)) {
            Some(id) => accounts::find_by_identifier(&mut **tx, &Identifier::IdNumber(id)).await?,
            None => None,
        };
        let party = party.ok_or(AppError::field(&party_field.name, Problem::CounterpartyUnknown))?;
        sqlx::query("INSERT INTO transfer_parties (application_id, account_id) VALUES ($1, $2)").bind(row.id).bind(party.id).execute(&mut **tx).await?;
        let registration = row.answers.get(&vehicle_field.name).cloned().unwrap_or_default();
        let seller = store::full_name(&mut **tx, row.account_id).await?;
        let path = format!("/transfers/{reference}");
        notifications::notify(tx, party.id, AccountNotice::TransferToAccept, &format!("{registration} · {seller}"), Some(&path), now).await?;
        let body = texts::transfer_to_accept(party.language, &seller, &registration, &self.public_link(&path));
        outbox::queue(tx, &Message::sms(&party.phone, party.language, body).for_account(party.id), now).await?;
        Ok(())
    }

    fn public_link(&self, path: &str) -> String {
        format!("{}{path}", self.public_base_url.trim_end_matches('/'))
    }

    /// A transfer and who the citizen is to it; "not found" to anyone else.
    async fn transfer_as(&self, citizen: &Account, reference: &str) -> Result<(ApplicationRow, &Service, Party, i64), AppError> {
        let row = store::find_by_reference(self.db.pool(), reference.trim()).await?.ok_or(AppError::NotFound)?;
        let service = self.service(&row.service_slug)?;
        if service.transfer_fields().is_none() || row.status == Status::Draft {
            return Err(AppError::NotFound);
        }
        let buyer = buyer_id(self.db.pool(), row.id).await?.ok_or(AppError::NotFound)?;
        let party = if row.account_id == citizen.id {
            Party::Owner
        } else if buyer == citizen.id {
            Party::Buyer
        } else {
            return Err(AppError::NotFound);
        };
        Ok((row, service, party, buyer))
    }

    fn transfer_view(&self, row: &ApplicationRow, service: &Service, seller_name: String, accepted: bool, viewer: &Account) -> TransferView {
        TransferView {
            reference: row.reference.clone().unwrap_or_default(),
            version: row.version,
            status: row.status,
            registration_number: registration_of(row, service),
            vehicle: row.answers.get(REGISTER_VEHICLE).cloned().unwrap_or_default(),
            seller_name,
            accepted,
            can_cancel: next_status(row.status, Action::Cancel, Shape::of(service)).is_some(),
            code_to: mask_phone(&viewer.phone),
        }
    }

    /// A transfer as its other party sees it.
    pub async fn transfer_for_buyer(&self, citizen: &Account, reference: &str) -> Result<TransferView, AppError> {
        let (row, service, party, _) = self.transfer_as(citizen, reference).await?;
        if party != Party::Buyer {
            return Err(AppError::NotFound);
        }
        let seller = store::full_name(self.db.pool(), row.account_id).await?;
        let accepted: Option<i64> = sqlx::query_scalar("SELECT confirmed_at FROM transfer_parties WHERE application_id = $1").bind(row.id).fetch_one(self.db.pool()).await?;
        Ok(self.transfer_view(&row, service, seller, accepted.is_some(), citizen))
    }

    /// Transfers naming the citizen as the other party that are still open, newest first.
    pub async fn transfers_to(&self, citizen: &Account) -> Result<Vec<TransferView>, AppError> {
        let rows = sqlx::query("SELECT a.reference FROM transfer_parties p JOIN applications a ON a.id = p.application_id WHERE p.account_id = $1 AND a.status NOT IN ('completed', 'withdrawn', 'rejected') ORDER BY a.id DESC LIMIT 50")
            .bind(citizen.id)
            .fetch_all(self.db.pool())
            .await?;
        let mut transfers = Vec::with_capacity(rows.len());
        for row in rows {
            let reference: Option<String> = row.get("reference");
            transfers.push(self.transfer_for_buyer(citizen, reference.as_deref().unwrap_or_default()).await?);
        }
        Ok(transfers)
    }

    /// Sends the other party the code that accepts the transfer, to their own phone.
    pub async fn send_transfer_code(&self, citizen: &Account, reference: &str) -> Result<(), AppError> {
        let (row, service, party, _) = self.transfer_as(citizen, reference).await?;
        if party != Party::Buyer || row.status != Status::AwaitingConfirmation {
            return Err(AppError::field("", Problem::NotAllowedNow));
        }
        let registration = registration_of(&row, service);
        let now = self.now();
        let flow = code_flow(row.id);
        let mut tx = self.db.begin_write().await?;
        if let Err(problem) = codes::check_send_allowed(&mut tx, citizen.id, &flow, now).await? {
            return Err(AppError::field("code", problem));
        }
        let code = codes::issue(&mut tx, citizen.id, &flow, Purpose::Transfer, Channel::Sms, now).await?;
        let body = texts::transfer_code(citizen.language, &registration, &code);
        outbox::queue(&mut tx, &Message::sms(&citizen.phone, citizen.language, body).for_account(citizen.id).secret(), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The other party accepts with the code sent to them: the fee becomes due from the owner.
    pub async fn accept_transfer(&self, citizen: &Account, reference: &str, seen_version: i64, code: &str) -> Result<(), AppError> {
        let (row, service, party, _) = self.transfer_as(citizen, reference).await?;
        if party != Party::Buyer {
            return Err(AppError::NotFound);
        }
        let code = codes::typed_code(code).ok_or(AppError::field("code", Problem::CodeFormat))?;
        if row.version != seen_version {
            return Err(moved());
        }
        if row.status != Status::AwaitingConfirmation {
            return Err(AppError::field("", Problem::NotAllowedNow));
        }
        self.check_still_owners(&row, service, citizen.id, "accept").await?;
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        if let Err(problem) = codes::verify(&mut tx, citizen.id, &code_flow(row.id), Purpose::Transfer, code, now).await? {
            // A wrong entry is counted (five void the code): that much is kept.
            tx.commit().await?;
            return Err(AppError::field("code", problem));
        }
        sqlx::query("UPDATE transfer_parties SET confirmed_at = $1 WHERE application_id = $2 AND account_id = $3").bind(now).bind(row.id).bind(citizen.id).execute(&mut *tx).await?;
        self.move_in(&mut tx, &row, service, Action::Confirm, Actor::Citizen, Some(citizen), MoveDetails::default()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Either party calls the transfer off before approval. A fee already paid is kept to be
    /// refunded; the other party is told. True when the owner called it off.
    pub async fn cancel_transfer(&self, citizen: &Account, reference: &str, seen_version: i64) -> Result<bool, AppError> {
        let (row, service, party, buyer_id) = self.transfer_as(citizen, reference).await?;
        if row.version != seen_version {
            return Err(moved());
        }
        let registration = registration_of(&row, service);
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        let reference = self.move_in(&mut tx, &row, service, Action::Cancel, Actor::Citizen, Some(citizen), MoveDetails::default()).await?;
        crate::payments::attention::keep_fee_of_withdrawn(&mut tx, row.id, row.account_id, now).await?;
        // The one who cancelled knows; the other is told.
        let other = if party == Party::Owner { buyer_id } else { row.account_id };
        if let Some(other) = accounts::find_by_id(&mut *tx, other).await? {
            let body = texts::transfer_cancelled(other.language, &registration, &reference);
            outbox::queue(&mut tx, &Message::sms(&other.phone, other.language, body).for_account(other.id), now).await?;
            if party == Party::Owner {
                notifications::notify(&mut tx, other.id, AccountNotice::TransferCancelled, &registration, Some(&format!("/transfers/{reference}")), now).await?;
            }
        }
        tx.commit().await?;
        Ok(party == Party::Owner)
    }

    /// Whether the register still gives the transfer's vehicle to its owner, with no caveat.
    pub(super) async fn check_still_owners(&self, row: &ApplicationRow, service: &Service, asker_id: i64, why: &str) -> Result<(), AppError> {
        let Some((vehicle_field, _)) = service.transfer_fields() else { return Ok(()) };
        let owner = accounts::find_by_id(self.db.pool(), row.account_id).await?.ok_or(AppError::NotFound)?;
        let registration = row.answers.get(&vehicle_field.name).cloned().unwrap_or_default();
        let asker = Asker::account(asker_id, format!("transfer {why} {}", row.reference.clone().unwrap_or_default()));
        match self.transferable_vehicle(&owner.id_number, &registration, &asker).await? {
            Ok(_) => Ok(()),
            Err(Problem::VehicleHasCaveat) => Err(AppError::field("", Problem::VehicleHasCaveat)),
            Err(_) => Err(AppError::field("", Problem::VehicleOwnerChanged)),
        }
    }

    /// In the approval's transaction: the order to NTSA's register to record the buyer as the
    /// owner, conditional on the seller still owning it; the register worker delivers it.
    pub(super) async fn order_owner_change_in(&self, tx: &mut Transaction<'static, Any>, row: &ApplicationRow, service: &Service, reference: &str, now: i64) -> Result<(), AppError> {
        let Some((vehicle_field, _)) = service.transfer_fields() else { return Ok(()) };
        let buyer = self.buyer_in(tx, row.id).await?;
        let seller = accounts::find_by_id(&mut **tx, row.account_id).await?.ok_or(AppError::Internal)?;
        let change = OwnerChange {
            registration_number: row.answers.get(&vehicle_field.name).cloned().unwrap_or_default(),
            from_id_number: seller.id_number,
            to_id_number: buyer.id_number.clone(),
            to_name: buyer.full_name(),
            reference: reference.to_string(),
        };
        orders::place_in(tx, OrderKind::ChangeOwner, reference, row.id, &change, now).await?;
        Ok(())
    }

    async fn buyer_in(&self, tx: &mut Transaction<'static, Any>, application_id: i64) -> Result<Account, AppError> {
        let buyer = buyer_id(&mut **tx, application_id).await?.ok_or(AppError::Internal)?;
        accounts::find_by_id(&mut **tx, buyer).await?.ok_or(AppError::Internal)
    }

    /// Approved transfers whose owner change the register has made: completes each and tells
    /// both parties, in one transaction. Safe in several processes (the move checks the
    /// version). Returns how many were completed.
    pub async fn finish_transfers(&self, limit: i64) -> Result<u64, AppError> {
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT a.id FROM applications a JOIN register_orders o ON o.application_id = a.id AND o.kind = 'change_owner' AND o.status = 'done' \
             WHERE a.status = 'approved' ORDER BY a.id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.db.pool())
        .await?;
        let mut finished = 0;
        for id in ids {
            let Some(row) = store::find_by_id(self.db.pool(), id).await? else { continue };
            let service = self.service(&row.service_slug)?;
            let now = self.now();
            let mut tx = self.db.begin_write().await?;
            let buyer = self.buyer_in(&mut tx, row.id).await?;
            let registration = registration_of(&row, service);
            let note = buyer.full_name();
            let details = MoveDetails { note: Some(&note), ..MoveDetails::default() };
            let reference = match self.move_in(&mut tx, &row, service, Action::Deliver, Actor::System, None, details).await {
                Ok(reference) => reference,
                Err(error) if error == moved() => continue, // another process finished it
                Err(error) => return Err(error),
            };
            if let Some(seller) = accounts::find_by_id(&mut *tx, row.account_id).await? {
                let body = texts::transfer_done_seller(seller.language, &buyer.full_name(), &registration, &reference);
                outbox::queue(&mut tx, &Message::sms(&seller.phone, seller.language, body).for_account(seller.id), now).await?;
            }
            let body = texts::transfer_done_buyer(buyer.language, &registration, &self.public_link("/my-vehicles"));
            outbox::queue(&mut tx, &Message::sms(&buyer.phone, buyer.language, body).for_account(buyer.id), now).await?;
            notifications::notify(&mut tx, buyer.id, AccountNotice::VehicleReceived, &registration, Some("/my-vehicles"), now).await?;
            tx.commit().await?;
            finished += 1;
        }
        Ok(finished)
    }
}
