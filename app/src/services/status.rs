//! An application's life as an explicit state machine: every status, every action, and
//! the one function that says which action moves which status where. Nothing else in
//! Raia decides a status.

use crate::services::catalogue::{PaymentDue, Service};
use serde::{Deserialize, Serialize};

/// What a service's moves depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    /// When its fee is paid.
    pub payment: PaymentDue,
    /// Whether the citizen collects something at a centre.
    pub collection: bool,
    /// A transfer between two people (a vehicle's owner to a buyer): the other party
    /// confirms before the fee is due, either may cancel until an officer approves, and
    /// the register carries out the approval.
    pub transfer: bool,
}

impl Shape {
    pub fn of(service: &Service) -> Shape {
        Shape { payment: service.payment, collection: service.collection, transfer: service.transfer_fields().is_some() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    /// A transfer waits for the other party (the buyer) to confirm it.
    AwaitingConfirmation,
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

pub const ALL_STATUSES: [Status; 12] = [
    Status::Draft,
    Status::AwaitingConfirmation,
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
            Status::AwaitingConfirmation => "awaiting_confirmation",
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
            Status::AwaitingConfirmation | Status::Submitted | Status::UnderReview | Status::AwaitingPayment => Tone::Pending,
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
    /// The register answered a paid application at once (a vehicle search), or carried out
    /// an approved transfer: no officer.
    Deliver,
    /// The other party of a transfer (the buyer) agrees to it.
    Confirm,
    /// Either party of a transfer calls it off before approval.
    Cancel,
}

pub const ALL_ACTIONS: [Action; 14] = [
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
    Action::Confirm,
    Action::Cancel,
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
            Action::Confirm => "confirm",
            Action::Cancel => "cancel",
        }
    }

    pub fn parse(text: &str) -> Option<Action> {
        ALL_ACTIONS.into_iter().find(|a| a.as_str() == text)
    }

    /// Who may take this action.
    pub fn actor(self) -> Actor {
        match self {
            Action::Submit | Action::Withdraw | Action::Resubmit | Action::Confirm | Action::Cancel => Actor::Citizen,
            Action::Claim | Action::Approve | Action::Reject | Action::RequestAction | Action::MarkReady | Action::Complete | Action::ReleaseClaim => Actor::Officer,
            Action::PaymentReceived | Action::Deliver => Actor::System,
        }
    }
}

/// Where `action` takes an application in `status`, for a service of `shape`; `None`
/// when the move is not allowed.
pub fn next_status(status: Status, action: Action, shape: Shape) -> Option<Status> {
    use Action as A;
    use Status as S;
    let Shape { payment, collection, transfer } = shape;
    let after_approval = payment == PaymentDue::AfterApproval;
    let paid_before_review = payment == PaymentDue::OnSubmission;
    match (status, action) {
        // A transfer: the other party confirms first, then the fee is due.
        (S::Draft, A::Submit) if transfer => Some(S::AwaitingConfirmation),
        (S::AwaitingConfirmation, A::Confirm) if transfer && paid_before_review => Some(S::AwaitingPayment),
        (S::AwaitingConfirmation, A::Confirm) if transfer => Some(S::Submitted),
        // Either party may call it off until an officer approves (a paid fee is refunded).
        (S::AwaitingConfirmation | S::AwaitingPayment | S::Submitted | S::Paid | S::UnderReview, A::Cancel) if transfer => Some(S::Withdrawn),
        // The register has carried out the approved transfer.
        (S::Approved, A::Deliver) if transfer => Some(S::Completed),
        (S::Draft, A::Submit) if paid_before_review => Some(S::AwaitingPayment),
        (S::Draft, A::Submit) => Some(S::Submitted),
        // Withdrawing is possible until an officer starts the review (a transfer is cancelled instead).
        (S::Submitted, A::Withdraw) if !transfer => Some(S::Withdrawn),
        (S::AwaitingPayment, A::Withdraw) if paid_before_review && !transfer => Some(S::Withdrawn),
        (S::Submitted, A::Claim) => Some(S::UnderReview),
        (S::Paid, A::Claim) if paid_before_review => Some(S::UnderReview),
        (S::AwaitingPayment, A::PaymentReceived) if payment != PaymentDue::Never => Some(S::Paid),
        (S::Paid, A::Deliver) if paid_before_review => Some(S::Completed),
        (S::UnderReview, A::Approve) if after_approval => Some(S::AwaitingPayment),
        (S::UnderReview, A::Approve) => Some(S::Approved),
        (S::UnderReview | S::ActionRequired, A::Reject) => Some(S::Rejected),
        // A transfer's answers (the vehicle, the buyer the buyer accepted as) are never reopened.
        (S::UnderReview, A::RequestAction) if !transfer => Some(S::ActionRequired),
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
pub fn officer_actions(status: Status, shape: Shape) -> Vec<Action> {
    ALL_ACTIONS
        .into_iter()
        .filter(|a| a.actor() == Actor::Officer && next_status(status, *a, shape).is_some())
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

    /// A transfer's own moves, and the ones it does not have: where a row here names a
    /// (from, action), it wins over `ALLOWED`; `None` means refused for a transfer.
    const TRANSFER: &[(Status, Action, Option<PaymentDue>, Option<Status>)] = &[
        (Status::Draft, Action::Submit, None, Some(Status::AwaitingConfirmation)),
        (Status::AwaitingConfirmation, Action::Confirm, Some(OnSubmission), Some(Status::AwaitingPayment)),
        (Status::AwaitingConfirmation, Action::Confirm, Some(Never), Some(Status::Submitted)),
        (Status::AwaitingConfirmation, Action::Confirm, Some(AfterApproval), Some(Status::Submitted)),
        (Status::AwaitingConfirmation, Action::Cancel, None, Some(Status::Withdrawn)),
        (Status::AwaitingPayment, Action::Cancel, None, Some(Status::Withdrawn)),
        (Status::Submitted, Action::Cancel, None, Some(Status::Withdrawn)),
        (Status::Paid, Action::Cancel, None, Some(Status::Withdrawn)),
        (Status::UnderReview, Action::Cancel, None, Some(Status::Withdrawn)),
        (Status::Approved, Action::Deliver, None, Some(Status::Completed)),
        (Status::Submitted, Action::Withdraw, None, None),
        (Status::AwaitingPayment, Action::Withdraw, None, None),
        (Status::UnderReview, Action::RequestAction, None, None),
    ];

    fn shape(payment: PaymentDue, collection: bool, transfer: bool) -> Shape {
        Shape { payment, collection, transfer }
    }

    fn expected(from: Status, action: Action, shape: Shape) -> Option<Status> {
        if shape.transfer {
            let own = TRANSFER.iter().find(|(f, a, p, _)| *f == from && *a == action && p.is_none_or(|p| p == shape.payment));
            if let Some(row) = own {
                return row.3;
            }
        }
        ALLOWED
            .iter()
            .find(|(f, a, p, c, _)| *f == from && *a == action && p.is_none_or(|p| p == shape.payment) && c.is_none_or(|c| c == shape.collection))
            .map(|row| row.4)
    }

    #[test]
    fn every_move_is_allowed_exactly_when_listed() {
        let mut allowed = 0;
        for from in ALL_STATUSES {
            for action in ALL_ACTIONS {
                for payment in [Never, OnSubmission, AfterApproval] {
                    for collection in [false, true] {
                        for transfer in [false, true] {
                            let shape = shape(payment, collection, transfer);
                            let want = expected(from, action, shape);
                            allowed += usize::from(want.is_some());
                            assert_eq!(next_status(from, action, shape), want, "{from:?} --{action:?}--> ({shape:?})");
                        }
                    }
                }
            }
        }
        assert!(allowed > 60, "the table allows the moves it lists");
    }

    #[test]
    fn shape_dependent_moves_are_refused_for_the_other_shapes() {
        let plain = |payment, collection| shape(payment, collection, false);
        // No review before payment when the fee is due on submission.
        assert_eq!(next_status(Status::AwaitingPayment, Action::Claim, plain(OnSubmission, false)), None);
        // A free service never waits for payment.
        assert_eq!(next_status(Status::AwaitingPayment, Action::PaymentReceived, plain(Never, false)), None);
        // Nothing to collect: no "ready for collection".
        assert_eq!(next_status(Status::Approved, Action::MarkReady, plain(OnSubmission, false)), None);
        // Paid before review: approval, not payment, opens completion.
        assert_eq!(next_status(Status::Paid, Action::Complete, plain(OnSubmission, false)), None);
        // Once paid after approval, no going back to review.
        assert_eq!(next_status(Status::Paid, Action::Claim, plain(AfterApproval, true)), None);
        // Withdrawing after approval (awaiting payment) is not possible.
        assert_eq!(next_status(Status::AwaitingPayment, Action::Withdraw, plain(AfterApproval, true)), None);
        // A released claim of a paid application never lands where the citizen could withdraw it.
        assert_eq!(next_status(Status::UnderReview, Action::ReleaseClaim, plain(OnSubmission, false)), Some(Status::Paid));
        assert_eq!(next_status(Status::Paid, Action::Withdraw, plain(OnSubmission, false)), None);
        // Only a transfer waits for another person, can be cancelled, or is carried out by the register.
        assert_eq!(next_status(Status::AwaitingConfirmation, Action::Confirm, plain(OnSubmission, false)), None);
        assert_eq!(next_status(Status::Paid, Action::Cancel, plain(OnSubmission, false)), None);
        assert_eq!(next_status(Status::Approved, Action::Deliver, plain(OnSubmission, false)), None);
    }

    #[test]
    fn a_transfer_cannot_be_cancelled_once_approved() {
        let transfer = shape(OnSubmission, false, true);
        assert_eq!(next_status(Status::Approved, Action::Cancel, transfer), None);
        // Nor paid before the buyer has confirmed.
        assert_eq!(next_status(Status::AwaitingConfirmation, Action::PaymentReceived, transfer), None);
    }

    #[test]
    fn finished_applications_never_move() {
        for from in [Status::Completed, Status::Rejected, Status::Withdrawn] {
            for action in ALL_ACTIONS {
                for payment in [Never, OnSubmission, AfterApproval] {
                    for transfer in [false, true] {
                        assert_eq!(next_status(from, action, shape(payment, true, transfer)), None);
                    }
                }
            }
        }
    }

    #[test]
    fn only_officers_take_officer_actions() {
        assert_eq!(officer_actions(Status::UnderReview, shape(AfterApproval, true, false)), vec![Action::Approve, Action::Reject, Action::RequestAction, Action::ReleaseClaim]);
        assert_eq!(officer_actions(Status::Submitted, shape(Never, false, false)), vec![Action::Claim]);
        assert!(officer_actions(Status::Draft, shape(Never, false, false)).is_empty());
        // The buyer's confirmation is not the officer's to give.
        assert!(officer_actions(Status::AwaitingConfirmation, shape(OnSubmission, false, true)).is_empty());
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
