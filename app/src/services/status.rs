//! An application's life as an explicit state machine: every status, every action, and
//! the one function that says which action moves which status where. Nothing else in
//! Raia decides a status.

use crate::services::catalogue::PaymentDue;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    UnderReview,
    ActionRequired,
    Approved,
    AwaitingPayment,
    Paid,
    ReadyForCollection,
    Completed,
    Rejected,
    Withdrawn,
}

/// How a status reads at a glance (eCitizen's colours; never colour alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Green: done.
    Done,
    /// Yellow: waiting on someone.
    Pending,
    /// Red: rejected, or the citizen must act.
    Attention,
    /// Grey: a draft, or withdrawn.
    Neutral,
}

pub const ALL_STATUSES: [Status; 11] = [
    Status::Draft,
    Status::Submitted,
    Status::UnderReview,
    Status::ActionRequired,
    Status::Approved,
    Status::AwaitingPayment,
    Status::Paid,
    Status::ReadyForCollection,
    Status::Completed,
    Status::Rejected,
    Status::Withdrawn,
];

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::ActionRequired => "action_required",
            Status::Approved => "approved",
            Status::AwaitingPayment => "awaiting_payment",
            Status::Paid => "paid",
            Status::ReadyForCollection => "ready_for_collection",
            Status::Completed => "completed",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        ALL_STATUSES.into_iter().find(|s| s.as_str() == text)
    }

    pub fn tone(self) -> Tone {
        match self {
            Status::Approved | Status::Paid | Status::ReadyForCollection | Status::Completed => Tone::Done,
            Status::Submitted | Status::UnderReview | Status::AwaitingPayment => Tone::Pending,
            Status::ActionRequired | Status::Rejected => Tone::Attention,
            Status::Draft | Status::Withdrawn => Tone::Neutral,
        }
    }

    /// The citizen may change the answers (a draft, or a correction an officer asked for).
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::ActionRequired)
    }
}

/// Who moves an application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Citizen,
    Officer,
    System,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Citizen => "citizen",
            Actor::Officer => "officer",
            Actor::System => "system",
        }
    }

    pub fn parse(text: &str) -> Actor {
        match text {
            "officer" => Actor::Officer,
            "system" => Actor::System,
            _ => Actor::Citizen,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    Withdraw,
    Resubmit,
    Claim,
    Approve,
    Reject,
    RequestAction,
    MarkReady,
    Complete,
    PaymentReceived,
    /// Hands an application under review back to the queue: by the officer holding the
    /// claim, by an admin, or by Raia when the officer's account is disabled.
    ReleaseClaim,
    /// The register answered a paid application at once (a vehicle search): no officer.
    Deliver,
}

pub const ALL_ACTIONS: [Action; 12] = [
    Action::Submit,
    Action::Withdraw,
    Action::Resubmit,
    Action::Claim,
    Action::Approve,
    Action::Reject,
    Action::RequestAction,
    Action::MarkReady,
    Action::Complete,
    Action::PaymentReceived,
    Action::ReleaseClaim,
    Action::Deliver,
];

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Withdraw => "withdraw",
            Action::Resubmit => "resubmit",
            Action::Claim => "claim",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::RequestAction => "request_action",
            Action::MarkReady => "mark_ready",
            Action::Complete => "complete",
            Action::PaymentReceived => "payment_received",
            Action::ReleaseClaim => "release_claim",
            Action::Deliver => "deliver",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        ALL_ACTIONS.into_iter().find(|a| a.as_str() == text)
    }

    /// Who may take this action.
    pub fn actor(self) -> Actor {
        match self {
            Action::Submit | Action::Withdraw | Action::Resubmit => Actor::Citizen,
            Action::Claim | Action::Approve | Action::Reject | Action::RequestAction | Action::MarkReady | Action::Complete | Action::ReleaseClaim => Actor::Officer,
            Action::PaymentReceived | Action::Deliver => Actor::System,
        }
    }
}

