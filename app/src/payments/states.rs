//! The states of invoices and payment attempts, and the only moves between them. The
//! store applies each move as a conditional update from the states this table allows,
//! so a duplicate or late answer finds nothing to change.

/// A payment attempt's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptStatus {
    Pending,
    Succeeded,
    Failed,
    Expired,
}

/// What the provider (or the worker) says of an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptEvent {
    Paid,
    Declined,
    NoAnswer,
    /// Money arrived for an attempt we had already given up on (the push call timed out
    /// after M-Pesa accepted it, or the callback came after our timeout).
    PaidLate,
}

pub const ALL_ATTEMPT_STATUSES: [AttemptStatus; 4] = [AttemptStatus::Pending, AttemptStatus::Succeeded, AttemptStatus::Failed, AttemptStatus::Expired];

impl AttemptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::Pending => "pending",
            AttemptStatus::Succeeded => "succeeded",
            AttemptStatus::Failed => "failed",
            AttemptStatus::Expired => "expired",
        }
    }
}

/// Where an event takes an attempt; `None` when it cannot (only a pending attempt moves).
pub fn next_attempt_status(from: AttemptStatus, event: AttemptEvent) -> Option<AttemptStatus> {
    match (from, event) {
        (AttemptStatus::Pending, AttemptEvent::Paid) => Some(AttemptStatus::Succeeded),
        (AttemptStatus::Pending, AttemptEvent::Declined) => Some(AttemptStatus::Failed),
        (AttemptStatus::Pending, AttemptEvent::NoAnswer) => Some(AttemptStatus::Expired),
        (AttemptStatus::Failed | AttemptStatus::Expired, AttemptEvent::PaidLate) => Some(AttemptStatus::Succeeded),
        _ => None,
    }
}

/// An invoice's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceState {
    Unpaid,
    Pending,
    Paid,
    Expired,
    Cancelled,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvoiceEvent {
    /// An attempt starts (M-Pesa push or card charge).
    AttemptStarted,
    /// The attempt failed or got no answer.
    AttemptEnded,
    /// Money arrived (any way).
    Paid,
    /// The application was withdrawn.
    Cancelled,
    /// Its time ran out unpaid (the worker); a fresh invoice is opened when the citizen returns.
    TimedOut,
}

pub const ALL_INVOICE_STATES: [InvoiceState; 5] = [InvoiceState::Unpaid, InvoiceState::Pending, InvoiceState::Paid, InvoiceState::Expired, InvoiceState::Cancelled];

impl InvoiceState {
    pub fn parse(text: &str) -> InvoiceState {
        ALL_INVOICE_STATES.into_iter().find(|s| s.as_str() == text).unwrap_or(InvoiceState::Unpaid)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            InvoiceState::Unpaid => "unpaid",
            InvoiceState::Pending => "pending",
            InvoiceState::Paid => "paid",
            InvoiceState::Expired => "expired",
            InvoiceState::Cancelled => "cancelled",
        }
    }
}

pub fn next_invoice_state(from: InvoiceState, event: InvoiceEvent) -> Option<InvoiceState> {
    use InvoiceEvent as E;
    use InvoiceState as S;
    match (from, event) {
        (S::Unpaid, E::AttemptStarted) => Some(S::Pending),
        (S::Pending, E::AttemptEnded) => Some(S::Unpaid),
        // A paybill payment may arrive while an STK push is pending.
        (S::Unpaid | S::Pending, E::Paid) => Some(S::Paid),
        (S::Unpaid | S::Pending, E::Cancelled) => Some(S::Cancelled),
        // Only an unpaid one: a pending invoice has an attempt whose answer may still come.
        (S::Unpaid, E::TimedOut) => Some(S::Expired),
        _ => None,
    }
}

/// The states an event may move an invoice from, as SQL: `'unpaid', 'pending'`.
pub fn invoice_states_from(event: InvoiceEvent) -> String {
    ALL_INVOICE_STATES.iter().filter(|s| next_invoice_state(**s, event).is_some()).map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_arriving_late_revives_a_given_up_attempt_once() {
        assert_eq!(next_attempt_status(AttemptStatus::Failed, AttemptEvent::PaidLate), Some(AttemptStatus::Succeeded));
        assert_eq!(next_attempt_status(AttemptStatus::Expired, AttemptEvent::PaidLate), Some(AttemptStatus::Succeeded));
        assert_eq!(next_attempt_status(AttemptStatus::Succeeded, AttemptEvent::PaidLate), None);
        assert_eq!(next_attempt_status(AttemptStatus::Pending, AttemptEvent::PaidLate), None, "a pending attempt is simply paid");
    }

    #[test]
    fn only_a_pending_attempt_moves_and_only_once() {
        for from in ALL_ATTEMPT_STATUSES {
            for event in [AttemptEvent::Paid, AttemptEvent::Declined, AttemptEvent::NoAnswer] {
                let to = next_attempt_status(from, event);
                assert_eq!(to.is_some(), from == AttemptStatus::Pending, "{from:?} {event:?}");
                if let Some(to) = to {
                    // A second answer finds the attempt settled and changes nothing.
                    assert_eq!(next_attempt_status(to, event), None);
                }
            }
        }
    }

    #[test]
    fn a_paid_invoice_is_never_paid_again() {
        assert_eq!(next_invoice_state(InvoiceState::Unpaid, InvoiceEvent::TimedOut), Some(InvoiceState::Expired));
        assert_eq!(next_invoice_state(InvoiceState::Pending, InvoiceEvent::TimedOut), None, "never while an attempt may still pay it");
        for event in [InvoiceEvent::AttemptStarted, InvoiceEvent::AttemptEnded, InvoiceEvent::Paid, InvoiceEvent::Cancelled, InvoiceEvent::TimedOut] {
            assert_eq!(next_invoice_state(InvoiceState::Paid, event), None);
            assert_eq!(next_invoice_state(InvoiceState::Cancelled, event), None);
            assert_eq!(next_invoice_state(InvoiceState::Expired, event), None);
        }
        assert_eq!(next_invoice_state(InvoiceState::Pending, InvoiceEvent::AttemptStarted), None, "one attempt at a time");
        assert_eq!(invoice_states_from(InvoiceEvent::Paid), "'unpaid', 'pending'");
        assert_eq!(invoice_states_from(InvoiceEvent::AttemptStarted), "'unpaid'");
    }
}
