//! Presence subscriptions made easy: subscribe to any number of users and keep every
//! subscription alive until [`Subscriptions::shutdown`].
//!
//! ```no_run
//! # async fn demo(client: msgraph_presence::Client, pem: &str) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_presence_notifications::{Certificate, PresenceSubscriptions};
//! let certificate = Certificate::from_pem("cert-2026", pem)?;
//! let mut subs = PresenceSubscriptions::builder(&client, "https://example.com/hook", certificate)
//!     .subscribe(&["3b7e9a10-2c4d-4e6f-8a1b-2c3d4e5f6a7b"])
//!     .await?;
//! // The webhook receiver yields lifecycle notifications; forward them:
//! # let lifecycle = msgraph_presence_notifications::receiver::LifecycleNotification {
//! #     subscription_id: "sub-id".into(), tenant_id: None, subscription_expiration: None,
//! #     event: msgraph_presence_notifications::LifecycleEvent::ReauthorizationRequired };
//! subs.on_lifecycle(&lifecycle.subscription_id, lifecycle.event);
//! subs.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! What it does, by SUBSCRIPTIONS.md ruling: ids are split into subscriptions of at most 650
//! with the resource strings of R2; every subscription is rich (R7) with `changeType: updated`
//! (R3), a random `clientState` (R12) unless one is given, and a lifecycle URL; it asks for
//! 55 minutes and renews (PATCH) when 15 or fewer remain (R4); a renewal answered 404 creates
//! the subscription again; a create answered 409 lists the subscriptions, and renews its own
//! presence subscription (same users, and a `clientState` the application set, since List hides
//! it), updating its URL and certificate, or, only when the application allows it
//! ([`Builder::replace_existing`]), deletes it and creates again (R5); `reauthorizationRequired`
//! reauthorizes (nothing when renewed in the last 10 minutes; renews when renewal is due within
//! 10: never both, LC), `subscriptionRemoved` (and any event this crate does not know, R18)
//! creates again once `GET /subscriptions/{id}` confirms it is gone, `missed` is handed to the
//! application (§6.4).
//!
//! The work stays bounded whatever arrives (issue 22): a lifecycle event repeated within a
//! minute for the same subscription is ignored; List is sent at most once per 20 s (R22); the
//! command queue holds [`COMMAND_CAPACITY`] messages; renewals are at least 5 minutes apart and
//! never planned past the expiry asked for; failures back off exponentially with jitter; and a
//! renewal task that panics is started again ([`SubscriptionEvent::RenewalTaskRestarted`]).
//! [`Subscriptions::stats`] counts what was ignored, dropped or restarted.
//!
//! One presence subscription is allowed per application and signed-in user (R5), so more than
//! 650 users need one client per 650 users, each signed in as another user
//! ([`Builder::signed_in_user`]).

mod api;
mod certificate;
mod clock;
mod cooldown;
mod error;
mod events;
mod list_limit;
mod stats;
mod supervise;
mod task;
mod timing;

pub use certificate::Certificate;
pub use error::ManagerError;
pub use events::{ManagedSubscription, SubscriptionEvent};
pub use stats::ManagerStats;

use crate::lifecycle::LifecycleEvent;
use api::Api;
use msgraph_presence::Client;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{mpsc, oneshot};
use tracing::Instrument;

/// Builds [`Subscriptions`]; see [`PresenceSubscriptions::builder`].
pub struct PresenceSubscriptions;

impl PresenceSubscriptions {
    /// Subscriptions through `client`'s v1.0 API (R1), notifying `notification_url`, encrypted
    /// for `certificate`.
    pub fn builder(
        client: &Client,
        notification_url: impl Into<String>,
        certificate: Certificate,
    ) -> Builder {
        Builder {
            clients: vec![client.clone()],
            beta: false,
            notification_url: notification_url.into(),
            lifecycle_url: None,
            certificate,
            client_state: None,
            client_states: None,
            application_id: None,
            replace_existing: false,
        }
    }
}

/// Options of the subscriptions; [`Builder::subscribe`] creates them.
pub struct Builder {
    /// One per signed-in user: subscription `i` (users `650*i..`) is made through client `i`.
    clients: Vec<Client>,
    beta: bool,
    notification_url: String,
    lifecycle_url: Option<String>,
    certificate: Certificate,
    client_state: Option<String>,
    client_states: Option<crate::client_states::ClientStates>,
    application_id: Option<String>,
    replace_existing: bool,
}

impl Builder {
    /// Use the beta API instead of v1.0.
    pub fn beta(mut self) -> Self {
        self.beta = true;
        self
    }

    /// Another signed-in user's client, for more than 650 users: Graph allows one presence
    /// subscription per application and signed-in user (R5, GH-MULTI), so the second 650 users
    /// are subscribed through the second client given, and so on.
    pub fn signed_in_user(mut self, client: &Client) -> Self {
        self.clients.push(client.clone());
        self
    }

    /// Where lifecycle notifications go (default: the notification URL, which Graph allows).
    pub fn lifecycle_url(mut self, url: impl Into<String>) -> Self {
        self.lifecycle_url = Some(url.into());
        self
    }

