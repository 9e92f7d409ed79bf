//! Presence change notifications for Microsoft Graph, on top of the generated client
//! (`msgraph-presence`): subscriptions that stay alive ([`manager`]) and the resource strings
//! they watch ([`resource`]).
//!
//! The facts and rulings behind every choice are in the project's `SUBSCRIPTIONS.md`
//! reference (cited as R1..R22 in comments).

pub mod manager;
pub mod resource;

pub use manager::{
    Certificate, LifecycleEvent, ManagedSubscription, ManagerError, PresenceSubscriptions,
    SubscriptionEvent, Subscriptions,
};
