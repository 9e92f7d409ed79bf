//! Where the validation tokens' signing keys come from (R15), and the cache the token check
//! reads.
//!
//! The token check runs synchronously on the receiver's worker, so it must never wait for the
//! network. It reads the current key set under a lock held only for a lookup. A token whose
//! `kid` is not in the set is **rejected at once** and a refresh is started in the background
//! (at most one every [`UNKNOWN_KID_REFRESH`], and never two at a time); tokens that arrive
//! after the refresh pass. The trade-off: the batch that first uses a new key is lost (Graph
//! got its 202 and will not resend it). Microsoft publishes a key before signing with it and
//! the set is also refreshed daily ([`DAILY_REFRESH`]), so in practice the unknown-kid path only
//! covers a rotation between two daily refreshes. Waiting in the worker instead would stall
//! every other batch behind one hostile token naming a made-up `kid`.

use super::key_fetch::{Fetcher, KeyFetchError, MICROSOFT_IDENTITY_HOSTS};
use super::stats::Stats;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use msgraph_presence::Cloud;
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};
use std::time::Duration;
use tokio::time::Instant;

/// How often the keys are fetched again while all goes well (RICH: keys rotate daily).
pub const DAILY_REFRESH: Duration = Duration::from_secs(24 * 3600);
/// The shortest time between two refreshes caused by unknown `kid`s, so tokens with made-up
/// `kid`s cannot turn the receiver into a fetching loop against the identity platform.
pub const UNKNOWN_KID_REFRESH: Duration = Duration::from_secs(5 * 60);

/// Where a [`Receiver`](super::Receiver) gets the keys that sign validation tokens.
#[derive(Debug, Clone)]
pub struct KeySource(Kind);

#[derive(Debug, Clone)]
enum Kind {
    Fixed(JwkSet),
    OpenId {
        configuration_url: String,
        allowed_hosts: Vec<String>,
    },
}

impl KeySource {
    /// These keys, never refreshed: for tests and the emulator.
    pub fn fixed(keys: JwkSet) -> Self {
        KeySource(Kind::Fixed(keys))
    }

    /// Microsoft's identity platform of `cloud`:
    /// `https://<login host>/common/v2.0/.well-known/openid-configuration`, allowing only that
    /// cloud's login host. (Presence notifications exist only in the global cloud, R23.)
    pub fn microsoft(cloud: Cloud) -> Self {
        let host = match cloud {
            Cloud::Global => MICROSOFT_IDENTITY_HOSTS[0],
            Cloud::UsGovL4 | Cloud::UsGovL5 => MICROSOFT_IDENTITY_HOSTS[1],
            Cloud::China => MICROSOFT_IDENTITY_HOSTS[2],
        };
        KeySource(Kind::OpenId {
            configuration_url: format!(
                "https://{host}/common/v2.0/.well-known/openid-configuration"
            ),
            allowed_hosts: vec![host.to_owned()],
        })
    }

    /// Any OpenID configuration URL. Its host and its `jwks_uri`'s must be https on
    /// Microsoft's login hosts or one added with [`KeySource::allow_host`]; a configuration on
    /// loopback (`127.0.0.1`, `::1`, `localhost`, plain http allowed) may name loopback keys,
    /// which is how tests point the receiver at the emulator.
    pub fn openid_configuration(url: impl Into<String>) -> Self {
        KeySource(Kind::OpenId {
            configuration_url: url.into(),
            allowed_hosts: MICROSOFT_IDENTITY_HOSTS.map(str::to_owned).to_vec(),
        })
    }

    /// Adds a host the configuration or keys may be fetched from over https (no effect on
    /// fixed keys).
    pub fn allow_host(mut self, host: impl Into<String>) -> Self {
        if let Kind::OpenId { allowed_hosts, .. } = &mut self.0 {
            allowed_hosts.push(host.into());
        }
        self
    }
}

/// The current keys and the refreshing around them; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct KeyStore {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    current: RwLock<Arc<JwkSet>>,
    fetcher: Option<Fetcher>,
    schedule: Mutex<Schedule>,
    /// Serialises fetches, so an explicit refresh and a background one never overlap.
    fetching: tokio::sync::Mutex<()>,
    stats: Stats,
    runtime: tokio::runtime::Handle,
}

/// When refreshes may start.
#[derive(Debug, Default)]
struct Schedule {
    in_flight: bool,
    /// When the last refresh for an unknown `kid` started.
    last_unknown_kid: Option<Instant>,
}

impl Schedule {
    /// Whether an unknown `kid` seen at `now` may start a refresh (and marks it started).
    fn claim_unknown_kid(&mut self, now: Instant) -> bool {
        let recent = self
            .last_unknown_kid
            .is_some_and(|last| now.saturating_duration_since(last) < UNKNOWN_KID_REFRESH);
        if self.in_flight || recent {
            return false;
        }
        self.in_flight = true;
        self.last_unknown_kid = Some(now);
        true
    }
}

