//! A webhook receiver for presence change notifications, as an axum [`Router`](axum::Router) to mount at
//! the subscription's `notificationUrl` (and `lifecycleNotificationUrl`).
//!
//! ```no_run
//! # async fn demo(key: msgraph_presence_notifications::crypto::PrivateKey) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_presence::Cloud;
//! use msgraph_presence_notifications::receiver::{KeySource, Notification, Receiver};
//! let mut receiver = Receiver::builder()
//!     .app_id("my-app-id")
//!     .client_state("a-secret-per-subscription")
//!     .certificate("my-cert-id", key)
//!     // Microsoft's signing keys, fetched now, daily and on an unknown kid.
//!     .key_source(KeySource::microsoft(Cloud::Global))
//!     .build()?;
//! receiver.refresh_keys().await?;
//! let app = axum::Router::new().nest("/notifications", receiver.router());
//! # let _ = app;
//! while let Some(Notification::Presence(change)) = receiver.next().await {
//!     println!("{} is {:?}", change.user_id, change.presence.availability());
//! }
//! # Ok(()) }
//! ```
//!
//! Behaviour (SUBSCRIPTIONS.md R8, R10, R13, R15-R18):
//! - `?validationToken=...` is echoed at once as `200 text/plain`.
//! - A body over the size limit gets `413`, one that is not a `changeNotificationCollection`
//!   `400`; a parsed body is queued and answered `202` before any check, `503` if the queue is
//!   full (Graph then retries).
//! - A worker then checks each item: `clientState` (constant time), every `validationTokens`
//!   JWT, the certificate id, `dataSignature` before decryption, and that the payload is a
//!   presence of the user `resourceData.id` names. Failing items are logged with `tracing`,
//!   counted in [`Stats`] and never reach the application.

mod body;
mod events;
mod http;
mod key_fetch;
mod keys;
mod stats;
mod tokens;
mod worker;

pub use crate::lifecycle::LifecycleEvent;
pub use events::{LifecycleNotification, Notification, PresenceChange, PresenceResource};
pub use jsonwebtoken::jwk::JwkSet;
pub use key_fetch::KeyFetchError;
pub use keys::{DAILY_REFRESH, KeySource, UNKNOWN_KID_REFRESH};
pub use stats::{Counts, Rejection, Stats};
pub use tokens::CHANGE_TRACKING_APP_ID;

use crate::crypto::PrivateKey;
use msgraph_presence::v1_0::models::ChangeNotificationCollection;
use std::sync::Arc;
use tokio::sync::mpsc;

/// The API version the subscriptions were made on: it picks the generated `Presence` model.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ApiVersion {
    /// `/v1.0` (the default).
    #[default]
    V1_0,
    /// `/beta`.
    Beta,
}

/// What the HTTP side and the worker share.
pub(crate) struct Shared {
    pub client_states: Vec<String>,
    pub certificates: Vec<(String, PrivateKey)>,
    pub tokens: tokens::TokenPolicy,
    pub version: ApiVersion,
    pub queue: mpsc::Sender<ChangeNotificationCollection>,
    pub stats: Stats,
}

/// The configuration is incomplete.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BuildError {
    /// No `app_id`: validation tokens could not be checked for their audience.
    #[error("Receiver::builder() needs at least one app_id (the validation tokens' audience)")]
    NoAppId,
    /// No `certificate`: rich notifications could not be decrypted.
    #[error("Receiver::builder() needs at least one certificate (id and private key)")]
    NoCertificate,
    /// A capacity or size of zero.
    #[error("{0} must be greater than zero")]
    Zero(&'static str),
    /// Neither `keys`/`key_source` nor `without_rich_notifications`: every rich notification
    /// would be acknowledged and then dropped, silently.
    #[error(
        "Receiver::builder() needs a key source for validation tokens (key_source(KeySource::microsoft(Cloud::Global)), or keys(..) in tests), or without_rich_notifications()"
    )]
    NoKeySource,
    /// The key source is unusable (e.g. its URL is not on the identity-host allow-list).
    #[error("key source: {0}")]
    KeySource(String),
}

/// Configures a [`Receiver`].
#[derive(Default)]
pub struct ReceiverBuilder {
    now: Option<tokens::Now>,
    app_ids: Vec<String>,
    client_states: Vec<String>,
    certificates: Vec<(String, PrivateKey)>,
    keys: Option<KeySource>,
    no_rich: bool,
    version: ApiVersion,
    max_body_bytes: Option<usize>,
    capacity: Option<usize>,
}

