//! Every register call, embedded or remote, leaves a row: which agency, what was asked
//! about (masked), by whom, why, and how it went. Calls are never made inside a write
//! transaction of Raia's (a remote agency may take seconds), so the row is written on its own.

use super::*;
use crate::clock::Clock;
use crate::db::Db;
use std::sync::Arc;
use std::time::Instant;

pub struct Logged {
    pub inner: Box<dyn Registers>,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
}

/// Enough of a key to find the call again, not enough to read the register through the log.
fn masked(subject: &str) -> String {
    let count = subject.chars().count();
    subject.chars().enumerate().map(|(i, c)| if i + 3 < count && i >= 2 { '•' } else { c }).collect()
}

fn outcome_of<T>(result: &Result<T, RegisterError>, found: impl Fn(&T) -> &'static str) -> String {
    match result {
        Ok(value) => found(value).to_string(),
        Err(RegisterError::NotAnswering(reason)) => format!("not answering: {reason}"),
        Err(RegisterError::Malformed(reason)) => format!("malformed: {reason}"),
        Err(RegisterError::Database(_)) => "database error".to_string(),
    }
}

impl Logged {
    async fn record(&self, agency: &str, operation: &str, subject: &str, asker: &Asker, outcome: String, started: Instant) {
        let written = sqlx::query("INSERT INTO register_calls (agency, operation, subject, account_id, purpose, outcome, duration_ms, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(agency)
            .bind(operation)
            .bind(masked(subject))
            .bind(asker.account_id)
            .bind(&asker.purpose)
            .bind(&outcome)
            .bind(started.elapsed().as_millis() as i64)
            .bind(self.clock.now())
            .execute(self.db.pool())
            .await;
        if let Err(error) = written {
            tracing::error!(%error, agency, operation, "recording a register call failed");
        }
        tracing::info!(agency, operation, account = asker.account_id, purpose = asker.purpose.as_str(), outcome = outcome.as_str(), ms = started.elapsed().as_millis() as u64, "register call");
    }
}

fn found<T>(value: &Option<T>) -> &'static str {
    if value.is_some() { "found" } else { "not found" }
}

#[async_trait::async_trait]
impl Registers for Logged {
    async fn vehicle(&self, registration_number: &str, asker: &Asker) -> Result<Option<Vehicle>, RegisterError> {
        let started = Instant::now();
        let result = self.inner.vehicle(registration_number, asker).await;
        self.record("ntsa", "vehicle", registration_number, asker, outcome_of(&result, found), started).await;
        result
    }

    async fn vehicles_owned_by(&self, id_number: &str, asker: &Asker) -> Result<Vec<Vehicle>, RegisterError> {
        let started = Instant::now();
        let result = self.inner.vehicles_owned_by(id_number, asker).await;
        self.record("ntsa", "vehicles_owned_by", id_number, asker, outcome_of(&result, |_| "listed"), started).await;
        result
    }

    async fn change_owner(&self, change: &OwnerChange, asker: &Asker) -> Result<OwnerChangeOutcome, RegisterError> {
        let started = Instant::now();
        let result = self.inner.change_owner(change, asker).await;
        let outcome = outcome_of(&result, |o| match o {
            OwnerChangeOutcome::Changed => "changed",
            OwnerChangeOutcome::NotTheOwner => "not the owner",
            OwnerChangeOutcome::Unknown => "not found",
        });
        self.record("ntsa", "change_owner", &change.registration_number, asker, outcome, started).await;
        result
    }

    async fn fine(&self, notice_number: &str, asker: &Asker) -> Result<Option<Fine>, RegisterError> {
        let started = Instant::now();
        let result = self.inner.fine(notice_number, asker).await;
        self.record("ntsa", "fine", notice_number, asker, outcome_of(&result, found), started).await;
        result
    }

    async fn pay_fine(&self, notice_number: &str, payment: &FinePayment, asker: &Asker) -> Result<FineSettlement, RegisterError> {
        let started = Instant::now();
        let result = self.inner.pay_fine(notice_number, payment, asker).await;
        let outcome = outcome_of(&result, |s| match s {
            FineSettlement::Paid => "paid",
            FineSettlement::PaidByOther => "paid by another payment",
            FineSettlement::Unknown => "not found",
            FineSettlement::AmountDiffers => "amount differs",
        });
        self.record("ntsa", "pay_fine", notice_number, asker, outcome, started).await;
        result
    }

    async fn driving_licence(&self, licence_number: &str, asker: &Asker) -> Result<Option<DrivingLicence>, RegisterError> {
        let started = Instant::now();
        let result = self.inner.driving_licence(licence_number, asker).await;
        self.record("ntsa", "driving_licence", licence_number, asker, outcome_of(&result, found), started).await;
        result
    }

    async fn kra_pin(&self, pin: &str, asker: &Asker) -> Result<Option<KraPin>, RegisterError> {
        let started = Instant::now();
        let result = self.inner.kra_pin(pin, asker).await;
        self.record("kra", "kra_pin", pin, asker, outcome_of(&result, found), started).await;
        result
    }

    async fn business_names_like(&self, name: &str, asker: &Asker) -> Result<Vec<BusinessName>, RegisterError> {
        let started = Instant::now();
        let result = self.inner.business_names_like(name, asker).await;
        self.record("brs", "business_names_like", name, asker, outcome_of(&result, |_| "listed"), started).await;
        result
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn subjects_are_masked_in_the_log() {
        assert_eq!(super::masked("NTSA0012345"), "NT••••••345");
        assert_eq!(super::masked("KDA"), "KDA");
    }
}
