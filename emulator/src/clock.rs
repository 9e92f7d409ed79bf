//! The emulator's clock: every expiry and timeout is measured against it, never against the
//! wall clock directly, so tests can jump hours ahead without waiting.

use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, Mutex, PoisonError};

/// A clock the test controls. Cloning it gives another handle to the same clock.
///
/// - [`Clock::manual`] stands still until [`Clock::advance`] or [`Clock::set`] moves it: the
///   default of [`Emulator::start`](super::Emulator::start), so tests are deterministic.
/// - [`Clock::system`] follows the wall clock, plus whatever [`Clock::advance`] added: the
///   default of the standalone binary.
/// - [`Clock::runtime`] follows tokio's clock from the current wall-clock time, so a test that
///   pauses tokio's time and lets it run an hour ahead moves the emulator (subscription expiry,
///   session timeouts) and the client's timers together.
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Mutex<ClockState>>,
}

#[derive(Debug)]
struct ClockState {
    /// `None` follows the wall clock (or tokio's, with `runtime`); `Some` is a frozen instant.
    frozen: Option<Timestamp>,
    /// The wall-clock time at a tokio instant, for a clock that follows tokio's time.
    runtime: Option<(Timestamp, tokio::time::Instant)>,
    /// Added to the base by [`Clock::advance`].
    offset: SignedDuration,
}

impl Clock {
    /// A clock frozen at `start`.
    pub fn manual(start: Timestamp) -> Self {
        Self::with_state(ClockState {
            frozen: Some(start),
            runtime: None,
            offset: SignedDuration::ZERO,
        })
    }

    /// A clock frozen at the current wall-clock second.
    pub fn manual_now() -> Self {
        let now = Timestamp::now();
        let whole_seconds = Timestamp::from_second(now.as_second()).unwrap_or(now);
        Self::manual(whole_seconds)
    }

    /// A clock that follows the wall clock.
    pub fn system() -> Self {
        Self::with_state(ClockState {
            frozen: None,
            runtime: None,
            offset: SignedDuration::ZERO,
        })
    }

    /// A clock that starts at the wall-clock time and then moves with tokio's clock
    /// (`tokio::time::Instant`), which tests can pause and advance.
    pub fn runtime() -> Self {
        Self::with_state(ClockState {
            frozen: None,
            runtime: Some((Timestamp::now(), tokio::time::Instant::now())),
            offset: SignedDuration::ZERO,
        })
    }

    fn with_state(state: ClockState) -> Self {
        Clock {
            inner: Arc::new(Mutex::new(state)),
        }
    }

    /// The emulator's current time.
    pub fn now(&self) -> Timestamp {
        let state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let base = match (state.frozen, state.runtime) {
            (Some(frozen), _) => frozen,
            (None, Some((wall, at))) => SignedDuration::try_from(at.elapsed())
                .ok()
                .and_then(|elapsed| wall.checked_add(elapsed).ok())
                .unwrap_or(wall),
            (None, None) => Timestamp::now(),
        };
        base.saturating_add(state.offset).unwrap_or(base)
    }

    /// Moves the clock forward by `by`; sessions, preferred presence and status messages whose
    /// time has come expire on the next request.
    pub fn advance(&self, by: std::time::Duration) {
        let by = SignedDuration::try_from(by).unwrap_or(SignedDuration::MAX);
        self.advance_signed(by);
    }

    pub(crate) fn advance_signed(&self, by: SignedDuration) {
        let mut state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        state.offset = state.offset.saturating_add(by);
    }

    /// Freezes the clock at `instant` (also for a clock that followed the wall clock).
    pub fn set(&self, instant: Timestamp) {
        let mut state = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        state.frozen = Some(instant);
        state.offset = SignedDuration::ZERO;
    }
}

impl Default for Clock {
    fn default() -> Self {
        Clock::manual_now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(std::time::Duration::from_secs(300));
        assert_eq!(clock.now().to_string(), "2026-01-01T00:05:00Z");
        let handle = clock.clone();
        handle.advance(std::time::Duration::from_secs(60));
        assert_eq!(clock.now().to_string(), "2026-01-01T00:06:00Z");
        clock.set(start);
        assert_eq!(handle.now(), start);
    }

    #[test]
    fn system_clock_keeps_its_offset() {
        let clock = Clock::system();
        clock.advance(std::time::Duration::from_secs(3600));
        let ahead = clock.now().duration_since(Timestamp::now());
        assert!(ahead > SignedDuration::from_mins(59), "{ahead}");
    }

    #[tokio::test(start_paused = true)]
    async fn runtime_clock_follows_paused_tokio_time() {
        let clock = Clock::runtime();
        let start = clock.now();
        tokio::time::advance(std::time::Duration::from_secs(3600)).await;
        assert_eq!(
            clock.now().duration_since(start),
            SignedDuration::from_hours(1)
        );
        clock.advance(std::time::Duration::from_secs(60));
        assert_eq!(
            clock.now().duration_since(start),
            SignedDuration::from_mins(61)
        );
    }
}
