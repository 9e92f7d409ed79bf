//! Lifecycle events (SUBSCRIPTIONS.md §6): what the receiver reports about a subscription and
//! the renewal task acts on.

use msgraph_presence::{beta, v1_0};

/// A `lifecycleEvent` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LifecycleEvent {
    /// Renew (PATCH) or reauthorize soon (§6.2).
    ReauthorizationRequired,
    /// The subscription is gone: create a new one and resync (§6.3).
    SubscriptionRemoved,
    /// Notifications were lost: resync (§6.4).
    Missed,
    /// A value this crate does not know yet; the renewal task treats it like
    /// `SubscriptionRemoved` (R18).
    Other(String),
}

impl From<&str> for LifecycleEvent {
    fn from(value: &str) -> Self {
        match value {
            "reauthorizationRequired" => LifecycleEvent::ReauthorizationRequired,
            // `removed` is the old beta spelling (SUBSCRIPTIONS.md §9).
            "subscriptionRemoved" | "removed" => LifecycleEvent::SubscriptionRemoved,
            "missed" => LifecycleEvent::Missed,
            other => LifecycleEvent::Other(other.to_owned()),
        }
    }
}

impl From<&v1_0::models::LifecycleEventType> for LifecycleEvent {
    fn from(value: &v1_0::models::LifecycleEventType) -> Self {
        value.as_str().into()
    }
}

impl From<&beta::models::LifecycleEventType> for LifecycleEvent {
    fn from(value: &beta::models::LifecycleEventType) -> Self {
        value.as_str().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_events_parse_including_the_old_beta_spelling() {
        assert_eq!(
            LifecycleEvent::from("removed"),
            LifecycleEvent::SubscriptionRemoved
        );
        assert_eq!(
            LifecycleEvent::from(&v1_0::models::LifecycleEventType::Missed),
            LifecycleEvent::Missed
        );
        assert_eq!(
            LifecycleEvent::from(&beta::models::LifecycleEventType::ReauthorizationRequired),
            LifecycleEvent::ReauthorizationRequired
        );
        assert_eq!(
            LifecycleEvent::from("x"),
            LifecycleEvent::Other("x".to_owned())
        );
    }
}