impl KeyStore {
    /// Checks the source; for an OpenID source, starts the first fetch and the daily refresh on
    /// the current tokio runtime.
    pub(crate) fn start(source: KeySource, stats: Stats) -> Result<Self, String> {
        let (keys, fetcher) = match source.0 {
            Kind::Fixed(keys) => (keys, None),
            Kind::OpenId {
                configuration_url,
                allowed_hosts,
            } => (
                JwkSet { keys: Vec::new() },
                Some(Fetcher::new(&configuration_url, allowed_hosts)?),
            ),
        };
        let store = KeyStore {
            inner: Arc::new(Inner {
                current: RwLock::new(Arc::new(keys)),
                fetcher,
                schedule: Mutex::new(Schedule::default()),
                fetching: tokio::sync::Mutex::new(()),
                stats,
                runtime: tokio::runtime::Handle::current(),
            }),
        };
        if store.inner.fetcher.is_some() {
            let weak = Arc::downgrade(&store.inner);
            store.inner.runtime.spawn(refresh_periodically(weak));
        }
        Ok(store)
    }

    /// The key named `kid`. A miss is counted and may start a background refresh; the caller
    /// rejects the token now (see the module docs for why it does not wait).
    pub(crate) fn find(&self, kid: &str) -> Option<Jwk> {
        let found = self
            .inner
            .current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .find(kid)
            .cloned();
        if found.is_none() {
            self.inner.stats.unknown_signing_key();
            self.refresh_in_background();
        }
        found
    }

    fn refresh_in_background(&self) {
        if self.inner.fetcher.is_none() {
            return;
        }
        let claimed = self
            .inner
            .schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .claim_unknown_kid(Instant::now());
        if claimed {
            let this = self.clone();
            self.inner.runtime.spawn(async move {
                let _ = this.refresh().await;
            });
        }
    }

    /// Fetches the keys now and swaps them in; on failure the current set stays. Returns the
    /// number of keys. Fixed keys are not fetched: their count is returned.
    pub(crate) async fn refresh(&self) -> Result<usize, KeyFetchError> {
        let Some(fetcher) = &self.inner.fetcher else {
            return Ok(self.current().keys.len());
        };
        let result = {
            let _one_at_a_time = self.inner.fetching.lock().await;
            fetcher.fetch().await
        };
        self.inner
            .schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .in_flight = false;
        match result {
            Ok(keys) => {
                let count = keys.keys.len();
                *self
                    .inner
                    .current
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Arc::new(keys);
                self.inner.stats.key_fetch(true);
                tracing::debug!(
                    count,
                    url = fetcher.configuration_url(),
                    "signing keys fetched"
                );
                Ok(count)
            }
            Err(error) => {
                self.inner.stats.key_fetch(false);
                tracing::warn!(%error, "signing keys not refreshed; the last good set stays");
                Err(error)
            }
        }
    }

    fn current(&self) -> Arc<JwkSet> {
        Arc::clone(
            &self
                .inner
                .current
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// How many keys are loaded.
    pub(crate) fn len(&self) -> usize {
        self.current().keys.len()
    }
}

/// Fetches at once, then daily; after a failure, again after [`UNKNOWN_KID_REFRESH`]. Ends
/// when the receiver is dropped.
async fn refresh_periodically(inner: Weak<Inner>) {
    loop {
        let Some(inner) = inner.upgrade() else {
            return;
        };
        let store = KeyStore { inner };
        let wait = match store.refresh().await {
            Ok(_) => DAILY_REFRESH,
            Err(_) => UNKNOWN_KID_REFRESH,
        };
        drop(store);
        tokio::time::sleep(wait).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_kids_refresh_once_per_interval_and_never_twice_at_once() {
        let start = Instant::now();
        let mut schedule = Schedule::default();
        assert!(schedule.claim_unknown_kid(start));
        // Concurrent misses while the first fetch runs: none starts another.
        assert!(!schedule.claim_unknown_kid(start));
        schedule.in_flight = false;
        // Done, but within five minutes: still none.
        assert!(!schedule.claim_unknown_kid(start + UNKNOWN_KID_REFRESH - Duration::from_secs(1)));
        assert!(schedule.claim_unknown_kid(start + UNKNOWN_KID_REFRESH));
    }

    #[test]
    fn microsoft_sources_name_each_clouds_login_host() {
        let url = |cloud| match KeySource::microsoft(cloud).0 {
            Kind::OpenId {
                configuration_url, ..
            } => configuration_url,
            Kind::Fixed(_) => unreachable!(),
        };
        assert_eq!(
            url(Cloud::Global),
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
        );
        assert!(url(Cloud::UsGovL5).starts_with("https://login.microsoftonline.us/"));
        assert!(url(Cloud::China).starts_with("https://login.chinacloudapi.cn/"));
    }
}
