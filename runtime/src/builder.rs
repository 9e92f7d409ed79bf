//! Configures a client: the connection settings every version's client shares.

use crate::{
    Cloud, Error, RetryPolicy, Runtime, SleepFuture, Sleeper, StaticToken, TokenProvider, token_fn,
};
use reqwest::header::HeaderMap;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

/// Builder of a client: cloud or base URL, token, timeout, retries, default headers.
///
/// `C` is what [`ClientBuilder::build`] returns: the [`Runtime`] itself by default, or a client
/// that wraps one (`msgraph_presence::ClientBuilder` is this builder with `C =
/// msgraph_presence::Client`), so the settings live here once for every client.
pub struct ClientBuilder<C = Runtime> {
    cloud: Option<Cloud>,
    base_url: Option<String>,
    token: Option<TokenSource>,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
    retry: Option<RetryPolicy>,
    headers: HeaderMap,
    /// The first bad header given to [`ClientBuilder::header`], reported by `build`.
    header_error: Option<Error>,
    sleeper: Option<Sleeper>,
    /// Hosts besides Graph's and loopback that may receive the token ([`ClientBuilder::allow_host`]).
    allowed_hosts: Vec<String>,
    /// `fn() -> C`: the builder owns no `C`, so it is `Send`/`Sync` whatever `C` is.
    client: PhantomData<fn() -> C>,
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            cloud: None,
            base_url: None,
            token: None,
            timeout: None,
            http: None,
            retry: None,
            headers: HeaderMap::new(),
            header_error: None,
            sleeper: None,
            allowed_hosts: Vec::new(),
            client: PhantomData,
        }
    }
}

impl<C> std::fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("cloud", &self.cloud)
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("allowed_hosts", &self.allowed_hosts)
            .finish()
    }
}

/// Where tokens come from; the last one given to the builder wins.
enum TokenSource {
    Provider(Arc<dyn TokenProvider>),
    /// Wrapped at `build`, once the cloud (and so the scope) is final.
    #[cfg(feature = "azure-identity")]
    Credential(Arc<dyn crate::azure::TokenCredential>),
}

