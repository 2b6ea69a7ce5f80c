//! The figures of `/performance`, counted at most once every few minutes per server
//! process: the page is public and its counts read a quarter of a year of applications, so a
//! crowd of visitors (or a script) must not recount them for every request. The page says
//! when its figures were counted.

use crate::performance::views::PerformancePage;
use std::future::Future;
use std::sync::Arc;

/// How long counted figures are shown before they are counted again.
pub const FRESH_SECONDS: i64 = 300;

#[derive(Clone, Default)]
pub struct FiguresCache(Arc<tokio::sync::Mutex<Option<PerformancePage>>>);

impl FiguresCache {
    /// The figures counted less than `FRESH_SECONDS` before `now`, or newly counted ones. One
    /// request counts while the others wait for its result; a failed count (`degraded`) is
    /// not kept.
    pub async fn get_or_count<F, Fut>(&self, now: i64, count: F) -> PerformancePage
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = PerformancePage>,
    {
        let mut kept = self.0.lock().await;
        if let Some(page) = kept.as_ref().filter(|page| (0..FRESH_SECONDS).contains(&(now - page.counted_at))) {
            return page.clone();
        }
        let page = count().await;
        *kept = (!page.degraded).then(|| page.clone());
        page
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(at: i64, degraded: bool) -> PerformancePage {
        PerformancePage { agencies: Vec::new(), counted_at: at, degraded }
    }

    #[tokio::test]
    async fn figures_are_counted_again_after_five_minutes_and_failures_are_not_kept() {
        let cache = FiguresCache::default();
        assert_eq!(cache.get_or_count(1000, || async { counted(1000, false) }).await.counted_at, 1000);
        assert_eq!(cache.get_or_count(1299, || async { counted(1299, false) }).await.counted_at, 1000, "still fresh");
        assert_eq!(cache.get_or_count(1300, || async { counted(1300, true) }).await, counted(1300, true));
        // The failure was not kept: the next request counts again.
        assert_eq!(cache.get_or_count(1301, || async { counted(1301, false) }).await.counted_at, 1301);
        // A clock that went back does not keep figures from the future.
        assert_eq!(cache.get_or_count(900, || async { counted(900, false) }).await.counted_at, 900);
    }
}
