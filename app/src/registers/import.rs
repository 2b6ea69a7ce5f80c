//! Filling the embedded registers from agencies' CSV extracts (`raia-server import-register
//! KIND FILE.csv`), and the demo extracts shipped in `app/data/registers/`. Rows already
//! there are left as they are; a file with one bad line imports nothing.

use super::*;
use crate::db::Db;
use serde::de::DeserializeOwned;

/// Which register an extract fills.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Vehicles,
    Fines,
    DrivingLicences,
    KraPins,
    BusinessNames,
}

pub const ALL_KINDS: [Kind; 5] = [Kind::Vehicles, Kind::Fines, Kind::DrivingLicences, Kind::KraPins, Kind::BusinessNames];

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Vehicles => "vehicles",
            Kind::Fines => "fines",
            Kind::DrivingLicences => "driving-licences",
            Kind::KraPins => "kra-pins",
            Kind::BusinessNames => "business-names",
        }
    }

    pub fn parse(text: &str) -> Option<Kind> {
        ALL_KINDS.into_iter().find(|k| k.name() == text)
    }

    /// The demo extract shipped with Raia, seeded in development.
    pub fn demo_csv(self) -> &'static str {
        match self {
            Kind::Vehicles => include_str!("../../data/registers/vehicles.csv"),
            Kind::Fines => include_str!("../../data/registers/fines.csv"),
            Kind::DrivingLicences => include_str!("../../data/registers/driving-licences.csv"),
            Kind::KraPins => include_str!("../../data/registers/kra-pins.csv"),
            Kind::BusinessNames => include_str!("../../data/registers/business-names.csv"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("line {line}: {reason}")]
    Line { line: u64, reason: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(Deserialize)]
struct VehicleLine {
    registration_number: String,
    make: String,
    model: String,
    year: i64,
    colour: String,
    chassis_number: String,
    logbook_number: String,
    owner_id_number: String,
    owner_name: String,
    insurance_status: String,
    insurance_expiry: String,
    /// Separated by `;`.
    caveats: String,
}

#[derive(Deserialize)]
struct FineLine {
    notice_number: String,
    offence_en: String,
    offence_sw: String,
    amount_kes: i64,
    vehicle: String,
    offence_date: String,
    paid_reference: String,
}

#[derive(Deserialize)]
struct LicenceLine {
    licence_number: String,
    id_number: String,
    classes: String,
    expires_on: String,
}

#[derive(Deserialize)]
struct PinLine {
    pin: String,
    id_number: String,
    status: String,
}

#[derive(Deserialize)]
struct BusinessLine {
    number: String,
    name: String,
    /// Separated by spaces.
    owner_id_numbers: String,
    status: String,
}

fn lines<T: DeserializeOwned>(text: &str) -> Result<Vec<(u64, T)>, ImportError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.deserialize::<T>() {
        match record {
            Ok(value) => out.push((out.len() as u64 + 2, value)),
            Err(error) => {
                let line = error.position().map(|p| p.line()).unwrap_or(0);
                return Err(ImportError::Line { line, reason: error.to_string() });
            }
        }
    }
    Ok(out)
}

fn is_date(text: &str) -> bool {
    crate::calendar::parse_date(text).is_some()
}

fn bad(line: u64, reason: &str) -> ImportError {
    ImportError::Line { line, reason: reason.to_string() }
}

