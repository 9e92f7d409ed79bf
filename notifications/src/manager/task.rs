//! The renewal task: creates, renews, re-creates and reauthorizes the subscriptions.

use super::api::{Api, CreateParams, Remote};
use super::clock::Clock;
use super::{
    Certificate, Command, LifecycleEvent, ManagedSubscription, ManagerError, SubscriptionEvent,
};
use crate::resource::{is_presence_resource, presence_resource, same_resource};
use jiff::Timestamp;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Requested lifetime: 55 minutes leaves margin under the 60-minute maximum (R4).
pub(crate) const LIFETIME: Duration = Duration::from_secs(55 * 60);
/// Renew once this much or less remains (R4).
pub(crate) const RENEW_BEFORE: Duration = Duration::from_secs(15 * 60);
/// After a failure, try again this much later.
pub(crate) const RETRY: Duration = Duration::from_secs(60);
/// Reauthorizing and renewing within this span of each other is not allowed (LC).
pub(crate) const REAUTHORIZE_GAP: Duration = Duration::from_secs(10 * 60);

/// What every subscription shares.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub notification_url: String,
    pub lifecycle_url: String,
    pub certificate: Certificate,
    pub application_id: Option<String>,
    /// The application chose the `clientState`, so a subscription found after a 409 carries
    /// the value its receiver expects and may be reused; a random one cannot be known (List
    /// hides it, R12), so such a subscription is replaced instead.
    pub client_state_known: bool,
}

/// One subscription (one chunk of users) and where it stands.
#[derive(Debug)]
struct Slot {
    /// Index of the signed-in user's API the subscription is managed through.
    api: usize,
    users: Vec<String>,
    resource: String,
    client_state: String,
    /// Empty while Graph holds none for this slot (a re-creation is pending).
    id: String,
    expires: Timestamp,
    /// When to try again after a failure, instead of the renewal time.
    retry_at: Option<Instant>,
    /// When it was last renewed: a `reauthorizationRequired` right after a renewal needs no
    /// call (renewing reauthorizes, and both within 10 minutes is not allowed, LC).
    renewed_at: Option<Instant>,
}

pub(crate) struct Task {
    /// One per signed-in user; each slot uses its own (R5).
    apis: Vec<Api>,
    config: Config,
    clock: Clock,
    slots: Vec<Slot>,
}

/// How a lifecycle event or timer left a slot, for the application's events.
enum Outcome {
    Kept,
    Recreated { old_id: String },
}

impl Task {
    pub(crate) fn new(apis: Vec<Api>, config: Config, clock: Clock) -> Self {
        Task {
            apis,
            config,
            clock,
            slots: Vec::new(),
        }
    }

    /// Creates the subscription for `users` (handling 409, R5) and keeps it.
    pub(crate) async fn add(
        &mut self,
        api: usize,
        users: Vec<String>,
        client_state: String,
    ) -> Result<(), ManagerError> {
        let resource = presence_resource(&users);
        let remote = self.create(api, &resource, &client_state).await?;
        tracing::info!(subscription = %remote.id, users = users.len(), expires = %remote.expires, "subscribed");
        self.slots.push(Slot {
            api,
            users,
            resource,
            client_state,
            id: remote.id,
            expires: remote.expires,
            retry_at: None,
            renewed_at: Some(Instant::now()),
        });
        Ok(())
    }

    pub(crate) fn snapshot(&self) -> Vec<ManagedSubscription> {
        self.slots
            .iter()
            .map(|s| ManagedSubscription {
                id: s.id.clone(),
                resource: s.resource.clone(),
                user_ids: s.users.clone(),
                client_state: s.client_state.clone(),
                expires: s.expires,
            })
            .collect()
    }

