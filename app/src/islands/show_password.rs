//! "Show password": lets a citizen check what they typed on a small keyboard.

use leptos::prelude::*;

/// A checkbox that turns the password input `field` (its id) into plain text and back.
/// Hidden without JavaScript (`js-only`), where it could not work.
#[island]
pub fn ShowPassword(field: String, label: String) -> impl IntoView {
    let checkbox_id = format!("{field}-show");
    view! {
        <div class="checkbox js-only">
            <input type="checkbox" id=checkbox_id.clone() on:change=move |ev| show_as_text(&field, event_target_checked(&ev)) />
            <label for=checkbox_id>{label}</label>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn show_as_text(field: &str, shown: bool) {
    if let Some(input) = document().get_element_by_id(field) {
        let _ = input.set_attribute("type", if shown { "text" } else { "password" });
    }
}

#[cfg(not(feature = "hydrate"))]
fn show_as_text(_field: &str, _shown: bool) {}
