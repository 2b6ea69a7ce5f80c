//! `/help`: answers to what citizens ask most (a forgotten password, a code that does not
//! arrive, a payment not shown, a locked account, new contacts, phones and installing
//! Raia), one heading per question, then the way to support. Plain HTML, no data.

use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn HelpPage() -> impl IntoView {
    let i18n = use_i18n();
    // (anchor, question): the contents list links to each heading below.
    let questions = [
        ("forgot-password", t_string!(i18n, help.forgot_title)),
        ("code-not-arriving", t_string!(i18n, help.code_title)),
        ("paid-not-shown", t_string!(i18n, help.paid_title)),
        ("account-locked", t_string!(i18n, help.locked_title)),
        ("change-contacts", t_string!(i18n, help.contacts_title)),
        ("on-a-phone", t_string!(i18n, help.phone_title)),
        ("install", t_string!(i18n, help.install_title)),
    ];
    view! {
        <PageTitle title=t_string!(i18n, help.title) />
        <div class="narrow help">
            <h1>{t!(i18n, help.title)}</h1>
            <p class="lead">{t!(i18n, help.lead)}</p>
            <nav aria-labelledby="help-contents">
                <h2 id="help-contents" class="help__contents-title">{t!(i18n, help.contents)}</h2>
                <ul class="list--bullet">
                    {questions.iter().map(|(anchor, question)| view! { <li><a href=format!("#{anchor}")>{question.to_string()}</a></li> }).collect_view()}
                </ul>
            </nav>

            <h2 id="forgot-password">{t!(i18n, help.forgot_title)}</h2>
            <p>{t!(i18n, help.forgot_1)}</p>
            <p>{t!(i18n, help.forgot_2)}</p>
            <p><a href="/forgot-password">{t!(i18n, help.forgot_link)}</a></p>

            <h2 id="code-not-arriving">{t!(i18n, help.code_title)}</h2>
            <p>{t!(i18n, help.code_1)}</p>
            <p>{t!(i18n, help.code_2)}</p>
            <p>{t!(i18n, help.code_3)}</p>

            <h2 id="paid-not-shown">{t!(i18n, help.paid_title)}</h2>
            <p>{t!(i18n, help.paid_1)}</p>
            <p>{t!(i18n, help.paid_2)}</p>
            <p>{t!(i18n, help.paid_3)}</p>

            <h2 id="account-locked">{t!(i18n, help.locked_title)}</h2>
            <p>{t!(i18n, help.locked_1)}</p>
            <p>{t!(i18n, help.locked_2)}</p>

            <h2 id="change-contacts">{t!(i18n, help.contacts_title)}</h2>
            <p>{t!(i18n, help.contacts_1)}</p>
            <p>{t!(i18n, help.contacts_2)}</p>

            <h2 id="on-a-phone">{t!(i18n, help.phone_title)}</h2>
            <p>{t!(i18n, help.phone_1)}</p>
            <p>{t!(i18n, help.phone_2)}</p>

            <h2 id="install">{t!(i18n, help.install_title)}</h2>
            <p>{t!(i18n, help.install_1)}</p>
            <ul class="list--bullet">
                <li>{t!(i18n, help.install_android)}</li>
                <li>{t!(i18n, help.install_iphone)}</li>
            </ul>
            <p>{t!(i18n, help.install_2)}</p>

            <section class="panel" aria-labelledby="help-more">
                <h2 id="help-more">{t!(i18n, help.more_title)}</h2>
                <p>{t!(i18n, help.more_1)}</p>
                <p><a class="button button--primary" href="/support">{t!(i18n, help.more_link)}</a></p>
                <p>{t!(i18n, footer.help)}</p>
            </section>
        </div>
    }
}
