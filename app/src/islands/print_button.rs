//! "Print or save as PDF" on a receipt.

use leptos::prelude::*;

/// Opens the browser's print dialog. Hidden without JavaScript (the browser's own menu prints).
#[island]
pub fn PrintButton(label: String) -> impl IntoView {
    view! {
        <button type="button" class="button button--secondary js-only" on:click=move |_| { let _ = window().print(); }>
            {label}
        </button>
    }
}
