//! Data every Raia has at start-up: the registry's seed people, and in development a
//! ready citizen account for trying the portal (its details are in the README).

use crate::errors::AppError;
use crate::identity::accounts::{self, NewAccount};
use crate::identity::registry;
use crate::identity::service::Identity;

pub const DEMO_ID_NUMBER: &str = "12345678";
pub const DEMO_EMAIL: &str = "wanjiku@example.com";
pub const DEMO_PHONE: &str = "+254712345678";
pub const DEMO_PASSWORD: &str = "Harambee demo 2026";

/// Adds the shipped registry people that are missing.
pub async fn registry_people(identity: &Identity) -> Result<u64, AppError> {
    let people = registry::parse_csv(registry::SEED_CSV).map_err(|_| AppError::Internal)?;
    registry::import(&identity.db, &people).await.map_err(|_| AppError::Internal)
}

/// Creates Wanjiku Kamau's demo account unless it exists.
pub async fn demo_citizen(identity: &Identity) -> Result<(), AppError> {
    if accounts::id_number_taken(identity.db.pool(), DEMO_ID_NUMBER).await? {
        return Ok(());
    }
    let hash = identity.hasher.hash(DEMO_PASSWORD).await.map_err(|_| AppError::Internal)?;
    let created = async {
        let mut tx = identity.db.begin_write().await?;
        let citizen = NewAccount {
            id_number: DEMO_ID_NUMBER,
            account_type: "citizen",
            first_name: "Wanjiku",
            surname: "Kamau",
            email: DEMO_EMAIL,
            phone: DEMO_PHONE,
            password_hash: &hash,
            role: "citizen",
            language: crate::i18n::Locale::en,
        };
        let id = accounts::insert(&mut tx, &citizen, identity.clock.now()).await?;
        // The demo phone counts as proven, so that the USSD menu (which answers only verified
        // phones) knows it from the first start (`/dev/ussd`).
        accounts::mark_phone_verified(&mut tx, id).await?;
        tx.commit().await
    }
    .await;
    match created {
        Ok(()) => Ok(()),
        Err(_) if started_together(identity, DEMO_ID_NUMBER).await? => Ok(()),
        Err(error) => Err(error.into()),
    }
}

/// Whether the account that could not be created exists now: another process starting at
/// the same moment (several behind one load balancer) created it first.
async fn started_together(identity: &Identity, id_number: &str) -> Result<bool, AppError> {
    Ok(accounts::id_number_taken(identity.db.pool(), id_number).await?)
}

/// The password of every demo staff account (development only; in the README).
pub const DEMO_STAFF_PASSWORD: &str = "Raia staff demo 2026";
pub const DEMO_ADMIN_ID_NUMBER: &str = "30000000";

/// Officers' names for the demo, one per agency in catalogue order.
const DEMO_OFFICERS: [(&str, &str); 8] = [
    ("Amina", "Hassan"),
    ("Brian", "Otieno"),
    ("Faith", "Chebet"),
    ("Daniel", "Mwangi"),
    ("Grace", "Njeri"),
    ("Hussein", "Abdi"),
    ("Esther", "Wambui"),
    ("Kevin", "Kiprono"),
];

/// One officer per agency and one admin, unless they exist. Each officer's ID number is
/// 3000000N (N from 1, in catalogue order), email `<agency>.officer@raia.example`.
pub async fn demo_staff(identity: &Identity, agencies: &[String]) -> Result<(), AppError> {
    use crate::identity::staff::{self, NewStaff};
    let mut staff = vec![NewStaff {
        id_number: DEMO_ADMIN_ID_NUMBER.into(),
        first_name: "Rehema".into(),
        surname: "Achieng".into(),
        email: "admin@raia.example".into(),
        phone: "+254700000100".into(),
        role: "admin".into(),
        agency: String::new(),
    }];
    for (index, agency) in agencies.iter().enumerate() {
        let (first, last) = DEMO_OFFICERS[index % DEMO_OFFICERS.len()];
        staff.push(NewStaff {
            id_number: format!("3000000{}", index + 1),
            first_name: first.into(),
            surname: last.into(),
            email: format!("{agency}.officer@raia.example"),
            phone: format!("+2547000001{:02}", index + 1),
            role: "officer".into(),
            agency: agency.clone(),
        });
    }
    for member in staff {
        if accounts::id_number_taken(identity.db.pool(), &member.id_number).await? {
            continue;
        }
        match staff::create_from_shell(identity, agencies, &member, Some(DEMO_STAFF_PASSWORD)).await {
            Ok(_) => {}
            Err(_) if started_together(identity, &member.id_number).await? => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}
