//! Counting failed attempts in a sliding window, per key (an account, an address).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed attempts per key within `window`; more than `limit` is refused.
pub struct RateLimiter {
    limit: usize,
    window: Duration,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// A limiter allowing `limit` failures per `window`.
    pub fn new(limit: usize, window: Duration) -> Self {
        Self {
            limit,
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(wait)` when `key` is over its limit; how long until it may try again.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        let now = Instant::now();
        let Ok(mut attempts) = self.attempts.lock() else {
            return Ok(());
        };
        let Some(times) = attempts.get_mut(key) else {
            return Ok(());
        };
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) > self.window)
        {
            times.pop_front();
        }
        match times.front() {
            Some(oldest) if times.len() >= self.limit => {
                Err(self.window.saturating_sub(now.duration_since(*oldest)))
            }
            _ => Ok(()),
        }
    }

    /// Records a failure for `key`.
    pub fn fail(&self, key: &str) {
        if let Ok(mut attempts) = self.attempts.lock() {
            // Keys of a long-gone attacker must not pile up forever.
            if attempts.len() > 100_000 {
                attempts.clear();
            }
            attempts
                .entry(key.to_string())
                .or_default()
                .push_back(Instant::now());
        }
    }

    /// Forgets `key`'s failures (a successful login).
    pub fn clear(&self, key: &str) {
        if let Ok(mut attempts) = self.attempts.lock() {
            attempts.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_reached_after_n_failures_and_clears_on_success() {
        let limiter = RateLimiter::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert!(limiter.check("a").is_ok());
            limiter.fail("a");
        }
        assert!(limiter.check("a").is_err());
        assert!(limiter.check("b").is_ok(), "keys are separate");
        limiter.clear("a");
        assert!(limiter.check("a").is_ok());
    }
}
