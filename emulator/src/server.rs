//! Starting, controlling and stopping an emulator.

use super::clock::Clock;
use super::fault::Fault;
use super::model::{Location, State};
use super::routes;
use super::rules;
use super::state::{RecordedRequest, Shared};
use super::subscriptions::{self, DeliveryAttempt, DeliveryFaults, FaultCounts};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, PoisonError};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The signed-in user `/me` stands for unless [`EmulatorBuilder::signed_in_user`] says otherwise.
pub const DEFAULT_SIGNED_IN_USER: &str = "fa8bf3dc-eca7-46b7-bad1-db199b62afc3";

/// How long [`Emulator::shutdown`] waits for open connections before dropping them.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Configures an [`Emulator`] before it starts.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    port: u16,
    signed_in_user: String,
    clock: Clock,
    retry_base: std::time::Duration,
    max_attempts: u32,
    journal_capacity: usize,
    allowed_hosts: Vec<String>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            port: 0,
            signed_in_user: DEFAULT_SIGNED_IN_USER.to_owned(),
            clock: Clock::manual_now(),
            retry_base: std::time::Duration::from_secs(1),
            // 1 s doubling: the 14th try comes about 4.5 hours after the first (R10: 4 h).
            max_attempts: 14,
            journal_capacity: crate::journal::DEFAULT_JOURNAL_CAPACITY,
            allowed_hosts: Vec::new(),
        }
    }
}

impl EmulatorBuilder {
    /// The port on 127.0.0.1 (default 0: an ephemeral port the system picks).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// The user id `/me/...` paths act on (default [`DEFAULT_SIGNED_IN_USER`]).
    pub fn signed_in_user(mut self, id: impl Into<String>) -> Self {
        self.signed_in_user = id.into();
        self
    }

    /// The clock (default: [`Clock::manual_now`], which moves only when told).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The wait before the first retry of a failed notification delivery (default 1 s; it
    /// doubles after every try). Tests set it small.
    pub fn delivery_retry_base(mut self, wait: std::time::Duration) -> Self {
        self.retry_base = wait;
        self
    }

    /// How many times a notification is tried before it is dropped (default 14, about 4.5 h
    /// of backoff from 1 s).
    pub fn delivery_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// How many entries the request journal ([`Emulator::requests`]) and the delivery journal
    /// ([`Emulator::deliveries`]) each keep (default
    /// [`DEFAULT_JOURNAL_CAPACITY`](crate::DEFAULT_JOURNAL_CAPACITY)); older entries are dropped
    /// and counted.
    pub fn journal_capacity(mut self, entries: usize) -> Self {
        self.journal_capacity = entries;
        self
    }

