//! The renewal task: creates, renews, re-creates and reauthorizes the subscriptions.

mod conflict;

use super::api::Api;
use super::clock::Clock;
use super::cooldown::Cooldown;
use super::list_limit::ListLimit;
use super::stats::{Count, Counters};
use super::timing::{MIN_RENEW_INTERVAL, backoff, clamp_expiry};
use super::{
    Certificate, Command, LifecycleEvent, ManagedSubscription, ManagerError, SubscriptionEvent,
};
use crate::resource::presence_resource;
use jiff::Timestamp;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// Requested lifetime: 55 minutes leaves margin under the 60-minute maximum (R4).
pub(crate) const LIFETIME: Duration = Duration::from_secs(55 * 60);
/// Renew once this much or less remains (R4).
pub(crate) const RENEW_BEFORE: Duration = Duration::from_secs(15 * 60);
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
    /// After a 409, a subscription this manager cannot reuse is deleted only when the
    /// application said so (F9): otherwise it may be another instance's.
    pub replace_existing: bool,
    /// Where each subscription's `clientState` is published for the receiver (item 4).
    pub client_states: Option<crate::client_states::ClientStates>,
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
    /// Failures in a row, for the backoff (F8).
    failures: u32,
}

pub(crate) struct Task {
    /// One per signed-in user; each slot uses its own (R5).
    pub(super) apis: Vec<Api>,
    pub(super) config: Config,
    pub(super) clock: Clock,
    slots: Vec<Slot>,
    cooldown: Cooldown,
    pub(super) list_limit: ListLimit,
    counters: Arc<Counters>,
    /// Set when the token provider said "sign in again": the task stops instead of retrying.
    stopped: bool,
}

/// Why keeping a subscription alive failed, and whether only a new sign-in can help.
pub(crate) struct Failure {
    message: String,
    sign_in_again: bool,
}

impl From<msgraph_presence::Error> for Failure {
    fn from(error: msgraph_presence::Error) -> Self {
        Failure {
            sign_in_again: error.is_sign_in_again(),
            message: error.to_string(),
        }
    }
}

impl From<ManagerError> for Failure {
    fn from(error: ManagerError) -> Self {
        let sign_in_again =
            matches!(&error, ManagerError::Graph { source, .. } if source.is_sign_in_again());
        Failure {
            message: error.to_string(),
            sign_in_again,
        }
    }
}

/// How a lifecycle event or timer left a slot, for the application's events.
enum Outcome {
    Kept,
    Recreated { old_id: String },
}

impl Task {
    pub(crate) fn new(
        apis: Vec<Api>,
        config: Config,
        clock: Clock,
        list_limit: ListLimit,
        counters: Arc<Counters>,
    ) -> Self {
        Task {
            apis,
            config,
            clock,
            slots: Vec::new(),
            cooldown: Cooldown::default(),
            list_limit,
            counters,
            stopped: false,
        }
    }

    /// A task that takes over from one that panicked, from the subscriptions as last recorded.
    /// Slot `i` is always managed through signed-in user `i` (see `Builder::subscribe`).
    pub(crate) fn resume(mut self, held: Vec<ManagedSubscription>) -> Self {
        self.slots = held
            .into_iter()
            .enumerate()
            .map(|(api, s)| Slot {
                api,
                users: s.user_ids,
                resource: s.resource,
                client_state: s.client_state,
                id: s.id,
                expires: s.expires,
                retry_at: None,
                renewed_at: None,
                failures: 0,
            })
            .collect();
        self
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
            failures: 0,
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
        inbox: &mut mpsc::Receiver<Command>,
        events: mpsc::Sender<SubscriptionEvent>,
        shared: Arc<Mutex<Vec<ManagedSubscription>>>,
    ) {
        loop {
            // Plan on the service's clock as the latest responses show it (F8).
            self.clock
                .follow_server(self.apis.iter().find_map(Api::server_offset_ms));
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
            if self.stopped {
                break;
            }
        }
    }

