//! Form pieces in the GOV.UK pattern: a labelled field with its hint and error, an error
//! summary that links to each field, and a submit button that shows progress. Errors
//! come from the URL the server redirected a failed form back to.

use crate::errors::{AppError, FieldProblem, Problem, WeakPassword};
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::islands::ShowPassword;
use leptos::prelude::*;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;
use leptos_i18n::I18nContext;

/// A problem in the citizen's language.
pub fn problem_text(i18n: I18nContext<Locale>, problem: &Problem) -> String {
    match problem {
        Problem::Required => t_string!(i18n, problems.required).to_string(),
        Problem::InvalidIdNumber => t_string!(i18n, problems.invalid_id_number).to_string(),
        Problem::InvalidYearOfBirth => t_string!(i18n, problems.invalid_year_of_birth).to_string(),
        Problem::RegistryMismatch => t_string!(i18n, problems.registry_mismatch).to_string(),
        Problem::Minor => t_string!(i18n, problems.minor).to_string(),
        Problem::AlreadyRegistered => t_string!(i18n, problems.already_registered).to_string(),
        Problem::InvalidEmail => t_string!(i18n, problems.invalid_email).to_string(),
        Problem::EmailTaken => t_string!(i18n, problems.email_taken).to_string(),
        Problem::InvalidPhone => t_string!(i18n, problems.invalid_phone).to_string(),
        Problem::PhoneTaken => t_string!(i18n, problems.phone_taken).to_string(),
        Problem::PasswordTooShort => t_string!(i18n, problems.password_too_short).to_string(),
        Problem::PasswordTooLong => t_string!(i18n, problems.password_too_long).to_string(),
        Problem::PasswordCommon => t_string!(i18n, problems.password_common).to_string(),
        Problem::PasswordContainsIdNumber => t_string!(i18n, problems.password_contains_id).to_string(),
        Problem::PasswordContainsName => t_string!(i18n, problems.password_contains_name).to_string(),
        Problem::PasswordContainsPhone => t_string!(i18n, problems.password_contains_phone).to_string(),
        Problem::PasswordContainsEmail => t_string!(i18n, problems.password_contains_email).to_string(),
        Problem::PasswordGuessable { reason } => match reason {
            WeakPassword::KeyboardPattern => t_string!(i18n, problems.password_weak_keyboard).to_string(),
            WeakPassword::Repeats => t_string!(i18n, problems.password_weak_repeats).to_string(),
            WeakPassword::Sequence => t_string!(i18n, problems.password_weak_sequence).to_string(),
            WeakPassword::CommonPassword => t_string!(i18n, problems.password_weak_common).to_string(),
            WeakPassword::SingleWord => t_string!(i18n, problems.password_weak_word).to_string(),
            WeakPassword::Names => t_string!(i18n, problems.password_weak_names).to_string(),
            WeakPassword::Dates => t_string!(i18n, problems.password_weak_dates).to_string(),
            WeakPassword::TooPredictable => t_string!(i18n, problems.password_weak_predictable).to_string(),
        },
        Problem::PasswordsDiffer => t_string!(i18n, problems.passwords_differ).to_string(),
        Problem::WrongCredentials => t_string!(i18n, problems.wrong_credentials).to_string(),
        Problem::Locked { minutes } => t_string!(i18n, problems.locked).to_string().replace("{minutes}", &minutes.to_string()),
        Problem::CodeFormat => t_string!(i18n, problems.code_format).to_string(),
        Problem::CodeWrong { attempts_left } => t_string!(i18n, problems.code_wrong).to_string().replace("{left}", &attempts_left.to_string()),
        Problem::CodeExpired => t_string!(i18n, problems.code_expired).to_string(),
        Problem::CodeVoided => t_string!(i18n, problems.code_voided).to_string(),
        Problem::ResendTooSoon { seconds } => t_string!(i18n, problems.resend_too_soon).to_string().replace("{seconds}", &seconds.to_string()),
        Problem::TooManyCodes { minutes } => t_string!(i18n, problems.too_many_codes).to_string().replace("{minutes}", &minutes.to_string()),
        Problem::ChooseChannel => t_string!(i18n, problems.choose_channel).to_string(),
        Problem::FlowExpired => t_string!(i18n, problems.flow_expired).to_string(),
        Problem::TextTooShort { min } => t_string!(i18n, problems.text_too_short).to_string().replace("{min}", &min.to_string()),
        Problem::TextTooLong { max } => t_string!(i18n, problems.text_too_long).to_string().replace("{max}", &max.to_string()),
        Problem::NotANumber => t_string!(i18n, problems.not_a_number).to_string(),
        Problem::NumberOutOfRange { min, max } => {
            t_string!(i18n, problems.number_out_of_range).to_string().replace("{min}", &min.to_string()).replace("{max}", &max.to_string())
        }
        Problem::InvalidDate => t_string!(i18n, problems.invalid_date).to_string(),
        Problem::DateMustBePast => t_string!(i18n, problems.date_must_be_past).to_string(),
        Problem::DateMustBeFuture => t_string!(i18n, problems.date_must_be_future).to_string(),
        Problem::InvalidChoice => t_string!(i18n, problems.invalid_choice).to_string(),
        Problem::EndsBeforeStart => t_string!(i18n, problems.ends_before_start).to_string(),
        Problem::WrongPassword => t_string!(i18n, problems.wrong_password).to_string(),
        Problem::MessageCodesOff => t_string!(i18n, problems.message_codes_off).to_string(),
        Problem::NeedsAuthenticator => t_string!(i18n, problems.needs_authenticator).to_string(),
        Problem::AuthenticatorAlreadyOn => t_string!(i18n, problems.authenticator_already_on).to_string(),
        Problem::AuthenticatorCodeWrong => t_string!(i18n, problems.authenticator_code_wrong).to_string(),
        Problem::AuthenticatorCodeUsed => t_string!(i18n, problems.authenticator_code_used).to_string(),
        Problem::SameContact => t_string!(i18n, problems.same_contact).to_string(),
        Problem::FileRequired => t_string!(i18n, problems.file_required).to_string(),
        Problem::FileTooLarge => t_string!(i18n, problems.file_too_large).to_string(),
        Problem::FileWrongType => t_string!(i18n, problems.file_wrong_type).to_string(),
        Problem::FileNotSaved => t_string!(i18n, problems.file_not_saved).to_string(),
        Problem::MustAccept => t_string!(i18n, problems.must_accept).to_string(),
        Problem::AlreadyMoved => t_string!(i18n, problems.already_moved).to_string(),
        Problem::NotAllowedNow => t_string!(i18n, problems.not_allowed_now).to_string(),
        Problem::ReasonRequired => t_string!(i18n, problems.reason_required).to_string(),
        Problem::AccountDisabled => t_string!(i18n, problems.account_disabled).to_string(),
        Problem::ApplicationsInProgress => t_string!(i18n, problems.applications_in_progress).to_string(),
        Problem::RefundPending => t_string!(i18n, problems.refund_pending).to_string(),
        Problem::AlreadyPaid => t_string!(i18n, problems.already_paid).to_string(),
        Problem::InvalidCardNumber => t_string!(i18n, problems.invalid_card_number).to_string(),
        Problem::InvalidCardExpiry => t_string!(i18n, problems.invalid_card_expiry).to_string(),
        Problem::InvalidCardCode => t_string!(i18n, problems.invalid_card_code).to_string(),
        Problem::FeeFrozen => t_string!(i18n, problems.fee_frozen).to_string(),
        Problem::NotYourApplication => t_string!(i18n, problems.not_your_application).to_string(),
        Problem::AgencyNotAnswering => t_string!(i18n, problems.agency_not_answering).to_string(),
        Problem::NoticeUnknown => t_string!(i18n, problems.notice_unknown).to_string(),
        Problem::NoticePaid => t_string!(i18n, problems.notice_paid).to_string(),
        Problem::VehicleUnknown => t_string!(i18n, problems.vehicle_unknown).to_string(),
        Problem::KraPinUnknown => t_string!(i18n, problems.kra_pin_unknown).to_string(),
        Problem::KraPinNotYours => t_string!(i18n, problems.kra_pin_not_yours).to_string(),
        Problem::VehicleNotYours => t_string!(i18n, problems.vehicle_not_yours).to_string(),
        Problem::VehicleHasCaveat => t_string!(i18n, problems.vehicle_has_caveat).to_string(),
        Problem::CounterpartyUnknown => t_string!(i18n, problems.counterparty_unknown).to_string(),
        Problem::CounterpartyIsYou => t_string!(i18n, problems.counterparty_is_you).to_string(),
        Problem::VehicleOwnerChanged => t_string!(i18n, problems.vehicle_owner_changed).to_string(),
        Problem::LicenceUnknown => t_string!(i18n, problems.licence_unknown).to_string(),
        Problem::LicenceNotYours => t_string!(i18n, problems.licence_not_yours).to_string(),
        Problem::BusinessNameTaken => t_string!(i18n, problems.business_name_taken).to_string(),
    }
}

