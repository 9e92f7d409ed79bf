//! What happens to subscriptions as time passes and presence changes: expiry, the
//! reauthorization notices, lifecycle notifications on demand, change notifications.

use super::super::state::Shared;
use super::store::Store;
use jiff::SignedDuration;
use std::sync::PoisonError;

pub(crate) fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Store> {
    shared
        .subscriptions
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Drops expired subscriptions and sends the `reauthorizationRequired` notices that are due:
/// once 15 minutes or less remain, then every 15 minutes (R18, R21).
pub(crate) fn tick(shared: &Shared) {
    let now = shared.clock.now();
    let window = SignedDuration::from_mins(15);
    let mut store = lock(shared);
    store.retain(|_, s| s.expiration > now);
    for subscription in store.values_mut() {
        let due = subscription.expiration.duration_since(now) <= window
            && subscription
                .last_reauthorization_notice
                .is_none_or(|last| now.duration_since(last) >= window);
        if due && subscription.lifecycle_url.is_some() {
            subscription.last_reauthorization_notice = Some(now);
            shared
                .deliverer
                .lifecycle(subscription, "reauthorizationRequired");
        }
    }
}

/// Sends a lifecycle notification on demand; `subscriptionRemoved` also removes it.
/// False when the id is unknown or the subscription has no lifecycle URL.
pub(crate) fn send_lifecycle(shared: &Shared, id: &str, event: &str) -> bool {
    tick(shared);
    let mut store = lock(shared);
    let Some(subscription) = store.get(id) else {
        return false;
    };
    if subscription.lifecycle_url.is_none() {
        return false;
    }
    shared.deliverer.lifecycle(subscription, event);
    if event == "subscriptionRemoved" {
        store.remove(id);
    }
    true
}

/// Called after every presence write with the user's (availability, activity) before and
/// after, and the sequence number after: a change notifies every live subscription that
/// watches the user.
pub(crate) fn presence_changed(
    shared: &Shared,
    user_id: &str,
    before: (&str, &str),
    after: (&str, &str),
    sequence: Option<u64>,
) {
    if before == after {
        return;
    }
    tick(shared);
    let store = lock(shared);
    for subscription in store.values().filter(|s| s.is_presence()) {
        if subscription
            .user_ids
            .iter()
            .any(|id| id.eq_ignore_ascii_case(user_id))
        {
            shared
                .deliverer
                .change(subscription, user_id, after, sequence);
        }
    }
}