/// Where `action` takes an application in `status`, for a service paid as `payment`
/// (and needing collection at a centre or not); `None` when the move is not allowed.
pub fn next_status(status: Status, action: Action, payment: PaymentDue, collection: bool) -> Option<Status> {
    use Action as A;
    use Status as S;
    let after_approval = payment == PaymentDue::AfterApproval;
    let paid_before_review = payment == PaymentDue::OnSubmission;
    match (status, action) {
        (S::Draft, A::Submit) if paid_before_review => Some(S::AwaitingPayment),
        (S::Draft, A::Submit) => Some(S::Submitted),
        // Withdrawing is possible until an officer starts the review.
        (S::Submitted, A::Withdraw) => Some(S::Withdrawn),
        (S::AwaitingPayment, A::Withdraw) if paid_before_review => Some(S::Withdrawn),
        (S::Submitted, A::Claim) => Some(S::UnderReview),
        (S::Paid, A::Claim) if paid_before_review => Some(S::UnderReview),
        (S::AwaitingPayment, A::PaymentReceived) if payment != PaymentDue::Never => Some(S::Paid),
        (S::Paid, A::Deliver) if paid_before_review => Some(S::Completed),
        (S::UnderReview, A::Approve) if after_approval => Some(S::AwaitingPayment),
        (S::UnderReview, A::Approve) => Some(S::Approved),
        (S::UnderReview | S::ActionRequired, A::Reject) => Some(S::Rejected),
        (S::UnderReview, A::RequestAction) => Some(S::ActionRequired),
        // Released, it goes back where the claim found it: paid (never "submitted", which
        // the citizen could withdraw after paying) or submitted.
        (S::UnderReview, A::ReleaseClaim) if paid_before_review => Some(S::Paid),
        (S::UnderReview, A::ReleaseClaim) => Some(S::Submitted),
        (S::ActionRequired, A::Resubmit) => Some(S::Submitted),
        // What follows approval (and payment, where it comes after approval).
        (S::Approved, A::MarkReady) if collection => Some(S::ReadyForCollection),
        (S::Paid, A::MarkReady) if after_approval && collection => Some(S::ReadyForCollection),
        (S::Approved, A::Complete) => Some(S::Completed),
        (S::Paid, A::Complete) if after_approval => Some(S::Completed),
        (S::ReadyForCollection, A::Complete) => Some(S::Completed),
        _ => None,
    }
}

