//! A request, once started, runs to its end even when the client goes away.
//!
//! Without this, hyper drops a request's future the moment its client disconnects, and with
//! it the page's reactive owner, mid-render. Leptos still runs parts of that page in tasks of
//! its own (a resource resolving, `<Suspense>` rendering its children again), which then read
//! signals already disposed and panic. Scanners, with their short timeouts, did this many
//! times a minute (server/tests/hostile_crawl.rs). Run in a task of its own, the page renders
//! to the end, is thrown away, and its owner goes only when nothing of it runs any more. A
//! server function, likewise, is never cut off between two of its writes.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::StatusCode;
use tracing::Instrument;

pub async fn run_to_end(request: Request, next: Next) -> Response {
    let span = tracing::Span::current();
    match tokio::spawn(next.run(request).instrument(span)).await {
        Ok(response) => response,
        // The handler panicked (already logged by crate::panics).
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
