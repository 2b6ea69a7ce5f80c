//! Support tickets as pages show them, to citizens and to staff.

use serde::{Deserialize, Serialize};

/// What a ticket is about, as the citizen chose it on the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Topic {
    /// Logging in and one-time codes.
    Login,
    Payments,
    Application,
    Account,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 5] = [Topic::Login, Topic::Payments, Topic::Application, Topic::Account, Topic::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Topic::Login => "login",
            Topic::Payments => "payments",
            Topic::Application => "application",
            Topic::Account => "account",
            Topic::Other => "other",
        }
    }

    pub fn parse(text: &str) -> Option<Topic> {
        Self::ALL.into_iter().find(|topic| topic.as_str() == text.trim())
    }
}

/// Whose turn it is on a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TicketStatus {
    /// New, or the citizen wrote last: staff should answer.
    AwaitingStaff,
    /// Staff answered: the citizen may reply.
    AwaitingCitizen,
    /// Staff marked it resolved; a reply from the citizen opens it again.
    Resolved,
}

impl TicketStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::AwaitingStaff => "awaiting_staff",
            TicketStatus::AwaitingCitizen => "awaiting_citizen",
            TicketStatus::Resolved => "resolved",
        }
    }

    pub fn parse(text: &str) -> Option<TicketStatus> {
        [TicketStatus::AwaitingStaff, TicketStatus::AwaitingCitizen, TicketStatus::Resolved].into_iter().find(|s| s.as_str() == text)
    }
}

/// A ticket in a list: the citizen's own, or the back office's desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub reference: String,
    pub topic: Topic,
    pub status: TicketStatus,
    /// The citizen's application it is about, if any.
    pub application_reference: Option<String>,
    /// Who opened it (shown to staff only; empty for the citizen's own list).
    pub citizen_name: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A screenshot sent with a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentInfo {
    pub id: i64,
    pub file_name: String,
    pub size_bytes: i64,
}

impl AttachmentInfo {
    /// Where the file is served, to the ticket's citizen and the staff who may answer it.
    pub fn href(&self) -> String {
        format!("/documents/support/{}", self.id)
    }
}

/// One message of a ticket's conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketMessage {
    pub from_staff: bool,
    pub author_name: String,
    pub body: String,
    pub at: i64,
    pub attachment: Option<AttachmentInfo>,
}

/// A ticket with its whole conversation, oldest message first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetails {
    pub summary: TicketSummary,
    pub messages: Vec<TicketMessage>,
}

/// The back office's desk: tickets staff may answer, those awaiting them first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    pub tickets: Vec<TicketSummary>,
    /// How many await an answer from staff.
    pub awaiting_staff: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_and_statuses_read_back_as_themselves() {
        for topic in Topic::ALL {
            assert_eq!(Topic::parse(topic.as_str()), Some(topic));
        }
        assert_eq!(Topic::parse("refund please"), None);
        for status in [TicketStatus::AwaitingStaff, TicketStatus::AwaitingCitizen, TicketStatus::Resolved] {
            assert_eq!(TicketStatus::parse(status.as_str()), Some(status));
        }
    }
}
