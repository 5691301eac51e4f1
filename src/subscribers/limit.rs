//! A per-IP limit on the subscribe form, so nobody can mail-bomb an address through us.

use std::net::IpAddr;
use std::num::NonZeroU32;

use governor::clock::DefaultClock;
use governor::state::keyed::HashMapStateStore;
use governor::{Quota, RateLimiter};

/// Past this many remembered addresses, forget the ones whose limit has refilled.
const RETAIN_ABOVE: usize = 10_000;

/// At most 5 sign-ups in a row from one IP, then one every 2 minutes.
pub struct SignupLimiter {
    limiter: RateLimiter<IpAddr, HashMapStateStore<IpAddr>, DefaultClock>,
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
    /// Whether `ip` may send the form now (and counts this use).
    pub fn allow(&self, ip: IpAddr) -> bool {
        if self.limiter.len() > RETAIN_ABOVE {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&ip).is_ok()
    }
}