/// Checks every line, then adds those not yet there in one transaction. Returns how many were added.
pub async fn import(db: &Db, kind: Kind, text: &str) -> Result<u64, ImportError> {
    let mut statements: Vec<(String, Vec<Option<String>>)> = Vec::new();
    let text_of = |s: &str| Some(s.to_string());
    match kind {
        Kind::Vehicles => {
            for (line, v) in lines::<VehicleLine>(text)? {
                if !["valid", "expired", "none"].contains(&v.insurance_status.as_str()) {
                    return Err(bad(line, "insurance_status must be valid, expired or none"));
                }
                if !v.insurance_expiry.is_empty() && !is_date(&v.insurance_expiry) {
                    return Err(bad(line, "insurance_expiry must be YYYY-MM-DD or empty"));
                }
                let caveats = v.caveats.split(';').map(str::trim).filter(|c| !c.is_empty()).collect::<Vec<_>>().join("\n");
                statements.push((
                    "INSERT INTO register_vehicles (registration_number, make, model, year, colour, chassis_number, logbook_number, owner_id_number, owner_name, insurance_status, insurance_expiry, caveats) \
                     VALUES ($1, $2, $3, CAST($4 AS INTEGER), $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (registration_number) DO NOTHING"
                        .into(),
                    vec![
                        text_of(&normalise_registration(&v.registration_number)),
                        text_of(&v.make),
                        text_of(&v.model),
                        text_of(&v.year.to_string()),
                        text_of(&v.colour),
                        text_of(&v.chassis_number),
                        text_of(&v.logbook_number),
                        text_of(&normalise_key(&v.owner_id_number)),
                        text_of(&v.owner_name),
                        text_of(&v.insurance_status),
                        (!v.insurance_expiry.is_empty()).then(|| v.insurance_expiry.clone()),
                        Some(caveats),
                    ],
                ));
            }
        }
        Kind::Fines => {
            for (line, f) in lines::<FineLine>(text)? {
                if !(1..=1_000_000).contains(&f.amount_kes) {
                    return Err(bad(line, "amount_kes must be from 1 to 1,000,000"));
                }
                if !is_date(&f.offence_date) {
                    return Err(bad(line, "offence_date must be YYYY-MM-DD"));
                }
                statements.push((
                    "INSERT INTO register_fines (notice_number, offence_en, offence_sw, amount_cents, vehicle, offence_date, paid_reference) \
                     VALUES ($1, $2, $3, CAST($4 AS BIGINT), $5, $6, $7) ON CONFLICT (notice_number) DO NOTHING"
                        .into(),
                    vec![
                        text_of(&normalise_key(&f.notice_number)),
                        text_of(&f.offence_en),
                        text_of(&f.offence_sw),
                        text_of(&(f.amount_kes * 100).to_string()),
                        text_of(&normalise_registration(&f.vehicle)),
                        text_of(&f.offence_date),
                        (!f.paid_reference.is_empty()).then(|| f.paid_reference.clone()),
                    ],
                ));
            }
        }
        Kind::DrivingLicences => {
            for (line, l) in lines::<LicenceLine>(text)? {
                if !is_date(&l.expires_on) {
                    return Err(bad(line, "expires_on must be YYYY-MM-DD"));
                }
                statements.push((
                    "INSERT INTO register_driving_licences (licence_number, id_number, classes, expires_on) VALUES ($1, $2, $3, $4) ON CONFLICT (licence_number) DO NOTHING".into(),
                    vec![text_of(&normalise_key(&l.licence_number)), text_of(&normalise_key(&l.id_number)), text_of(&l.classes), text_of(&l.expires_on)],
                ));
            }
        }
        Kind::KraPins => {
            for (line, p) in lines::<PinLine>(text)? {
                if !["active", "dormant"].contains(&p.status.as_str()) {
                    return Err(bad(line, "status must be active or dormant"));
                }
                statements.push((
                    "INSERT INTO register_kra_pins (pin, id_number, status) VALUES ($1, $2, $3) ON CONFLICT (pin) DO NOTHING".into(),
                    vec![text_of(&normalise_key(&p.pin)), text_of(&normalise_key(&p.id_number)), text_of(&p.status)],
                ));
            }
        }
        Kind::BusinessNames => {
            for (line, b) in lines::<BusinessLine>(text)? {
                if !["registered", "deregistered"].contains(&b.status.as_str()) {
                    return Err(bad(line, "status must be registered or deregistered"));
                }
                statements.push((
                    "INSERT INTO register_business_names (number, name, similar_key, owner_id_numbers, status) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (number) DO NOTHING".into(),
                    vec![text_of(&normalise_key(&b.number)), text_of(&b.name), text_of(&similar_name_key(&b.name)), text_of(&b.owner_id_numbers), text_of(&b.status)],
                ));
            }
        }
    }
    let mut tx = db.begin_write().await?;
    let mut added = 0;
    for (sql, values) in &statements {
        let mut query = sqlx::query(sql);
        for value in values {
            query = query.bind(value.clone());
        }
        added += query.execute(&mut *tx).await?.rows_affected();
    }
    tx.commit().await?;
    Ok(added)
}

/// Every demo extract, for development.
pub async fn seed_demo(db: &Db) -> Result<u64, ImportError> {
    let mut added = 0;
    for kind in ALL_KINDS {
        added += import(db, kind, kind.demo_csv()).await?;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_extracts_parse() {
        assert!(lines::<VehicleLine>(Kind::Vehicles.demo_csv()).unwrap().len() >= 5);
        assert!(lines::<FineLine>(Kind::Fines.demo_csv()).unwrap().len() >= 5);
        assert!(!lines::<LicenceLine>(Kind::DrivingLicences.demo_csv()).unwrap().is_empty());
        assert!(!lines::<PinLine>(Kind::KraPins.demo_csv()).unwrap().is_empty());
        assert!(!lines::<BusinessLine>(Kind::BusinessNames.demo_csv()).unwrap().is_empty());
    }

    #[test]
    fn a_bad_line_is_named() {
        let text = "notice_number,offence_en,offence_sw,amount_kes,vehicle,offence_date,paid_reference\nN1,a,b,five,KDA 1A,2026-01-01,\n";
        let error = lines::<FineLine>(text).err().expect("refused");
        assert!(error.to_string().starts_with("line 2"), "{error}");
    }
}
