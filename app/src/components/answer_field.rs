//! One question of a service's form, drawn from the catalogue: the right input for its
//! kind, its label, hint and error, and the saved answer. Inputs are named
//! `answers[<field>]` so the whole step arrives as one map.

use crate::components::forms::{described_by, FormProblems, HintAndError};
use crate::i18n::{t, use_i18n, Locale};
use crate::services::catalogue::{Centre, FeeOption, FieldKind, FormField};
use crate::money::format_kes;
use leptos::prelude::*;

/// The choices of a select or radio question: (value, label).
fn choices(field: &FormField, locale: Locale, centres: &[Centre], fees: &[FeeOption]) -> Vec<(String, String)> {
    match field.kind {
        FieldKind::Centre => centres.iter().map(|c| (c.slug.clone(), format!("{}, {}", c.name, c.town))).collect(),
        FieldKind::FeeOption => fees.iter().map(|f| (f.code.clone(), format!("{}: {}", f.label.get(locale), format_kes(f.amount_cents)))).collect(),
        _ => field.choices.iter().map(|c| (c.value.clone(), c.label.get(locale))).collect(),
    }
}

/// How an answer reads on the "check your answers" page and to officers.
pub fn answer_text(field: &FormField, value: &str, locale: Locale, centres: &[Centre], fees: &[FeeOption]) -> String {
    match field.kind {
        FieldKind::Select | FieldKind::Radio | FieldKind::Centre | FieldKind::FeeOption => {
            choices(field, locale, centres, fees).into_iter().find(|(v, _)| v == value).map(|(_, label)| label).unwrap_or_else(|| value.to_string())
        }
        FieldKind::Checkbox if value == "yes" => "✓".to_string(),
        _ => value.to_string(),
    }
}

#[component]
pub fn AnswerField(problems: FormProblems, field: FormField, value: String, centres: Vec<Centre>, fees: Vec<FeeOption>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let name = field.name.clone();
    let input_name = format!("answers[{name}]");
    let label = field.label.get(locale);
    let hint = field.help.as_ref().map(|h| h.get(locale));
    let has_error = {
        let name = name.clone();
        move || problems.for_field(&name).is_some()
    };
    let described = described_by(problems, name.clone(), hint.is_some());
    let optional = (!field.required && field.kind != FieldKind::Checkbox).then(|| view! { " " <span class="optional">{t!(i18n, apply.optional)}</span> });

    let control = match field.kind {
        FieldKind::Radio | FieldKind::FeeOption => {
            let options = choices(&field, locale, &centres, &fees);
            return view! {
                <div class="form-group" class:form-group--error=has_error.clone()>
                    <fieldset class="fieldset" aria-describedby=described>
                        <legend class="fieldset__legend">{label}{optional}</legend>
                        <HintAndError problems name=name.clone() hint />
                        <div class="radios">
                            {options.into_iter().enumerate().map(|(index, (option, text))| {
                                let id = if index == 0 { name.clone() } else { format!("{name}-{option}") };
                                let checked = option == value;
                                view! {
                                    <div class="radio">
                                        <input type="radio" id=id.clone() name=input_name.clone() value=option checked=checked />
                                        <label for=id>{text}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                </div>
            }
            .into_any();
        }
        FieldKind::Checkbox => {
            return view! {
                <div class="form-group" class:form-group--error=has_error.clone()>
                    <HintAndError problems name=name.clone() hint />
                    <div class="checkbox">
                        <input type="checkbox" id=name.clone() name=input_name value="yes" checked=value == "yes" aria-describedby=described />
                        <label for=name.clone()>{label}</label>
                    </div>
                </div>
            }
            .into_any();
        }
        FieldKind::Select | FieldKind::Centre => {
            let options = choices(&field, locale, &centres, &fees);
            let invalid = has_error.clone();
            view! {
                <select class="select" id=name.clone() name=input_name aria-describedby=described aria-invalid=move || invalid().then_some("true")>
                    <option value="">{t!(i18n, apply.choose)}</option>
                    {options.into_iter().map(|(option, text)| {
                        let selected = option == value;
                        view! { <option value=option selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            }
            .into_any()
        }
        kind => {
            let (input_type, inputmode, autocomplete, width) = match kind {
                FieldKind::Number => ("text", Some("numeric"), None, "input--short"),
                FieldKind::Date => ("date", None, None, "input--medium"),
                FieldKind::Phone => ("tel", Some("tel"), None, "input--medium"),
                FieldKind::Email => ("text", Some("email"), Some("email"), ""),
                FieldKind::IdNumber => ("text", None, Some("off"), "input--medium"),
                _ => ("text", None, None, ""),
            };
            let maxlength = field.max_length.map(|m| m.to_string());
            let invalid = has_error.clone();
            view! {
                <input
                    class=format!("input {width}")
                    class:input--error=has_error.clone()
                    id=name.clone()
                    name=input_name
                    type=input_type
                    inputmode=inputmode
                    autocomplete=autocomplete
                    maxlength=maxlength
                    value=value
                    aria-describedby=described
                    aria-invalid=move || invalid().then_some("true")
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="form-group" class:form-group--error=has_error>
            <label class="label" for=name.clone()>{label}{optional}</label>
            <HintAndError problems name=name.clone() hint />
            {control}
        </div>
    }
    .into_any()
}