    /// One `clientState` for every subscription (default: a random one per subscription, R12).
    pub fn client_state(mut self, value: impl Into<String>) -> Self {
        self.client_state = Some(value.into());
        self
    }

    /// The registry the receiver reads (issue 22 item 4): each create puts its value there
    /// as pending, a success binds it to the subscription id, and a subscription replaced or
    /// deleted is removed. Give the same registry to `Receiver::builder().client_states(..)`.
    /// An application-chosen `client_state` must then pass `ClientStates::is_strong`.
    pub fn client_states(mut self, registry: crate::client_states::ClientStates) -> Self {
        self.client_states = Some(registry);
        self
    }

    /// The application's (client) id, to recognise its own subscription after a 409 (R5);
    /// without it any presence subscription the signed-in user lists is taken as its own.
    pub fn application_id(mut self, id: impl Into<String>) -> Self {
        self.application_id = Some(id.into());
        self
    }

    /// After a 409, delete a presence subscription that cannot be reused (other users, a
    /// `clientState` this manager cannot know, a different lifecycle URL) and create ours.
    /// Off by default: such a subscription may belong to another running instance, and two
    /// instances allowed to replace each other take turns deleting (R5); subscribing then fails
    /// with [`ManagerError::ExistingSubscription`].
    pub fn replace_existing(mut self, replace: bool) -> Self {
        self.replace_existing = replace;
        self
    }

    /// Creates the subscriptions for `user_ids` (at most 650 per subscription) and starts the
    /// task that keeps them alive.
    pub async fn subscribe<S: AsRef<str>>(
        self,
        user_ids: &[S],
    ) -> Result<Subscriptions, ManagerError> {
        let chunks = crate::resource::checked_chunks(user_ids).map_err(|e| match e {
            crate::resource::ResourceError::BlankId { index } => {
                ManagerError::BlankUserId { index }
            }
        })?;
        if chunks.is_empty() {
            return Err(ManagerError::NoUsers);
        }
        if chunks.len() > self.clients.len() {
            return Err(ManagerError::TooManyUsers {
                users: chunks.iter().map(Vec::len).sum(),
                needed: chunks.len(),
                given: self.clients.len(),
            });
        }
        // v1.0 allows 128 characters, beta 255 (R12); the shorter limit fits both.
        if let Some(state) = &self.client_state
            && !valid_client_state(state)
        {
            return Err(ManagerError::ClientState { max: 128 });
        }
        if let (Some(state), Some(_)) = (&self.client_state, &self.client_states)
            && !crate::client_states::ClientStates::is_strong(state)
        {
            return Err(crate::client_states::WeakClientState.into());
        }
        let apis: Vec<Api> = self
            .clients
            .into_iter()
            .map(|client| {
                if self.beta {
                    Api::Beta(client)
                } else {
                    Api::V1_0(client)
                }
            })
            .collect();
        let version = if self.beta { "beta" } else { "v1.0" };
        let span = tracing::info_span!("presence_subscriptions", version);
        let config = task::Config {
            lifecycle_url: self
                .lifecycle_url
                .unwrap_or_else(|| self.notification_url.clone()),
            notification_url: self.notification_url,
            certificate: self.certificate,
            application_id: self.application_id,
            client_state_known: self.client_state.is_some(),
            client_states: self.client_states,
            replace_existing: self.replace_existing,
        };
        let counters = Arc::new(stats::Counters::default());
        let list_limit = list_limit::ListLimit::default();
        let clock = clock::Clock::start();
        let fresh = {
            let (apis, config, list_limit, counters) = (
                apis.clone(),
                config.clone(),
                list_limit.clone(),
                counters.clone(),
            );
            move || {
                task::Task::new(
                    apis.clone(),
                    config.clone(),
                    clock,
                    list_limit.clone(),
                    counters.clone(),
                )
            }
        };
        let mut task = fresh();
        for (signed_in_user, users) in chunks.into_iter().enumerate() {
            let state = self
                .client_state
                .clone()
                .unwrap_or_else(random_client_state);
            task.add(signed_in_user, users, state)
                .instrument(span.clone())
                .await?;
        }
        let (commands, inbox) = mpsc::channel(COMMAND_CAPACITY);
        let (events_tx, events) = mpsc::channel(64);
        let shared = Arc::new(Mutex::new(task.snapshot()));
        // Outlives a run that panics, so a restarted task reads the same queue.
        let inbox = Arc::new(tokio::sync::Mutex::new(inbox));
        let mut first = Some(task);
        let start = {
            let (shared, events_tx, span) = (shared.clone(), events_tx.clone(), span.clone());
            move || {
                let task = first.take().unwrap_or_else(|| {
                    let held = shared
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clone();
                    fresh().resume(held)
                });
                let (inbox, events, shared) = (inbox.clone(), events_tx.clone(), shared.clone());
                async move {
                    let mut inbox = inbox.lock().await;
                    task.run(&mut inbox, events, shared).await;
                }
                .instrument(span.clone())
            }
        };
        let join =
            tokio::spawn(supervise::supervise(start, events_tx, counters.clone()).instrument(span));
        Ok(Subscriptions {
            commands,
            events: Some(events),
            shared,
            counters,
            join: Some(join),
        })
    }
}

