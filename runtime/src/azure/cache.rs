//! The token cache in front of a `TokenCredential`: one scope, one token, one fetch at a time.

use super::TokenCredential;
use crate::auth::{TokenFuture, TokenProvider};
use crate::{Cloud, Error};
use azure_core::credentials::{AccessToken, Secret};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A cached token is replaced this long before it expires, so a request never leaves with a
/// token that expires in flight (and clock skew between us and Entra ID does not matter).
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(5 * 60);

/// A [`TokenProvider`] over an Azure SDK [`TokenCredential`]: asks for the cloud's Graph
/// `.default` scope ([`Cloud::default_scope`]) and reuses the token until
/// [`REFRESH_BEFORE_EXPIRY`] before it expires.
///
/// Concurrent calls that find no usable token wait for a single fetch rather than each asking
/// the credential. When Graph refuses a token (401), the client drops it from this cache and
/// sends the request once more with a fresh one. Neither `Debug`, errors nor traces show the
/// token.
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use msgraph_presence_runtime::azure::{AzureAuth, AzureCredential, credential_from};
/// use msgraph_presence_runtime::{Cloud, Runtime};
///
/// // The developer's `az login`; the builder's `token_credential` does the same in one step.
/// let credential = credential_from(AzureAuth::DeveloperTools, Cloud::Global)?;
/// let runtime = Runtime::builder()
///     .token_provider(AzureCredential::new(credential, Cloud::Global))
///     .build()?;
/// # let _ = runtime;
/// # Ok(())
/// # }
/// ```
pub struct AzureCredential {
    credential: Arc<dyn TokenCredential>,
    scope: String,
    cached: Mutex<Option<Cached>>,
    /// Held while fetching, so concurrent misses make one credential call.
    fetching: tokio::sync::Mutex<()>,
}

/// A token and when to stop using it.
struct Cached {
    token: Secret,
    expires_at: SystemTime,
}

impl Cached {
    fn usable_at(&self, now: SystemTime) -> bool {
        // Checked: a clock this close to the end of `SystemTime` has no usable token anyway.
        now.checked_add(REFRESH_BEFORE_EXPIRY)
            .is_some_and(|refresh_at| refresh_at < self.expires_at)
    }
}

impl AzureCredential {
    /// Wraps `credential`, asking it for `cloud`'s Graph scope, e.g.
    /// `https://graph.microsoft.us/.default` for [`Cloud::UsGovL4`].
    pub fn new(credential: Arc<dyn TokenCredential>, cloud: Cloud) -> Self {
        AzureCredential {
            credential,
            scope: cloud.default_scope(),
            cached: Mutex::new(None),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// The scope asked for, e.g. `https://graph.microsoft.com/.default`.
    pub fn scope(&self) -> &str {
        &self.scope
    }

    /// A usable cached token, if any.
    fn cached_token(&self) -> Option<String> {
        let cached = self.lock();
        cached
            .as_ref()
            .filter(|c| c.usable_at(SystemTime::now()))
            .map(|c| c.token.secret().to_owned())
    }

    /// The cache, even if a thread panicked while holding it: the slot is always a whole value.
    fn lock(&self) -> MutexGuard<'_, Option<Cached>> {
        self.cached.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn fetch(&self) -> Result<String, Error> {
        if let Some(token) = self.cached_token() {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
        // Another call may have fetched while this one waited.
        if let Some(token) = self.cached_token() {
            return Ok(token);
        }
        let AccessToken { token, expires_on } = self
            .credential
            .get_token(&[self.scope.as_str()], None)
            .await
            .map_err(|e| Error::Auth(describe(&e)))?;
        // Checked: the expiry is the identity service's word; one `SystemTime` cannot hold
        // counts as already expired (before the epoch, as before, too).
        let expires_at = u64::try_from(expires_on.unix_timestamp())
            .ok()
            .and_then(|secs| UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
            .unwrap_or(UNIX_EPOCH);
        tracing::debug!(
            scope = %self.scope,
            expires_in_s = expires_at
                .duration_since(SystemTime::now())
                .unwrap_or_default()
                .as_secs(),
            "fetched an access token from the Azure credential"
        );
        let value = token.secret().to_owned();
        // A token already inside the refresh window is still used for this request, but the
        // next one asks again.
        *self.lock() = Some(Cached { token, expires_at });
        Ok(value)
    }
}

impl TokenProvider for AzureCredential {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(self.fetch())
    }

    fn invalidate(&self, rejected: &str) -> bool {
        let mut cached = self.lock();
        // Only while it is still the refused token: a call that already renewed it keeps the
        // new one, so many refusals of one stale token cost a single fetch.
        if cached
            .as_ref()
            .is_some_and(|c| c.token == Secret::new(rejected.to_owned()))
        {
            *cached = None;
            tracing::debug!(scope = %self.scope, "dropped the refused access token");
        }
        true
    }
}

impl fmt::Debug for AzureCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expires_at = self.lock().as_ref().map(|c| c.expires_at);
        f.debug_struct("AzureCredential")
            .field("credential", &self.credential)
            .field("scope", &self.scope)
            .field("cached_until", &expires_at)
            .finish_non_exhaustive()
    }
}

/// An Azure SDK error with its causes, for [`Error::Auth`]: credentials put the useful part
/// (e.g. "az login has not been run") in the chain.
pub(crate) fn describe(error: &azure_core::Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_usable_until_the_refresh_window() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let cached = |left| Cached {
            token: Secret::new("t"),
            expires_at: now + left,
        };
        assert!(cached(Duration::from_secs(3600)).usable_at(now));
        assert!(cached(REFRESH_BEFORE_EXPIRY + Duration::from_secs(1)).usable_at(now));
        assert!(!cached(REFRESH_BEFORE_EXPIRY).usable_at(now));
        assert!(!cached(Duration::from_secs(60)).usable_at(now));
    }
}
