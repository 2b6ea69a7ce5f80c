//! Staff accounts: officers (of one agency) and admins. Admins create and disable them in
//! the portal; `raia-server create-staff` does the same from a shell for the first admin.
//! A new staff member chooses a password through "Forgot your password?", so no password
//! ever travels by SMS or email.

use crate::errors::{AppError, FieldProblem, Problem};
use crate::identity::accounts::{self, Account, NewAccount, ROLE_ADMIN, ROLE_OFFICER};
use crate::identity::contact::{Email, IdNumber, Identifier, PhoneNumber};
use crate::i18n::Locale;
use crate::messages::outbox::{self, Message};
use crate::messages::texts;
use crate::identity::password::{check_new_password, PersonalDetails};
use crate::identity::service::Identity;
use crate::identity::views::StaffMember;
use sqlx::Row;

/// What an admin types to create a staff account.
#[derive(Clone, Debug, Default)]
pub struct NewStaff {
    pub id_number: String,
    pub first_name: String,
    pub surname: String,
    pub email: String,
    pub phone: String,
    /// `officer` or `admin`.
    pub role: String,
    /// The agency's slug, for an officer.
    pub agency: String,
}

/// A password hash nothing verifies against: the account can only be entered after a reset.
const NO_PASSWORD_YET: &str = "!";

pub(crate) fn require_admin(admin: Option<&Account>) -> Result<(), AppError> {
    match admin {
        Some(account) if account.is_admin() => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// Creates a staff account. `admin` is the admin doing it (`None` only from the server's
/// own shell command); `password` is set only from that command.
pub async fn create(identity: &Identity, admin: &Account, agencies: &[String], new: &NewStaff, password: Option<&str>) -> Result<i64, AppError> {
    require_admin(Some(admin))?;
    create_unchecked(identity, agencies, new, password).await
}

/// The shell command's way in: whoever runs the server binary already holds its secrets.
pub async fn create_from_shell(identity: &Identity, agencies: &[String], new: &NewStaff, password: Option<&str>) -> Result<i64, AppError> {
    create_unchecked(identity, agencies, new, password).await
}

async fn create_unchecked(identity: &Identity, agencies: &[String], new: &NewStaff, password: Option<&str>) -> Result<i64, AppError> {
    let mut problems = Vec::new();
    let id = IdNumber::parse(&new.id_number);
    if id.is_none() {
        problems.push(FieldProblem::new("id_number", Problem::InvalidIdNumber));
    }
    if new.first_name.trim().is_empty() {
        problems.push(FieldProblem::new("first_name", Problem::Required));
    }
    if new.surname.trim().is_empty() {
        problems.push(FieldProblem::new("surname", Problem::Required));
    }
    let email = Email::parse(&new.email);
    if email.is_none() {
        problems.push(FieldProblem::new("email", Problem::InvalidEmail));
    }
    let phone = PhoneNumber::parse(&new.phone);
    if phone.is_none() {
        problems.push(FieldProblem::new("phone", Problem::InvalidPhone));
    }
    let role = match new.role.as_str() {
        ROLE_OFFICER | ROLE_ADMIN => new.role.as_str(),
        _ => {
            problems.push(FieldProblem::new("role", Problem::InvalidChoice));
            ""
        }
    };
    let agency = new.agency.trim();
    if role == ROLE_OFFICER && !agencies.iter().any(|a| a == agency) {
        problems.push(FieldProblem::new("agency", Problem::InvalidChoice));
    }
    if let (Some(id), Some(email), Some(phone)) = (&id, &email, &phone) {
        if accounts::id_number_taken(identity.db.pool(), id.as_str()).await? {
            problems.push(FieldProblem::new("id_number", Problem::AlreadyRegistered));
        }
        if accounts::find_by_identifier(identity.db.pool(), &Identifier::Email(email.clone())).await?.is_some() {
            problems.push(FieldProblem::new("email", Problem::EmailTaken));
        }
        if accounts::find_by_identifier(identity.db.pool(), &Identifier::Phone(phone.clone())).await?.is_some() {
            problems.push(FieldProblem::new("phone", Problem::PhoneTaken));
        }
    }
    // A password given from the shell follows the same rules as any citizen's.
    if let (Some(password), Some(id), Some(email), Some(phone)) = (password, &id, &email, &phone) {
        let details = PersonalDetails {
            id_number: id.as_str(),
            first_name: new.first_name.trim(),
            surname: new.surname.trim(),
            phone_e164: phone.as_str(),
            email_local_part: email.local_part(),
        };
        if let Err(problem) = check_new_password(password, &details) {
            problems.push(FieldProblem::new("password", problem));
        }
    }
    let (Some(id), Some(email), Some(phone), true) = (id, email, phone, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let hash = match password {
        Some(password) => identity.hasher.hash(password).await.map_err(|_| AppError::Internal)?,
        None => NO_PASSWORD_YET.to_string(),
    };
    let now = identity.clock.now();
    let mut tx = identity.db.begin_write().await?;
    let account = NewAccount {
        id_number: id.as_str(),
        account_type: "citizen",
        first_name: new.first_name.trim(),
        surname: new.surname.trim(),
        email: email.as_str(),
        phone: phone.as_str(),
        password_hash: &hash,
        role,
        language: Locale::en,
    };
    let Ok(account_id) = accounts::insert(&mut tx, &account, now).await else {
        return Err(AppError::field("", Problem::AlreadyRegistered));
    };
    let agency = (role == ROLE_OFFICER).then_some(agency);
    sqlx::query("UPDATE accounts SET agency = $1 WHERE id = $2").bind(agency).bind(account_id).execute(&mut *tx).await?;
    if password.is_none() {
        let body = texts::staff_account_opened(Locale::en, new.first_name.trim());
        outbox::queue(&mut tx, &Message::sms(phone.as_str(), Locale::en, body).for_account(account_id), now).await?;
    }
    tx.commit().await?;
    Ok(account_id)
}

/// Every staff account, officers by agency.
pub async fn list(identity: &Identity, admin: &Account) -> Result<Vec<StaffMember>, AppError> {
    require_admin(Some(admin))?;
    let rows = sqlx::query("SELECT id, first_name, surname, email, role, agency, disabled FROM accounts WHERE role IN ('officer', 'admin') ORDER BY role, agency, surname")
        .fetch_all(identity.db.pool())
        .await?;
    Ok(rows
        .iter()
        .map(|row| StaffMember {
            id: row.get("id"),
            full_name: format!("{} {}", row.get::<String, _>("first_name"), row.get::<String, _>("surname")),
            email: row.get("email"),
            role: row.get("role"),
            agency: row.get("agency"),
            disabled: row.get::<i64, _>("disabled") != 0,
        })
        .collect())
}

/// The staff member with this ID number, for the shell command.
pub async fn find_by_id_number(identity: &Identity, id_number: &str) -> Result<Option<Account>, AppError> {
    let Some(id) = IdNumber::parse(id_number) else { return Ok(None) };
    let account = accounts::find_by_identifier(identity.db.pool(), &Identifier::IdNumber(id)).await?;
    Ok(account.filter(|a| a.role == ROLE_OFFICER || a.role == ROLE_ADMIN))
}
