//! A per-client limit on the subscribe form, so nobody can mail-bomb through us.

use std::num::NonZeroU32;

use governor::clock::DefaultClock;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

/// Past this many remembered addresses, forget the ones whose limit has refilled.
const RETAIN_ABOVE: usize = 10_000;

/// At most 5 sign-ups in a row from one client (an IPv4 address or an IPv6 /64), then one
/// every 2 minutes.
pub struct SignupLimiter {
    limiter: RateLimiter<String, HashMapStateStore<String>, DefaultClock>,
}

impl Default for SignupLimiter {
    fn default() -> Self {
        // Constants above zero.
        let burst = NonZeroU32::new(5).expect("non-zero");
        let per_hour = NonZeroU32::new(30).expect("non-zero");
        Self {
            limiter: RateLimiter::hashmap(Quota::per_hour(per_hour).allow_burst(burst)),
        }
    }
}

impl SignupLimiter {
    /// Whether the client under `key` (the client key the web layer derives) may send the form
    /// now (and counts this use).
    pub fn allow(&self, key: String) -> bool {
        if self.limiter.len() > RETAIN_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&key).is_ok()
    }
}
