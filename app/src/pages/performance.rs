//! `/performance`: how each agency's services are doing, for anyone (no login). Tables of
//! the figures, and charts of the same figures drawn as SVG on the server (no island).

use crate::components::page_title::PageTitle;
use crate::components::status::format_time;
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::performance::api::service_performance;
use crate::performance::chart::{bar_chart, Bar, BarKind, Chart, Marker, Row};
use crate::performance::service::{span, Span, DAY_SECONDS};
use crate::performance::views::{AgencyFigures, Figure, Volumes};
use crate::components::page_signals::loaded;
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

fn fewer_than_five(i18n: I18n) -> String {
    t_string!(i18n, performance.fewer_than_five).to_string()
}

fn count_text(i18n: I18n, figure: Figure) -> String {
    match figure {
        Figure::Value(n) => n.to_string(),
        Figure::FewerThanFive => fewer_than_five(i18n),
    }
}

fn duration_text(i18n: I18n, seconds: i64) -> String {
    match span(seconds) {
        Span::Hours(1) => t_string!(i18n, performance.hour_one).to_string(),
        Span::Hours(n) => t_string!(i18n, performance.hours).replace("{n}", &n.to_string()),
        Span::DayTenths(10) => t_string!(i18n, performance.day_one).to_string(),
        Span::DayTenths(tenths) => {
            let n = if tenths % 10 == 0 { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) };
            t_string!(i18n, performance.days).replace("{n}", &n)
        }
    }
}

fn figure_duration(i18n: I18n, figure: Figure) -> String {
    figure.value().map(|s| duration_text(i18n, s)).unwrap_or_else(|| fewer_than_five(i18n))
}

fn figure_percent(i18n: I18n, figure: Figure) -> String {
    figure.value().map(|p| format!("{p}%")).unwrap_or_else(|| fewer_than_five(i18n))
}

/// The time chart: per service, median and 90th percentile bars against the promise.
fn time_chart(i18n: I18n, agency: &AgencyFigures, name: &str, locale: Locale) -> String {
    let rows = agency
        .services
        .iter()
        .map(|s| {
            let promise = i64::from(s.processing_days) * DAY_SECONDS;
            match (s.median_seconds, s.p90_seconds) {
                (Figure::Value(median), Figure::Value(p90)) => Row {
                    name: s.name.get(locale),
                    bars: vec![
                        Bar { value: median, kind: BarKind::Median, label: t_string!(i18n, performance.bar_median).replace("{value}", &duration_text(i18n, median)) },
                        Bar { value: p90, kind: BarKind::Percentile90, label: t_string!(i18n, performance.bar_p90).replace("{value}", &duration_text(i18n, p90)) },
                    ],
                    marker: Some(Marker { value: promise, label: t_string!(i18n, performance.bar_promise).replace("{value}", &duration_text(i18n, promise)) }),
                    note: None,
                },
                _ => Row { name: s.name.get(locale), bars: vec![], marker: None, note: Some(t_string!(i18n, performance.not_enough).to_string()) },
            }
        })
        .collect();
    bar_chart(&Chart {
        id: &format!("time-{}", agency.slug),
        title: &t_string!(i18n, performance.chart_time_title).replace("{agency}", name),
        description: t_string!(i18n, performance.chart_time_desc),
        scale_max: None,
        rows,
    })
}

/// The promise chart: per service, the share completed within the promised time.
fn share_chart(i18n: I18n, agency: &AgencyFigures, name: &str, locale: Locale) -> String {
    let rows = agency
        .services
        .iter()
        .map(|s| match s.within_promise_percent {
            Figure::Value(p) => Row {
                name: s.name.get(locale),
                bars: vec![Bar { value: p, kind: BarKind::Share, label: t_string!(i18n, performance.bar_share).replace("{value}", &format!("{p}%")) }],
                marker: None,
                note: None,
            },
            Figure::FewerThanFive => Row { name: s.name.get(locale), bars: vec![], marker: None, note: Some(t_string!(i18n, performance.not_enough).to_string()) },
        })
        .collect();
    bar_chart(&Chart {
        id: &format!("share-{}", agency.slug),
        title: &t_string!(i18n, performance.chart_share_title).replace("{agency}", name),
        description: t_string!(i18n, performance.chart_share_desc),
        scale_max: Some(100),
        rows,
    })
}

/// The figures of one row of the applications table (a service, or the agency's total).
fn count_cells(i18n: I18n, volumes: Volumes) -> impl IntoView {
    volumes.in_columns().into_iter().map(|f| view! { <td class="numeric">{count_text(i18n, f)}</td> }).collect_view()
}

