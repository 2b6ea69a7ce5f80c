//! The embedded registers: tables in Raia's own database, filled from agencies' extracts.

use super::*;
use crate::db::Db;
use sqlx::any::AnyRow;
use sqlx::Row;

pub struct EmbeddedRegisters {
    db: Db,
}

impl EmbeddedRegisters {
    pub fn new(db: Db) -> Self {
        EmbeddedRegisters { db }
    }
}

const VEHICLE_COLUMNS: &str = "registration_number, make, model, year, colour, chassis_number, logbook_number, owner_id_number, owner_name, insurance_status, insurance_expiry, caveats";

fn vehicle_from(row: &AnyRow) -> Vehicle {
    let caveats: String = row.get("caveats");
    Vehicle {
        registration_number: row.get("registration_number"),
        make: row.get("make"),
        model: row.get("model"),
        year: row.get("year"),
        colour: row.get("colour"),
        chassis_number: row.get("chassis_number"),
        logbook_number: row.get("logbook_number"),
        owner_id_number: row.get("owner_id_number"),
        owner_name: row.get("owner_name"),
        insurance_status: row.get("insurance_status"),
        insurance_expiry: row.get("insurance_expiry"),
        caveats: caveats.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
    }
}

fn fine_from(row: &AnyRow) -> Fine {
    Fine {
        notice_number: row.get("notice_number"),
        offence_en: row.get("offence_en"),
        offence_sw: row.get("offence_sw"),
        amount_cents: row.get("amount_cents"),
        vehicle: row.get("vehicle"),
        offence_date: row.get("offence_date"),
        paid: row.get::<Option<String>, _>("paid_reference").is_some(),
    }
}

#[async_trait::async_trait]
impl Registers for EmbeddedRegisters {
    async fn vehicle(&self, registration_number: &str, _: &Asker) -> Result<Option<Vehicle>, RegisterError> {
        let row = sqlx::query(&format!("SELECT {VEHICLE_COLUMNS} FROM register_vehicles WHERE registration_number = $1"))
            .bind(normalise_registration(registration_number))
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.as_ref().map(vehicle_from))
    }

    async fn vehicles_owned_by(&self, id_number: &str, _: &Asker) -> Result<Vec<Vehicle>, RegisterError> {
        let rows = sqlx::query(&format!("SELECT {VEHICLE_COLUMNS} FROM register_vehicles WHERE owner_id_number = $1 ORDER BY registration_number"))
            .bind(normalise_key(id_number))
            .fetch_all(self.db.pool())
            .await?;
        Ok(rows.iter().map(vehicle_from).collect())
    }

    async fn change_owner(&self, change: &OwnerChange, _: &Asker) -> Result<OwnerChangeOutcome, RegisterError> {
        let registration = normalise_registration(&change.registration_number);
        let mut tx = self.db.begin_write().await?;
        // Only from the seller, and only once per transfer: the condition is the check.
        let changed = sqlx::query("UPDATE register_vehicles SET owner_id_number = $1, owner_name = $2, last_transfer = $3 WHERE registration_number = $4 AND owner_id_number = $5")
            .bind(normalise_key(&change.to_id_number))
            .bind(&change.to_name)
            .bind(&change.reference)
            .bind(&registration)
            .bind(normalise_key(&change.from_id_number))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let outcome = if changed == 1 {
            OwnerChangeOutcome::Changed
        } else {
            let row = sqlx::query("SELECT last_transfer FROM register_vehicles WHERE registration_number = $1").bind(&registration).fetch_optional(&mut *tx).await?;
            match row {
                None => OwnerChangeOutcome::Unknown,
                Some(row) if row.get::<Option<String>, _>("last_transfer").as_deref() == Some(change.reference.as_str()) => OwnerChangeOutcome::Changed,
                Some(_) => OwnerChangeOutcome::NotTheOwner,
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn fine(&self, notice_number: &str, _: &Asker) -> Result<Option<Fine>, RegisterError> {
        let row = sqlx::query("SELECT notice_number, offence_en, offence_sw, amount_cents, vehicle, offence_date, paid_reference FROM register_fines WHERE notice_number = $1")
            .bind(normalise_key(notice_number))
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.as_ref().map(fine_from))
    }

    async fn pay_fine(&self, notice_number: &str, payment: &FinePayment, _: &Asker) -> Result<FineSettlement, RegisterError> {
        let notice = normalise_key(notice_number);
        let mut tx = self.db.begin_write().await?;
        let paid = sqlx::query("UPDATE register_fines SET paid_reference = $1, paid_at = $2 WHERE notice_number = $3 AND paid_reference IS NULL AND amount_cents = $4")
            .bind(&payment.reference)
            .bind(payment.paid_at)
            .bind(&notice)
            .bind(payment.amount_cents)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let outcome = if paid == 1 {
            FineSettlement::Paid
        } else {
            let row = sqlx::query("SELECT amount_cents, paid_reference FROM register_fines WHERE notice_number = $1").bind(&notice).fetch_optional(&mut *tx).await?;
            match row {
                None => FineSettlement::Unknown,
                Some(row) => match row.get::<Option<String>, _>("paid_reference") {
                    Some(reference) if reference == payment.reference => FineSettlement::Paid,
                    Some(_) => FineSettlement::PaidByOther,
                    None => FineSettlement::AmountDiffers,
                },
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn driving_licence(&self, licence_number: &str, _: &Asker) -> Result<Option<DrivingLicence>, RegisterError> {
        let row = sqlx::query("SELECT licence_number, id_number, classes, expires_on FROM register_driving_licences WHERE licence_number = $1")
            .bind(normalise_key(licence_number))
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.map(|row| DrivingLicence { licence_number: row.get("licence_number"), id_number: row.get("id_number"), classes: row.get("classes"), expires_on: row.get("expires_on") }))
    }

    async fn kra_pin(&self, pin: &str, _: &Asker) -> Result<Option<KraPin>, RegisterError> {
        let row = sqlx::query("SELECT pin, id_number, status FROM register_kra_pins WHERE pin = $1").bind(normalise_key(pin)).fetch_optional(self.db.pool()).await?;
        Ok(row.map(|row| KraPin { pin: row.get("pin"), id_number: row.get("id_number"), status: row.get("status") }))
    }

    async fn business_names_like(&self, name: &str, _: &Asker) -> Result<Vec<BusinessName>, RegisterError> {
        let rows = sqlx::query("SELECT number, name, owner_id_numbers, status FROM register_business_names WHERE similar_key = $1 ORDER BY number")
            .bind(similar_name_key(name))
            .fetch_all(self.db.pool())
            .await?;
        Ok(rows
            .iter()
            .map(|row| BusinessName {
                number: row.get("number"),
                name: row.get("name"),
                owner_id_numbers: row.get::<String, _>("owner_id_numbers").split_whitespace().map(String::from).collect(),
                status: row.get("status"),
            })
            .collect())
    }
}
