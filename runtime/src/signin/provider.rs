//! [`SignIn`]: signs a user in (device code, or a browser with PKCE), keeps the refresh token
//! in the [`TokenCache`], and hands out access tokens renewed ahead of their expiry.

use super::cache::{CacheKey, TokenCache};
use super::error::SignInError;
use super::secret::Secret;
use super::wire::{self, TokenReply};
use crate::{Cloud, Error, Sleeper, TokenFuture, TokenProvider};
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::time::Duration;

/// The current time; injectable so a test can run weeks of expiries on an emulated clock.
pub type TimeSource = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// Renew this long before the access token expires, so a request never leaves with a token
/// that dies in flight.
const RENEW_AHEAD: SignedDuration = SignedDuration::from_mins(5);

/// RFC 8628 §3.5: each `slow_down` adds five seconds to the polling interval.
const SLOW_DOWN_STEP: u64 = 5;

/// Where and as whom to sign in.
#[derive(Debug, Clone)]
pub struct SignInConfig {
    authority: String,
    tenant: String,
    client_id: String,
    scopes: Vec<String>,
    user: Option<String>,
    cache: TokenCache,
}

impl SignInConfig {
    /// Sign-in to `cloud`'s identity platform for `tenant` (id, domain or `organizations`) as
    /// the public client `client_id`, asking for `Presence.Read.All` on the cloud's Graph.
    pub fn new(
        cloud: Cloud,
        tenant: impl Into<String>,
        client_id: impl Into<String>,
        cache: TokenCache,
    ) -> Self {
        SignInConfig {
            authority: authority_of(cloud).to_owned(),
            tenant: tenant.into(),
            client_id: client_id.into(),
            scopes: vec![format!("{}/Presence.Read.All", cloud.base_url())],
            user: None,
            cache,
        }
    }

    /// Another authority host (an emulator on loopback, in tests).
    pub fn authority(mut self, authority: impl Into<String>) -> Self {
        self.authority = authority.into().trim_end_matches('/').to_owned();
        self
    }

    /// The Graph scopes to ask for (`offline_access` and `openid profile` are always added).
    pub fn scopes<I: IntoIterator<Item = S>, S: Into<String>>(mut self, scopes: I) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Use this user's cache entry when several users signed in with the same app.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// The Graph scopes asked for (without the `offline_access openid profile` always added).
    pub fn requested_scopes(&self) -> &[String] {
        &self.scopes
    }

    /// The cache the refresh token lives in.
    pub fn cache(&self) -> &TokenCache {
        &self.cache
    }

    pub(crate) fn endpoint(&self, name: &str) -> String {
        format!("{}/{}/oauth2/v2.0/{name}", self.authority, self.tenant)
    }

    pub(crate) fn scope_param(&self) -> String {
        let mut scopes = self.scopes.clone();
        for extra in ["offline_access", "openid", "profile"] {
            if !scopes.iter().any(|s| s == extra) {
                scopes.push(extra.to_owned());
            }
        }
        scopes.join(" ")
    }

    pub(crate) fn client_id(&self) -> &str {
        &self.client_id
    }
}

/// The identity platform host of each cloud (FACTS: L4 and L5 share one).
fn authority_of(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Global => "https://login.microsoftonline.com",
        Cloud::UsGovL4 | Cloud::UsGovL5 => "https://login.microsoftonline.us",
        Cloud::China => "https://login.chinacloudapi.cn",
    }
}

/// What to show the user during a device-code sign-in.
#[derive(Debug, Clone)]
pub struct DeviceCodeMessage {
    /// The platform's own instructions (URL and code), ready to print.
    pub message: String,
    /// The code to type.
    pub user_code: String,
    /// Where to type it.
    pub verification_uri: String,
}

/// A signed-in account (the cache key).
pub type Account = CacheKey;

struct State {
    access: Option<(Secret, Timestamp)>,
}

