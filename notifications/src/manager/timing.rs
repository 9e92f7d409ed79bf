//! Renewal timing that an odd answer from Graph cannot turn into a tight loop (issue 22, F8):
//! the expiry kept is never later than the one asked for, renewals are spaced by a minimum
//! interval, and failures back off exponentially with jitter. All arithmetic saturates.

use jiff::Timestamp;
use std::time::Duration;

/// Never renew the same subscription more often than this, whatever expiry Graph returned.
pub(crate) const MIN_RENEW_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// The first wait after a failure; doubled for each failure in a row.
pub(crate) const BACKOFF_BASE: Duration = Duration::from_secs(30);
/// The longest wait after failures (well inside the 15 minutes renewal leaves, R4, at first).
pub(crate) const BACKOFF_MAX: Duration = Duration::from_secs(10 * 60);

/// The expiry to plan with: Graph's answer, but never later than what was asked (a server
/// claiming more than we requested would make us renew too late).
pub(crate) fn clamp_expiry(returned: Timestamp, requested: Timestamp) -> Timestamp {
    returned.min(requested)
}

/// The wait before retry number `failures` (1 for the first failure): `BACKOFF_BASE * 2^(n-1)`
/// capped at `BACKOFF_MAX`, then a random 50–100 % of it so replicas do not retry in step.
pub(crate) fn backoff(failures: u32) -> Duration {
    let shift = failures.saturating_sub(1).min(20);
    let full = BACKOFF_BASE.saturating_mul(1u32 << shift).min(BACKOFF_MAX);
    jitter(full, random_fraction())
}

/// `full * (0.5 + fraction / 2)`, `fraction` in `[0, 1]`.
fn jitter(full: Duration, fraction: f64) -> Duration {
    full.mul_f64(0.5 + fraction.clamp(0.0, 1.0) / 2.0)
}

/// A random number in `[0, 1)`; a UUID v4 is the crate's existing random source.
fn random_fraction() -> f64 {
    let bits = (uuid::Uuid::new_v4().as_u128() >> 75) as u64; // 53 random bits
    bits as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn the_expiry_kept_is_never_later_than_requested() {
        let asked = Timestamp::from_second(1_000_000).unwrap();
        let later = asked + SignedDuration::from_hours(3);
        let sooner = asked - SignedDuration::from_mins(50);
        assert_eq!(clamp_expiry(later, asked), asked);
        assert_eq!(clamp_expiry(sooner, asked), sooner);
        assert_eq!(clamp_expiry(Timestamp::MAX, asked), asked);
    }

    #[test]
    fn backoff_doubles_up_to_a_cap_with_jitter() {
        assert_eq!(
            jitter(Duration::from_secs(100), 0.0),
            Duration::from_secs(50)
        );
        assert_eq!(
            jitter(Duration::from_secs(100), 1.0),
            Duration::from_secs(100)
        );
        for failures in [1, 2, 3, 5, 30, u32::MAX] {
            let full = BACKOFF_BASE
                .saturating_mul(1 << failures.saturating_sub(1).min(20))
                .min(BACKOFF_MAX);
            let wait = backoff(failures);
            assert!(
                wait >= full / 2 && wait <= full,
                "{failures}: {wait:?} vs {full:?}"
            );
        }
        assert!(backoff(u32::MAX) <= BACKOFF_MAX);
        assert!(backoff(1) <= BACKOFF_BASE);
        // Not every wait is the same: the jitter is random.
        let waits: std::collections::BTreeSet<Duration> = (0..20).map(|_| backoff(4)).collect();
        assert!(waits.len() > 1);
    }
}
