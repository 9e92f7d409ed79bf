//! The replay window (issue 22 item 6): a captured batch stays verifiable for as long as its
//! validation tokens live (24 h), so re-sending it could roll presence back. Each accepted rich
//! notification is remembered by subscription id and a digest of its encrypted data (Graph
//! uses a fresh key per item, so a genuine second delivery of new data never collides), and a
//! second sight within the window is dropped as a duplicate.
//!
//! Memory is bounded: at most `capacity` digests (32 bytes each, plus the map's overhead),
//! the oldest evicted first, each forgotten after `lifetime`. An entry evicted early for room
//! could be replayed once; size the capacity above the notifications expected per lifetime.

use msgraph_presence::v1_0::models::ChangeNotificationEncryptedContent as EncryptedContent;
use sha2::{Digest, Sha256};
use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Default number of notifications remembered.
pub const DEFAULT_REPLAY_CAPACITY: usize = 100_000;
/// Default time one is remembered: the 24 h a validation token lives (R15), plus its leeway.
pub const DEFAULT_REPLAY_LIFETIME: Duration = Duration::from_secs(24 * 3600 + 60);

type Key = [u8; 32];

/// Accepted notifications still within the window.
#[derive(Debug)]
pub(crate) struct ReplayWindow {
    capacity: usize,
    lifetime: Duration,
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    keys: HashSet<Key>,
    /// Insertion order, for expiry and oldest-first eviction.
    order: VecDeque<(Instant, Key)>,
}

impl ReplayWindow {
    pub(crate) fn new(capacity: usize, lifetime: Duration) -> Self {
        ReplayWindow {
            capacity,
            lifetime,
            seen: Mutex::new(Seen::default()),
        }
    }

    /// True the first time this rich notification is accepted within the window (it is then
    /// remembered), false for a replay.
    pub(crate) fn first_sight(&self, subscription_id: &str, content: &EncryptedContent) -> bool {
        self.first_sight_at(key(subscription_id, &content.data), Instant::now())
    }

    fn first_sight_at(&self, key: Key, now: Instant) -> bool {
        // A poisoned lock only means a panic elsewhere mid-insert; the set is still coherent
        // enough to keep dropping replays.
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        while let Some((at, old)) = seen.order.front().copied() {
            if now.saturating_duration_since(at) < self.lifetime {
                break;
            }
            seen.order.pop_front();
            seen.keys.remove(&old);
        }
        if seen.keys.contains(&key) {
            return false;
        }
        while seen.order.len() >= self.capacity {
            if let Some((_, old)) = seen.order.pop_front() {
                seen.keys.remove(&old);
            }
        }
        seen.keys.insert(key);
        seen.order.push_back((now, key));
        true
    }
}

/// The subscription id is length-prefixed so no (id, data) pair can collide with another.
fn key(subscription_id: &str, data: &str) -> Key {
    let mut hash = Sha256::new();
    hash.update((subscription_id.len() as u64).to_le_bytes());
    hash.update(subscription_id.as_bytes());
    hash.update(data.as_bytes());
    hash.finalize().into()
}

/// The worker's hook: a checked presence change passes only on first sight. Lifecycle items
/// are left alone: Graph legitimately repeats identical ones (`reauthorizationRequired` every
/// 15 minutes), and the manager already dedupes and cools them down per (subscription, event).
pub(crate) fn admit(
    window: &ReplayWindow,
    item: &msgraph_presence::v1_0::models::ChangeNotification,
    notification: super::Notification,
) -> Result<super::Notification, super::Rejection> {
    match (&notification, &item.encrypted_content) {
        (super::Notification::Presence(_), Some(content))
            if !window.first_sight(&item.subscription_id, content) =>
        {
            Err(super::Rejection::Duplicate)
        }
        _ => Ok(notification),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_sight_is_a_replay_until_it_expires() {
        let window = ReplayWindow::new(10, Duration::from_secs(60));
        let t0 = Instant::now();
        let k = key("sub", "data");
        assert!(window.first_sight_at(k, t0));
        assert!(!window.first_sight_at(k, t0 + Duration::from_secs(59)));
        assert!(window.first_sight_at(k, t0 + Duration::from_secs(60)));
        // Same data under another subscription is another notification.
        assert!(window.first_sight_at(key("other", "data"), t0));
        assert_ne!(key("ab", "c"), key("a", "bc"));
    }

    #[test]
    fn the_oldest_is_evicted_at_capacity() {
        let window = ReplayWindow::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        let [a, b, c] = [key("s", "a"), key("s", "b"), key("s", "c")];
        assert!(window.first_sight_at(a, t0));
        assert!(window.first_sight_at(b, t0));
        assert!(window.first_sight_at(c, t0));
        let seen = window.seen.lock().unwrap();
        assert_eq!(seen.keys.len(), 2);
        assert!(!seen.keys.contains(&a) && seen.keys.contains(&c));
    }
}
