//! What `/account/data` shows: how many records of each kind Raia holds about the citizen,
//! and who looked at them.

use crate::identity::data_access::DataAccessView;
use serde::{Deserialize, Serialize};

/// One kind of record (a section of the download) and how many the citizen has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldSection {
    /// The section's name in the JSON file, as `export::SECTIONS` names it.
    pub name: String,
    pub count: i64,
}

/// A line of "who looked at my data", with the agency's name for the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LookedAt {
    pub access: DataAccessView,
    pub agency_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyDataOverview {
    pub sections: Vec<HeldSection>,
    pub looked_at: Vec<LookedAt>,
}