fn error_text(i18n: I18nContext<Locale>, error: &AppError) -> Option<String> {
    match error {
        AppError::Invalid(_) => None,
        AppError::TooManyRequests { retry_after_seconds } => {
            Some(t_string!(i18n, problems.too_many_requests).to_string().replace("{seconds}", &retry_after_seconds.to_string()))
        }
        AppError::NotLoggedIn => Some(t_string!(i18n, problems.not_logged_in).to_string()),
        AppError::NotFound => Some(t_string!(i18n, problems.not_found).to_string()),
        AppError::Forbidden => Some(t_string!(i18n, problems.forbidden).to_string()),
        AppError::Unavailable => Some(t_string!(i18n, problems.unavailable).to_string()),
        _ => Some(t_string!(i18n, problems.internal).to_string()),
    }
}

/// The problems of the last submit of `action`'s form. Every form posts to the server, with
/// or without JavaScript (islands: no form runs in the browser), and a failed one is sent
/// back here with its error in the URL.
#[derive(Clone, Copy)]
pub struct FormProblems {
    error: Memo<Option<AppError>>,
}

impl FormProblems {
    /// `action` names the server function whose problems these are.
    pub fn new<S>(_action: ServerAction<S>) -> Self
    where
        S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
        S::Output: Clone + Send + Sync + 'static,
    {
        Self::at(S::url())
    }

