//! Reading a page's signals where the page may already be gone.
//!
//! A resource's source and fetcher can run again in a task of their own (Leptos spawns it)
//! after the request ended and the page's signals were disposed, for example when a client
//! drops the connection under load. A plain `.get()` or `.read()` panics there ("Tried to
//! access a reactive value that has already been disposed"); these give the type's default
//! instead, which the dead task then throws away.

use leptos::prelude::*;
use leptos_router::params::ParamsMap;

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
