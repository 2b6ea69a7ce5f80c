//! `/my-vehicles` (what NTSA's register gives the citizen, and transfers waiting for them),
//! `/my-vehicles/<registration>` (one vehicle's whole record, for its owner only) and
//! `/transfers/<reference>` (the buyer's side of a transfer: accept with a code, or cancel).

use crate::components::forms::{ErrorSummary, Field, FormProblems, SubmitButton};
use crate::components::page_title::PageTitle;
use crate::components::status::StatusBadge;
use crate::errors::AppError;
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::pages::not_found::NotFoundPage;
use crate::services::status::Status;
use crate::services::transfers_api::{my_vehicle, my_vehicles, transfer_to_me, AcceptTransfer, CancelTransfer, SendTransferCode};
use crate::services::views::{TransferView, VehicleView};
use crate::components::page_signals::{live_param, loaded};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MyVehiclesPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new_blocking(|| (), |_| my_vehicles());
    view! {
        <PageTitle title=t_string!(i18n, vehicles.title) />
        <h1>{t!(i18n, vehicles.title)}</h1>
        <p>{t!(i18n, vehicles.lead)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(mine).await {
                    Ok(mine) => view! {
                        {(!mine.transfers_to_me.is_empty()).then(|| view! {
                            <section class="panel panel--apart" aria-labelledby="to-you-title">
                                <h2 id="to-you-title">{t!(i18n, vehicles.to_you_title)}</h2>
                                <ul class="list">
                                    {mine.transfers_to_me.iter().map(|transfer| view! {
                                        <li>
                                            <strong class="mono">{transfer.registration_number.clone()}</strong> " " {transfer.vehicle.clone()} " · "
                                            <StatusBadge status=transfer.status /> " "
                                            <a href=format!("/transfers/{}", transfer.reference)>{t!(i18n, vehicles.open)}</a>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            </section>
                        })}
                        {if mine.vehicles.is_empty() {
                            view! { <p>{t!(i18n, vehicles.none)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="application-list">
                                    {mine.vehicles.into_iter().map(|vehicle| view! {
                                        <li class="application-list__item">
                                            <p class="caption mono">{vehicle.registration_number.clone()}</p>
                                            <h2 class="application-list__title">{format!("{} {} ({})", vehicle.make, vehicle.model, vehicle.year)}</h2>
                                            <p>{vehicle.colour.clone()} " · " {t!(i18n, vehicles.insurance)} ": " {insurance_text(i18n, &vehicle)}</p>
                                            <p><a href=format!("/my-vehicles/{}", vehicle.slug)>{t!(i18n, vehicles.details)} <span class="visually-hidden">" " {vehicle.registration_number.clone()}</span></a></p>
                                        </li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        <p><a class="button button--secondary" href="/services/vehicle-transfer">{t!(i18n, vehicles.transfer_one)}</a></p>
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <p>{t!(i18n, problems.unavailable)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn insurance_text(i18n: I18nContext<Locale>, vehicle: &VehicleView) -> String {
    let date = vehicle.insurance_expiry.clone().unwrap_or_default();
    match vehicle.insurance_status.as_str() {
        "valid" => t_string!(i18n, vehicles.insurance_valid).to_string().replace("{date}", &date),
        "expired" => t_string!(i18n, vehicles.insurance_expired).to_string().replace("{date}", &date),
        _ => t_string!(i18n, vehicles.insurance_none).to_string(),
    }
}

fn summary_row(label: String, value: String) -> impl IntoView {
    view! { <div class="summary-list__row"><dt class="summary-list__key">{label}</dt><dd class="summary-list__value">{value}</dd></div> }
}

#[component]
pub fn VehiclePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let registration = move || live_param(params, "registration").unwrap_or_default();
    let vehicle = Resource::new_blocking(registration, my_vehicle);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(vehicle).await {
                    Ok(vehicle) => view! {
                        <PageTitle title=vehicle.registration_number.clone() />
                        <p class="caption">{t!(i18n, vehicles.title)}</p>
                        <h1 class="mono">{vehicle.registration_number.clone()}</h1>
                        <dl class="summary-list">
                            {summary_row(t_string!(i18n, vehicles.make_model).to_string(), format!("{} {}", vehicle.make, vehicle.model))}
                            {summary_row(t_string!(i18n, vehicles.year).to_string(), vehicle.year.to_string())}
                            {summary_row(t_string!(i18n, vehicles.colour).to_string(), vehicle.colour.clone())}
                            {summary_row(t_string!(i18n, vehicles.chassis).to_string(), vehicle.chassis_number.clone())}
                            {summary_row(t_string!(i18n, vehicles.logbook).to_string(), vehicle.logbook_number.clone())}
                            {summary_row(t_string!(i18n, vehicles.owner).to_string(), vehicle.owner_name.clone())}
                            {summary_row(t_string!(i18n, vehicles.insurance).to_string(), insurance_text(i18n, &vehicle))}
                            {summary_row(
                                t_string!(i18n, vehicles.caveats).to_string(),
                                if vehicle.caveats.is_empty() { t_string!(i18n, vehicles.no_caveats).to_string() } else { vehicle.caveats.join("; ") },
                            )}
                        </dl>
                        {vehicle.caveats.is_empty().then(|| view! {
                            <p><a class="button button--secondary" href="/services/vehicle-transfer">{t!(i18n, vehicles.transfer_one)}</a></p>
                        })}
                        <p><a href="/my-vehicles">{t!(i18n, vehicles.back)}</a></p>
                    }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn TransferPage() -> impl IntoView {
    let params = use_params_map();
    let reference = move || live_param(params, "reference").unwrap_or_default();
    let transfer = Resource::new_blocking(reference, transfer_to_me);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match loaded(transfer).await {
                    Ok(transfer) => view! { <TransferDetails transfer /> }.into_any(),
                    Err(AppError::NotLoggedIn) => ().into_any(),
                    Err(_) => view! { <NotFoundPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn TransferDetails(transfer: TransferView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let send = ServerAction::<SendTransferCode>::new();
    let accept = ServerAction::<AcceptTransfer>::new();
    let send_problems = FormProblems::new(send);
    let accept_problems = FormProblems::new(accept);
    let cancel_problems = FormProblems::new(ServerAction::<CancelTransfer>::new());
    let sent = query.read_untracked().get("sent").is_some();
    let just_accepted = query.read_untracked().get("accepted").is_some();
    let lead = t_string!(i18n, vehicles.transfer_lead).to_string().replace("{seller}", &transfer.seller_name);
    let phone_text = |key: &str| key.replace("{phone}", &transfer.code_to);
    let reference = transfer.reference.clone();
    let (send_reference, accept_reference, cancel_reference) = (reference.clone(), reference.clone(), reference.clone());
    let version = transfer.version.to_string();
    view! {
        <PageTitle title=format!("{} {}", t_string!(i18n, vehicles.transfer_title), transfer.registration_number) />
        <div class="narrow">
            <ErrorSummary problems=send_problems />
            <ErrorSummary problems=accept_problems />
            <ErrorSummary problems=cancel_problems />
            <p class="caption mono">{reference}</p>
            <h1>{t!(i18n, vehicles.transfer_title)}</h1>
            {just_accepted.then(|| view! {
                <div class="banner banner--success" role="status"><p>{t!(i18n, vehicles.accepted)}</p></div>
            })}
            <p class="lead">{lead}</p>
            <dl class="summary-list">
                {summary_row(t_string!(i18n, vehicles.vehicle).to_string(), format!("{} · {}", transfer.registration_number, transfer.vehicle))}
                {summary_row(t_string!(i18n, vehicles.seller).to_string(), transfer.seller_name.clone())}
            </dl>
            <div class="status-panel">
                <p class="status-panel__badge"><StatusBadge status=transfer.status /></p>
                {match transfer.status {
                    Status::Completed => view! {
                        <p>{t!(i18n, vehicles.done)} " " <a href="/my-vehicles">{t!(i18n, vehicles.see_vehicles)}</a></p>
                    }.into_any(),
                    Status::Withdrawn | Status::Rejected => view! { <p>{t!(i18n, vehicles.cancelled)}</p> }.into_any(),
                    _ if transfer.accepted && !just_accepted => view! { <p>{t!(i18n, vehicles.waiting_ntsa)}</p> }.into_any(),
                    _ => ().into_any(),
                }}
            </div>
            {(transfer.status == Status::AwaitingConfirmation).then(|| view! {
                <section aria-labelledby="accept-title">
                    <h2 id="accept-title">{t!(i18n, vehicles.accept_title)}</h2>
                    {if sent {
                        view! { <p role="status">{phone_text(&t_string!(i18n, vehicles.code_sent))}</p> }.into_any()
                    } else {
                        view! { <p>{phone_text(&t_string!(i18n, vehicles.accept_body))}</p> }.into_any()
                    }}
                    <ActionForm action=send>
                        <input type="hidden" name="reference" value=send_reference.clone() />
                        <button type="submit" class=if sent { "link-button" } else { "button button--primary" }>{t!(i18n, vehicles.send_code)}</button>
                    </ActionForm>
                    {sent.then(|| view! {
                        <ActionForm action=accept>
                            <input type="hidden" name="reference" value=accept_reference.clone() />
                            <input type="hidden" name="version" value=version.clone() />
                            <Field problems=accept_problems name="code" label=t_string!(i18n, vehicles.code_label).to_string()
                                inputmode="numeric" autocomplete="one-time-code" maxlength="6" class="input--code" spellcheck_off=true />
                            <SubmitButton label=t_string!(i18n, vehicles.accept).to_string() />
                        </ActionForm>
                    })}
                </section>
            })}
            {transfer.can_cancel.then(|| view! { <CancelTransferForm reference=cancel_reference.clone() version=transfer.version /> })}
        </div>
    }
}

/// "Cancel the transfer", folded away, for either party (the owner on the application's page).
#[component]
pub fn CancelTransferForm(reference: String, version: i64) -> impl IntoView {
    let i18n = use_i18n();
    let cancel = ServerAction::<CancelTransfer>::new();
    view! {
        <details class="details">
            <summary>{t!(i18n, vehicles.cancel_title)}</summary>
            <p>{t!(i18n, vehicles.cancel_body)}</p>
            <ActionForm action=cancel>
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="version" value=version.to_string() />
                <SubmitButton label=t_string!(i18n, vehicles.cancel).to_string() />
            </ActionForm>
        </details>
    }
}