    /// The problems of a form that posts to a plain endpoint rather than a server function
    /// (a multipart upload), which sends them back the same way.
    pub fn at(path: &'static str) -> Self {
        let query = use_query_map();
        let error = Memo::new(move |_| {
            let query = query.read();
            (query.get("__path").as_deref() == Some(path))
                .then(|| query.get("__err"))
                .flatten()
                .map(|encoded| ServerFnUrlError::<AppError>::decode_err(&encoded))
        });
        FormProblems { error }
    }

    pub fn all(&self) -> Vec<FieldProblem> {
        self.error.get().map(|e| e.problems()).unwrap_or_default()
    }

    pub fn for_field(&self, field: &str) -> Option<Problem> {
        self.all().into_iter().find(|p| p.field == field).map(|p| p.problem)
    }

    pub fn first_field(&self) -> Option<String> {
        self.all().into_iter().map(|p| p.field).find(|f| !f.is_empty())
    }

    pub fn general(&self) -> Option<AppError> {
        self.error.get().filter(|e| !matches!(e, AppError::Invalid(_)))
    }
}

/// "There is a problem": every error, each a link to its field. The navigation script moves
/// focus to it when a submit comes back with problems (GOV.UK's pattern); a full page load
/// focuses the first field in error instead (`autofocus`).
#[component]
pub fn ErrorSummary(problems: FormProblems) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !problems.all().is_empty() || problems.general().is_some()>
            <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
                <h2 class="error-summary__title" id="error-summary-title">{t!(i18n, forms.there_is_a_problem)}</h2>
                <ul class="error-summary__list">
                    {move || problems.general().and_then(|e| error_text(i18n, &e)).map(|text| view! { <li>{text}</li> })}
                    {move || {
                        problems
                            .all()
                            .into_iter()
                            .map(|p| {
                                let text = problem_text(i18n, &p.problem);
                                if p.field.is_empty() {
                                    view! { <li>{text}</li> }.into_any()
                                } else {
                                    view! { <li><a href=format!("#{}", p.field)>{text}</a></li> }.into_any()
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

/// The ids a field's input points to with `aria-describedby`: its hint and its error.
pub fn described_by(problems: FormProblems, name: String, has_hint: bool) -> impl Fn() -> Option<String> + Send + Sync + Clone + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(format!("{name}-hint"));
        }
        if problems.for_field(&name).is_some() {
            ids.push(format!("{name}-error"));
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// A field's hint and, after a failed submit, its error message.
#[component]
pub fn HintAndError(problems: FormProblems, #[prop(into)] name: String, hint: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{name}-hint");
    let error_id = format!("{name}-error");
    view! {
        {hint.map(|hint| view! { <p class="hint" id=hint_id>{hint}</p> })}
        {move || problems.for_field(&name).map(|p| view! {
            <p class="error-message" id=error_id.clone()>
                <span class="visually-hidden">{t!(i18n, forms.error_prefix)}</span>
                {problem_text(i18n, &p)}
            </p>
        })}
    }
}

/// A labelled input with an optional hint and the problem for this field.
#[component]
pub fn Field(
    problems: FormProblems,
    name: &'static str,
    label: String,
    #[prop(default = None)] hint: Option<String>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] maxlength: Option<&'static str>,
    #[prop(optional)] value: Option<String>,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] spellcheck_off: bool,
) -> impl IntoView {
    let problem = move || problems.for_field(name);
    let described_by = described_by(problems, name.to_string(), hint.is_some());
    view! {
        <div class="form-group" class:form-group--error=move || problem().is_some()>
            <label class="label" for=name>{label}</label>
            <HintAndError problems name hint />
            <input
                class=format!("input {}", class.unwrap_or(""))
                class:input--error=move || problem().is_some()
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                spellcheck=spellcheck_off.then_some("false")
                value=value
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby=described_by
                autofocus=move || (problems.first_field().as_deref() == Some(name)).then_some("")
            />
        </div>
    }
}

/// A password field with a "Show password" switch (an island: with JavaScript only).
#[component]
pub fn PasswordField(problems: FormProblems, name: &'static str, label: String, autocomplete: &'static str, #[prop(default = None)] hint: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="password-field">
            <Field problems name label hint input_type="password" autocomplete spellcheck_off=true />
            <ShowPassword field=name.to_string() label=t_string!(i18n, forms.show_password).to_string() />
        </div>
    }
}

/// The submit button: says what it does. While its form is on its way, the navigation
/// script disables it and shows `data-pending-label` ("Please wait"), so a second tap
/// cannot send it twice.
#[component]
pub fn SubmitButton(label: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class="button button--primary" data-pending-label=t_string!(i18n, forms.please_wait)>
            {label}
        </button>
    }
}

/// A question with one answer from a few: radios in a fieldset whose legend is the question.
#[component]
pub fn Radios(
    problems: FormProblems,
    name: &'static str,
    legend: String,
    options: Vec<(&'static str, String)>,
    #[prop(default = None)] hint: Option<String>,
    /// The option chosen already, if any.
    #[prop(default = None)]
    selected: Option<String>,
) -> impl IntoView {
    let problem = move || problems.for_field(name);
    let described_by = described_by(problems, name.to_string(), hint.is_some());
    view! {
        <div class="form-group" class:form-group--error=move || problem().is_some()>
            <fieldset class="fieldset" aria-describedby=described_by>
                <legend class="fieldset__legend">{legend}</legend>
                <HintAndError problems name hint />
                <div class="radios">
                    {options
                        .into_iter()
                        .enumerate()
                        .map(|(index, (value, label))| {
                            // The first radio carries the field's id, so the error summary can link to it.
                            let id = if index == 0 { name.to_string() } else { format!("{name}-{value}") };
                            let checked = selected.as_deref() == Some(value);
                            view! {
                                <div class="radio">
                                    <input type="radio" id=id.clone() name=name value=value checked=checked />
                                    <label for=id>{label}</label>
                                </div>
                            }
                        })
                        .collect_view()}
                </div>
            </fieldset>
        </div>
    }
}