impl ReceiverBuilder {
    /// An app id the validation tokens may be issued to (`aud`); call again for several apps.
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_ids.push(id.into());
        self
    }

    /// A `clientState` value the subscriptions were created with; call again for each.
    pub fn client_state(mut self, value: impl Into<String>) -> Self {
        self.client_states.push(value.into());
        self
    }

    /// The private key for an `encryptionCertificateId`; keep old ones while rotating.
    pub fn certificate(mut self, id: impl Into<String>, key: PrivateKey) -> Self {
        self.certificates.push((id.into(), key));
        self
    }

    /// Fixed signing keys (JWKS) for the validation tokens, never refreshed: for tests and the
    /// emulator. Same as `key_source(KeySource::fixed(keys))`.
    pub fn keys(self, keys: JwkSet) -> Self {
        self.key_source(KeySource::fixed(keys))
    }

    /// Where the validation tokens' signing keys come from. In production,
    /// [`KeySource::microsoft`]: fetched at build, daily, and on an unknown `kid` (see
    /// [`KeySource`]). One of this, [`keys`](Self::keys) or
    /// [`without_rich_notifications`](Self::without_rich_notifications) is required.
    pub fn key_source(mut self, source: KeySource) -> Self {
        self.keys = Some(source);
        self
    }

    /// Says the application takes no rich notifications (lifecycle ones only), so no key
    /// source is needed: every item with `encryptedContent` is then rejected as
    /// [`Rejection::ValidationToken`]. Without it, a missing key source is
    /// [`BuildError::NoKeySource`].
    pub fn without_rich_notifications(mut self) -> Self {
        self.no_rich = true;
        self
    }

    /// The clock validation tokens' `exp` and `nbf` are checked against (default: the system
    /// clock). Tests against an emulator whose clock runs ahead pass the emulator's clock.
    pub fn clock(mut self, now: impl Fn() -> jiff::Timestamp + Send + Sync + 'static) -> Self {
        self.now = Some(Arc::new(now));
        self
    }

    /// The API version of the subscriptions (default v1.0).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = version;
        self
    }

    /// Largest body accepted (default 1 MiB); larger ones get 413.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = Some(bytes);
        self
    }

    /// How many notifications may wait for the application, and how many request bodies for
    /// the checker (default 1024 each).
    pub fn capacity(mut self, capacity: usize) -> Self {
        self.capacity = Some(capacity);
        self
    }

    /// Starts the checking worker on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// No app id, no certificate, no key source (unless opted out), an unusable key source, or a
    /// zero size.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime (as `tokio::spawn` does).
    pub fn build(self) -> Result<Receiver, BuildError> {
        if self.app_ids.is_empty() {
            return Err(BuildError::NoAppId);
        }
        if self.certificates.is_empty() {
            return Err(BuildError::NoCertificate);
        }
        let capacity = self.capacity.unwrap_or(1024);
        let max_body = self.max_body_bytes.unwrap_or(1024 * 1024);
        if capacity == 0 {
            return Err(BuildError::Zero("capacity"));
        }
        if max_body == 0 {
            return Err(BuildError::Zero("max_body_bytes"));
        }
        let source = match (self.keys, self.no_rich) {
            (Some(source), _) => source,
            (None, true) => KeySource::fixed(JwkSet { keys: Vec::new() }),
            (None, false) => return Err(BuildError::NoKeySource),
        };
        let stats = Stats::new();
        let keys = keys::KeyStore::start(source, stats.clone()).map_err(BuildError::KeySource)?;
        let (queue, queued) = mpsc::channel(capacity);
        let (events_tx, events) = mpsc::channel(capacity);
        let shared = Arc::new(Shared {
            client_states: self.client_states,
            certificates: self.certificates,
            tokens: tokens::TokenPolicy {
                keys: keys.clone(),
                audiences: self.app_ids,
                now: self.now.unwrap_or_else(|| Arc::new(jiff::Timestamp::now)),
            },
            version: self.version,
            queue,
            stats: stats.clone(),
        });
        tokio::spawn(worker::run(Arc::clone(&shared), queued, events_tx));
        Ok(Receiver {
            router: http::router(shared, max_body),
            events,
            stats,
            keys,
        })
    }
}

/// A running receiver: its [`router`](Receiver::router) takes the POSTs, [`next`](Receiver::next)
/// yields what passed every check.
#[derive(Debug)]
pub struct Receiver {
    router: axum::Router,
    events: mpsc::Receiver<Notification>,
    stats: Stats,
    keys: keys::KeyStore,
}

impl Receiver {
    /// Configures a receiver.
    pub fn builder() -> ReceiverBuilder {
        ReceiverBuilder::default()
    }

    /// The routes to mount (it answers `POST /`; nest it at the notification path).
    pub fn router(&self) -> axum::Router {
        self.router.clone()
    }

    /// The next checked notification (`None` only if the checking worker has stopped).
    pub async fn next(&mut self) -> Option<Notification> {
        self.events.recv().await
    }

    /// The counters (delivered, rejected by reason, refused bodies).
    pub fn stats(&self) -> Stats {
        self.stats.clone()
    }

    /// Fetches the signing keys now (an OpenID [`KeySource`]) and returns how many were loaded;
    /// on failure the keys already loaded stay. An application can await it after
    /// [`build`](ReceiverBuilder::build) to know the key source works before subscribing.
    /// Fixed keys are not fetched: their count is returned.
    ///
    /// # Errors
    ///
    /// The configuration or key set could not be fetched or read ([`KeyFetchError`]).
    pub async fn refresh_keys(&self) -> Result<usize, KeyFetchError> {
        self.keys.refresh().await
    }
}

impl std::fmt::Debug for ReceiverBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReceiverBuilder")
            .field("app_ids", &self.app_ids)
            .field("client_states", &self.client_states.len())
            .field("certificates", &self.certificates.len())
            .field("keys", &self.keys)
            .field("no_rich", &self.no_rich)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("client_states", &self.client_states.len())
            .field("certificates", &self.certificates.len())
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}
