//! Where the validation tokens' signing keys come from (R15), and the cache the token check
//! reads.
//!
//! The token check runs synchronously, on the receiver's checking threads (one per core, off
//! the async executor). It reads the current key set under a lock held only for a lookup. A
//! token whose `kid` is not in the set starts a refresh (at most one every
//! [`UNKNOWN_KID_REFRESH`], and never two at a time), and the checking thread **waits for that
//! refresh** (at most [`UNKNOWN_KID_WAIT`]) and looks again, so the batch that first uses a new
//! key is not lost: Graph got its 202 and would not resend it. The cost is bounded: one
//! thread waits for one fetch per five minutes, whatever `kid`s hostile tokens make up; an
//! unknown `kid` seen when no refresh may start is rejected at once. The set is also
//! refreshed daily ([`DAILY_REFRESH`]). Only the checking threads wait
//! ([`with_waiting_allowed`]); anywhere else a miss is rejected at once and the refresh runs in
//! the background.

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
/// The longest a checking thread waits for the refresh an unknown `kid` started: the fetch's
/// own timeout, plus a little.
pub const UNKNOWN_KID_WAIT: Duration = Duration::from_secs(11);

thread_local! {
    /// Set on the receiver's checking threads, where blocking for a key refresh is allowed.
    static MAY_WAIT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` on this thread with waiting for a key refresh allowed (the checking threads only:
/// never an async executor's thread).
pub(crate) fn with_waiting_allowed<T>(f: impl FnOnce() -> T) -> T {
    let before = MAY_WAIT.with(|w| w.replace(true));
    let out = f();
    MAY_WAIT.with(|w| w.set(before));
    out
}

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
    /// Counts finished refreshes (good or bad), so a waiting checker knows when to look again.
    refreshed: (Mutex<u64>, std::sync::Condvar),
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
                refreshed: (Mutex::new(0), std::sync::Condvar::new()),
            }),
        };
        if store.inner.fetcher.is_some() {
            let weak = Arc::downgrade(&store.inner);
            store.inner.runtime.spawn(refresh_periodically(weak));
        }
        Ok(store)
    }

    /// The key named `kid`. On a miss a refresh may start (see the module docs); on a checking
    /// thread the call waits for a refresh in flight and looks again. A final miss is counted.
    pub(crate) fn find(&self, kid: &str) -> Option<Jwk> {
        // The hit is the hot path: one read lock, nothing else.
        if let Some(found) = self.lookup(kid) {
            return Some(found);
        }
        // A miss: note which refreshes have finished, then look again, so a refresh that ended
        // between the two lookups is seen, and one that ends later wakes the wait below.
        let generation = self.generation();
        if let Some(found) = self.lookup(kid) {
            return Some(found);
        }
        let in_flight = self.refresh_in_background();
        let found = if in_flight && MAY_WAIT.with(std::cell::Cell::get) {
            self.wait_for_refresh_after(generation);
            self.lookup(kid)
        } else {
            None
        };
        if found.is_none() {
            self.inner.stats.unknown_signing_key();
        }
        found
    }

    fn lookup(&self, kid: &str) -> Option<Jwk> {
        self.inner
            .current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .find(kid)
            .cloned()
    }

    fn generation(&self) -> u64 {
        *self
            .inner
            .refreshed
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until a refresh finished after `generation` was read, or [`UNKNOWN_KID_WAIT`].
    fn wait_for_refresh_after(&self, generation: u64) {
        let (count, done) = &self.inner.refreshed;
        let guard = count.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = done
            .wait_timeout_while(guard, UNKNOWN_KID_WAIT, |now| *now == generation)
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Starts a refresh for an unknown `kid` when the schedule allows; whether one is in flight
    /// (started now or earlier).
    fn refresh_in_background(&self) -> bool {
        if self.inner.fetcher.is_none() {
            return false;
        }
        let mut schedule = self
            .inner
            .schedule
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let already = schedule.in_flight;
        let claimed = schedule.claim_unknown_kid(Instant::now());
        drop(schedule);
        if claimed {
            let this = self.clone();
            self.inner.runtime.spawn(async move {
                let _ = this.refresh().await;
            });
        }
        claimed || already
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
        // Wake the checkers waiting below once the outcome is in place.
        let _wake = WakeOnDrop(&self.inner.refreshed);
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

/// Counts a finished refresh and wakes the waiting checkers when dropped (after the new set,
/// if any, was swapped in).
struct WakeOnDrop<'a>(&'a (Mutex<u64>, std::sync::Condvar));

impl Drop for WakeOnDrop<'_> {
    fn drop(&mut self) {
        let (count, done) = self.0;
        *count.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        done.notify_all();
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