#[component]
fn AgencySection(agency: AgencyFigures) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let name = agency.short_name.clone();
    let heading_id = format!("agency-{}", agency.slug);
    let labelled_by = heading_id.clone();
    let time_svg = time_chart(i18n, &agency, &name, locale);
    let share_svg = share_chart(i18n, &agency, &name, locale);
    let counts_caption = t_string!(i18n, performance.applications_caption).replace("{agency}", &name);
    let time_caption = t_string!(i18n, performance.time_caption).replace("{agency}", &name);
    let (counts_label, time_label) = (counts_caption.clone(), time_caption.clone());
    view! {
        <section class="performance-agency" aria-labelledby=labelled_by>
            <h2 id=heading_id>{agency.name.get(locale)} " (" {name.clone()} ")"</h2>
            <h3>{t!(i18n, performance.applications_heading)}</h3>
            <div class="table-wrap" role="region" tabindex="0" aria-label=counts_label>
                <table class="table">
                    <caption class="visually-hidden">{counts_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, performance.service)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.received_30)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.received_90)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.completed_30)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.completed_90)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.rejected_90)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.in_progress)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {agency.services.iter().map(|s| view! {
                            <tr id=format!("service-{}", s.slug)>
                                <th scope="row"><a href=format!("/services/{}", s.slug)>{s.name.get(locale)}</a></th>
                                {count_cells(i18n, s.volumes)}
                            </tr>
                        }).collect_view()}
                        <tr class="table__total">
                            <th scope="row">{t_string!(i18n, performance.all_services).replace("{agency}", &name)}</th>
                            {count_cells(i18n, agency.volumes)}
                        </tr>
                    </tbody>
                </table>
            </div>
            <h3>{t!(i18n, performance.time_heading)}</h3>
            <div class="chart-pair">
                <div class="chart-frame" inner_html=time_svg></div>
                <div class="chart-frame" inner_html=share_svg></div>
            </div>
            <div class="table-wrap" role="region" tabindex="0" aria-label=time_label>
                <table class="table">
                    <caption class="visually-hidden">{time_caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, performance.service)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.completed_90)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.median)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.p90)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.promised)}</th>
                            <th scope="col" class="numeric">{t!(i18n, performance.within)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {agency.services.iter().map(|s| view! {
                            <tr>
                                <th scope="row">{s.name.get(locale)}</th>
                                <td class="numeric">{count_text(i18n, s.volumes.completed_90)}</td>
                                <td class="numeric">{figure_duration(i18n, s.median_seconds)}</td>
                                <td class="numeric">{figure_duration(i18n, s.p90_seconds)}</td>
                                <td class="numeric">{duration_text(i18n, i64::from(s.processing_days) * DAY_SECONDS)}</td>
                                <td class="numeric">{figure_percent(i18n, s.within_promise_percent)}</td>
                            </tr>
                        }).collect_view()}
                        <tr class="table__total">
                            <th scope="row">{t_string!(i18n, performance.all_services).replace("{agency}", &name)}</th>
                            <td class="numeric">{count_text(i18n, agency.volumes.completed_90)}</td>
                            <td class="numeric">"–"</td>
                            <td class="numeric">"–"</td>
                            <td class="numeric">"–"</td>
                            <td class="numeric">{figure_percent(i18n, agency.within_promise_percent)}</td>
                        </tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
pub fn PerformancePage() -> impl IntoView {
    let i18n = use_i18n();
    let page = Resource::new_blocking(|| (), |_| service_performance());
    view! {
        <PageTitle title=t_string!(i18n, performance.title) />
        <h1>{t!(i18n, performance.title)}</h1>
        <p class="lead">{t!(i18n, performance.lead)}</p>
        <p class="banner">{t!(i18n, performance.privacy)}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale_untracked();
                let page = loaded(page).await.unwrap_or_default();
                if page.degraded {
                    return view! { <p class="banner banner--attention">{t!(i18n, performance.unavailable)}</p> }.into_any();
                }
                view! {
                    <p class="hint">{t_string!(i18n, performance.counted_at).replace("{time}", &format_time(page.counted_at, locale))}</p>
                    <details class="details">
                        <summary>{t!(i18n, performance.definitions_title)}</summary>
                        <ul class="list list--bullet">
                            <li>{t!(i18n, performance.def_received)}</li>
                            <li>{t!(i18n, performance.def_completed)}</li>
                            <li>{t!(i18n, performance.def_time)}</li>
                            <li>{t!(i18n, performance.def_promise)}</li>
                            <li>{t!(i18n, performance.def_in_progress)}</li>
                        </ul>
                    </details>
                    <nav class="performance-nav" aria-label=t_string!(i18n, performance.agencies_nav)>
                        <ul class="list">
                            {page.agencies.iter().map(|a| view! {
                                <li><a href=format!("#agency-{}", a.slug)>{a.name.get(locale)}</a></li>
                            }).collect_view()}
                        </ul>
                    </nav>
                    {page.agencies.into_iter().map(|agency| view! { <AgencySection agency /> }).collect_view()}
                }
                .into_any()
            })}
        </Suspense>
    }
}