/// Delegated sign-in with a persistent refresh token; a [`TokenProvider`].
///
/// Renewals are serialised by one async mutex, so many concurrent requests with an expired
/// token cause one refresh, and the rotated refresh token is saved before anyone else reads it.
pub struct SignIn {
    config: SignInConfig,
    http: reqwest::Client,
    now: TimeSource,
    sleeper: Sleeper,
    state: tokio::sync::Mutex<State>,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("config", &self.config)
            .field("tokens", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl SignIn {
    /// A sign-in over a default HTTP client, the system clock and tokio's timers.
    pub fn new(config: SignInConfig) -> Self {
        SignIn {
            config,
            http: reqwest::Client::new(),
            now: Arc::new(Timestamp::now),
            sleeper: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            state: tokio::sync::Mutex::new(State { access: None }),
        }
    }

    /// Use this HTTP client for the identity platform.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Measure token expiry against this clock.
    pub fn time_source(mut self, now: TimeSource) -> Self {
        self.now = now;
        self
    }

    /// Wait between device-code polls with this sleeper.
    pub fn sleeper(mut self, sleeper: Sleeper) -> Self {
        self.sleeper = sleeper;
        self
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The configuration.
    pub fn config(&self) -> &SignInConfig {
        &self.config
    }

    /// Runs a device-code sign-in: `on_message` gets the text for the user, then the token
    /// endpoint is polled until the user finishes, declines, or the code expires.
    pub async fn sign_in_with_device_code(
        &self,
        on_message: impl FnOnce(&DeviceCodeMessage),
    ) -> Result<Account, SignInError> {
        let config = &self.config;
        let start = wire::device_authorization(
            &self.http,
            &config.endpoint("devicecode"),
            &config.client_id,
            &config.scope_param(),
        )
        .await?;
        on_message(&DeviceCodeMessage {
            message: start.message.clone().unwrap_or_else(|| {
                format!(
                    "To sign in, open {} and enter the code {}.",
                    start.verification_uri, start.user_code
                )
            }),
            user_code: start.user_code.clone(),
            verification_uri: start.verification_uri.clone(),
        });
        let mut interval = start.interval;
        // Waited time is summed rather than read from a clock, so an injected sleeper that does
        // not really sleep still ends the loop at `expires_in`.
        let mut waited = 0u64;
        loop {
            if waited >= start.expires_in {
                return Err(SignInError::Expired);
            }
            (self.sleeper)(Duration::from_secs(interval)).await;
            waited += interval;
            let form = [
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("client_id", config.client_id.as_str()),
                ("device_code", start.device_code.expose()),
            ];
            match wire::token(&self.http, &config.endpoint("token"), &form).await? {
                TokenReply::Token(answer) => return self.accept(answer, None).await,
                TokenReply::Error { code, description } => match code.as_str() {
                    "authorization_pending" => {}
                    "slow_down" => interval += SLOW_DOWN_STEP,
                    "expired_token" => return Err(SignInError::Expired),
                    "authorization_declined" | "access_denied" => {
                        return Err(SignInError::Declined);
                    }
                    "bad_verification_code" => return Err(SignInError::BadVerificationCode),
                    _ => return Err(SignInError::OAuth { code, description }),
                },
            }
        }
    }

    /// Saves a fresh sign-in: the refresh token to the cache, the access token in memory.
    pub(crate) async fn accept(
        &self,
        answer: wire::TokenAnswer,
        previous: Option<&CacheKey>,
    ) -> Result<Account, SignInError> {
        let key = CacheKey {
            authority: self.config.authority.clone(),
            tenant: self.config.tenant.clone(),
            client_id: self.config.client_id.clone(),
            user: wire::user_of(answer.id_token.as_deref())
                .or_else(|| previous.map(|p| p.user.clone()))
                .or_else(|| self.config.user.clone())
                .unwrap_or_else(|| "unknown".to_owned()),
        };
        let Some(refresh) = answer.refresh_token else {
            return Err(SignInError::OAuth {
                code: "no_refresh_token".into(),
                description: "the answer had no refresh token (was offline_access granted?)".into(),
            });
        };
        self.config.cache.store(&key, &refresh)?;
        let expires = (self.now)() + SignedDuration::from_secs(answer.expires_in as i64);
        self.state.lock().await.access = Some((answer.access_token, expires));
        Ok(key)
    }

    /// An access token valid for at least a few more minutes, renewed from the cached refresh
    /// token when needed.
    pub async fn access_token(&self) -> Result<Secret, SignInError> {
        self.access_token_until().await.map(|(token, _)| token)
    }

    /// Like [`Self::access_token`], with the time the token expires (what a
    /// `TokenCredential` has to report).
    pub async fn access_token_until(&self) -> Result<(Secret, Timestamp), SignInError> {
        let mut state = self.state.lock().await;
        let now = (self.now)();
        if let Some((token, expires)) = &state.access
            && *expires - RENEW_AHEAD > now
        {
            return Ok((token.clone(), *expires));
        }
        state.access = None;
        let config = &self.config;
        let entry = config
            .cache
            .find(
                &config.authority,
                &config.tenant,
                &config.client_id,
                config.user.as_deref(),
            )?
            .ok_or(SignInError::NotSignedIn)?;
        let scope = config.scope_param();
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", config.client_id.as_str()),
            ("refresh_token", entry.refresh_token.expose()),
            ("scope", scope.as_str()),
        ];
        match wire::token(&self.http, &config.endpoint("token"), &form).await? {
            TokenReply::Token(answer) => {
                // Keep the newest refresh token; a platform that did not rotate keeps the old.
                let refresh = answer.refresh_token.clone().unwrap_or(entry.refresh_token);
                config.cache.store(&entry.key, &refresh)?;
                let expires = now + SignedDuration::from_secs(answer.expires_in as i64);
                state.access = Some((answer.access_token.clone(), expires));
                tracing::debug!(user = %entry.key.user, expires = %expires, "access token renewed");
                Ok((answer.access_token, expires))
            }
            TokenReply::Error { code, description }
                if code == "invalid_grant" || code == "interaction_required" =>
            {
                tracing::warn!(
                    user = %entry.key.user,
                    code = %code,
                    description = %description,
                    "the refresh token was refused: sign in again"
                );
                Err(SignInError::SignInAgain { code, description })
            }
            TokenReply::Error { code, description } => {
                Err(SignInError::OAuth { code, description })
            }
        }
    }

    /// The cached account for this configuration, if any.
    pub fn account(&self) -> Result<Option<Account>, SignInError> {
        let config = &self.config;
        Ok(config
            .cache
            .find(
                &config.authority,
                &config.tenant,
                &config.client_id,
                config.user.as_deref(),
            )?
            .map(|entry| entry.key))
    }

    /// Forgets the sign-in (cache entries and the in-memory token); returns how many entries.
    pub async fn sign_out(&self) -> Result<usize, SignInError> {
        self.state.lock().await.access = None;
        let config = &self.config;
        Ok(config
            .cache
            .remove(&config.authority, &config.tenant, &config.client_id)?)
    }
}

impl TokenProvider for SignIn {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move {
            self.access_token()
                .await
                .map(|token| token.expose().to_owned())
                .map_err(|error| {
                    // Typed, so a watcher stops instead of retrying a dead refresh token.
                    if error.needs_sign_in() {
                        Error::SignInAgain(error.to_string())
                    } else {
                        Error::Auth(error.to_string())
                    }
                })
        })
    }

    fn invalidate(&self, rejected: &str) -> bool {
        // A refresh already in flight holds the lock and will give a new token anyway.
        let Ok(mut state) = self.state.try_lock() else {
            return true;
        };
        if state
            .access
            .as_ref()
            .is_some_and(|(token, _)| token.expose() == rejected)
        {
            state.access = None;
        }
        true
    }
}