/// At most 128 URL-safe characters (R12).
fn valid_client_state(state: &str) -> bool {
    !state.is_empty()
        && state.len() <= 128
        && state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// 64 random hex digits: URL-safe and well under 128 characters (R12). Two v4 UUIDs carry
/// 244 bits from the OS CSPRNG, above the receiver's entropy floor (issue 22 item 4).
fn random_client_state() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// How many messages the renewal task's queue holds. When it is full, [`Subscriptions::on_lifecycle`]
/// drops the event (counted in [`ManagerStats::lifecycle_dropped`]) and
/// [`Subscriptions::forward_lifecycle`] waits for room: memory stays bounded either way.
pub const COMMAND_CAPACITY: usize = 256;

/// Messages to the renewal task.
#[derive(Debug)]
enum Command {
    Lifecycle {
        subscription_id: String,
        event: LifecycleEvent,
    },
    Shutdown(oneshot::Sender<()>),
}

/// The running subscriptions: what they are, lifecycle input, events out, and shutdown.
pub struct Subscriptions {
    commands: mpsc::Sender<Command>,
    events: Option<mpsc::Receiver<SubscriptionEvent>>,
    shared: Arc<Mutex<Vec<ManagedSubscription>>>,
    counters: Arc<stats::Counters>,
    join: Option<tokio::task::JoinHandle<()>>,
}

impl Subscriptions {
    /// The subscriptions as they stand (ids change when one is created again).
    pub fn subscriptions(&self) -> Vec<ManagedSubscription> {
        self.shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Hands a lifecycle notification from the webhook receiver to the renewal task without
    /// waiting. Events for subscriptions this manager does not hold are logged and ignored;
    /// when the queue is full ([`COMMAND_CAPACITY`]) the event is dropped and counted
    /// ([`ManagerStats::lifecycle_dropped`]); Graph sends `reauthorizationRequired` again, and
    /// a lost subscription is found at the next renewal (404).
    pub fn on_lifecycle(&self, subscription_id: &str, event: impl Into<LifecycleEvent>) {
        let command = Command::Lifecycle {
            subscription_id: subscription_id.to_owned(),
            event: event.into(),
        };
        match self.commands.try_send(command) {
            Ok(()) => {}
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.counters.add(stats::Count::LifecycleDropped);
                tracing::debug!(
                    subscription = subscription_id,
                    "lifecycle event dropped: the renewal task's queue is full"
                );
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                tracing::debug!("lifecycle event after the renewal task ended: ignored");
            }
        }
    }

    /// Like [`Self::on_lifecycle`], but waits for room in the queue instead of dropping the
    /// event: backpressure for a caller that can wait (a receiver loop).
    pub async fn forward_lifecycle(&self, subscription_id: &str, event: impl Into<LifecycleEvent>) {
        let command = Command::Lifecycle {
            subscription_id: subscription_id.to_owned(),
            event: event.into(),
        };
        if self.commands.send(command).await.is_err() {
            tracing::debug!("lifecycle event after the renewal task ended: ignored");
        }
    }

    /// What the manager ignored, dropped or restarted so far.
    pub fn stats(&self) -> ManagerStats {
        self.counters.snapshot()
    }

    /// The events the application should act on (resync after `Missed` or `Recreated`); `None`
    /// after the first call. When nobody reads them, the newest are dropped (64 are kept).
    pub fn take_events(&mut self) -> Option<mpsc::Receiver<SubscriptionEvent>> {
        self.events.take()
    }

    /// Stops renewing and waits for the task to end. The subscriptions are left to expire
    /// (within 60 minutes, R4); a later [`Builder::subscribe`] reuses them after Graph's 409 (R5).
    pub async fn shutdown(mut self) {
        let (ack, done) = oneshot::channel();
        if self.commands.send(Command::Shutdown(ack)).await.is_ok() {
            let _ = done.await;
        }
        if let Some(join) = self.join.take() {
            let _ = join.await;
        }
    }
}

impl Drop for Subscriptions {
    fn drop(&mut self) {
        if let Some(join) = &self.join {
            join.abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_are_base64_der_with_a_short_id() {
        let pem = "-----BEGIN CERTIFICATE-----\nQUJD\nREVG\n-----END CERTIFICATE-----\n";
        let cert = Certificate::from_pem("c1", pem).unwrap();
        assert_eq!(cert.base64_der(), "QUJDREVG");
        assert_eq!(cert.id(), "c1");
        assert!(Certificate::new("c1", "QU JD").is_err());
        assert!(Certificate::new("x".repeat(129), "QUJD").is_err());
        assert!(Certificate::from_pem("c1", "QUJD").is_err());
    }

    #[test]
    fn client_states_are_url_safe_and_short() {
        let state = random_client_state();
        assert_eq!(state.len(), 64);
        assert!(valid_client_state(&state));
        assert!(!valid_client_state("a b"));
        assert!(!valid_client_state(&"a".repeat(129)));
        assert_ne!(random_client_state(), state);
    }
}
