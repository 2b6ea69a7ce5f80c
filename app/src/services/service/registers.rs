//! What agencies' registers say about an application: answers checked against them (a
//! fine notice, a vehicle, a KRA PIN, a business name), the fine's payment ordered to NTSA
//! with the payment, and the applications a register answers at once (a vehicle search).

use super::*;
use crate::issued::views::FactLine;
use crate::registers::orders::{self, OrderKind};
use crate::registers::{mask_chassis, normalise_key, Asker, FinePayment, Vehicle};
use crate::services::answers::{Answers, NOTICE_AMOUNT_CENTS, NOTICE_DATE, NOTICE_OFFENCE_EN, NOTICE_OFFENCE_SW, NOTICE_VEHICLE};
use crate::services::views::{REGISTER_COUNTERPARTY_NAME, REGISTER_LICENCE_CLASSES, REGISTER_LICENCE_EXPIRY, REGISTER_VEHICLE};
use crate::services::catalogue::{Delivery, FormField, Lookup};

impl Applications {
    /// Checks the answers of `fields` that a register must confirm, writing beside them
    /// what the register said (a notice's amount and offence). A problem per field otherwise.
    pub(super) async fn check_with_registers<'f>(&self, citizen: &Account, service: &Service, fields: impl Iterator<Item = &'f FormField>, answers: &mut Answers) -> Result<(), AppError> {
        let mut problems = Vec::new();
        for field in fields {
            let Some(lookup) = field.lookup else { continue };
            let Some(value) = answers.get(&field.name).filter(|v| !v.is_empty()).cloned() else { continue };
            let asker = Asker::account(citizen.id, format!("{} form: {}", service.slug, field.name));
            let problem = match lookup {
                Lookup::NtsaFine => match self.registers.fine(&value, &asker).await? {
                    None => Some(Problem::NoticeUnknown),
                    Some(fine) if fine.paid => Some(Problem::NoticePaid),
                    // Paid through Raia already, on its way to NTSA.
                    Some(fine) if orders::exists(self.db.pool(), OrderKind::PayFine, &fine.notice_number).await? => Some(Problem::NoticePaid),
                    Some(fine) => {
                        answers.insert(field.name.clone(), fine.notice_number.clone());
                        answers.insert(NOTICE_AMOUNT_CENTS.into(), fine.amount_cents.to_string());
                        answers.insert(NOTICE_OFFENCE_EN.into(), fine.offence_en);
                        answers.insert(NOTICE_OFFENCE_SW.into(), fine.offence_sw);
                        answers.insert(NOTICE_VEHICLE.into(), fine.vehicle);
                        answers.insert(NOTICE_DATE.into(), fine.offence_date);
                        None
                    }
                },
                Lookup::NtsaVehicle => match self.registers.vehicle(&value, &asker).await? {
                    None => Some(Problem::VehicleUnknown),
                    Some(vehicle) => {
                        answers.insert(field.name.clone(), vehicle.registration_number);
                        None
                    }
                },
                Lookup::KraPin => match self.registers.kra_pin(&value, &asker).await? {
                    None => Some(Problem::KraPinUnknown),
                    Some(pin) if normalise_key(&pin.id_number) != normalise_key(&citizen.id_number) => Some(Problem::KraPinNotYours),
                    Some(pin) => {
                        answers.insert(field.name.clone(), pin.pin);
                        None
                    }
                },
                Lookup::BusinessName => {
                    let taken = self.registers.business_names_like(&value, &asker).await?.into_iter().any(|b| b.status == "registered");
                    taken.then_some(Problem::BusinessNameTaken)
                }
                Lookup::NtsaVehicleOwned => match self.transferable_vehicle(&citizen.id_number, &value, &asker).await? {
                    Err(problem) => Some(problem),
                    Ok(vehicle) => {
                        answers.insert(field.name.clone(), vehicle.registration_number.clone());
                        answers.insert(REGISTER_VEHICLE.into(), describe_vehicle(&vehicle));
                        None
                    }
                },
                Lookup::NtsaDrivingLicence => match self.registers.driving_licence(&value, &asker).await? {
                    None => Some(Problem::LicenceUnknown),
                    Some(licence) if normalise_key(&licence.id_number) != normalise_key(&citizen.id_number) => Some(Problem::LicenceNotYours),
                    Some(licence) => {
                        answers.insert(field.name.clone(), licence.licence_number);
                        answers.insert(REGISTER_LICENCE_CLASSES.into(), licence.classes);
                        answers.insert(REGISTER_LICENCE_EXPIRY.into(), licence.expires_on);
                        None
                    }
                },
                Lookup::Counterparty => match self.counterparty(citizen, &value).await? {
                    Err(problem) => Some(problem),
                    Ok(other) => {
                        answers.insert(REGISTER_COUNTERPARTY_NAME.into(), other.full_name());
                        None
                    }
                },
            };
            if let Some(problem) = problem {
                problems.push(crate::errors::FieldProblem::new(&field.name, problem));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(AppError::Invalid(problems)) }
    }

    /// In the payment's transaction, before its invoice is marked paid: orders NTSA to mark
    /// the application's fine notice paid. False when another application paid that notice
    /// through Raia first; the payment is then kept to be refunded, never used twice.
    pub async fn order_register_changes_in(&self, tx: &mut Transaction<'static, Any>, application_id: i64, invoice_number: &str) -> Result<bool, AppError> {
        let Some(row) = store::find_by_id(&mut **tx, application_id).await? else { return Ok(true) };
        let service = self.service(&row.service_slug)?;
        let Some(field) = service.fields().find(|f| f.lookup == Some(Lookup::NtsaFine)) else { return Ok(true) };
        let (Some(notice), Some(amount)) = (row.answers.get(&field.name), row.answers.get(NOTICE_AMOUNT_CENTS).and_then(|a| a.parse::<i64>().ok())) else {
            return Ok(false);
        };
        let payment = FinePayment { reference: invoice_number.to_string(), amount_cents: amount, paid_at: self.now() };
        Ok(orders::place_in(tx, OrderKind::PayFine, notice, application_id, &payment, self.now()).await?)
    }

    /// Paid applications that a register answers (a vehicle search): looks each up and, in
    /// one transaction, completes it and issues its document. Safe in several processes:
    /// the move checks the version, so one of them wins and the other changes nothing.
    /// Returns how many were answered.
    pub async fn deliver_register_answers(&self, limit: i64) -> Result<u64, AppError> {
        let slugs: Vec<&str> = self.catalogue.services.iter().filter(|s| s.delivery == Delivery::Register).map(|s| s.slug.as_str()).collect();
        let mut answered = 0;
        for row in store::paid_of_services(self.db.pool(), &slugs, limit).await? {
            let service = self.service(&row.service_slug)?;
            let Some(field) = service.fields().find(|f| f.lookup == Some(Lookup::NtsaVehicle)) else { continue };
            let Some(registration) = row.answers.get(&field.name) else { continue };
            let asker = Asker { account_id: Some(row.account_id), purpose: format!("{} {}", service.slug, row.reference.clone().unwrap_or_default()) };
            let vehicle = match self.registers.vehicle(registration, &asker).await {
                Ok(Some(vehicle)) => vehicle,
                Ok(None) => {
                    // Known when the citizen applied, gone now: an officer looks at it.
                    tracing::warn!(application = row.id, "the register no longer knows a searched vehicle; left for an officer");
                    continue;
                }
                // Not answering: it stays paid, and is tried again on the next round.
                Err(error) => {
                    tracing::warn!(%error, application = row.id, "vehicle register not answering; the search waits");
                    break;
                }
            };
            let facts = vehicle_facts(&vehicle);
            let details = MoveDetails { facts: Some(&facts), ..MoveDetails::default() };
            match self.apply_move(&row, service, Action::Deliver, Actor::System, None, details).await {
                Ok(_) => answered += 1,
                Err(AppError::Invalid(_)) => {} // moved by someone else first
                Err(error) => return Err(error),
            }
        }
        Ok(answered)
    }

    /// Issues the service's document for a move that earns it, in the move's transaction.
    pub(super) async fn issue_document_in(&self, tx: &mut Transaction<'static, Any>, row: &ApplicationRow, service: &Service, reference: &str, facts: Option<&[FactLine]>) -> Result<(), AppError> {
        let Some(template) = &service.document else { return Ok(()) };
        let Some(holder) = crate::identity::accounts::find_by_id(&mut **tx, row.account_id).await? else { return Ok(()) };
        let agency = self.catalogue.agency(&service.agency);
        let mut lines = vec![FactLine { en: "ID number".into(), sw: "Nambari ya kitambulisho".into(), value: holder.id_number.clone() }];
        lines.extend(match facts {
            Some(facts) => facts.to_vec(),
            None => answer_facts(service, &row.answers),
        });
        let issue = crate::issued::service::Issue {
            template: &template.template,
            title_en: &template.title.en,
            title_sw: &template.title.get(crate::i18n::Locale::sw),
            bilingual: template.bilingual,
            valid_days: template.valid_days,
            agency: &service.agency,
            agency_name_en: &agency.map(|a| a.name.en.clone()).unwrap_or_default(),
            agency_name_sw: &agency.map(|a| a.name.get(crate::i18n::Locale::sw)).unwrap_or_default(),
            application_id: row.id,
            application_reference: reference,
            account_id: holder.id,
            holder_name: &holder.full_name(),
            holder_phone: &holder.phone,
            holder_language: holder.language,
            facts: lines,
        };
        self.issuer.issue_in(tx, &issue).await?;
        Ok(())
    }
}

