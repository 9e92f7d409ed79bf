//! Presence change notifications for Microsoft Graph, on top of the generated client
//! (`msgraph-presence`).
//!
//! - [`manager`]: subscribe to any number of users and keep every subscription alive
//!   ([`PresenceSubscriptions`]), with the resource strings of [`resource`].
//! - [`receiver`]: an axum [`Router`](axum::Router) to mount at the notification URL; it answers
//!   the validation handshake, acknowledges at once and hands checked, decrypted notifications to
//!   the application through a bounded channel.
//! - [`crypto`]: the rich-notification envelope: check `dataSignature`, unwrap `dataKey`, decrypt
//!   `data` ([`crypto::open`]), and the inverse ([`crypto::seal`]) for emulators and tests.
//! - [`client_states`]: [`ClientStates`], each subscription's random `clientState`, written by
//!   the manager and read by the receiver.
//! - [`lifecycle`]: the lifecycle events the receiver reports and the manager acts on.
//! - [`view`]: [`PresenceView`], everyone's presence kept right from the notifications, the
//!   manager's events and paced reads (R11).
//!
//! The notification payloads are the generated models (`changeNotificationCollection` and
//! friends); the envelope is the same in both API versions, so the v1.0 types carry it.
//! The facts and rulings behind every choice come from the project's `SUBSCRIPTIONS.md`
//! reference (cited as R1..R23, RICH, LC, ... in comments); `docs/rulings.md` at the
//! repository root restates each cited id.

#![deny(missing_docs)]

pub mod client_states;
pub mod crypto;
pub mod lifecycle;
pub mod manager;
pub mod receiver;
pub mod resource;
pub mod view;

pub use client_states::ClientStates;
pub use lifecycle::LifecycleEvent;
pub use manager::{
    Certificate, ManagedSubscription, ManagerError, ManagerStats, PresenceSubscriptions,
    SubscriptionEvent, Subscriptions,
};
pub use receiver::{Notification, Receiver};
pub use view::{PresenceUpdate, PresenceView, UserPresence, ViewEnd};
