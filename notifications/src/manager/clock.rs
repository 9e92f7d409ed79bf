//! Wall-clock time derived from tokio's clock, so expiry times (wall clock, from Graph) and
//! timers (tokio) agree, and tests that pause tokio's time also move the wall clock.

use jiff::{SignedDuration, Timestamp};
use std::time::Duration;
use tokio::time::Instant;

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
        self.after(self.instant.elapsed() + d)
    }

    /// The tokio instant of wall-clock time `t` (the anchor when `t` is before it).
    pub(crate) fn instant_at(&self, t: Timestamp) -> Instant {
        let since = t.duration_since(self.wall);
        match Duration::try_from(since) {
            Ok(d) => self.instant + d,
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
}
