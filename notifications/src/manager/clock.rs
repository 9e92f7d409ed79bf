//! Wall-clock time derived from tokio's clock, so expiry times (wall clock, from Graph) and
//! timers (tokio) agree, and tests that pause tokio's time also move the wall clock.
//!
//! The times are Graph's: once a response's `Date` has shown how far the service's clock is from
//! ours ([`Clock::follow_server`]), expiries are asked for and planned on the service's clock, so
//! a local clock minutes fast or slow neither makes every create fail (an expiry beyond Graph's
//! limit) nor lets subscriptions lapse before their renewal (F8).

use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use tokio::time::Instant;

/// The furthest an expiry is taken to be: subscriptions live days at most, so this only stands
/// in for nonsense, and it stays representable as an `Instant` (tokio's own "never" is 30 years).
const FAR_AHEAD: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    wall: Timestamp,
    instant: Instant,
    /// The service's clock minus ours, from the latest `Date` seen; zero until one is.
    server_ahead: SignedDuration,
}

impl Clock {
    /// Anchors the wall clock at the present moment.
    pub(crate) fn start() -> Self {
        Clock {
            wall: Timestamp::now(),
            instant: Instant::now(),
            server_ahead: SignedDuration::ZERO,
        }
    }

    /// Plans on the service's clock from now on: `offset_ms` is the service's time minus ours
    /// (`Runtime::server_clock_offset_ms`, which ignores offsets over a day). `None` (no `Date`
    /// seen yet) keeps the offset known so far.
    pub(crate) fn follow_server(&mut self, offset_ms: Option<i64>) {
        if let Some(ms) = offset_ms {
            self.server_ahead = SignedDuration::from_millis(ms);
        }
    }

    /// The service's wall-clock time `d` after the anchor.
    fn after(&self, d: Duration) -> Timestamp {
        SignedDuration::try_from(d)
            .ok()
            .and_then(|d| d.checked_add(self.server_ahead))
            .and_then(|d| self.wall.checked_add(d).ok())
            .unwrap_or(Timestamp::MAX)
    }

    /// The wall-clock time `d` from now.
    pub(crate) fn in_(&self, d: Duration) -> Timestamp {
        // Saturating: `after` already maps a time beyond jiff's range to `Timestamp::MAX`.
        self.after(self.instant.elapsed().saturating_add(d))
    }

    /// The tokio instant of wall-clock time `t` (the anchor when `t` is before it, and at most
    /// [`FAR_AHEAD`] after it).
    ///
    /// `t` is an expiry Graph (or anything answering in its place) sent, so it may be as far
    /// as `Timestamp::MAX`; `Instant + Duration` panics where the sum does not fit.
    pub(crate) fn instant_at(&self, t: Timestamp) -> Instant {
        // `t` is on the service's clock; the anchor is on ours. Saturating: both are bounded.
        let since = t
            .duration_since(self.wall)
            .saturating_sub(self.server_ahead);
        match Duration::try_from(since) {
            Ok(d) => self
                .instant
                .checked_add(d.min(FAR_AHEAD))
                .unwrap_or(self.instant),
            Err(_) => self.instant,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn wall_time_follows_tokio_time() {
        let clock = Clock::start();
        let before = clock.in_(Duration::ZERO);
        tokio::time::advance(Duration::from_secs(3600)).await;
        assert_eq!(
            clock.in_(Duration::ZERO).duration_since(before),
            SignedDuration::from_hours(1)
        );
        let at = clock.in_(Duration::from_secs(60));
        assert_eq!(
            clock.instant_at(at),
            Instant::now() + Duration::from_secs(60)
        );
        assert_eq!(
            clock.instant_at(before - SignedDuration::from_hours(2)),
            clock.instant_at(before)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn plans_on_the_service_clock() {
        let mut clock = Clock::start();
        let local = clock.in_(Duration::ZERO);
        // Our clock is 5 minutes fast: the service's time is 5 minutes behind ours.
        clock.follow_server(Some(-300_000));
        assert_eq!(
            local.duration_since(clock.in_(Duration::ZERO)),
            SignedDuration::from_mins(5)
        );
        // An expiry the service states, one hour ahead on its clock, is one hour of timers away.
        let expiry = clock.in_(Duration::from_secs(3600));
        assert_eq!(
            clock.instant_at(expiry),
            Instant::now() + Duration::from_secs(3600)
        );
        // No new Date keeps what was learnt.
        clock.follow_server(None);
        assert_eq!(
            clock.instant_at(expiry),
            Instant::now() + Duration::from_secs(3600)
        );
        // Our clock 15 minutes slow.
        clock.follow_server(Some(900_000));
        assert_eq!(
            clock.in_(Duration::ZERO).duration_since(local),
            SignedDuration::from_mins(15)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_furthest_expiry_cannot_panic() {
        let clock = Clock::start();
        let far = clock.instant_at(Timestamp::MAX);
        assert_eq!(far, clock.instant_at(clock.in_(FAR_AHEAD)));
        assert!(far > Instant::now() + Duration::from_secs(365 * 24 * 60 * 60));
        assert_eq!(clock.in_(Duration::MAX), Timestamp::MAX);
    }
}
