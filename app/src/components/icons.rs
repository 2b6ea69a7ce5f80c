//! Inline SVG icons: nothing extra to download on a slow network. All are decorative
//! (`aria-hidden`): the text beside them carries the meaning.

use leptos::prelude::*;

/// Raia's mark: a shield in the colours of the flag.
#[component]
pub fn RaiaMark() -> impl IntoView {
    view! {
        <svg class="brand__mark" viewBox="0 0 32 36" width="32" height="36" aria-hidden="true" focusable="false">
            <path d="M16 1 L30 6 V17 C30 26 24 32 16 35 C8 32 2 26 2 17 V6 Z" fill="#0b0c0c" />
            <path d="M5 13 H27 V21 H5 Z" fill="#b3121f" />
            <path d="M5 12 H27 V13.5 H5 Z M5 20.5 H27 V22 H5 Z" fill="#ffffff" />
            <path d="M5 22 H27 V24 C26 28 21.5 31 16 32.5 C10.5 31 6 28 5 24 Z" fill="#00683a" />
        </svg>
    }
}

/// The service icons on the home page, by name.
#[derive(Clone, Copy)]
pub enum ServiceIcon {
    Passport,
    IdCard,
    Car,
    Shield,
    Briefcase,
    Receipt,
}

#[component]
pub fn ServiceIconView(icon: ServiceIcon) -> impl IntoView {
    let path = match icon {
        ServiceIcon::Passport => "M7 3h10a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm5 4a3 3 0 1 0 0 6 3 3 0 0 0 0-6zm-3 10h6",
        ServiceIcon::IdCard => "M3 6h18v12H3zM7 10a2 2 0 1 0 0 .01M11 9h6M11 12h6M6 15h12",
        ServiceIcon::Car => "M5 16V11l2-5h10l2 5v5M3 16h18v3H3zM7 19v2M17 19v2M7 13h.01M17 13h.01",
        ServiceIcon::Shield => "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6zM9 12l2 2 4-4",
        ServiceIcon::Briefcase => "M4 8h16v11H4zM9 8V5h6v3M4 13h16",
        ServiceIcon::Receipt => "M6 3h12v18l-3-2-3 2-3-2-3 2zM9 8h6M9 12h6M9 16h4",
    };
    view! {
        <svg class="service-card__icon" viewBox="0 0 24 24" width="32" height="32" aria-hidden="true" focusable="false"
            fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
            <path d=path />
        </svg>
    }
}