    /// A host name (no port) requests may be addressed to besides `127.0.0.1`, `localhost`
    /// and `[::1]`, e.g. when a proxy forwards to the emulator; requests naming any other host
    /// in `Host` get 421 (DNS rebinding into the token-less control routes).
    pub fn allowed_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into());
        self
    }

    /// Binds 127.0.0.1 and starts serving on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// The port cannot be bound.
    pub async fn start(self) -> std::io::Result<Emulator> {
        let listener =
            tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))
                .await?;
        let addr = listener.local_addr()?;
        let deliverer = subscriptions::delivery::Deliverer::new(
            self.clock.clone(),
            self.retry_base,
            self.max_attempts,
            self.journal_capacity,
        )
        .map_err(std::io::Error::other)?;
        let shared = Arc::new(Shared::new(
            self.clock,
            self.signed_in_user,
            deliverer,
            format!("http://{addr}"),
            self.journal_capacity,
        ));
        let hosts = crate::host_check::AllowedHosts(Arc::new(self.allowed_hosts));
        let app = routes::router(Arc::clone(&shared), hosts);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    // A dropped sender stops the server too.
                    let _ = stopped.await;
                })
                .await
        });
        Ok(Emulator {
            base_url: format!("http://{addr}"),
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running presence emulator: a real HTTP server on 127.0.0.1 that serves `/v1.0/...` and
/// `/beta/...` like Microsoft Graph (see the [module docs](super) for the rules it applies).
///
/// Dropping it stops the server; [`Emulator::shutdown`] also waits until it has stopped.
#[derive(Debug)]
pub struct Emulator {
    base_url: String,
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Emulator {
    /// Starts an emulator with the defaults: an ephemeral port, a manual clock, the signed-in
    /// user [`DEFAULT_SIGNED_IN_USER`].
    ///
    /// # Errors
    ///
    /// No port can be bound on 127.0.0.1.
    pub async fn start() -> std::io::Result<Emulator> {
        EmulatorBuilder::default().start().await
    }

    /// Configures an emulator before starting it.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:PORT`, to pass to `Client::builder().base_url(..)`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The clock all expiries and timeouts are measured against.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// The user id `/me/...` stands for.
    pub fn signed_in_user(&self) -> &str {
        &self.shared.signed_in_user
    }

    /// The emulator's token signing keys as JWKS (also served at [`Emulator::jwks_url`]): give
    /// them to the webhook receiver so it trusts the `validationTokens` the emulator signs.
    pub fn jwks(&self) -> serde_json::Value {
        self.shared.deliverer.jwks()
    }

    /// `{base_url}/common/discovery/v2.0/keys`.
    pub fn jwks_url(&self) -> String {
        format!("{}/common/discovery/v2.0/keys", self.base_url)
    }

    /// `{base_url}/common/v2.0/.well-known/openid-configuration`, whose `jwks_uri` is
    /// [`Emulator::jwks_url`]: give it to a receiver's OpenID key source.
    pub fn openid_configuration_url(&self) -> String {
        format!(
            "{}/common/v2.0/.well-known/openid-configuration",
            self.base_url
        )
    }

    /// Rotates the token signing key: a new random key under a new `kid` signs from now on,
    /// and the JWKS holds only it (the old `kid` is gone). Returns the new `kid`.
    ///
    /// # Errors
    ///
    /// The key could not be generated.
    pub fn rotate_signing_key(&self) -> Result<String, String> {
        self.shared.deliverer.rotate_signing_key()
    }

    /// The notification delivery attempts the journal holds (the newest
    /// [`EmulatorBuilder::journal_capacity`]), in order of completion.
    pub fn deliveries(&self) -> Vec<DeliveryAttempt> {
        self.shared.deliverer.attempts()
    }

    /// How many older delivery attempts the journal dropped to stay within its capacity.
    pub fn deliveries_dropped(&self) -> u64 {
        self.shared.deliverer.attempts_dropped()
    }

    /// Sends a lifecycle notification (`reauthorizationRequired`, `subscriptionRemoved`,
    /// `missed`, or any other string) for a subscription; `subscriptionRemoved` also deletes
    /// it. False if there is no such subscription or it has no `lifecycleNotificationUrl`.
    pub fn send_lifecycle(&self, subscription_id: &str, event: &str) -> bool {
        subscriptions::send_lifecycle(&self.shared, subscription_id, event)
    }

    /// Sets the delivery faults of one subscription (duplicate, hold back, drop with `missed`;
    /// R11), replacing its earlier ones and restarting its generator. False for an unknown id.
    pub fn set_delivery_faults(&self, subscription_id: &str, faults: DeliveryFaults) -> bool {
        if !self
            .subscription_ids()
            .iter()
            .any(|id| id == subscription_id)
        {
            return false;
        }
        self.shared
            .deliverer
            .set_faults(subscription_id, Some(faults));
        true
    }

    /// Delivery faults for every subscription without its own, including ones created later
    /// (each draws from its own generator, seeded from `faults` and its id); `None` clears.
    pub fn set_default_delivery_faults(&self, faults: Option<DeliveryFaults>) {
        self.shared.deliverer.set_default_faults(faults);
    }

    /// Removes one subscription's own delivery faults (the default, if any, applies again).
    pub fn clear_delivery_faults(&self, subscription_id: &str) {
        self.shared.deliverer.set_faults(subscription_id, None);
    }

    /// What the delivery faults did so far to one subscription's notifications.
    pub fn delivery_fault_counts(&self, subscription_id: &str) -> FaultCounts {
        self.shared.deliverer.fault_counts(subscription_id)
    }

    /// The ids of the live subscriptions, of every application and user.
    pub fn subscription_ids(&self) -> Vec<String> {
        subscriptions::tick(&self.shared);
        self.shared
            .subscriptions
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect()
    }

    /// Applies the clock to subscriptions now: removes expired ones and sends the
    /// `reauthorizationRequired` notices due (this also happens on every request).
    pub fn tick(&self) {
        subscriptions::tick(&self.shared);
    }

    /// Queues a fault served before any handler runs (after the token check). At most 1000
    /// wait at once; beyond that the fault is not queued.
    pub fn inject_fault(&self, fault: Fault) {
        let _queued = self.shared.faults().push(fault);
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        self.shared.faults().clear();
    }

    /// The requests answered so far that the journal holds (the newest
    /// [`EmulatorBuilder::journal_capacity`]), oldest first (control endpoints excluded).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests()
    }

    /// How many older requests the journal dropped to stay within its capacity.
    pub fn requests_dropped(&self) -> u64 {
        self.shared.requests_dropped()
    }

    /// Makes `id` a known user (presence `Offline/Offline`) without calling the API; users the
    /// emulator has never seen read as `PresenceUnknown/PresenceUnknown`.
    pub fn add_user(&self, id: &str) {
        let now = self.shared.clock.now();
        self.lock_state().user_mut(id, now);
    }

    /// Sets the scheduled work location layer (calendar working hours), which has no API of its
    /// own: it shows when neither a manual nor an automatic location is set.
    ///
    /// # Errors
    ///
    /// `work_location_type` is not a `workLocationType` member.
    pub fn set_scheduled_location(
        &self,
        id: &str,
        work_location_type: &str,
        place_id: Option<&str>,
    ) -> Result<(), String> {
        let kind = rules::work_location_type(work_location_type, true)?;
        let now = self.shared.clock.now();
        self.lock_state().user_mut(id, now).scheduled_location = Some(Location {
            work_location_type: kind,
            place_id: place_id.map(str::to_owned),
        });
        Ok(())
    }

    /// The state every request shares (for the library controls in other modules).
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    fn lock_state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops accepting connections, lets open requests finish (up to 5 seconds) and waits for
    /// the server to end.
    ///
    /// # Errors
    ///
    /// The server failed while running.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(std::io::Error::other(join)),
            Err(_elapsed) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            // Without an await point, stop at once rather than waiting for open connections.
            task.abort();
        }
    }
}
