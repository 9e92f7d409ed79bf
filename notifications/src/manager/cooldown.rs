//! Lifecycle events deduplicated per (subscription, event) (issue 22, F5): a repeat within
//! the cooldown is ignored, so a burst of forged or duplicated `subscriptionRemoved` items
//! costs at most one round of Graph calls per subscription and event a minute.

use crate::lifecycle::LifecycleEvent;
use std::collections::HashMap;
use std::time::Duration;
use tokio::time::Instant;

/// A repeat of the same event for the same subscription within this span is ignored.
pub(crate) const LIFECYCLE_COOLDOWN: Duration = Duration::from_secs(60);

/// When each (subscription, kind of event) was last acted on. Entries older than the cooldown
/// are dropped on every call; the task admits only ids it holds, so at most a few entries per
/// subscription exist.
#[derive(Debug, Default)]
pub(crate) struct Cooldown {
    seen: HashMap<(String, &'static str), Instant>,
}

/// Events handled the same way share a key: an unknown value is handled like
/// `subscriptionRemoved` (R18), so a flood of made-up values is one event, not one each.
fn kind(event: &LifecycleEvent) -> &'static str {
    match event {
        LifecycleEvent::ReauthorizationRequired => "reauthorizationRequired",
        LifecycleEvent::SubscriptionRemoved | LifecycleEvent::Other(_) => "subscriptionRemoved",
        LifecycleEvent::Missed => "missed",
    }
}

impl Cooldown {
    /// True when the event should be handled now (and records it); false for a repeat.
    pub(crate) fn admit(&mut self, subscription_id: &str, event: &LifecycleEvent) -> bool {
        let now = Instant::now();
        self.seen
            .retain(|_, at| now.saturating_duration_since(*at) < LIFECYCLE_COOLDOWN);
        let key = (subscription_id.to_owned(), kind(event));
        if self.seen.contains_key(&key) {
            return false;
        }
        self.seen.insert(key, now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn repeats_are_ignored_until_the_cooldown_passes() {
        let mut c = Cooldown::default();
        let removed = LifecycleEvent::SubscriptionRemoved;
        assert!(c.admit("s0", &removed));
        assert!(!c.admit("s0", &removed));
        assert!(!c.admit("s0", &LifecycleEvent::Other("made-up".into())));
        assert!(c.admit("s1", &removed));
        assert!(c.admit("s0", &LifecycleEvent::Missed));
        tokio::time::advance(LIFECYCLE_COOLDOWN - Duration::from_secs(1)).await;
        assert!(!c.admit("s0", &removed));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(c.admit("s0", &removed));
        assert_eq!(c.seen.len(), 1);
    }
}
