//! At most N warnings per second per kind (issue 22 F10): an unauthenticated sender chooses how
//! many bad requests arrive, so it must not choose how many lines the logs get. What is held
//! back is counted and reported by the next warning of the same kind.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Warnings of one kind allowed per second by default.
pub(crate) const WARNINGS_PER_SECOND: u32 = 5;

/// The per-kind windows; kinds are fixed names from the code, so the map stays tiny.
#[derive(Debug)]
pub(crate) struct WarnLimit {
    per_second: u32,
    windows: Mutex<HashMap<&'static str, Window>>,
}

#[derive(Debug)]
struct Window {
    started: Instant,
    used: u32,
    suppressed: u64,
}

impl WarnLimit {
    pub(crate) fn new(per_second: u32) -> Self {
        WarnLimit {
            per_second,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// `Some(k)` when a warning of `kind` may be logged now, `k` being how many were held back
    /// since the last one logged; `None` when it must be dropped (it is counted).
    pub(crate) fn admit(&self, kind: &'static str) -> Option<u64> {
        self.admit_at(kind, Instant::now())
    }

    fn admit_at(&self, kind: &'static str, now: Instant) -> Option<u64> {
        // A poisoned lock only means another thread panicked mid-count; the counts stay usable.
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let window = windows.entry(kind).or_insert(Window {
            started: now,
            used: 0,
            suppressed: 0,
        });
        if now.saturating_duration_since(window.started) >= Duration::from_secs(1) {
            window.started = now;
            window.used = 0;
        }
        if window.used < self.per_second {
            window.used += 1;
            Some(std::mem::take(&mut window.suppressed))
        } else {
            window.suppressed = window.suppressed.saturating_add(1);
            None
        }
    }
}

impl Default for WarnLimit {
    fn default() -> Self {
        WarnLimit::new(WARNINGS_PER_SECOND)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_per_second_per_kind_then_the_held_back_count() {
        let limit = WarnLimit::new(2);
        let t0 = Instant::now();
        assert_eq!(limit.admit_at("a", t0), Some(0));
        assert_eq!(limit.admit_at("a", t0), Some(0));
        assert_eq!(limit.admit_at("a", t0), None);
        assert_eq!(limit.admit_at("a", t0), None);
        // Another kind has its own budget.
        assert_eq!(limit.admit_at("b", t0), Some(0));
        // A second later the next warning says how many were held back.
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(limit.admit_at("a", t1), Some(2));
        assert_eq!(limit.admit_at("a", t1), Some(0));
        assert_eq!(limit.admit_at("a", t1), None);
    }
}
