//! A webhook receiver for presence change notifications, as an axum [`Router`](axum::Router) to mount at
//! the subscription's `notificationUrl` (and `lifecycleNotificationUrl`).
//!
//! ```no_run
//! # async fn demo(key: msgraph_presence_notifications::crypto::PrivateKey) -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_presence::Cloud;
//! use msgraph_presence_notifications::ClientStates;
//! use msgraph_presence_notifications::receiver::{KeySource, Notification, Receiver};
//! // Shared with the manager (`PresenceSubscriptions::builder(..).client_states(..)`).
//! let client_states = ClientStates::new();
//! let mut receiver = Receiver::builder()
//!     .app_id("my-app-id")
//!     .client_states(client_states.clone())
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
//! - Workers then check each item (on blocking threads, one per core; verdicts reach the
//!   application in the order the bodies were accepted): `clientState` (constant time), every `validationTokens`
//!   JWT, the certificate id, `dataSignature` before decryption, and that the payload is a
//!   presence of the user `resourceData.id` names. Failing items are counted in [`Stats`] and
//!   never reach the application; each batch gets one summary line in `tracing` (escaped,
//!   rate-limited), never one per item.
//! - The `clientState` is compared with the item's own subscription's value
//!   ([`ClientStates`](crate::ClientStates)); a rich item accepted once is dropped as a
//!   duplicate if replayed within the window; an optional tenant allow-list applies to all.

mod body;
mod escape;
mod events;
mod http;
mod key_checks;
mod key_fetch;
mod keys;
mod log_summary;
mod pool;
mod replay;
mod stats;
mod tenants;
mod tokens;
mod warn_limit;
mod worker;

pub use crate::lifecycle::LifecycleEvent;
pub use events::{LifecycleNotification, Notification, PresenceChange, PresenceResource};
pub use jsonwebtoken::jwk::JwkSet;
pub use key_checks::{RSA_KEY_BITS, certificate_thumbprint};
pub use key_fetch::KeyFetchError;
pub use keys::{DAILY_REFRESH, KeySource, UNKNOWN_KID_REFRESH, UNKNOWN_KID_WAIT};
pub use replay::{DEFAULT_REPLAY_CAPACITY, DEFAULT_REPLAY_LIFETIME};
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

/// The default body limit: room for one batch of 650 rich items, the most one subscription
/// watches (R2). One item's worst case, in bytes of JSON: the encrypted full presence (R16,
/// a plaintext of up to 4 KiB with status and out-of-office messages) is 4 112 bytes of
/// AES-CBC, 5 484 in base64; `dataKey` under a 4 096-bit RSA key is 684; `dataSignature` 44;
/// `clientState` up to 128, ids, `resource`, `resourceData`, timestamps and field names
/// about 1 000. So about 7.4 KiB an item, 4.8 MiB for 650, plus a validation token (about
/// 1.5 KiB) per tenant; 8 MiB leaves room for JSON escaping. The old 1 MiB limit refused
/// such a batch for good (Graph retries the same body).
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// What the HTTP side and the worker share.
pub(crate) struct Shared {
    /// `None` only when the application opted out (`without_client_state`).
    pub client_states: Option<crate::client_states::ClientStates>,
    pub certificates: Vec<(String, PrivateKey)>,
    pub tokens: tokens::TokenPolicy,
    pub version: ApiVersion,
    pub queue: mpsc::Sender<ChangeNotificationCollection>,
    pub stats: Stats,
    /// Rate limits for warnings an unauthenticated sender can trigger (F10).
    pub warnings: warn_limit::WarnLimit,
    /// Rich notifications accepted lately, to drop replays (issue 22 item 6).
    pub replay: replay::ReplayWindow,
    /// Tenants whose items may pass; empty: any.
    pub tenants: Vec<String>,
    /// Certificate id → expected `encryptionCertificateThumbprint`.
    pub thumbprints: Vec<(String, String)>,
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
    /// No clientState source: neither `client_states`, `client_state` nor
    /// `without_client_state` was called.
    #[error(
        "Receiver::builder() needs a clientState source: client_states(registry), client_state(value), \
         or an explicit without_client_state()"
    )]
    NoClientState,
    /// A `client_state` value below the entropy floor.
    #[error(transparent)]
    WeakClientState(#[from] crate::client_states::WeakClientState),
    /// A certificate's private key is not 2048 to 4096 bits long (RICH, R14).
    #[error("the key of certificate {id} has {bits} bits; Graph takes 2048 to 4096")]
    KeySize {
        /// The certificate id.
        id: String,
        /// The key's size.
        bits: usize,
    },
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
    registry: Option<crate::client_states::ClientStates>,
    without_client_state: bool,
    certificates: Vec<(String, PrivateKey)>,
    keys: Option<KeySource>,
    no_rich: bool,
    version: ApiVersion,
    max_body_bytes: Option<usize>,
    capacity: Option<usize>,
    replay: Option<(usize, std::time::Duration)>,
    tenants: Vec<String>,
    thumbprints: Vec<(String, String)>,
}