/// A document's lines from the citizen's answers: what they applied for, in the
/// catalogue's words (files, contacts and ticked boxes say nothing on a certificate).
fn answer_facts(service: &Service, answers: &Answers) -> Vec<FactLine> {
    service
        .fields()
        .filter(|f| !matches!(f.kind, FieldKind::File | FieldKind::Checkbox | FieldKind::Phone | FieldKind::Email | FieldKind::Centre))
        .filter_map(|field| {
            let value = answers.get(&field.name).filter(|v| !v.is_empty())?;
            let value = match field.kind {
                FieldKind::Select | FieldKind::Radio => field.choices.iter().find(|c| &c.value == value).map(|c| c.label.en.clone()).unwrap_or_else(|| value.clone()),
                FieldKind::FeeOption => service.fee(value).map(|f| f.label.en.clone()).unwrap_or_else(|| value.clone()),
                _ => value.clone(),
            };
            Some(FactLine { en: field.label.en.clone(), sw: field.label.get(crate::i18n::Locale::sw), value })
        })
        .collect()
}

/// `Toyota Probox (2015), White`: how a transfer names the vehicle to both parties.
pub fn describe_vehicle(vehicle: &Vehicle) -> String {
    format!("{} {} ({}), {}", vehicle.make, vehicle.model, vehicle.year, vehicle.colour)
}

