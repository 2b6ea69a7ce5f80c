//! Header (name, menu, language), main landmark and footer around every page.

use crate::components::icons::RaiaMark;
use crate::i18n::{t, t_string, use_i18n, Locale};
use crate::identity::api::{signed_in, LogOut};
use crate::language::switch_href;
use crate::status::api::{status_banner, HideNotice};
use crate::components::page_signals::loaded;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, site.skip_link)}</a>
        <SiteHeader />
        <main id="main" class="container" tabindex="-1">
            <StatusNotices />
            {children()}
        </main>
        <SiteFooter />
    }
}

#[component]
fn SiteHeader() -> impl IntoView {
    let i18n = use_i18n();
    // Who is logged in. The header is rendered on the server for every page; blocking, so
    // the first HTML already shows the right links.
    let signed_in = Resource::new_blocking(|| (), |_| signed_in());
    let log_out = ServerAction::<LogOut>::new();

    view! {
        <header class="site-header">
            <div class="official-bar">
                <div class="container official-bar__inner">
                    <p class="official-bar__text">{t!(i18n, site.official)}</p>
                    <LanguageSwitcher />
                </div>
            </div>
            <div class="site-header__body">
                <div class="container site-header__main">
                    <a class="brand" href="/">
                        <RaiaMark />
                        <span class="brand__name">{t!(i18n, site.name)}</span>
                        <span class="brand__tagline">{t!(i18n, site.tagline)}</span>
                    </a>
                </div>
                // The phone menu is plain HTML: the `<details>` toggle opens and shuts with no
                // script at all, and the stylesheet shows the navigation after it only while it is
                // open (on wider screens the toggle is hidden and the links always shown). The
                // navigation is not inside the `<details>`, so it is never "collapsed" content
                // to a screen reader on a wide screen.
                <details class="site-menu">
                    <summary class="menu-toggle">{t!(i18n, site.menu)}</summary>
                </details>
                <nav
                    id="site-nav"
                    class="site-nav"
                    aria-label=move || t_string!(i18n, site.nav_label)
                >
                    <ul class="container site-nav__list">
                        <li><a href="/services">{t!(i18n, nav.services)}</a></li>
                        <li><a href="/applications">{t!(i18n, nav.applications)}</a></li>
                        <Suspense fallback=|| ()>
                            {move || Suspend::new(async move {
                                match loaded(signed_in).await {
                                    Ok(Some(who)) => view! {
                                        {(who.role == "officer").then(|| view! { <li><a href="/officer">{t!(i18n, nav.back_office)}</a></li> })}
                                        {(who.role == "admin").then(|| view! { <li><a href="/admin">{t!(i18n, nav.staff)}</a></li> })}
                                        <li>
                                            <a href="/notifications">
                                                {t!(i18n, nav.notifications)}
                                                {(who.unread > 0).then(|| view! {
                                                    " " <span class="count">{who.unread}<span class="visually-hidden">" " {t!(i18n, nav.unread)}</span></span>
                                                })}
                                            </a>
                                        </li>
                                        <li><a href="/dashboard">{t!(i18n, nav.account)}</a></li>
                                        // Logging out clears what this account kept on the phone (offline_drafts.js).
                                        <li data-log-out="" data-draft-owner=who.device_tag.clone()>
                                            <ActionForm action=log_out>
                                                <button type="submit" class="nav-button">{t!(i18n, dashboard.log_out)}</button>
                                            </ActionForm>
                                        </li>
                                    }.into_any(),
                                    _ => view! {
                                        <li><a href="/login">{t!(i18n, nav.login)}</a></li>
                                        <li><a class="site-nav__register" href="/register">{t!(i18n, nav.register)}</a></li>
                                    }.into_any(),
                                }
                            })}
                        </Suspense>
                    </ul>
                </nav>
            </div>
        </header>
    }
}

/// Current service notices (and "some services are unavailable" when the database is
/// down), each with a plain form to hide it in this browser.
#[component]
fn StatusNotices() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let banner = Resource::new_blocking(|| (), |_| status_banner());
    let hide = ServerAction::<HideNotice>::new();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(banner) = loaded(banner).await else { return ().into_any() };
                let locale = i18n.get_locale_untracked();
                let here = path_and_query(&location.pathname.get_untracked(), &location.search.get_untracked());
                view! {
                    {banner.degraded.then(|| view! {
                        <div class="banner banner--attention notice" role="alert">
                            <p>{t!(i18n, status_page.degraded)} " " <a href="/status">{t!(i18n, status_page.more)}</a></p>
                        </div>
                    })}
                    {banner.notices.into_iter().map(|notice| {
                        let next = here.clone();
                        let attention = matches!(notice.kind.as_str(), "outage" | "maintenance");
                        view! {
                            <section class="banner notice" class:banner--attention=attention aria-label=notice.title.get(locale)>
                                <p class="banner__title">{notice.title.get(locale)}</p>
                                <p class="notice__body">{notice.body.get(locale)} " " <a href="/status">{t!(i18n, status_page.more)}</a></p>
                                <ActionForm action=hide attr:class="inline-form notice__hide">
                                    <input type="hidden" name="id" value=notice.id.to_string() />
                                    <input type="hidden" name="next" value=next />
                                    <button type="submit" class="link-button">{t!(i18n, status_page.dismiss)}</button>
                                </ActionForm>
                            </section>
                        }
                    }).collect_view()}
                }.into_any()
            })}
        </Suspense>
    }
}

/// This page's address as a link back to it: `/path?query`.
fn path_and_query(path: &str, search: &str) -> String {
    if search.is_empty() { path.to_string() } else { format!("{path}?{search}") }
}

/// "English | Kiswahili": plain links through the server, so they work without JavaScript.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let here = move || path_and_query(&location.pathname.get(), &location.search.get());

    let option = move |locale: Locale, code: &'static str| {
        // Each language is named in itself, whatever language the page is in.
        let name = match locale {
            Locale::en => t_string!(i18n, lang.en),
            Locale::sw => t_string!(i18n, lang.sw),
        };
        view! {
            <li>
                {move || {
                    if i18n.get_locale() == locale {
                        view! { <span class="lang-switch__current" aria-current="true" lang=code>{name}</span> }.into_any()
                    } else {
                        view! {
                            <a href=move || switch_href(code, &here()) hreflang=code lang=code rel="external">{name}</a>
                        }.into_any()
                    }
                }}
            </li>
        }
    };

    view! {
        <nav class="lang-switch" aria-label=move || t_string!(i18n, lang.label)>
            <ul>
                {option(Locale::en, "en")}
                {option(Locale::sw, "sw")}
            </ul>
        </nav>
    }
}

#[component]
fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="flag-stripe" aria-hidden="true"></div>
            <div class="container site-footer__inner">
                <p class="site-footer__name">{t!(i18n, site.name)}</p>
                <p>{t!(i18n, footer.about)}</p>
                <p>{t!(i18n, footer.privacy)}</p>
                <p>{t!(i18n, footer.help)}</p>
                <ul class="site-footer__links">
                    <li><a href="/help">{t!(i18n, footer.help_link)}</a></li>
                    <li><a href="/performance">{t!(i18n, footer.performance)}</a></li>
                </ul>
            </div>
        </footer>
    }
}
