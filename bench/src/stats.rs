//! Small summaries of what was measured.

use std::collections::BTreeMap;
use std::time::Duration;

/// Requests counted as they end: how long each answered one took, and why the others failed.
#[derive(Default)]
pub struct Tally {
    pub latencies: Vec<Duration>,
    pub failures: BTreeMap<String, usize>,
}

impl Tally {
    pub fn answered(&mut self, took: Duration) {
        self.latencies.push(took);
    }

    pub fn failed(&mut self, why: String) {
        *self.failures.entry(why).or_default() += 1;
    }

    pub fn failed_count(&self) -> usize {
        self.failures.values().sum()
    }

    /// Every request, answered or not.
    pub fn count(&self) -> usize {
        self.latencies.len() + self.failed_count()
    }

    /// The `p`-th percentile of the answered ones, in milliseconds to two decimals.
    pub fn percentile_ms(&mut self, p: f64) -> f64 {
        round_ms(percentile_ms(&mut self.latencies, p))
    }
}

/// The `p`-th percentile (0 to 100) of some durations, in milliseconds (nearest rank).
pub fn percentile_ms(durations: &mut [Duration], p: f64) -> f64 {
    if durations.is_empty() {
        return 0.0;
    }
    durations.sort_unstable();
    let rank = ((p / 100.0) * durations.len() as f64).ceil() as usize;
    durations[rank.clamp(1, durations.len()) - 1].as_secs_f64() * 1000.0
}

/// Events per second, to one decimal.
pub fn per_second(count: usize, elapsed: Duration) -> f64 {
    let seconds = elapsed.as_secs_f64();
    if seconds <= 0.0 {
        return 0.0;
    }
    (count as f64 / seconds * 10.0).round() / 10.0
}

/// Milliseconds to two decimals.
pub fn round_ms(ms: f64) -> f64 {
    (ms * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile_ms(&mut samples, 50.0), 50.0);
        assert_eq!(percentile_ms(&mut samples, 99.0), 99.0);
        assert_eq!(percentile_ms(&mut [], 99.0), 0.0);
        assert_eq!(per_second(30, Duration::from_secs(2)), 15.0);
    }
}