impl ReceiverBuilder {
    /// An app id the validation tokens may be issued to (`aud`); call again for several apps.
    pub fn app_id(mut self, id: impl Into<String>) -> Self {
        self.app_ids.push(id.into());
        self
    }

    /// A `clientState` value accepted for every subscription; call again for each. Prefer
    /// [`client_states`](Self::client_states), which binds each value to its subscription.
    /// The value must pass [`ClientStates::is_strong`](crate::client_states::ClientStates::is_strong)
    /// (checked by `build`).
    pub fn client_state(mut self, value: impl Into<String>) -> Self {
        self.client_states.push(value.into());
        self
    }

    /// The registry the subscription manager writes (subscription id → `clientState`, issue 22
    /// item 4): each item's value is compared with its own subscription's.
    pub fn client_states(mut self, registry: crate::client_states::ClientStates) -> Self {
        self.registry = Some(registry);
        self
    }

    /// Accept items without any `clientState` check (items that carry one are dropped). Only
    /// for subscriptions made without a `clientState`; without this call, a receiver with no
    /// clientState source does not build.
    pub fn without_client_state(mut self) -> Self {
        self.without_client_state = true;
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

    /// Largest body accepted (default [`DEFAULT_MAX_BODY_BYTES`], 8 MiB); larger ones get 413,
    /// counted in [`Counts::too_large`].
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

    /// A tenant whose notifications are accepted; call again for each. Once one is given,
    /// items of any other tenant (or none) are dropped as [`Rejection::Tenant`]. Without any,
    /// every tenant passes (set one in production, as Microsoft's own helper requires).
    pub fn tenant(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenants.push(tenant_id.into());
        self
    }

    /// The thumbprint of certificate `id` (see [`certificate_thumbprint`]): items naming that
    /// id with another `encryptionCertificateThumbprint` are dropped as
    /// [`Rejection::UnknownCertificate`] before any decryption.
    pub fn certificate_thumbprint(
        mut self,
        id: impl Into<String>,
        thumbprint: impl Into<String>,
    ) -> Self {
        self.thumbprints.push((id.into(), thumbprint.into()));
        self
    }

    /// The replay window: a rich notification accepted once is dropped as
    /// [`Rejection::Duplicate`] if it arrives again (same subscription id, same encrypted data)
    /// within `lifetime`. At most `capacity` are remembered (32-byte digests), the oldest
    /// forgotten first. Defaults: [`DEFAULT_REPLAY_CAPACITY`] (100 000) and
    /// [`DEFAULT_REPLAY_LIFETIME`] (24 h and a minute, a validation token's life).
    pub fn replay_window(mut self, capacity: usize, lifetime: std::time::Duration) -> Self {
        self.replay = Some((capacity, lifetime));
        self
    }

    /// Starts the checking workers (one per core, on tokio's blocking threads) on the current
    /// tokio runtime.
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
        let max_body = self.max_body_bytes.unwrap_or(DEFAULT_MAX_BODY_BYTES);
        if capacity == 0 {
            return Err(BuildError::Zero("capacity"));
        }
        if max_body == 0 {
            return Err(BuildError::Zero("max_body_bytes"));
        }
        for (id, key) in &self.certificates {
            let bits = key.size_bits();
            if !RSA_KEY_BITS.contains(&bits) {
                return Err(BuildError::KeySize {
                    id: id.clone(),
                    bits,
                });
            }
        }
        let client_states = match (self.registry, self.client_states.is_empty()) {
            (None, true) if self.without_client_state => None,
            (None, true) => return Err(BuildError::NoClientState),
            (registry, _) => {
                let registry = registry.unwrap_or_default();
                for value in &self.client_states {
                    registry.insert_for_any(value)?;
                }
                Some(registry)
            }
        };
        let (replay_capacity, replay_lifetime) = self
            .replay
            .unwrap_or((DEFAULT_REPLAY_CAPACITY, DEFAULT_REPLAY_LIFETIME));
        if replay_capacity == 0 {
            return Err(BuildError::Zero("replay_window capacity"));
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
            client_states,
            certificates: self.certificates,
            tokens: tokens::TokenPolicy {
                keys: keys.clone(),
                audiences: self.app_ids,
                now: self.now.unwrap_or_else(|| Arc::new(jiff::Timestamp::now)),
            },
            version: self.version,
            queue,
            stats: stats.clone(),
            warnings: warn_limit::WarnLimit::default(),
            replay: replay::ReplayWindow::new(replay_capacity, replay_lifetime),
            tenants: self.tenants,
            thumbprints: self.thumbprints,
        });
        pool::start(
            Arc::clone(&shared),
            queued,
            events_tx,
            pool::default_workers(),
        );
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

    /// The next checked notification (`None` only if the checking workers have stopped).
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
            .field("registry", &self.registry)
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
            .field("client_states", &self.client_states)
            .field("certificates", &self.certificates.len())
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}
