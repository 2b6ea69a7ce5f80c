//! The home page: what the portal offers, how it works, and where to start.

use crate::components::icons::{ServiceIcon, ServiceIconView};
use crate::components::page_title::PageTitle;
use crate::i18n::{t, t_string, use_i18n};
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();

    let services = [
        (ServiceIcon::Passport, t_string!(i18n, home.services.passport.title), t_string!(i18n, home.services.passport.body)),
        (ServiceIcon::IdCard, t_string!(i18n, home.services.id.title), t_string!(i18n, home.services.id.body)),
        (ServiceIcon::Car, t_string!(i18n, home.services.driving.title), t_string!(i18n, home.services.driving.body)),
        (ServiceIcon::Shield, t_string!(i18n, home.services.good_conduct.title), t_string!(i18n, home.services.good_conduct.body)),
        (ServiceIcon::Briefcase, t_string!(i18n, home.services.business.title), t_string!(i18n, home.services.business.body)),
        (ServiceIcon::Receipt, t_string!(i18n, home.services.kra.title), t_string!(i18n, home.services.kra.body)),
    ];
    let steps = [
        (t_string!(i18n, home.steps.register.title), t_string!(i18n, home.steps.register.body)),
        (t_string!(i18n, home.steps.apply.title), t_string!(i18n, home.steps.apply.body)),
        (t_string!(i18n, home.steps.pay.title), t_string!(i18n, home.steps.pay.body)),
        (t_string!(i18n, home.steps.track.title), t_string!(i18n, home.steps.track.body)),
    ];

    view! {
        <PageTitle title=t_string!(i18n, home.page_title) description=t_string!(i18n, home.description) />
        <section class="hero" aria-labelledby="home-title">
            <h1 id="home-title">{t!(i18n, home.title)}</h1>
            <p class="lead">{t!(i18n, home.lead)}</p>
            <div class="button-row">
                <a class="button button--primary" href="/register">{t!(i18n, home.register_cta)}</a>
                <a class="button button--secondary" href="/login">{t!(i18n, home.login_cta)}</a>
            </div>
            <p class="hint">{t!(i18n, home.register_hint)}</p>
        </section>

        <section aria-labelledby="services-title">
            <h2 id="services-title">{t!(i18n, home.services_title)}</h2>
            <ul class="service-grid">
                {services
                    .into_iter()
                    .map(|(icon, title, body)| {
                        view! {
                            <li class="service-card">
                                <ServiceIconView icon=icon />
                                <h3 class="service-card__title">{title}</h3>
                                <p>{body}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <p><a class="link-arrow" href="/services">{t!(i18n, home.all_services)}</a></p>
        </section>

        <section aria-labelledby="steps-title">
            <h2 id="steps-title">{t!(i18n, home.steps_title)}</h2>
            <ol class="steps">
                {steps
                    .into_iter()
                    .map(|(title, body)| {
                        view! {
                            <li class="steps__item">
                                <h3 class="steps__title">{title}</h3>
                                <p>{body}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <p><a class="link-arrow" href="/performance">{t!(i18n, home.performance_link)}</a></p>
        </section>

        <section class="panel-grid">
            <div class="panel" aria-labelledby="pay-title">
                <h2 id="pay-title">{t!(i18n, home.pay_title)}</h2>
                <p>{t!(i18n, home.pay_body)}</p>
            </div>
            <div class="panel" aria-labelledby="phone-title">
                <h2 id="phone-title">{t!(i18n, home.phone_title)}</h2>
                <p>{t!(i18n, home.phone_body)}</p>
            </div>
            <div class="panel" aria-labelledby="help-title">
                <h2 id="help-title">{t!(i18n, home.help_title)}</h2>
                <p>{t!(i18n, home.help_body)}</p>
            </div>
        </section>
    }
}