/// The actions an officer can offer on an application in `status`.
pub fn officer_actions(status: Status, payment: PaymentDue, collection: bool) -> Vec<Action> {
    ALL_ACTIONS
        .into_iter()
        .filter(|a| a.actor() == Actor::Officer && next_status(status, *a, payment, collection).is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentDue::*;

    /// Every allowed move, written out by hand: (from, action, payment, collection, to);
    /// `None` for payment or collection means "whatever it is".
    const ALLOWED: &[(Status, Action, Option<PaymentDue>, Option<bool>, Status)] = &[
        (Status::Draft, Action::Submit, Some(Never), None, Status::Submitted),
        (Status::Draft, Action::Submit, Some(AfterApproval), None, Status::Submitted),
        (Status::Draft, Action::Submit, Some(OnSubmission), None, Status::AwaitingPayment),
        (Status::Submitted, Action::Withdraw, None, None, Status::Withdrawn),
        (Status::AwaitingPayment, Action::Withdraw, Some(OnSubmission), None, Status::Withdrawn),
        (Status::Submitted, Action::Claim, None, None, Status::UnderReview),
        (Status::Paid, Action::Claim, Some(OnSubmission), None, Status::UnderReview),
        (Status::AwaitingPayment, Action::PaymentReceived, Some(OnSubmission), None, Status::Paid),
        (Status::Paid, Action::Deliver, Some(OnSubmission), None, Status::Completed),
        (Status::AwaitingPayment, Action::PaymentReceived, Some(AfterApproval), None, Status::Paid),
        (Status::UnderReview, Action::Approve, Some(AfterApproval), None, Status::AwaitingPayment),
        (Status::UnderReview, Action::Approve, Some(OnSubmission), None, Status::Approved),
        (Status::UnderReview, Action::Approve, Some(Never), None, Status::Approved),
        (Status::UnderReview, Action::Reject, None, None, Status::Rejected),
        (Status::ActionRequired, Action::Reject, None, None, Status::Rejected),
        (Status::UnderReview, Action::RequestAction, None, None, Status::ActionRequired),
        (Status::UnderReview, Action::ReleaseClaim, Some(OnSubmission), None, Status::Paid),
        (Status::UnderReview, Action::ReleaseClaim, Some(AfterApproval), None, Status::Submitted),
        (Status::UnderReview, Action::ReleaseClaim, Some(Never), None, Status::Submitted),
        (Status::ActionRequired, Action::Resubmit, None, None, Status::Submitted),
        (Status::Approved, Action::MarkReady, None, Some(true), Status::ReadyForCollection),
        (Status::Paid, Action::MarkReady, Some(AfterApproval), Some(true), Status::ReadyForCollection),
        (Status::Approved, Action::Complete, None, None, Status::Completed),
        (Status::Paid, Action::Complete, Some(AfterApproval), None, Status::Completed),
        (Status::ReadyForCollection, Action::Complete, None, None, Status::Completed),
    ];

    fn expected(from: Status, action: Action, payment: PaymentDue, collection: bool) -> Option<Status> {
        ALLOWED
            .iter()
            .find(|(f, a, p, c, _)| *f == from && *a == action && p.is_none_or(|p| p == payment) && c.is_none_or(|c| c == collection))
            .map(|row| row.4)
    }

    #[test]
    fn every_move_is_allowed_exactly_when_listed() {
        let mut allowed = 0;
        for from in ALL_STATUSES {
            for action in ALL_ACTIONS {
                for payment in [Never, OnSubmission, AfterApproval] {
                    for collection in [false, true] {
                        let want = expected(from, action, payment, collection);
                        allowed += usize::from(want.is_some());
                        assert_eq!(next_status(from, action, payment, collection), want, "{from:?} --{action:?}--> ({payment:?}, collection {collection})");
                    }
                }
            }
        }
        assert!(allowed > 30, "the table allows the moves it lists");
    }

    #[test]
    fn shape_dependent_moves_are_refused_for_the_other_shapes() {
        // No review before payment when the fee is due on submission.
        assert_eq!(next_status(Status::AwaitingPayment, Action::Claim, OnSubmission, false), None);
        // A free service never waits for payment.
        assert_eq!(next_status(Status::AwaitingPayment, Action::PaymentReceived, Never, false), None);
        // Nothing to collect: no "ready for collection".
        assert_eq!(next_status(Status::Approved, Action::MarkReady, OnSubmission, false), None);
        // Paid before review: approval, not payment, opens completion.
        assert_eq!(next_status(Status::Paid, Action::Complete, OnSubmission, false), None);
        // Once paid after approval, no going back to review.
        assert_eq!(next_status(Status::Paid, Action::Claim, AfterApproval, true), None);
        // Withdrawing after approval (awaiting payment) is not possible.
        assert_eq!(next_status(Status::AwaitingPayment, Action::Withdraw, AfterApproval, true), None);
        // A released claim of a paid application never lands where the citizen could withdraw it.
        assert_eq!(next_status(Status::UnderReview, Action::ReleaseClaim, OnSubmission, false), Some(Status::Paid));
        assert_eq!(next_status(Status::Paid, Action::Withdraw, OnSubmission, false), None);
    }

    #[test]
    fn finished_applications_never_move() {
        for from in [Status::Completed, Status::Rejected, Status::Withdrawn] {
            for action in ALL_ACTIONS {
                for payment in [Never, OnSubmission, AfterApproval] {
                    assert_eq!(next_status(from, action, payment, true), None);
                }
            }
        }
    }

    #[test]
    fn only_officers_take_officer_actions() {
        assert_eq!(officer_actions(Status::UnderReview, AfterApproval, true), vec![Action::Approve, Action::Reject, Action::RequestAction, Action::ReleaseClaim]);
        assert_eq!(officer_actions(Status::Submitted, Never, false), vec![Action::Claim]);
        assert!(officer_actions(Status::Draft, Never, false).is_empty());
    }

    #[test]
    fn statuses_and_actions_round_trip_as_text() {
        for status in ALL_STATUSES {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        for action in ALL_ACTIONS {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Status::parse("approved; DROP TABLE"), None);
    }

    #[test]
    fn colours_follow_ecitizen() {
        assert_eq!(Status::Paid.tone(), Tone::Done);
        assert_eq!(Status::AwaitingPayment.tone(), Tone::Pending);
        assert_eq!(Status::ActionRequired.tone(), Tone::Attention);
        assert_eq!(Status::Rejected.tone(), Tone::Attention);
    }
}
