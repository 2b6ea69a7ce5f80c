//! The panel an application's page shows once it has issued its document: download, how to
//! verify it, and for the agency's officer the form that revokes or suspends it.

use crate::components::forms::{ErrorSummary, FormProblems, SubmitButton};
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::issued::api::SetDocumentStatus;
use crate::issued::views::{DocumentStatus, IssuedDocumentView};
use leptos::prelude::*;

/// "Valid", "Revoked", "Expired" as a badge (never colour alone: the word is the badge).
#[component]
pub fn DocumentBadge(document: IssuedDocumentView) -> impl IntoView {
    let i18n = use_i18n();
    let (class, text) = match (document.status, document.expired) {
        (DocumentStatus::Revoked, _) => ("badge badge--attention", t_string!(i18n, documents.revoked)),
        (DocumentStatus::Suspended, _) => ("badge badge--attention", t_string!(i18n, documents.suspended)),
        (DocumentStatus::Valid, true) => ("badge badge--neutral", t_string!(i18n, documents.expired)),
        (DocumentStatus::Valid, false) => ("badge badge--done", t_string!(i18n, documents.valid)),
    };
    view! { <strong class=class>{text}</strong> }
}

pub fn title_of(document: &IssuedDocumentView, locale: Locale) -> String {
    if locale == Locale::sw && !document.title_sw.is_empty() { document.title_sw.clone() } else { document.title_en.clone() }
}

#[component]
pub fn IssuedDocumentPanel(document: IssuedDocumentView, citizen: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let title = title_of(&document, locale);
    let verify_href = format!("/verify/document?number={}", document.number);
    view! {
        <section class="panel panel--confirm" aria-labelledby="issued-title">
            <h2 id="issued-title">{t!(i18n, documents.issued_heading)}</h2>
            <p><strong>{title}</strong> " " <span class="mono">{document.number.clone()}</span> " " <DocumentBadge document=document.clone() /></p>
            {document.status_reason.clone().filter(|_| document.status != DocumentStatus::Valid).map(|reason| view! { <p>{t!(i18n, documents.reason)} " " {reason}</p> })}
            {citizen.then(|| view! {
                <p><a class="button" href=format!("/issued/{}.pdf", document.number) download>{t!(i18n, documents.download)}</a></p>
            })}
            <p><a href=verify_href>{t!(i18n, documents.how_to_verify)}</a></p>
            {(!citizen).then(|| view! { <DocumentStatusForm document=document.clone() /> })}
        </section>
    }
}

#[component]
fn DocumentStatusForm(document: IssuedDocumentView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetDocumentStatus>::new();
    let problems = FormProblems::new(action);
    view! {
        <details>
            <summary>{t!(i18n, documents.change_status)}</summary>
            <ErrorSummary problems />
            <ActionForm action>
                <input type="hidden" name="reference" value=document.application_reference.clone() />
                <input type="hidden" name="number" value=document.number.clone() />
                <fieldset class="field">
                    <legend>{t!(i18n, documents.new_status)}</legend>
                    <div class="radio"><input type="radio" id="status-revoked" name="status" value="revoked" checked /><label for="status-revoked">{t!(i18n, documents.revoke)}</label></div>
                    <div class="radio"><input type="radio" id="status-suspended" name="status" value="suspended" /><label for="status-suspended">{t!(i18n, documents.suspend)}</label></div>
                    <div class="radio"><input type="radio" id="status-valid" name="status" value="valid" /><label for="status-valid">{t!(i18n, documents.reinstate)}</label></div>
                </fieldset>
                <div class="field">
                    <label for="reason">{t!(i18n, documents.reason_label)}</label>
                    <textarea id="reason" name="reason" rows="2" maxlength="300" required></textarea>
                </div>
                <SubmitButton label=t_string!(i18n, documents.save_status).to_string() />
            </ActionForm>
        </details>
    }
}
