//! Changing the email address or phone number of an account: the password again, then a
//! code sent to the new address or number; the switch happens only when that code is
//! entered, and a notice goes to the old one. The change is a flow of its own, so it
//! starts in a rotated session and its code proves nothing anywhere else.

use crate::errors::{AppError, Problem};
use crate::identity::accounts::{self, Account};
use crate::identity::activity::{self, SecurityEvent};
use crate::identity::codes::{self, Purpose};
use crate::identity::contact::{mask_email, mask_phone, Email, Identifier, PhoneNumber};
use crate::identity::service::Identity;
use crate::identity::sessions::{self, ContactChange, Flow, Stage};
use crate::messages::notifications::{self, AccountNotice};
use crate::messages::outbox::{self, Channel, Message};
use crate::messages::texts::{self, ContactKind};

/// Which contact, from the form's hidden field (`email` or `phone`).
pub fn contact_kind(text: &str) -> Option<ContactKind> {
    match text {
        "email" => Some(ContactKind::Email),
        "phone" => Some(ContactKind::Phone),
        _ => None,
    }
}

/// The form's and the flow's name for a contact: `email` or `phone`.
pub fn kind_name(kind: ContactKind) -> &'static str {
    match kind {
        ContactKind::Email => "email",
        ContactKind::Phone => "phone",
    }
}

fn masked(kind: ContactKind, value: &str) -> String {
    match kind {
        ContactKind::Email => mask_email(value),
        ContactKind::Phone => mask_phone(value),
    }
}

impl Identity {
    /// Step 1: the new email or phone and the current password. Sends a code to the new
    /// one and returns the rotated session's token.
    pub async fn start_contact_change(&self, account: &Account, token: Option<&str>, kind: ContactKind, new_value: &str, current_password: &str, client_address: &str) -> Result<String, AppError> {
        let (value, identifier, field) = match kind {
            ContactKind::Email => match Email::parse(new_value) {
                Some(email) => (email.as_str().to_string(), Identifier::Email(email), "email"),
                None => return Err(AppError::field("email", Problem::InvalidEmail)),
            },
            ContactKind::Phone => match PhoneNumber::parse(new_value) {
                Some(phone) => (phone.as_str().to_string(), Identifier::Phone(phone), "phone"),
                None => return Err(AppError::field("phone", Problem::InvalidPhone)),
            },
        };
        let current = match kind {
            ContactKind::Email => &account.email,
            ContactKind::Phone => &account.phone,
        };
        if value == *current {
            return Err(AppError::field(field, Problem::SameContact));
        }
        self.check_current_password(account, current_password, client_address).await?;
        // Checked after the password, so the form tells nobody else which contacts are taken.
        if accounts::find_by_identifier(self.db.pool(), &identifier).await?.is_some() {
            return Err(AppError::field(field, if kind == ContactKind::Email { Problem::EmailTaken } else { Problem::PhoneTaken }));
        }
        let Some(session) = self.session(token).await?.filter(|s| s.stage == Stage::Authenticated && s.account_id == Some(account.id)) else {
            return Err(AppError::NotLoggedIn);
        };
        let flow = Flow { contact_change: Some(ContactChange { kind: kind_name(kind).to_string(), value: value.clone() }), ..Flow::default() };
        let mut tx = self.db.begin_write().await?;
        let new_token = sessions::rotate(&mut tx, self.now(), &session, Some(account.id), Stage::Authenticated, &flow).await?;
        tx.commit().await?;
        let channel = if kind == ContactKind::Email { Channel::Email } else { Channel::Sms };
        self.send_code_to(account, &sessions::token_hash(&new_token), Purpose::Contact, channel, &value).await?;
        Ok(new_token)
    }

    /// The change waiting for its code: which contact and the new value, masked.
    pub async fn pending_contact_change(&self, token: Option<&str>) -> Result<Option<(ContactKind, String)>, AppError> {
        let Some(session) = self.session(token).await? else { return Ok(None) };
        Ok(session.flow.contact_change.and_then(|change| contact_kind(&change.kind).map(|kind| (kind, masked(kind, &change.value)))))
    }

    /// "Send the code again" to the new contact.
    pub async fn resend_contact_code(&self, account: &Account, token: Option<&str>) -> Result<(), AppError> {
        let Some(session) = self.session(token).await?.filter(|s| s.account_id == Some(account.id)) else { return Err(AppError::NotLoggedIn) };
        let Some(change) = session.flow.contact_change.clone() else { return Err(AppError::field("", Problem::FlowExpired)) };
        let channel = if change.kind == "email" { Channel::Email } else { Channel::Sms };
        self.send_code_to(account, &session.token_hash, Purpose::Contact, channel, &change.value).await
    }

    /// Step 2: the code from the new contact. Switches it, tells the old one, ends the flow.
    pub async fn confirm_contact_change(&self, account: &Account, token: Option<&str>, code: &str, client_address: &str) -> Result<ContactKind, AppError> {
        let Some(code) = codes::typed_code(code) else {
            return Err(AppError::field("code", Problem::CodeFormat));
        };
        let Some(mut session) = self.session(token).await?.filter(|s| s.account_id == Some(account.id)) else { return Err(AppError::NotLoggedIn) };
        let Some((kind, change)) = session.flow.contact_change.clone().and_then(|c| contact_kind(&c.kind).map(|kind| (kind, c))) else {
            return Err(AppError::field("", Problem::FlowExpired));
        };
        let now = self.now();
        let mut tx = self.db.begin_write().await?;
        if let Err(problem) = codes::verify(&mut tx, account.id, &session.token_hash, Purpose::Contact, code, now).await? {
            activity::record(&mut *tx, account.id, SecurityEvent::WrongCode, None, Some(client_address), now).await?;
            tx.commit().await?;
            return Err(AppError::field("code", problem));
        }
        let switched = match kind {
            ContactKind::Email => accounts::set_email(&mut tx, account.id, &change.value).await,
            ContactKind::Phone => accounts::set_phone(&mut tx, account.id, &change.value).await,
        };
        if switched.is_err() {
            // Another account took it since the code was sent (a unique constraint).
            return Err(AppError::field("code", if kind == ContactKind::Email { Problem::EmailTaken } else { Problem::PhoneTaken }));
        }
        let language = account.language;
        let new_masked = masked(kind, &change.value);
        let notice = texts::contact_changed(language, kind, &new_masked);
        let to_old = match kind {
            ContactKind::Email => Message::email(&account.email, language, texts::contact_changed_subject(language), notice),
            ContactKind::Phone => Message::sms(&account.phone, language, notice),
        };
        outbox::queue(&mut tx, &to_old.for_account(account.id), now).await?;
        let (event, notice) = match kind {
            ContactKind::Email => (SecurityEvent::EmailChanged, AccountNotice::EmailChanged),
            ContactKind::Phone => (SecurityEvent::PhoneChanged, AccountNotice::PhoneChanged),
        };
        activity::record(&mut *tx, account.id, event, Some(&new_masked), Some(client_address), now).await?;
        notifications::notify(&mut tx, account.id, notice, &new_masked, Some("/account"), now).await?;
        tx.commit().await?;
        session.flow.contact_change = None;
        sessions::save_flow(&self.db, &session).await?;
        Ok(kind)
    }
}
