//! Reading a page's signals and resources where the page may already be gone.
//!
//! When a client drops the connection while a page renders (scanners do it all the time),
//! the page's signals and resources are disposed, but Leptos may still run some of its
//! work in tasks of their own: a resource's source and fetcher, and `<Suspense>` resolving
//! its children once more. A plain `.get()`, `.read()` or `resource.await` panics there
//! ("Tried to access a reactive value that has already been disposed"; found by
//! server/tests/hostile_crawl.rs). These give a default instead, or never finish, and the
//! dead task throws the result away.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

/// A page's resource, awaited inside `Suspend`. Once the page is disposed this never
/// finishes: Suspense only polls it once more, then drops it, and nobody is waiting.
pub async fn loaded<T: Clone + Send + Sync + 'static>(resource: Resource<T>) -> T {
    if resource.is_disposed() {
        std::future::pending::<()>().await;
    }
    resource.await
}

/// The signal's value, or the default once it is disposed.
pub fn live<S>(signal: S) -> S::Value
where
    S: Get,
    S::Value: Default,
{
    signal.try_get().unwrap_or_default()
}

/// One parameter of the path or the query, or `None` once the page is disposed.
pub fn live_param(map: Memo<ParamsMap>, name: &str) -> Option<String> {
    map.try_with(|map| map.get(name)).flatten()
}
