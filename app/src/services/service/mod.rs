//! Applying for services and moving applications, as plain Rust: the citizen fills in a
//! draft, submits, corrects, withdraws; an officer of the service's agency claims and
//! decides. Every method is given the logged-in account and checks what it may do:
//! another citizen's application, or another agency's, is "not found".

use crate::clock::Clock;
use crate::db::Db;
use crate::errors::{AppError, Problem};
use crate::identity::accounts::Account;
use crate::messages::notifications;
use crate::messages::outbox::{self, Message};
use crate::services::texts;
use crate::services::answers::{self, Context};
use crate::services::catalogue::{Catalogue, FieldKind, Service};
use crate::services::{documents, stored_files};
use crate::services::status::{next_status, officer_actions, Action, Actor, Shape, Status};
use crate::services::store::{self, ApplicationRow, Move, NewDocument, NewEvent};
use crate::services::views::{ApplicationDetails, ApplicationSummary, ClaimedApplication, DocumentInfo, FormState, NotificationView, Notified, Queue, QueueItem};
use crate::payments::invoices;
use sqlx::{Any, Transaction};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

mod applying;
mod citizen_view;
mod officer_queue;
mod moves;
mod registers;
mod transfers;
mod vehicles;

pub use registers::vehicle_facts;

#[derive(Clone)]
pub struct Applications {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub catalogue: Arc<Catalogue>,
    /// Agencies' registers: facts, fees and owners come from here, never from the form.
    pub registers: Arc<dyn crate::registers::Registers>,
    /// Issues the document an approved application is for.
    pub issuer: crate::issued::service::Issuer,
    /// For links in SMS messages.
    pub public_base_url: String,
}

/// Which application a form edits: the citizen's draft of a service, or a submitted one sent back for correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormTarget {
    Draft { service: String },
    Correction { reference: String },
}

impl FormTarget {
    /// From the form's hidden fields: a reference when correcting, else the service.
    pub fn from_fields(service: &str, reference: &str) -> FormTarget {
        if reference.trim().is_empty() {
            FormTarget::Draft { service: service.trim().to_string() }
        } else {
            FormTarget::Correction { reference: reference.trim().to_string() }
        }
    }
}

/// A document as the browser downloads it.
pub struct DocumentDownload {
    pub content_type: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

fn moved() -> AppError {
    AppError::field("", Problem::AlreadyMoved)
}

pub fn format_reference(prefix: &str, year: i64, number: i64) -> String {
    format!("{prefix}-{year}-{number:06}")
}

impl Applications {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn context(&self) -> Context<'_> {
        Context { catalogue: &self.catalogue, today: self.now().div_euclid(86_400) }
    }

    fn service(&self, slug: &str) -> Result<&Service, AppError> {
        self.catalogue.service(slug).ok_or(AppError::NotFound)
    }

    // ------------------------------------------------------------ the citizen's form

    /// Whether the application's fee has been paid.
    async fn fee_paid(&self, application_id: i64) -> Result<bool, AppError> {
        let invoice = crate::payments::invoices::latest_for_application(self.db.pool(), application_id).await?;
        Ok(invoice.is_some_and(|i| i.status == crate::payments::invoices::InvoiceStatus::Paid))
    }

    // ------------------------------------------------------------ reading

    // ------------------------------------------------------------ officers

    // ------------------------------------------------------------ admins: claims

    // ------------------------------------------------------------ the one place applications move

}

/// Moves that only the officer holding the claim may make (an admin may also release it).
fn needs_claim(action: Action) -> bool {
    matches!(action, Action::Approve | Action::Reject | Action::RequestAction | Action::ReleaseClaim)
}

#[derive(Clone, Copy, Default)]
struct MoveDetails<'a> {
    note: Option<&'a str>,
    centre: Option<&'a str>,
    claim: bool,
    /// What a register answered, for the document the move issues (a vehicle's record).
    facts: Option<&'a [crate::issued::views::FactLine]>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn references_read_like_ecitizen() {
        assert_eq!(super::format_reference("PSP", 2026, 123), "PSP-2026-000123");
    }
}
