//! Configures a [`Client`].

use crate::runtime::{Cloud, Runtime, StaticToken, TokenProvider};
use crate::{Client, Error};
use std::sync::Arc;
use std::time::Duration;

/// Builder of a [`Client`]: cloud or base URL, token, timeout.
#[derive(Default)]
pub struct ClientBuilder {
    cloud: Option<Cloud>,
    base_url: Option<String>,
    token: Option<Arc<dyn TokenProvider>>,
    timeout: Option<Duration>,
    http: Option<reqwest::Client>,
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("cloud", &self.cloud)
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Default time allowed for one request, headers and body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl ClientBuilder {
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
    /// addresses, so a token is never sent in clear over a network.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sends this fixed bearer token with every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Arc::new(StaticToken::new(token)));
        self
    }

    /// Asks `provider` for a token before every request.
    pub fn token_provider(mut self, provider: impl TokenProvider + 'static) -> Self {
        self.token = Some(Arc::new(provider));
        self
    }

    /// Time allowed for each request (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses a preconfigured `reqwest` client (its own timeout settings then apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    pub fn build(self) -> Result<Client, Error> {
        let cloud = self.cloud.unwrap_or(Cloud::Global);
        let base_url = self.base_url.unwrap_or_else(|| cloud.base_url().to_owned());
        let base_url = validate_base_url(&base_url)?;
        let token = self.token.ok_or_else(|| {
            Error::InvalidInput("no token: call bearer_token() or token_provider()".into())
        })?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .build()
                .map_err(|e| Error::InvalidInput(format!("cannot build the HTTP client: {e}")))?,
        };
        Ok(Client {
            runtime: Runtime {
                http,
                base_url,
                cloud,
                token,
            },
        })
    }
}

/// Checks the scheme and host, and strips a trailing slash.
fn validate_base_url(url: &str) -> Result<String, Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::InvalidInput(format!("base URL {url:?}: {e}")))?;
    let loopback = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d == "localhost",
        None => false,
    };
    match parsed.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Error::InvalidInput(format!(
                "base URL {url:?}: plain http is allowed only for loopback addresses"
            )));
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "base URL {url:?}: unsupported scheme {other:?}"
            )));
        }
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::InvalidInput(format!(
            "base URL {url:?} must not have a query or fragment"
        )));
    }
    Ok(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::validate_base_url;

    #[test]
    fn http_only_for_loopback() {
        assert!(validate_base_url("http://127.0.0.1:8080/").is_ok());
        assert!(validate_base_url("http://[::1]:8080").is_ok());
        assert!(validate_base_url("http://localhost:1").is_ok());
        assert!(validate_base_url("http://graph.example.com").is_err());
        assert!(
            validate_base_url("https://graph.microsoft.com/").unwrap()
                == "https://graph.microsoft.com"
        );
        assert!(validate_base_url("ftp://x").is_err());
    }
}
