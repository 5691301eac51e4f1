//! Counting attempts in a sliding window, per key (an account, a client, an address).
//!
//! Not `governor` (issue 14 asked for one limiter): its GCRA cannot take a slot under several
//! keys all or nothing, give one back (a correct password), or forget a key, and it refills
//! one slot at a time instead of counting a window, which "N tries left, then a 15-minute
//! pause" states.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Keys of a long-gone attacker must not pile up forever.
const MAX_KEYS: usize = 100_000;

/// Attempts per key within `window`; each key has its own limit, given with it.
pub struct RateLimiter {
    window: Duration,
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// A limiter counting over `window`.
    pub fn new(window: Duration) -> Self {
        Self {
            window,
            attempts: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one attempt under every key at once, before the work it guards runs, so parallel
    /// requests cannot all pass a check made before any of them is counted. `Ok(left)`: how many
    /// attempts the fullest key has left after this one; `Err(wait)` when a key is full (nothing
    /// is counted then): how long until it may try again.
    pub fn take(&self, keys: &[(&str, usize)]) -> Result<usize, Duration> {
        let now = Instant::now();
        let Ok(mut attempts) = self.attempts.lock() else {
            return Ok(0);
        };
        if attempts.len() > MAX_KEYS {
            attempts.clear();
        }
        let mut wait = None;
        for (key, limit) in keys {
            let times = attempts.entry((*key).to_string()).or_default();
            while times
                .front()
                .is_some_and(|t| now.duration_since(*t) > self.window)
            {
                times.pop_front();
            }
            if let Some(oldest) = times.front().filter(|_| times.len() >= *limit) {
                let left = self.window.saturating_sub(now.duration_since(*oldest));
                wait = wait.max(Some(left));
            }
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        let mut left = usize::MAX;
        for (key, limit) in keys {
            let times = attempts.entry((*key).to_string()).or_default();
            times.push_back(now);
            left = left.min(limit.saturating_sub(times.len()));
        }
        Ok(left)
    }

    /// Gives back the latest attempt taken under `key` (it turned out not to count).
    pub fn give_back(&self, key: &str) {
        if let Ok(mut attempts) = self.attempts.lock()
            && let Some(times) = attempts.get_mut(key)
        {
            times.pop_back();
        }
    }

    /// Forgets every attempt under `key`.
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
    fn a_key_is_full_after_its_limit_and_frees_when_given_back_or_cleared() {
        let limiter = RateLimiter::new(Duration::from_secs(60));
        assert_eq!(limiter.take(&[("a", 3), ("b", 10)]), Ok(2));
        assert_eq!(limiter.take(&[("a", 3)]), Ok(1));
        assert_eq!(limiter.take(&[("a", 3)]), Ok(0));
        assert!(limiter.take(&[("a", 3), ("b", 10)]).is_err());
        assert_eq!(
            limiter.take(&[("b", 10)]),
            Ok(8),
            "a refusal counts nothing"
        );
        limiter.give_back("a");
        assert_eq!(limiter.take(&[("a", 3)]), Ok(0));
        limiter.clear("a");
        assert_eq!(limiter.take(&[("a", 3)]), Ok(2));
    }
}
