//! What the pages receive about applications: plain data, the same on server and browser.

use crate::services::catalogue::{Centre, Service, Text};
use crate::services::status::{Action, Actor, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A form's answers by field name.
pub type Answers = BTreeMap<String, String>;

/// Facts a register gave about an answer, kept beside the citizen's answers (their names
/// cannot be field names, which have no dots): the fine notice's amount and offence.
pub const NOTICE_AMOUNT_CENTS: &str = "notice.amount_cents";
pub const NOTICE_OFFENCE_EN: &str = "notice.offence_en";
pub const NOTICE_OFFENCE_SW: &str = "notice.offence_sw";
pub const NOTICE_VEHICLE: &str = "notice.vehicle";
pub const NOTICE_DATE: &str = "notice.date";
/// What the registers said of a transfer's answers, kept beside them: the vehicle as NTSA
/// describes it, and the other party's name as their Raia account (from the population
/// registry) gives it.
pub const REGISTER_VEHICLE: &str = "register.vehicle";
pub const REGISTER_COUNTERPARTY_NAME: &str = "register.counterparty_name";
/// A driving licence's classes and expiry (`YYYY-MM-DD`), as NTSA's register holds them.
pub const REGISTER_LICENCE_CLASSES: &str = "register.licence_classes";
pub const REGISTER_LICENCE_EXPIRY: &str = "register.licence_expiry";

/// One row of "My applications" (drafts included).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationSummary {
    pub reference: Option<String>,
    pub service_slug: String,
    pub service_name: Text,
    pub status: Status,
    pub amount_due_cents: i64,
    pub updated_at: i64,
}

impl ApplicationSummary {
    /// Where the citizen continues: the form for a draft, the application page otherwise.
    pub fn href(&self) -> String {
        match &self.reference {
            Some(reference) => format!("/applications/{reference}"),
            None => format!("/services/{}/apply", self.service_slug),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: i64,
    pub actor: Actor,
    /// The officer's name for officer moves; none for the citizen and the system.
    pub actor_name: Option<String>,
    pub action: Action,
    pub to_status: Status,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentInfo {
    pub id: i64,
    pub field: String,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

impl DocumentInfo {
    pub fn href(&self) -> String {
        format!("/documents/{}", self.id)
    }
}

/// An application as its page shows it, to the citizen or to an officer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationDetails {
    pub reference: String,
    pub service: Service,
    pub centres: Vec<Centre>,
    pub applicant_name: String,
    pub status: Status,
    pub version: i64,
    pub answers: Answers,
    pub documents: Vec<DocumentInfo>,
    pub amount_due_cents: i64,
    pub officer_note: Option<String>,
    pub collection_centre: Option<String>,
    pub claimed_by_name: Option<String>,
    /// For officers: the viewer holds the claim.
    pub claimed_by_viewer: bool,
    pub submitted_at: Option<i64>,
    pub timeline: Vec<TimelineEntry>,
    /// What the viewer may do now.
    pub actions: Vec<Action>,
    /// The document the application issued, once it has.
    pub issued: Option<crate::issued::views::IssuedDocumentView>,
}

/// The form of an application the citizen is filling in or correcting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormState {
    pub service: Service,
    pub centres: Vec<Centre>,
    pub reference: Option<String>,
    pub status: Status,
    pub answers: Answers,
    pub documents: Vec<DocumentInfo>,
    pub declaration_accepted: bool,
    pub officer_note: Option<String>,
    /// The first step (0-based) still to complete; `None` when every step passes.
    pub first_incomplete_step: Option<u32>,
    pub amount_due_cents: i64,
}

impl FormState {
    /// The address of this form's pages ("step" is a query parameter).
    pub fn base_href(&self) -> String {
        match &self.reference {
            Some(reference) => format!("/applications/{reference}/edit"),
            None => format!("/services/{}/apply", self.service.slug),
        }
    }
}

/// Something the portal told the citizen (`/notifications`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub read: bool,
    pub at: i64,
    pub about: Notified,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notified {
    /// An application moved.
    Application { reference: String, service_name: Text, action: Action, to_status: Status, amount_due_cents: i64, note: Option<String> },
    /// A security notice, a payment kept or failed, a support reply.
    Account { notice: crate::messages::notifications::AccountNotice, detail: String, link: Option<String> },
}

/// A row of an officer's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueItem {
    pub reference: String,
    pub service_name: Text,
    pub applicant_name: String,
    pub status: Status,
    pub submitted_at: Option<i64>,
    pub claimed_by_name: Option<String>,
}

/// An officer's queue with what its filters can choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Queue {
    pub agency_name: Text,
    pub services: Vec<(String, Text)>,
    pub items: Vec<QueueItem>,
    /// Where the next page starts (`after=` in its link); none on the last page.
    pub next: Option<String>,
}

/// An application under review as the admin's claims page lists it: who holds it, since when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimedApplication {
    pub reference: String,
    pub version: i64,
    pub service_name: Text,
    pub agency_short_name: String,
    pub claimed_by_name: String,
    pub claimed_at: i64,
}

/// A transfer as its other party (the buyer) sees it, on `/transfers/<reference>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub reference: String,
    pub version: i64,
    pub status: Status,
    pub registration_number: String,
    /// `Toyota Probox (2015), White`, as NTSA's register described it.
    pub vehicle: String,
    pub seller_name: String,
    pub accepted: bool,
    /// The viewer may still call it off (before an officer approves).
    pub can_cancel: bool,
    /// Where the code goes: the viewer's phone, masked.
    pub code_to: String,
}

/// A vehicle the register gives to the viewer, as "My vehicles" shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VehicleView {
    pub registration_number: String,
    /// `KDA123A`: the registration number as it stands in an address.
    pub slug: String,
    pub make: String,
    pub model: String,
    pub year: i64,
    pub colour: String,
    /// The owner sees the whole chassis number; searches show it masked.
    pub chassis_number: String,
    pub logbook_number: String,
    pub owner_name: String,
    pub insurance_status: String,
    pub insurance_expiry: Option<String>,
    pub caveats: Vec<String>,
}

/// "My vehicles": what the register gives the citizen, and the transfers waiting for them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyVehiclesView {
    pub vehicles: Vec<VehicleView>,
    pub transfers_to_me: Vec<TransferView>,
}
