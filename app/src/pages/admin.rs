//! `/admin`: staff accounts. An admin creates officers (of one agency) and admins, and
//! disables or re-enables them.

use crate::components::forms::{ErrorSummary, Field, FormProblems, Radios, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::officer::NoAccess;
use crate::backoffice::staff_api::{staff_overview, CreateStaff, SetStaffDisabled};
use crate::components::page_signals::{live, loaded};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let create = ServerAction::<CreateStaff>::new();
    let toggle = ServerAction::<SetStaffDisabled>::new();
    let problems = FormProblems::new(create);
    let listing = Resource::new_blocking(move || (live(create.version()), live(toggle.version())), |_| staff_overview());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                match loaded(listing).await {
                    Ok(listing) => {
                        let agencies = listing.agencies.clone();
                        view! {
                        <PageTitle title=t_string!(i18n, admin.title) />
                        {query.read_untracked().get("created").map(|_| view! { <div class="banner banner--success" role="status"><p>{t!(i18n, admin.created)}</p></div> })}
                        <h1>{t!(i18n, admin.title)}</h1>
                        <p><a href="/admin/claims">{t!(i18n, admin.claims_link)}</a></p>
                        <p><a href="/admin/payments">{t!(i18n, admin.payments_link)}</a></p>
                        <p><a href="/admin/messages">{t!(i18n, admin_messages.link)}</a></p>
                        <p><a href="/admin/registers">{t!(i18n, admin_registers.title)}</a></p>
                        <p><a href="/admin/status">{t!(i18n, admin_status.link)}</a></p>
                        <p><a href="/admin/support">{t!(i18n, support.desk_link)}</a></p>
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, admin.name)}</th>
                                    <th scope="col">{t!(i18n, admin.role)}</th>
                                    <th scope="col">{t!(i18n, admin.agency)}</th>
                                    <th scope="col">{t!(i18n, admin.state)}</th>
                                </tr></thead>
                                <tbody>
                                    {listing.staff.clone().into_iter().map(|member| {
                                        let agency = member.agency.as_ref().and_then(|slug| agencies.iter().find(|a| &a.slug == slug)).map(|a| a.short_name.clone()).unwrap_or_default();
                                        let role = if member.role == "admin" { t_string!(i18n, admin.role_admin) } else { t_string!(i18n, admin.role_officer) };
                                        view! {
                                            <tr>
                                                <td>{member.full_name.clone()}<br /><span class="hint">{member.email.clone()}</span></td>
                                                <td>{role}</td>
                                                <td>{agency}</td>
                                                <td>
                                                    {if member.disabled { t_string!(i18n, admin.disabled) } else { t_string!(i18n, admin.active) }}
                                                    <ActionForm action=toggle attr:class="inline-form">
                                                        <input type="hidden" name="account_id" value=member.id.to_string() />
                                                        <input type="hidden" name="disabled" value=(!member.disabled).to_string() />
                                                        <button type="submit" class="link-button">
                                                            {if member.disabled { t_string!(i18n, admin.enable) } else { t_string!(i18n, admin.disable) }}
                                                            <span class="visually-hidden">" " {member.full_name.clone()}</span>
                                                        </button>
                                                    </ActionForm>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <h2>{t!(i18n, admin.new_title)}</h2>
                        <p>{t!(i18n, admin.new_body)}</p>
                        <div class="narrow">
                            <ErrorSummary problems />
                            <ActionForm action=create>
                                <Field problems name="id_number" label=t_string!(i18n, register.id_number).to_string() class="input--medium" />
                                <Field problems name="first_name" label=t_string!(i18n, register.first_name).to_string() />
                                <Field problems name="surname" label=t_string!(i18n, admin.surname).to_string() />
                                <Field problems name="email" label=t_string!(i18n, register.email).to_string() input_type="email" />
                                <Field problems name="phone" label=t_string!(i18n, register.phone).to_string() input_type="tel" class="input--medium" />
                                <Radios problems name="role" legend=t_string!(i18n, admin.role).to_string()
                                    options=vec![("officer", t_string!(i18n, admin.role_officer).to_string()), ("admin", t_string!(i18n, admin.role_admin).to_string())] />
                                <div class="form-group" class:form-group--error=move || problems.for_field("agency").is_some()>
                                    <label class="label" for="agency">{t!(i18n, admin.agency)}</label>
                                    <p class="hint">{t!(i18n, admin.agency_hint)}</p>
                                    <select class="select" id="agency" name="agency">
                                        <option value="">{t!(i18n, apply.choose)}</option>
                                        {listing.agencies.iter().map(|a| view! { <option value=a.slug.clone()>{a.name.get(locale)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <SubmitButton label=t_string!(i18n, admin.create).to_string() />
                            </ActionForm>
                        </div>
                    }.into_any()
                    }
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NoAccess /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
