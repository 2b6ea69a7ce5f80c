//! A panic anywhere in the server is an error for the operators: logged through tracing (as
//! one JSON line in production, with the request's span, so its path, when it happened
//! while serving one) and counted. The process goes on: tokio contains a panic to its task,
//! and only that one request fails. Load and attack tests fail on any (see
//! server/tests/hostile_crawl.rs).

use std::sync::atomic::{AtomicU64, Ordering};

static PANICS: AtomicU64 = AtomicU64::new(0);

/// Installs the hook; the standard one still runs after it (its message and backtrace on
/// stderr, for a developer's terminal).
pub fn install() {
    let standard = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let total = PANICS.fetch_add(1, Ordering::Relaxed) + 1;
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(%message, %location, panics_so_far = total, "panic");
        standard(info);
    }));
}
