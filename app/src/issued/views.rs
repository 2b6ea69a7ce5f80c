//! Issued documents as pages show them (shared with the browser build).

use serde::{Deserialize, Serialize};

/// One line of what a document states, labelled in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactLine {
    pub en: String,
    pub sw: String,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Valid,
    Suspended,
    Revoked,
}

impl DocumentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Valid => "valid",
            DocumentStatus::Suspended => "suspended",
            DocumentStatus::Revoked => "revoked",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "valid" => Some(DocumentStatus::Valid),
            "suspended" => Some(DocumentStatus::Suspended),
            "revoked" => Some(DocumentStatus::Revoked),
            _ => None,
        }
    }
}

/// A document in "My documents", or on its application's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssuedDocumentView {
    pub number: String,
    pub title_en: String,
    pub title_sw: String,
    pub agency: String,
    pub application_reference: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub expired: bool,
    pub status: DocumentStatus,
    pub status_reason: Option<String>,
}

/// What `/verify/document` says about a code or a number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verification {
    /// Genuine: the facts the QR code signs, and the document's standing now.
    Genuine {
        number: String,
        template: String,
        holder_masked: String,
        agency: String,
        issued_on: String,
        expires_on: Option<String>,
        expired: bool,
        /// `None` when only the signature could be checked (the number is not in this register).
        status: Option<DocumentStatus>,
        status_reason: Option<String>,
    },
    /// Altered, forged, or not a Raia code at all.
    Refused,
    /// A number no document has.
    NotFound,
}
