//! A circuit breaker per agency, so a slow or failing register costs one timeout, not one
//! per request: after `FAILURES_TO_OPEN` failures in a row calls fail at once for
//! `OPEN_FOR`, then one call is let through to try again. Per process on purpose: it is a
//! reflex about this process's own calls, and another process learns the same on its own.

use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const FAILURES_TO_OPEN: u32 = 5;
pub const OPEN_FOR: Duration = Duration::from_secs(30);

#[derive(Debug)]
pub struct Breaker {
    state: Mutex<State>,
    open_for: Duration,
}

#[derive(Debug, Default)]
struct State {
    failures_in_a_row: u32,
    open_until: Option<Instant>,
    /// A trial call is out while the breaker is half open.
    trial_out: bool,
}

impl Default for Breaker {
    fn default() -> Self {
        Breaker::new(OPEN_FOR)
    }
}

impl Breaker {
    pub fn new(open_for: Duration) -> Self {
        Breaker { state: Mutex::new(State::default()), open_for }
    }

    /// Whether a call may go out now.
    pub fn allow(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match state.open_until {
            None => true,
            Some(until) if Instant::now() < until => false,
            // Half open: one trial at a time.
            Some(_) if state.trial_out => false,
            Some(_) => {
                state.trial_out = true;
                true
            }
        }
    }

    pub fn succeeded(&self) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *state = State::default();
    }

    pub fn failed(&self) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.failures_in_a_row += 1;
        state.trial_out = false;
        if state.failures_in_a_row >= FAILURES_TO_OPEN || state.open_until.is_some() {
            state.open_until = Some(Instant::now() + self.open_for);
        }
    }

    pub fn is_open(&self) -> bool {
        let state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.open_until.is_some_and(|until| Instant::now() < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_failures_in_a_row_and_lets_one_trial_through_later() {
        let breaker = Breaker::new(Duration::from_millis(50));
        for _ in 0..FAILURES_TO_OPEN - 1 {
            assert!(breaker.allow());
            breaker.failed();
        }
        assert!(breaker.allow(), "still closed one failure short");
        breaker.failed();
        assert!(!breaker.allow(), "open: calls fail at once");
        std::thread::sleep(Duration::from_millis(60));
        assert!(breaker.allow(), "half open: one trial");
        assert!(!breaker.allow(), "only one trial at a time");
        breaker.failed();
        assert!(!breaker.allow(), "the trial failed: open again");
        std::thread::sleep(Duration::from_millis(60));
        assert!(breaker.allow());
        breaker.succeeded();
        assert!(breaker.allow() && breaker.allow(), "closed after a successful trial");
    }
}
