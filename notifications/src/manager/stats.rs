//! Counters of the work the manager chose not to do (issue 22, F3, F5): repeats ignored,
//! events dropped on a full queue, removals that turned out false, restarts of the task.
//! Atomics, so the handle reads them while the task writes.

use std::sync::atomic::{AtomicU64, Ordering};

/// What the manager ignored, dropped or restarted so far; see [`super::Subscriptions::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ManagerStats {
    /// Lifecycle events ignored because the same event for the same subscription was handled
    /// less than a minute before.
    pub lifecycle_repeats: u64,
    /// Lifecycle events dropped because the task's queue was full.
    pub lifecycle_dropped: u64,
    /// `subscriptionRemoved` (or unknown) events for a subscription Graph still holds: nothing
    /// was created (a forged or stale notification).
    pub removals_not_confirmed: u64,
    /// Times the renewal task ended unexpectedly (a panic) and was started again.
    pub task_restarts: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    lifecycle_repeats: AtomicU64,
    lifecycle_dropped: AtomicU64,
    removals_not_confirmed: AtomicU64,
    task_restarts: AtomicU64,
}

/// Which counter to move.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Count {
    LifecycleRepeat,
    LifecycleDropped,
    RemovalNotConfirmed,
    TaskRestart,
}

impl Counters {
    pub(crate) fn add(&self, which: Count) {
        let counter = match which {
            Count::LifecycleRepeat => &self.lifecycle_repeats,
            Count::LifecycleDropped => &self.lifecycle_dropped,
            Count::RemovalNotConfirmed => &self.removals_not_confirmed,
            Count::TaskRestart => &self.task_restarts,
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> ManagerStats {
        ManagerStats {
            lifecycle_repeats: self.lifecycle_repeats.load(Ordering::Relaxed),
            lifecycle_dropped: self.lifecycle_dropped.load(Ordering::Relaxed),
            removals_not_confirmed: self.removals_not_confirmed.load(Ordering::Relaxed),
            task_restarts: self.task_restarts.load(Ordering::Relaxed),
        }
    }
}
