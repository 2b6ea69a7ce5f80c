//! The phone menu's "Menu" button: folds the site navigation open and shut.

use leptos::prelude::*;

/// Opens and closes `#site-nav`. The navigation itself is server-rendered outside the
/// island (it holds the log-out form, which needs no WASM); the button only toggles the
/// class the stylesheet folds it with. Without JavaScript the menu is simply always open.
#[island]
pub fn MenuButton(label: String) -> impl IntoView {
    let (open, set_open) = signal(false);
    let toggle = move |_| {
        let now_open = !open.get_untracked();
        set_open.set(now_open);
        show_navigation(now_open);
    };
    view! {
        <button type="button" class="menu-toggle" aria-controls="site-nav" aria-expanded=move || open.get().to_string() on:click=toggle>
            {label}
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn show_navigation(open: bool) {
    if let Some(nav) = document().get_element_by_id("site-nav") {
        let _ = nav.class_list().toggle_with_force("site-nav--open", open);
    }
}

#[cfg(not(feature = "hydrate"))]
fn show_navigation(_open: bool) {}
