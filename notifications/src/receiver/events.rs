//! What the receiver hands to the application.

use crate::lifecycle::LifecycleEvent;
use msgraph_presence::runtime::DateTime;
use msgraph_presence::{beta, v1_0};

/// One checked notification.
#[derive(Debug, Clone, PartialEq)]
pub enum Notification {
    /// A user's presence changed; the decrypted, verified resource.
    Presence(Box<PresenceChange>),
    /// Something happened to the subscription itself: forward it to the renewal manager.
    Lifecycle(LifecycleNotification),
}

/// A decrypted presence change.
#[derive(Debug, Clone, PartialEq)]
pub struct PresenceChange {
    /// The subscription that delivered it.
    pub subscription_id: String,
    /// The tenant the user belongs to.
    pub tenant_id: Option<String>,
    /// The user, from `resourceData.id` (never from `resource`, R17).
    pub user_id: String,
    /// The presence as the resource data carried it.
    pub presence: PresenceResource,
}

/// The decrypted presence in the model of the API version the subscription was made on.
#[derive(Debug, Clone, PartialEq)]
pub enum PresenceResource {
    /// A `/v1.0` subscription.
    V1_0(v1_0::models::Presence),
    /// A `/beta` subscription.
    Beta(beta::models::Presence),
}

impl PresenceResource {
    /// The availability as sent (`Busy`, ...), if the payload had one.
    pub fn availability(&self) -> Option<&str> {
        match self {
            PresenceResource::V1_0(p) => p.availability.as_ref().map(|a| a.as_str()),
            PresenceResource::Beta(p) => p.availability.as_ref().map(|a| a.as_str()),
        }
    }

    /// The activity as sent (`InAMeeting`, ...), if the payload had one.
    pub fn activity(&self) -> Option<&str> {
        match self {
            PresenceResource::V1_0(p) => p.activity.as_ref().map(|a| a.as_str()),
            PresenceResource::Beta(p) => p.activity.as_ref().map(|a| a.as_str()),
        }
    }
}

/// A lifecycle notification (SUBSCRIPTIONS.md §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LifecycleNotification {
    /// The subscription concerned.
    pub subscription_id: String,
    /// Its tenant.
    pub tenant_id: Option<String>,
    /// What happened.
    pub event: LifecycleEvent,
    /// The subscription's expiry as sent.
    pub subscription_expiration: Option<DateTime>,
}