    /// Runs until shutdown (or until the handle is gone).
    pub(crate) async fn run(
        mut self,
        mut inbox: mpsc::UnboundedReceiver<Command>,
        events: mpsc::Sender<SubscriptionEvent>,
        shared: Arc<Mutex<Vec<ManagedSubscription>>>,
    ) {
        loop {
            let next = self.slots.iter().map(|s| self.due(s)).min();
            let wake = next.unwrap_or_else(|| Instant::now() + LIFETIME);
            tokio::select! {
                command = inbox.recv() => match command {
                    None => break,
                    Some(Command::Shutdown(ack)) => {
                        tracing::info!("shutting down; subscriptions are left to expire");
                        let _ = ack.send(());
                        break;
                    }
                    Some(Command::Lifecycle { subscription_id, event }) => {
                        self.lifecycle(&subscription_id, event, &events).await;
                    }
                },
                () = tokio::time::sleep_until(wake) => {
                    let now = Instant::now();
                    for index in 0..self.slots.len() {
                        if self.due(&self.slots[index]) <= now {
                            let outcome = self.renew(index).await;
                            self.report(index, outcome, &events);
                        }
                    }
                }
            }
            *shared.lock().unwrap_or_else(PoisonError::into_inner) = self.snapshot();
        }
    }

    /// When the slot needs attention: its retry time, or 15 minutes before expiry.
    fn due(&self, slot: &Slot) -> Instant {
        slot.retry_at.unwrap_or_else(|| {
            let at = self.clock.instant_at(slot.expires);
            at.checked_sub(RENEW_BEFORE).unwrap_or(at)
        })
    }

    async fn lifecycle(
        &mut self,
        subscription_id: &str,
        event: LifecycleEvent,
        events: &mpsc::Sender<SubscriptionEvent>,
    ) {
        let Some(index) = self.slots.iter().position(|s| s.id == subscription_id) else {
            tracing::debug!(
                subscription = subscription_id,
                ?event,
                "lifecycle event for a subscription not held here"
            );
            return;
        };
        tracing::info!(subscription = subscription_id, ?event, "lifecycle event");
        let outcome = match event {
            LifecycleEvent::ReauthorizationRequired => {
                // PATCH renews and reauthorizes at once; doing both within 10 minutes is not
                // allowed (LC), so renew instead when renewal is due that soon anyway.
                let slot = &self.slots[index];
                let recently_renewed = slot
                    .renewed_at
                    .is_some_and(|at| at.elapsed() < REAUTHORIZE_GAP);
                if recently_renewed {
                    tracing::info!(
                        subscription = subscription_id,
                        "renewed within the last 10 minutes, which reauthorized it"
                    );
                    Ok(Outcome::Kept)
                } else if self.due(slot) <= Instant::now() + REAUTHORIZE_GAP {
                    self.renew(index).await
                } else {
                    match self.apis[slot.api].reauthorize(&slot.id).await {
                        Ok(()) => {
                            tracing::info!(subscription = subscription_id, "reauthorized");
                            Ok(Outcome::Kept)
                        }
                        Err(e) if e.is_not_found() => self.recreate(index).await,
                        Err(e) => Err(e.to_string()),
                    }
                }
            }
            LifecycleEvent::SubscriptionRemoved => self.recreate(index).await,
            // R18: an event this crate does not know is handled like `subscriptionRemoved`, the
            // safe reading (a needless re-creation costs a call; a lost subscription costs
            // every change until someone notices).
            LifecycleEvent::Other(value) => {
                tracing::warn!(subscription = subscription_id, event = %value, "unknown lifecycle event: creating the subscription again");
                self.recreate(index).await
            }
            LifecycleEvent::Missed => {
                send(
                    events,
                    SubscriptionEvent::Missed {
                        subscription_id: subscription_id.to_owned(),
                        user_ids: self.slots[index].users.clone(),
                    },
                );
                Ok(Outcome::Kept)
            }
        };
        self.report(index, outcome, events);
    }