    /// When the slot needs attention: its retry time, or 15 minutes before expiry but never
    /// sooner than [`MIN_RENEW_INTERVAL`] after the last renewal, so an expiry Graph returned
    /// too near (or past) cannot make the task PATCH in a tight loop (F8).
    fn due(&self, slot: &Slot) -> Instant {
        slot.retry_at.unwrap_or_else(|| {
            let at = self.clock.instant_at(slot.expires);
            let renew = at.checked_sub(RENEW_BEFORE).unwrap_or(at);
            let earliest = slot
                .renewed_at
                .and_then(|r| r.checked_add(MIN_RENEW_INTERVAL));
            earliest.map_or(renew, |e| renew.max(e))
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
        // F5: a repeat (forged, or Graph's own duplicate) within the cooldown costs no call.
        if !self.cooldown.admit(subscription_id, &event) {
            self.counters.add(Count::LifecycleRepeat);
            tracing::debug!(
                subscription = subscription_id,
                ?event,
                "lifecycle event repeated within a minute: ignored"
            );
            return;
        }
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
                        Err(e) => Err(e.into()),
                    }
                }
            }
            LifecycleEvent::SubscriptionRemoved => self.removed(index).await,
            // R18: an event this crate does not know is handled like `subscriptionRemoved`, the
            // safe reading (a needless re-creation costs a call; a lost subscription costs
            // every change until someone notices).
            LifecycleEvent::Other(value) => {
                tracing::warn!(subscription = subscription_id, event = ?value, "unknown lifecycle event: handled like subscriptionRemoved");
                self.removed(index).await
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
    async fn renew(&mut self, index: usize) -> Result<Outcome, Failure> {
        if self.slots[index].id.is_empty() {
            return self.recreate(index).await;
        }
        let api = self.slots[index].api;
        self.clock.follow_server(self.apis[api].server_offset_ms());
        let expires = self.clock.in_(LIFETIME);
        let id = self.slots[index].id.clone();
        match self.apis[api].renew(&id, expires).await {
            Ok(remote) => {
                tracing::info!(subscription = %id, expires = %remote.expires, "renewed");
                let slot = &mut self.slots[index];
                // Never plan with a later expiry than asked for (F8).
                slot.expires = clamp_expiry(remote.expires, expires);
                slot.retry_at = None;
                slot.renewed_at = Some(Instant::now());
                slot.failures = 0;
                Ok(Outcome::Kept)
            }
            Err(e) if e.is_not_found() => {
                tracing::warn!(subscription = %id, "renewal answered 404: the subscription is gone");
                self.recreate(index).await
            }
            Err(e) => Err(e.into()),
        }
    }

    /// `subscriptionRemoved` (or an event this crate does not know, R18): asks Graph first
    /// (`GET /subscriptions/{id}`), and creates the subscription again only when Graph no
    /// longer holds it, so a forged notification costs one GET, not a create (F5).
    async fn removed(&mut self, index: usize) -> Result<Outcome, Failure> {
        let id = self.slots[index].id.clone();
        if id.is_empty() {
            return self.recreate(index).await;
        }
        match self.apis[self.slots[index].api].get(&id).await {
            Ok(remote) if remote.expires > self.clock.in_(Duration::ZERO) => {
                self.counters.add(Count::RemovalNotConfirmed);
                tracing::warn!(subscription = %id, "told the subscription was removed, but Graph still holds it: kept (a forged or stale notification)");
                let slot = &mut self.slots[index];
                slot.expires = slot.expires.min(remote.expires);
                Ok(Outcome::Kept)
            }
            Ok(_) => self.recreate(index).await,
            Err(e) if e.is_not_found() => self.recreate(index).await,
            // Unknown: the retry renews, and a renewal answered 404 creates it again.
            Err(e) => Err(e.into()),
        }
    }

    /// Creates the slot's subscription again.
    async fn recreate(&mut self, index: usize) -> Result<Outcome, Failure> {
        let old_id = std::mem::take(&mut self.slots[index].id);
        let resource = self.slots[index].resource.clone();
        let state = self.slots[index].client_state.clone();
        match self.create(self.slots[index].api, &resource, &state).await {
            Ok(remote) => {
                tracing::info!(old = %old_id, subscription = %remote.id, "subscription created again");
                if let Some(states) = &self.config.client_states {
                    states.remove(&old_id);
                }
                let slot = &mut self.slots[index];
                slot.id = remote.id;
                slot.expires = remote.expires;
                slot.retry_at = None;
                slot.renewed_at = Some(Instant::now());
                slot.failures = 0;
                Ok(Outcome::Recreated { old_id })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Logs a failure and schedules a retry, or tells the application what it lost.
    fn report(
        &mut self,
        index: usize,
        outcome: Result<Outcome, Failure>,
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
            Err(Failure {
                message: error,
                sign_in_again: true,
            }) => {
                // Retrying a dead sign-in would fail forever: stop, and say why, once.
                tracing::error!(subscription = %slot.id, %error, "the signed-in user must sign in again; renewals stopped");
                let event = SubscriptionEvent::SignInRequired {
                    subscription_id: (!slot.id.is_empty()).then(|| slot.id.clone()),
                    user_ids: slot.users.clone(),
                    error,
                };
                self.stopped = true;
                send(events, event);
            }
            Err(Failure { message: error, .. }) => {
                // F8: exponential backoff with jitter, not a flat minute.
                slot.failures = slot.failures.saturating_add(1);
                let wait = backoff(slot.failures);
                tracing::warn!(subscription = %slot.id, %error, ?wait, "keeping the subscription alive failed; retrying later");
                let now = Instant::now();
                slot.retry_at = Some(now.checked_add(wait).unwrap_or(now));
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
}

/// Hands an event to the application without waiting; a full queue drops it (logged).
pub(super) fn send(events: &mpsc::Sender<SubscriptionEvent>, event: SubscriptionEvent) {
    if let Err(e) = events.try_send(event) {
        tracing::warn!(error = %e, "subscription event dropped: the application is not reading them");
    }
}
