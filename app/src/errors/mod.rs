//! What can go wrong, as the browser sees it. Things a citizen can cause (a wrong
//! password, a mistyped phone number) are `Invalid` with a `Problem` per field, shown
//! next to that field in their language; our own failures are `Internal` and never carry
//! internal details to the browser.

use serde::{Deserialize, Serialize};
use leptos::server_fn::error::ServerFnErrorErr;
use std::fmt;

mod transport;
#[cfg(feature = "ssr")]
pub use transport::{is_plain_form_post, refuse_malformed_arguments};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    InvalidIdNumber,
    InvalidYearOfBirth,
    RegistryMismatch,
    Minor,
    AlreadyRegistered,
    InvalidEmail,
    EmailTaken,
    InvalidPhone,
    PhoneTaken,
    PasswordTooShort,
    PasswordTooLong,
    PasswordCommon,
    PasswordContainsIdNumber,
    PasswordContainsName,
    PasswordContainsPhone,
    PasswordContainsEmail,
    /// The strength estimator guesses it too easily; the reason is the citizen's to read.
    PasswordGuessable { reason: WeakPassword },
    PasswordsDiffer,
    WrongCredentials,
    Locked { minutes: i64 },
    CodeFormat,
    CodeWrong { attempts_left: i64 },
    CodeExpired,
    CodeVoided,
    ResendTooSoon { seconds: i64 },
    TooManyCodes { minutes: i64 },
    ChooseChannel,
    FlowExpired,
    TextTooShort { min: i64 },
    TextTooLong { max: i64 },
    NotANumber,
    NumberOutOfRange { min: i64, max: i64 },
    InvalidDate,
    DateMustBePast,
    DateMustBeFuture,
    InvalidChoice,
    /// An end time not after its start.
    EndsBeforeStart,
    /// The current password, asked again before a change, is not right.
    WrongPassword,
    /// The citizen turned codes by SMS and email off (they log in with their app).
    MessageCodesOff,
    /// Codes by message can only be turned off while an authenticator app is on.
    NeedsAuthenticator,
    AuthenticatorAlreadyOn,
    AuthenticatorCodeWrong,
    /// This code from the app was used already; the next one is needed.
    AuthenticatorCodeUsed,
    /// The new email or phone is the one the account already has.
    SameContact,
    FileRequired,
    FileTooLarge,
    FileWrongType,
    /// Our storage refused the file (a full or unwritable disk). Not the citizen's doing,
    /// but told beside the field, where they will try again; nothing of it was kept.
    FileNotSaved,
    MustAccept,
    /// Someone else (an officer, or the citizen in another tab) moved the application first.
    AlreadyMoved,
    /// A move the application's status does not allow.
    NotAllowedNow,
    ReasonRequired,
    AccountDisabled,
    /// Closing the account waits until every application is finished or withdrawn.
    ApplicationsInProgress,
    /// Closing the account waits until money kept for the citizen is refunded.
    RefundPending,
    AlreadyPaid,
    InvalidCardNumber,
    InvalidCardExpiry,
    InvalidCardCode,
    /// The fee was paid for the option chosen: a correction cannot change it.
    FeeFrozen,
    /// An application reference that is not one of the citizen's own applications.
    NotYourApplication,
    /// The agency's register did not answer in time (or is failing): try again shortly.
    AgencyNotAnswering,
    /// No fine notice has this number.
    NoticeUnknown,
    /// The notice is paid already.
    NoticePaid,
    /// NTSA's register has no vehicle with this registration number.
    VehicleUnknown,
    /// KRA's register has no such PIN.
    KraPinUnknown,
    /// The PIN is registered to another ID number.
    KraPinNotYours,
    /// A registered business has this name, or one a citizen would take for it.
    BusinessNameTaken,
    /// NTSA's register gives this vehicle to someone else.
    VehicleNotYours,
    /// A caveat or encumbrance (a bank's interest, a court order) stands in the way of a transfer.
    VehicleHasCaveat,
    /// No Raia account has this ID number: the other party must open one first.
    CounterpartyUnknown,
    /// The other party of a transfer is the citizen themself.
    CounterpartyIsYou,
    /// The vehicle is no longer registered to the person transferring it.
    VehicleOwnerChanged,
    /// NTSA's register has no driving licence with this number.
    LicenceUnknown,
    /// The driving licence is registered to another ID number.
    LicenceNotYours,
}

/// Why a password is easy to guess, in our own words (not the estimator's English text).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WeakPassword {
    /// Rows or patterns of keys: `qwertyuiop`, `1qaz2wsx`.
    KeyboardPattern,
    /// `aaaaaaaa`, `abcabcabc`.
    Repeats,
    /// `abcdefgh`, `123456789012`.
    Sequence,
    /// On or close to a list of passwords people use most.
    CommonPassword,
    /// A dictionary word (English or Kiswahili) with little added.
    SingleWord,
    /// A name, with little added.
    Names,
    /// Dates and years.
    Dates,
    /// Easy to guess for no single reason we can name.
    TooPredictable,
}

/// A problem with one field of a form; `field` is the input's `name` (empty for the form as a whole).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    pub field: String,
    pub problem: Problem,
}

impl FieldProblem {
    pub fn new(field: &str, problem: Problem) -> Self {
        FieldProblem { field: field.to_string(), problem }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    Invalid(Vec<FieldProblem>),
    TooManyRequests { retry_after_seconds: i64 },
    NotLoggedIn,
    Forbidden,
    /// Not there, or not the asker's to see: both answer the same, so ids cannot be probed.
    NotFound,
    Internal,
    /// The database cannot be reached for now (down, restarting, locked): a 503, and the
    /// citizen is asked to try again in a few minutes.
    Unavailable,
    Transport(ServerFnErrorErr),
}

impl AppError {
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldProblem::new(field, problem)])
    }

    pub fn problems(&self) -> Vec<FieldProblem> {
        match self {
            AppError::Invalid(problems) => problems.clone(),
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for AppError {}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if crate::db::is_unavailable(&error) {
            tracing::warn!(%error, "database unavailable");
            return AppError::Unavailable;
        }
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}