    /// PATCHes a new expiry; 404 means the subscription is gone, so it is created again (R4).
    async fn renew(&mut self, index: usize) -> Result<Outcome, String> {
        if self.slots[index].id.is_empty() {
            return self.recreate(index).await;
        }
        let expires = self.clock.in_(LIFETIME);
        let id = self.slots[index].id.clone();
        match self.apis[self.slots[index].api].renew(&id, expires).await {
            Ok(remote) => {
                tracing::info!(subscription = %id, expires = %remote.expires, "renewed");
                let slot = &mut self.slots[index];
                slot.expires = remote.expires;
                slot.retry_at = None;
                slot.renewed_at = Some(Instant::now());
                Ok(Outcome::Kept)
            }
            Err(e) if e.is_not_found() => {
                tracing::warn!(subscription = %id, "renewal answered 404: the subscription is gone");
                self.recreate(index).await
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Creates the slot's subscription again.
    async fn recreate(&mut self, index: usize) -> Result<Outcome, String> {
        let old_id = std::mem::take(&mut self.slots[index].id);
        let resource = self.slots[index].resource.clone();
        let state = self.slots[index].client_state.clone();
        match self.create(self.slots[index].api, &resource, &state).await {
            Ok(remote) => {
                tracing::info!(old = %old_id, subscription = %remote.id, "subscription created again");
                let slot = &mut self.slots[index];
                slot.id = remote.id;
                slot.expires = remote.expires;
                slot.retry_at = None;
                slot.renewed_at = Some(Instant::now());
                Ok(Outcome::Recreated { old_id })
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Logs a failure and schedules a retry, or tells the application what it lost.
    fn report(
        &mut self,
        index: usize,
        outcome: Result<Outcome, String>,
        events: &mpsc::Sender<SubscriptionEvent>,
    ) {
        let slot = &mut self.slots[index];
        match outcome {
            Ok(Outcome::Kept) => {}
            Ok(Outcome::Recreated { old_id }) => send(
                events,
                SubscriptionEvent::Recreated {
                    old_id,
                    new_id: slot.id.clone(),
                    user_ids: slot.users.clone(),
                },
            ),
            Err(error) => {
                tracing::warn!(subscription = %slot.id, %error, "keeping the subscription alive failed; retrying in a minute");
                slot.retry_at = Some(Instant::now() + RETRY);
                send(
                    events,
                    SubscriptionEvent::Failed {
                        subscription_id: (!slot.id.is_empty()).then(|| slot.id.clone()),
                        user_ids: slot.users.clone(),
                        error,
                    },
                );
            }
        }
    }

    /// `POST /subscriptions`; on 409 finds this application's presence subscription and renews
    /// it when it watches the same resource with a `clientState` the application chose, else
    /// deletes it and creates again (R5).
    async fn create(
        &self,
        api: usize,
        resource: &str,
        client_state: &str,
    ) -> Result<Remote, ManagerError> {
        let api = &self.apis[api];
        let params = CreateParams {
            resource,
            expires: self.clock.in_(LIFETIME),
            notification_url: &self.config.notification_url,
            lifecycle_url: &self.config.lifecycle_url,
            client_state,
            certificate: &self.config.certificate,
        };
        let graph = |source| ManagerError::Graph {
            resource: resource.to_owned(),
            source: Box::new(source),
        };
        match api.create(&params).await {
            Ok(remote) => return Ok(remote),
            Err(e) if e.status() == Some(409) => {
                tracing::info!(
                    resource,
                    "409: looking for this application's presence subscription"
                );
            }
            Err(e) => return Err(graph(e)),
        }
        let listed = api.list().await.map_err(graph)?;
        let own = listed.into_iter().find(|r| {
            is_presence_resource(&r.resource)
                && self
                    .config
                    .application_id
                    .as_ref()
                    .is_none_or(|app| r.application_id.as_ref() == Some(app))
                && !self.slots.iter().any(|s| s.id == r.id)
        });
        let Some(own) = own else {
            return Err(ManagerError::Conflict {
                resource: resource.to_owned(),
            });
        };
        if same_resource(&own.resource, resource) && self.config.client_state_known {
            tracing::info!(subscription = %own.id, "reusing the existing subscription");
            return api.renew(&own.id, params.expires).await.map_err(graph);
        }
        tracing::info!(subscription = %own.id, "deleting the existing subscription (other users, or a clientState this manager cannot know)");
        match api.delete(&own.id).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(graph(e)),
        }
        api.create(&params).await.map_err(graph)
    }
}

/// Hands an event to the application without waiting; a full queue drops it (logged).
fn send(events: &mpsc::Sender<SubscriptionEvent>, event: SubscriptionEvent) {
    if let Err(e) = events.try_send(event) {
        tracing::warn!(error = %e, "subscription event dropped: the application is not reading them");
    }
}
