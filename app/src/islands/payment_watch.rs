//! The pay page's live status while an M-Pesa prompt waits on the citizen's phone.

use leptos::prelude::*;

/// Asks every few seconds whether attempt `payment` is still pending; once it is not, asks
/// the navigation script to fetch the page again (event `raia:refresh`), which then shows
/// the outcome. Renders the line that promises this, so it is only there when it is true.
/// Without JavaScript the page's "Check again" button does the same by hand.
#[island]
pub fn PaymentWatch(reference: String, payment: i64, label: String) -> impl IntoView {
    let marker = NodeRef::<leptos::html::P>::new();
    Effect::new(move |_| watch(marker, reference.clone(), payment));
    view! { <p class="hint js-only" node_ref=marker>{label}</p> }
}

#[cfg(feature = "hydrate")]
fn watch(marker: NodeRef<leptos::html::P>, reference: String, payment: i64) {
    use crate::payments::api::payment_status;
    use std::cell::Cell;
    use std::rc::Rc;

    /// How often to ask whether the phone has answered.
    const EVERY: std::time::Duration = std::time::Duration::from_secs(2);

    let asking = Rc::new(Cell::new(false));
    let handle: Rc<Cell<Option<IntervalHandle>>> = Rc::new(Cell::new(None));
    let stop = {
        let handle = handle.clone();
        move || {
            if let Some(handle) = handle.take() {
                handle.clear();
            }
        }
    };
    let ask = move || {
        // The page was swapped for another: this island is gone, stop asking.
        if !marker.get_untracked().is_some_and(|p| p.is_connected()) {
            stop();
            return;
        }
        if asking.replace(true) {
            return;
        }
        let (asking, reference, stop) = (asking.clone(), reference.clone(), stop.clone());
        leptos::task::spawn_local(async move {
            if let Ok(status) = payment_status(reference, payment).await {
                if status != "pending" {
                    stop();
                    if let Ok(event) = web_sys::Event::new("raia:refresh") {
                        let _ = window().dispatch_event(&event);
                    }
                }
            }
            asking.set(false);
        });
    };
    handle.set(set_interval_with_handle(ask, EVERY).ok());
}

#[cfg(not(feature = "hydrate"))]
fn watch(_marker: NodeRef<leptos::html::P>, _reference: String, _payment: i64) {}
