//! How far the service's clock is from ours, learnt from the `Date` header of its responses.
//!
//! Subscription expiries are absolute times on Graph's clock. A local clock five minutes fast
//! makes every requested expiry look further away than Graph allows; one fifteen minutes slow
//! lets a subscription lapse before its renewal. The subscription manager reads this offset to
//! plan on the service's clock instead of trusting the machine's.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

/// No offset beyond this is believed: a `Date` a day away says the header is wrong, not that
/// the clocks are.
pub const MAX_CLOCK_OFFSET: Duration = Duration::from_secs(24 * 60 * 60);

/// Stored while no response carried a usable `Date`.
const UNKNOWN: i64 = i64::MIN;

/// The latest observed offset, shared by every clone of a runtime.
#[derive(Debug, Clone)]
pub(crate) struct ServerClock {
    /// Server minus local, in milliseconds; [`UNKNOWN`] until the first usable `Date`.
    offset_ms: Arc<AtomicI64>,
}

impl Default for ServerClock {
    fn default() -> Self {
        ServerClock {
            offset_ms: Arc::new(AtomicI64::new(UNKNOWN)),
        }
    }
}

impl ServerClock {
    /// Records the `Date` header of a response received at `received` (local time). A header
    /// that does not parse, or an offset over [`MAX_CLOCK_OFFSET`], is ignored.
    pub(crate) fn observe(&self, date_header: Option<&str>, received: SystemTime) {
        let Some(offset) = date_header.and_then(|value| offset_ms(value, received)) else {
            return;
        };
        self.offset_ms.store(offset, Ordering::Relaxed);
    }

    /// Server time minus local time, in milliseconds, from the latest response with a `Date`.
    ///
    /// `Date` has one-second resolution, so the figure is within about a second (plus the
    /// response's transit time) of the truth.
    pub(crate) fn offset_ms(&self) -> Option<i64> {
        match self.offset_ms.load(Ordering::Relaxed) {
            UNKNOWN => None,
            offset => Some(offset),
        }
    }
}

/// `value` (an HTTP-date) minus `received`, in milliseconds, when within the believable range.
fn offset_ms(value: &str, received: SystemTime) -> Option<i64> {
    let server = httpdate::parse_http_date(value.trim()).ok()?;
    let (magnitude, sign) = match server.duration_since(received) {
        Ok(ahead) => (ahead, 1),
        Err(behind) => (behind.duration(), -1),
    };
    if magnitude > MAX_CLOCK_OFFSET {
        return None;
    }
    // At most a day in milliseconds: the cast cannot truncate.
    Some(sign * magnitude.as_millis() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(date: &str) -> SystemTime {
        httpdate::parse_http_date(date).unwrap()
    }

    #[test]
    fn unknown_until_a_date_is_seen() {
        let clock = ServerClock::default();
        assert_eq!(clock.offset_ms(), None);
        clock.observe(None, SystemTime::now());
        assert_eq!(clock.offset_ms(), None);
    }

    #[test]
    fn server_ahead_and_behind() {
        let clock = ServerClock::default();
        let local = at("Mon, 07 Dec 2026 10:00:00 GMT");
        clock.observe(Some("Mon, 07 Dec 2026 10:05:00 GMT"), local);
        assert_eq!(clock.offset_ms(), Some(300_000));
        clock.observe(Some("Mon, 07 Dec 2026 09:45:00 GMT"), local);
        assert_eq!(clock.offset_ms(), Some(-900_000));
    }

    #[test]
    fn unbelievable_or_garbled_dates_are_ignored() {
        let clock = ServerClock::default();
        let local = at("Mon, 07 Dec 2026 10:00:00 GMT");
        clock.observe(Some("Mon, 07 Dec 2026 10:00:02 GMT"), local);
        clock.observe(Some("Wed, 09 Dec 2026 10:00:00 GMT"), local);
        clock.observe(Some("not a date\r\n"), local);
        clock.observe(Some("Thu, 01 Jan 1970 00:00:00 GMT"), local);
        assert_eq!(clock.offset_ms(), Some(2_000));
    }

    #[test]
    fn the_far_future_does_not_overflow() {
        // The latest date httpdate accepts, against the earliest local time.
        assert_eq!(
            offset_ms("Fri, 31 Dec 9999 23:59:59 GMT", SystemTime::UNIX_EPOCH),
            None
        );
    }
}
