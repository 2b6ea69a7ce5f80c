//! `/account/data`: what Raia holds about the citizen, section by section with where to see
//! it, the JSON download of all of it, and who among staff opened their records. No island:
//! a page to read, and a link the browser saves as a file.

use crate::components::page_signals::loaded;
use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::identity::data_access::RecordKind;
use crate::privacy::api::my_data;
use crate::privacy::views::LookedAt;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// A section of the download in the citizen's words, and the page where they can see it.
fn section_text(i18n: I18nContext<Locale>, name: &str) -> (String, Option<&'static str>) {
    let (text, link) = match name {
        "account" => (t_string!(i18n, my_data.s_account), Some("/account")),
        "population_registry" => (t_string!(i18n, my_data.s_population_registry), Some("/account")),
        "applications" => (t_string!(i18n, my_data.s_applications), Some("/dashboard")),
        "application_history" => (t_string!(i18n, my_data.s_application_history), Some("/dashboard")),
        "uploaded_documents" => (t_string!(i18n, my_data.s_uploaded_documents), Some("/dashboard")),
        "invoices" => (t_string!(i18n, my_data.s_invoices), Some("/payments")),
        "payments" => (t_string!(i18n, my_data.s_payments), Some("/payments")),
        "receipts" => (t_string!(i18n, my_data.s_receipts), Some("/payments")),
        "money_kept_for_refund" => (t_string!(i18n, my_data.s_money_kept), Some("/payments")),
        "issued_documents" => (t_string!(i18n, my_data.s_issued_documents), Some("/documents")),
        "vehicle_transfers" => (t_string!(i18n, my_data.s_vehicle_transfers), Some("/my-vehicles")),
        "notifications" => (t_string!(i18n, my_data.s_notifications), Some("/notifications")),
        "messages_sent" => (t_string!(i18n, my_data.s_messages_sent), None),
        "account_activity" => (t_string!(i18n, my_data.s_account_activity), Some("/account/activity")),
        "logged_in_browsers" => (t_string!(i18n, my_data.s_logged_in_browsers), Some("/account/sessions")),
        "authenticator_app" => (t_string!(i18n, my_data.s_authenticator_app), Some("/account/security")),
        "backup_codes" => (t_string!(i18n, my_data.s_backup_codes), Some("/account/security")),
        "one_time_codes" => (t_string!(i18n, my_data.s_one_time_codes), None),
        "support_requests" => (t_string!(i18n, my_data.s_support_requests), Some("/support")),
        "support_messages" => (t_string!(i18n, my_data.s_support_messages), Some("/support")),
        "support_screenshots" => (t_string!(i18n, my_data.s_support_screenshots), Some("/support")),
        "register_lookups" => (t_string!(i18n, my_data.s_register_lookups), None),
        "who_looked_at_my_data" => (t_string!(i18n, my_data.s_who_looked), Some("#who-looked")),
        _ => return (name.replace('_', " "), None),
    };
    (text.to_string(), link)
}

fn kind_text(i18n: I18nContext<Locale>, kind: RecordKind) -> String {
    match kind {
        RecordKind::Application => t_string!(i18n, my_data.kind_application),
        RecordKind::Document => t_string!(i18n, my_data.kind_document),
        RecordKind::SupportTicket => t_string!(i18n, my_data.kind_support_ticket),
    }
    .to_string()
}

/// Who opened it, as the citizen is told: the role and the agency, never a name.
fn viewer_text(i18n: I18nContext<Locale>, looked: &LookedAt) -> String {
    let role = match looked.access.viewer_role.as_str() {
        "officer" => t_string!(i18n, my_data.role_officer),
        "admin" => t_string!(i18n, my_data.role_admin),
        _ => t_string!(i18n, my_data.role_staff),
    };
    match &looked.agency_name {
        Some(agency) => format!("{role}, {agency}"),
        None => role.to_string(),
    }
}

#[component]
pub fn MyDataPage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new_blocking(|| (), |_| my_data());
    view! {
        <PageTitle title=t_string!(i18n, my_data.title) />
        <p><a href="/account">{t!(i18n, account.back)}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(overview) = loaded(overview).await else { return ().into_any() };
                let locale = i18n.get_locale_untracked();
                let looked_at = overview.looked_at.clone();
                view! {
                    <h1>{t!(i18n, my_data.title)}</h1>
                    <p>{t!(i18n, my_data.lead)}</p>
                    <p>
                        <a class="button button--primary" href="/account/data/download" download="raia-my-data.json">{t!(i18n, my_data.download)}</a>
                    </p>
                    <p class="hint">{t!(i18n, my_data.download_hint)}</p>

                    <h2>{t!(i18n, my_data.held_title)}</h2>
                    <table class="table">
                        <caption class="visually-hidden">{t!(i18n, my_data.held_title)}</caption>
                        <thead><tr>
                            <th scope="col">{t!(i18n, my_data.what)}</th>
                            <th scope="col" class="numeric">{t!(i18n, my_data.how_many)}</th>
                        </tr></thead>
                        <tbody>
                            {overview.sections.into_iter().map(|section| {
                                let (text, link) = section_text(i18n, &section.name);
                                view! {
                                    <tr>
                                        <td>{match link {
                                            Some(href) if section.count > 0 => view! { <a href=href>{text}</a> }.into_any(),
                                            _ => text.into_any(),
                                        }}</td>
                                        <td class="numeric">{section.count}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    <p>{t!(i18n, my_data.withheld)}</p>
                    <p>{t!(i18n, my_data.correction)} " " <a href="/support">{t!(i18n, my_data.correction_link)}</a></p>

                    <h2>{t!(i18n, my_data.close_title)}</h2>
                    <p>{t!(i18n, my_data.close_lead)} " " <a href="/account/close">{t!(i18n, my_data.close_link)}</a></p>

                    <h2 id="who-looked">{t!(i18n, my_data.who_title)}</h2>
                    <p>{t!(i18n, my_data.who_lead)}</p>
                    {if looked_at.is_empty() {
                        view! { <p>{t!(i18n, my_data.who_nobody)}</p> }.into_any()
                    } else {
                        // On a phone the four columns scroll inside their own box, not the page.
                        view! {
                            <div class="table-wrap" tabindex="0" role="region" aria-label=t_string!(i18n, my_data.who_title)>
                            <table class="table who-looked">
                                <caption class="visually-hidden">{t!(i18n, my_data.who_title)}</caption>
                                <thead><tr>
                                    <th scope="col">{t!(i18n, my_data.when)}</th>
                                    <th scope="col">{t!(i18n, my_data.who)}</th>
                                    <th scope="col">{t!(i18n, my_data.opened)}</th>
                                    <th scope="col">{t!(i18n, my_data.why)}</th>
                                </tr></thead>
                                <tbody>
                                    {looked_at.into_iter().map(|looked| {
                                        let who = viewer_text(i18n, &looked);
                                        let what = format!("{}: {}", kind_text(i18n, looked.access.kind), looked.access.record);
                                        let why = looked.access.reason.clone().unwrap_or_else(|| t_string!(i18n, my_data.why_own_work).to_string());
                                        view! {
                                            <tr>
                                                <td>{format_time(looked.access.at, locale)}</td>
                                                <td>{who}</td>
                                                <td>{what}</td>
                                                <td>{why}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any()
                    }}
                }
                .into_any()
            })}
        </Suspense>
    }
}
