//! When and how long to wait before resending a throttled or unavailable request.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// Statuses worth retrying: throttled (429), unavailable (503), gateway timeout (504).
/// Nothing else is retried: a 500 or a 4xx would fail the same way again, and a POST is
/// not known to be idempotent unless the service says "try later".
pub const RETRYABLE_STATUSES: [u16; 3] = [429, 503, 504];

/// No policy may ask for more retries than this (the Graph SDKs use the same ceiling).
pub const MAX_RETRIES_CAP: u32 = 10;

/// No policy may wait longer than this in total for one call.
pub const MAX_TOTAL_WAIT_CAP: Duration = Duration::from_secs(10 * 60);

/// How a client retries 429, 503 and 504 responses.
///
/// A `Retry-After` header (seconds or HTTP-date) is honoured; without one the wait grows
/// exponentially from [`RetryPolicy::base_delay`] with random jitter. A call gives up (returning
/// the last error) after [`RetryPolicy::max_retries`] retries, or as soon as the next wait would
/// push the total past [`RetryPolicy::max_total_wait`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_total_wait: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, 3 s base delay, 60 s per wait, 180 s in total (see the README for why).
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(3),
            max_delay: Duration::from_secs(60),
            max_total_wait: Duration::from_secs(180),
        }
    }
}

impl RetryPolicy {
    /// Never retries: every response is returned as received.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// Retries at most `n` times (clamped to [`MAX_RETRIES_CAP`]).
    pub fn max_retries(mut self, n: u32) -> Self {
        self.max_retries = n.min(MAX_RETRIES_CAP);
        self
    }

    /// The first backoff wait when the service gives no `Retry-After`; doubles per retry.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest single backoff wait (a `Retry-After` is honoured even when longer, within
    /// the total budget).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The most time one call may spend waiting between attempts (clamped to
    /// [`MAX_TOTAL_WAIT_CAP`]).
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait.min(MAX_TOTAL_WAIT_CAP);
        self
    }

    /// The configured number of retries.
    pub fn retries(&self) -> u32 {
        self.max_retries
    }

    /// The configured total waiting budget.
    pub fn total_wait_budget(&self) -> Duration {
        self.max_total_wait
    }

    /// How long to wait before retry number `retry` (1-based): the server's `Retry-After` when
    /// given, else `base * 2^(retry-1)` capped at `max_delay`, scaled by a random factor in
    /// [0.5, 1.0] so that many clients throttled together do not retry in lockstep.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
        }
        let exponent = retry.saturating_sub(1).min(20);
        let backoff = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        backoff.mul_f64(0.5 + fastrand::f64() * 0.5)
    }
}

/// Parses a `Retry-After` value: delay seconds or an HTTP-date (RFC 9110 §10.2.3).
/// A date in the past means "now"; anything unparsable is ignored (backoff applies).
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The future a [`Sleeper`] returns.
pub type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Waits between attempts; [`tokio::time::sleep`] unless the builder injects another (a
/// simulation, or a test that records waits instead of sleeping).
pub type Sleeper = Arc<dyn Fn(Duration) -> SleepFuture + Send + Sync>;

pub(crate) fn tokio_sleeper() -> Sleeper {
    Arc::new(|duration| Box::pin(tokio::time::sleep(duration)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps() {
        let policy = RetryPolicy::default()
            .base_delay(Duration::from_secs(2))
            .max_delay(Duration::from_secs(5));
        for _ in 0..50 {
            let first = policy.delay(1, None);
            assert!(first >= Duration::from_secs(1) && first <= Duration::from_secs(2));
            let second = policy.delay(2, None);
            assert!(second >= Duration::from_secs(2) && second <= Duration::from_secs(4));
            let tenth = policy.delay(10, None);
            assert!(tenth >= Duration::from_millis(2500) && tenth <= Duration::from_secs(5));
        }
        assert_eq!(
            policy.delay(1, Some(Duration::from_secs(30))),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn caps_hold() {
        let policy = RetryPolicy::default()
            .max_retries(1000)
            .max_total_wait(Duration::from_secs(86400));
        assert_eq!(policy.retries(), MAX_RETRIES_CAP);
        assert_eq!(policy.total_wait_budget(), MAX_TOTAL_WAIT_CAP);
        assert_eq!(RetryPolicy::disabled().retries(), 0);
        assert_eq!(RetryPolicy::default().retries(), 3);
    }
}
