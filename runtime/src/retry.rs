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

/// The longest `Retry-After` taken from a response; a longer one (up to `u64::MAX` seconds) is
/// read as this.
///
/// The value comes from the network, so it must not be able to reach the limits of
/// [`Duration`] arithmetic. A day is far beyond [`MAX_TOTAL_WAIT_CAP`], so the clamp never changes
/// a decision: a clamped hint still exceeds every budget and the call gives up, as it would have
/// with the original value.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

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

    /// [`RetryPolicy::delay_with_jitter`] with a fresh random draw; the tests' shorthand.
    #[cfg(test)]
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        self.delay_with_jitter(retry, retry_after, fastrand::f64())
    }

    /// How long to wait before retry number `retry` (1-based): the server's `Retry-After` when
    /// given, else `base * 2^(retry-1)` capped at `max_delay`, scaled by a factor in [0.5, 1.0]
    /// (from `jitter` in [0, 1], drawn at random by the caller) so that many clients throttled
    /// together do not retry in lockstep. The draw is an argument so the retry decision stays a
    /// pure function.
    pub(crate) fn delay_with_jitter(
        &self,
        retry: u32,
        retry_after: Option<Duration>,
        jitter: f64,
    ) -> Duration {
        if let Some(wait) = retry_after {
            return wait;
        }
        let exponent = retry.saturating_sub(1).min(20);
        let backoff = self
            .base_delay
            .saturating_mul(1u32 << exponent)
            .min(self.max_delay);
        // `mul_f64` panics on a factor that is NaN or makes the result overflow; a factor in
        // [0.5, 1.0] keeps the result at most `backoff`.
        let jitter = if jitter.is_nan() {
            1.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        backoff.mul_f64(0.5 + jitter * 0.5)
    }
}

/// Parses a `Retry-After` value: delay seconds or an HTTP-date (RFC 9110 §10.2.3), clamped to
/// [`MAX_RETRY_AFTER`].
///
/// `None` ("no hint": backoff applies) for anything unparsable, a negative number, and a date
/// in the past: a past date says more about the two clocks disagreeing than about when the
/// service recovers, so it earns no immediate resend.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    // A leading `+` was accepted before (by `u64::from_str`) and still is.
    let digits = value.strip_prefix('+').unwrap_or(value);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        // Digits beyond u64 still mean "a very long time", not "no hint".
        let seconds = digits.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    let wait = date.duration_since(now).ok()?;
    Some(wait.min(MAX_RETRY_AFTER))
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
        // A date in the past is no hint (it used to mean "now").
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            None
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
    }

    #[test]
    fn huge_retry_after_is_clamped() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        for huge in [
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999999999999999",
            "86401",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(MAX_RETRY_AFTER),
                "{huge}"
            );
        }
        assert_eq!(parse_retry_after("86400", now), Some(MAX_RETRY_AFTER));
        assert_eq!(
            parse_retry_after("86399", now),
            Some(Duration::from_secs(86399))
        );
        assert_eq!(parse_retry_after("0", now), Some(Duration::ZERO));
    }

    #[test]
    fn jitter_out_of_range_cannot_panic() {
        let policy = RetryPolicy::default().base_delay(Duration::MAX);
        for jitter in [f64::NAN, -1.0, 0.0, 1.0, 2.0, f64::INFINITY] {
            let delay = policy.delay_with_jitter(30, None, jitter);
            assert!(delay <= Duration::from_secs(60), "{jitter}: {delay:?}");
        }
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
