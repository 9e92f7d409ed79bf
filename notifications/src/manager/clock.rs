//! Wall-clock time derived from tokio's clock, so expiry times (wall clock, from Graph) and
//! timers (tokio) agree, and tests that pause tokio's time also move the wall clock.

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
}

impl Clock {
    /// Anchors the wall clock at the present moment.
    pub(crate) fn start() -> Self {
        Clock {
            wall: Timestamp::now(),
            instant: Instant::now(),
        }
    }

    /// The wall-clock time `d` after the anchor.
    fn after(&self, d: Duration) -> Timestamp {
        SignedDuration::try_from(d)
            .ok()
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
        let since = t.duration_since(self.wall);
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
    async fn the_furthest_expiry_cannot_panic() {
        let clock = Clock::start();
        let far = clock.instant_at(Timestamp::MAX);
        assert_eq!(far, clock.instant_at(clock.in_(FAR_AHEAD)));
        assert!(far > Instant::now() + Duration::from_secs(365 * 24 * 60 * 60));
        assert_eq!(clock.in_(Duration::MAX), Timestamp::MAX);
    }
}
