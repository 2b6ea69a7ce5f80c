//! What `/performance` shows, as it crosses from the server function to the page.

use crate::services::catalogue::Text;
use serde::{Deserialize, Serialize};

/// One published figure: its value, or "fewer than 5" when it would be counted from (or
/// computed over) fewer than 5 applications.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Figure {
    Value(i64),
    FewerThanFive,
}

impl Figure {
    pub fn value(self) -> Option<i64> {
        match self {
            Figure::Value(value) => Some(value),
            Figure::FewerThanFive => None,
        }
    }
}

/// How many applications came in and were decided in the last 30 and 90 days, and how
/// many are open now: of one service, or all of an agency's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Volumes {
    pub received_30: Figure,
    pub received_90: Figure,
    pub completed_30: Figure,
    pub completed_90: Figure,
    pub rejected_90: Figure,
    /// Submitted and not yet completed, rejected or withdrawn.
    pub in_progress: Figure,
}

impl Volumes {
    /// In the order of the page's table columns.
    pub fn in_columns(self) -> [Figure; 6] {
        [self.received_30, self.received_90, self.completed_30, self.completed_90, self.rejected_90, self.in_progress]
    }
}

/// The figures of one service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceFigures {
    pub slug: String,
    pub name: Text,
    /// The catalogue's promise, in calendar days from submission to completion.
    pub processing_days: u32,
    pub volumes: Volumes,
    /// Of the applications completed in the last 90 days: seconds from submission to completion.
    pub median_seconds: Figure,
    pub p90_seconds: Figure,
    /// Whole percent of them completed within `processing_days`.
    pub within_promise_percent: Figure,
}

/// An agency's services, with totals over them where the totals hide nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyFigures {
    pub slug: String,
    pub short_name: String,
    pub name: Text,
    pub services: Vec<ServiceFigures>,
    pub volumes: Volumes,
    pub within_promise_percent: Figure,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerformancePage {
    pub agencies: Vec<AgencyFigures>,
    /// When the figures were counted (seconds since the epoch).
    pub counted_at: i64,
    /// The database did not answer: no figures.
    pub degraded: bool,
}
