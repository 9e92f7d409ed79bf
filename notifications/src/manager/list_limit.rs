//! List is the most throttled subscription call (R22: 25 per 20 s per app and tenant), and
//! every 409 needs one; this spaces them at least 20 s apart for the whole manager. One limit
//! for all its signed-in users is at least as strict as one per tenant, since they can only
//! share a tenant or be in fewer.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

/// At most one List per this span (R22).
pub(crate) const LIST_INTERVAL: Duration = Duration::from_secs(20);

/// When the last List was sent; cloned handles share it, so a restarted task keeps the limit.
#[derive(Debug, Clone, Default)]
pub(crate) struct ListLimit {
    last: Arc<Mutex<Option<Instant>>>,
}

impl ListLimit {
    /// Waits until a List may be sent, and records that one is.
    pub(crate) async fn wait_turn(&self) {
        loop {
            let now = Instant::now();
            let next = {
                let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
                match *last {
                    Some(at) if now.saturating_duration_since(at) < LIST_INTERVAL => {
                        at.checked_add(LIST_INTERVAL).unwrap_or(now)
                    }
                    _ => {
                        *last = Some(now);
                        return;
                    }
                }
            };
            tracing::info!(
                wait = ?next.saturating_duration_since(now),
                "waiting to list subscriptions: at most one List per 20 s (R22)"
            );
            tokio::time::sleep_until(next).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn lists_are_twenty_seconds_apart() {
        let limit = ListLimit::default();
        let start = Instant::now();
        limit.wait_turn().await;
        assert_eq!(Instant::now(), start);
        limit.clone().wait_turn().await;
        assert_eq!(Instant::now(), start + LIST_INTERVAL);
        tokio::time::advance(Duration::from_secs(30)).await;
        let later = Instant::now();
        limit.wait_turn().await;
        assert_eq!(Instant::now(), later);
    }
}