/// A vehicle search result's lines, from the register's record.
pub fn vehicle_facts(vehicle: &Vehicle) -> Vec<FactLine> {
    let line = |en: &str, sw: &str, value: String| FactLine { en: en.into(), sw: sw.into(), value };
    let insurance = match (vehicle.insurance_status.as_str(), &vehicle.insurance_expiry) {
        ("valid", Some(until)) => format!("Valid until {until}"),
        ("expired", Some(until)) => format!("Expired on {until}"),
        _ => "None on record".to_string(),
    };
    vec![
        line("Registration number", "Nambari ya usajili", vehicle.registration_number.clone()),
        line("Make and model", "Aina na modeli", format!("{} {}", vehicle.make, vehicle.model)),
        line("Year of manufacture", "Mwaka wa kutengenezwa", vehicle.year.to_string()),
        line("Colour", "Rangi", vehicle.colour.clone()),
        line("Chassis number", "Nambari ya chasisi", mask_chassis(&vehicle.chassis_number)),
        line("Logbook number", "Nambari ya kitabu cha kumbukumbu", vehicle.logbook_number.clone()),
        line("Registered owner", "Mmiliki aliyesajiliwa", vehicle.owner_name.clone()),
        line("Insurance", "Bima", insurance),
        line("Caveats and encumbrances", "Tahadhari na madeni", if vehicle.caveats.is_empty() { "None".to_string() } else { vehicle.caveats.join("; ") }),
    ]
}