/// Default time allowed for one request, headers and body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl<C: From<Runtime>> ClientBuilder<C> {
    /// A builder with every setting at its default (global cloud, 30 s timeout, 3 retries).
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// The national cloud to call (default [`Cloud::Global`]); also sets the base URL unless
    /// [`ClientBuilder::base_url`] overrides it.
    pub fn cloud(mut self, cloud: Cloud) -> Self {
        self.cloud = Some(cloud);
        self
    }

    /// A custom root URL (a proxy, a test server). `http://` is accepted only for loopback
    /// addresses, so a token is never sent in clear over a network. The host must be one of
    /// Graph's national cloud hosts or loopback unless [`ClientBuilder::allow_host`] names it:
    /// the token is a Graph token, and a mistyped or injected URL must not receive it. A URL
    /// with a user name or password (`https://user:pw@host`) is refused.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Lets the token go to `host` (a proxy or gateway in front of Graph), besides Graph's own
    /// hosts and loopback; compared without regard to case. Call once per host.
    pub fn allow_host(mut self, host: impl Into<String>) -> Self {
        self.allowed_hosts.push(host.into());
        self
    }

    /// Sends this fixed bearer token with every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(TokenSource::Provider(Arc::new(StaticToken::new(token))));
        self
    }

    /// Asks `provider` for a token before every request.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(TokenSource::Provider(Arc::new(provider)));
        self
    }

    /// Gets tokens from an Azure SDK credential (feature `azure-identity`), for the Graph
    /// scope of the builder's cloud (set before or after this call), cached until shortly
    /// before they expire: see [`AzureCredential`](crate::azure::AzureCredential).
    /// [`credential_from`](crate::azure::credential_from) builds the common ones.
    #[cfg(feature = "azure-identity")]
    pub fn token_credential(mut self, credential: Arc<dyn crate::azure::TokenCredential>) -> Self {
        self.token = Some(TokenSource::Credential(credential));
        self
    }

    /// Calls an async closure for a token before every request, e.g. to read a token cache
    /// that another task refreshes.
    pub fn token_fn<F, Fut>(self, f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<String, Error>> + Send + 'static,
    {
        self.token_provider(token_fn(f))
    }

    /// Time allowed for each attempt, from connecting to the end of the body (default 30
    /// seconds); a call's [`RequestOptions`](crate::RequestOptions) can
    /// override it.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How 429, 503 and 504 responses are retried (default [`RetryPolicy::default`]: 3
    /// retries); [`RetryPolicy::disabled`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// A header sent with every request (e.g. `Prefer` or a tracing header). A malformed
    /// header, or `Authorization`, makes [`ClientBuilder::build`] fail.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match crate::options::checked_header(name, value) {
            Ok((name, value)) => {
                self.headers.append(name, value);
            }
            Err(e) => {
                self.header_error.get_or_insert(e);
            }
        }
        self
    }

    /// Replaces the wait between retries (default: `tokio::time::sleep`), e.g. to record
    /// waits in a test or drive a simulation.
    pub fn sleeper<F, Fut>(mut self, sleep: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        self.sleeper = Some(Arc::new(move |d| -> SleepFuture { Box::pin(sleep(d)) }));
        self
    }

    /// Uses a preconfigured `reqwest` client (its own timeout and redirect settings then
    /// apply). The client built otherwise follows no redirects: a 3xx comes back as
    /// [`Error::Status`], so headers, bodies and tokens never go to a host the caller did not
    /// choose, and https never falls back to http.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::InvalidInput`] when no token source was given, the base URL is not
    /// an absolute `http`/`https` URL of an allowed host (see [`ClientBuilder::base_url`]), or a
    /// default header is invalid.
    pub fn build(self) -> Result<C, Error> {
        if let Some(e) = self.header_error {
            return Err(e);
        }
        let cloud = self.cloud.unwrap_or(Cloud::Global);
        let base_url = self.base_url.unwrap_or_else(|| cloud.base_url().to_owned());
        let base_url = crate::base_url::validate(&base_url, &self.allowed_hosts)?;
        let token: Arc<dyn TokenProvider> = match self.token {
            Some(TokenSource::Provider(provider)) => provider,
            #[cfg(feature = "azure-identity")]
            Some(TokenSource::Credential(credential)) => {
                Arc::new(crate::azure::AzureCredential::new(credential, cloud))
            }
            None => {
                return Err(Error::InvalidInput(
                    "no token: call bearer_token() or token_provider()".into(),
                ));
            }
        };
        // A caller's own reqwest client keeps its timeouts unless one is set here.
        let timeout = match (&self.http, self.timeout) {
            (_, Some(timeout)) => Some(timeout),
            (Some(_), None) => None,
            (None, None) => Some(DEFAULT_TIMEOUT),
        };
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(concat!("msgraph-presence/", env!("CARGO_PKG_VERSION")))
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::InvalidInput(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(C::from(Runtime {
            http,
            base_url,
            cloud,
            token,
            timeout,
            headers: self.headers,
            retry: self.retry.unwrap_or_default(),
            sleeper: self.sleeper.unwrap_or_else(crate::retry::tokio_sleeper),
            server_clock: Default::default(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use crate::{ClientBuilder, Cloud, Error, Runtime};

    /// A client type of another crate: anything a runtime converts into.
    struct Wrapper(Runtime);

    impl From<Runtime> for Wrapper {
        fn from(runtime: Runtime) -> Self {
            Wrapper(runtime)
        }
    }

    #[test]
    fn builds_the_runtime_or_a_client_that_wraps_it() {
        let runtime = Runtime::builder()
            .cloud(Cloud::China)
            .bearer_token("t")
            .build()
            .unwrap();
        assert_eq!(runtime.cloud(), Cloud::China);
        assert_eq!(runtime.base_url(), Cloud::China.base_url());

        let Wrapper(wrapped) = ClientBuilder::<Wrapper>::new()
            .base_url("http://127.0.0.1:8080/")
            .bearer_token("t")
            .build()
            .unwrap();
        assert_eq!(wrapped.base_url(), "http://127.0.0.1:8080");
        assert_eq!(wrapped.cloud(), Cloud::Global);
    }

    #[test]
    fn refuses_to_build_without_a_token() {
        let err = Runtime::builder().build().unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("no token")),
            "{err:?}"
        );
    }
}
