//! Identity as pages show it: a session of the citizen's, a staff account.

use serde::{Deserialize, Serialize};

/// One of the citizen's sessions, as `/account/sessions` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub public_id: String,
    /// "Chrome on Android", or empty when the browser did not say.
    pub device: String,
    pub client_address: String,
    pub started_at: i64,
    pub last_seen_at: i64,
    pub this_one: bool,
}

/// A staff account as the admin page lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub full_name: String,
    pub email: String,
    pub role: String,
    pub agency: Option<String>,
    pub disabled: bool,
}
