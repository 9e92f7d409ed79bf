//! Fetching the identity platform's signing keys: the OpenID configuration, then the JWKS its
//! `jwks_uri` names (R15). Both requests go only to allow-listed hosts, follow no redirect, are
//! capped in size and time, so a hostile or broken network cannot point the receiver at keys
//! of its choosing or make it read without end.

use jsonwebtoken::jwk::JwkSet;
use reqwest::Url;
use std::time::Duration;

/// Largest configuration or key document read; Microsoft's JWKS is a few KiB.
pub(crate) const MAX_DOCUMENT_BYTES: usize = 256 * 1024;
/// Time allowed for each of the two requests.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the signing keys could not be fetched; the receiver then keeps the keys it has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyFetchError {
    /// The URL is not https on an allow-listed identity host (or loopback, for tests).
    #[error("{url}: not an allowed identity host (https on {allowed}, or loopback for tests)")]
    HostNotAllowed {
        /// The refused URL.
        url: String,
        /// The hosts that are allowed, comma-separated.
        allowed: String,
    },
    /// The endpoint answered with a redirect, which is never followed.
    #[error("{url} answered {status} (a redirect to {location:?}); redirects are refused")]
    Redirect {
        /// The URL asked.
        url: String,
        /// The 3xx status.
        status: u16,
        /// The `Location` header, if any.
        location: Option<String>,
    },
    /// The document is larger than the cap.
    #[error("{url}: the document is larger than {limit} bytes")]
    TooLarge {
        /// The URL asked.
        url: String,
        /// The cap, in bytes.
        limit: usize,
    },
    /// Any other status than 200.
    #[error("{url} answered {status}")]
    Status {
        /// The URL asked.
        url: String,
        /// The status received.
        status: u16,
    },
    /// The request failed (connection, timeout, TLS).
    #[error("{url}: request failed: {reason}")]
    Request {
        /// The URL asked.
        url: String,
        /// What went wrong.
        reason: String,
    },
    /// The document is not what was expected (not JSON, no `jwks_uri`, no keys).
    #[error("{url}: {reason}")]
    Invalid {
        /// The URL asked.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
}

/// The hosts of Microsoft's identity platform in each cloud (the `login` authorities).
pub(crate) const MICROSOFT_IDENTITY_HOSTS: [&str; 3] = [
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.chinacloudapi.cn",
];

/// Fetches key sets from one OpenID configuration.
#[derive(Debug, Clone)]
pub(crate) struct Fetcher {
    http: reqwest::Client,
    configuration: Url,
    allowed_hosts: Vec<String>,
    /// Loopback URLs pass only when the configuration itself is on loopback (a test setup), so
    /// a configuration document on a real host cannot send the receiver to local services.
    allow_loopback: bool,
}

impl Fetcher {
    /// Checks the configuration URL at build time, so a wrong one fails early.
    pub(crate) fn new(configuration: &str, allowed_hosts: Vec<String>) -> Result<Self, String> {
        let url = Url::parse(configuration)
            .map_err(|e| format!("OpenID configuration URL {configuration:?}: {e}"))?;
        let allow_loopback = is_loopback(&url);
        let fetcher = Fetcher {
            http: reqwest::Client::builder()
                // A redirect could lead anywhere, including off the allow-list: refuse them all.
                .redirect(reqwest::redirect::Policy::none())
                .timeout(FETCH_TIMEOUT)
                .build()
                .map_err(|e| format!("HTTP client for the signing keys: {e}"))?,
            configuration: url,
            allowed_hosts,
            allow_loopback,
        };
        fetcher
            .check(&fetcher.configuration)
            .map_err(|e| e.to_string())?;
        Ok(fetcher)
    }

    pub(crate) fn configuration_url(&self) -> &str {
        self.configuration.as_str()
    }

    /// The configuration, then the key set it points at. An empty set is an error: replacing
    /// good keys with none would reject every token.
    pub(crate) async fn fetch(&self) -> Result<JwkSet, KeyFetchError> {
        let config = self.get(&self.configuration).await?;
        let config: serde_json::Value =
            serde_json::from_slice(&config).map_err(|e| invalid(&self.configuration, e))?;
        let jwks_uri = config
            .get("jwks_uri")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| invalid(&self.configuration, "no jwks_uri"))?;
        let jwks_url = Url::parse(jwks_uri).map_err(|e| KeyFetchError::Invalid {
            url: self.configuration.to_string(),
            reason: format!("jwks_uri {jwks_uri:?}: {e}"),
        })?;
        self.check(&jwks_url)?;
        let keys = self.get(&jwks_url).await?;
        let keys: JwkSet = serde_json::from_slice(&keys).map_err(|e| invalid(&jwks_url, e))?;
        if keys.keys.is_empty() {
            return Err(invalid(&jwks_url, "the key set is empty"));
        }
        Ok(keys)
    }

    fn check(&self, url: &Url) -> Result<(), KeyFetchError> {
        let host = url.host_str().unwrap_or("");
        let allowed = url.scheme() == "https"
            && url.username().is_empty()
            && url.password().is_none()
            && self
                .allowed_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(host));
        if allowed || (self.allow_loopback && is_loopback(url)) {
            return Ok(());
        }
        Err(KeyFetchError::HostNotAllowed {
            url: url.to_string(),
            allowed: self.allowed_hosts.join(", "),
        })
    }

    /// One GET: 200 only, no redirect, at most [`MAX_DOCUMENT_BYTES`] read.
    async fn get(&self, url: &Url) -> Result<Vec<u8>, KeyFetchError> {
        let failed = |e: reqwest::Error| KeyFetchError::Request {
            url: url.to_string(),
            reason: e.to_string(),
        };
        let mut response = self
            .http
            .get(url.clone())
            .header("accept", "application/json")
            .send()
            .await
            .map_err(failed)?;
        let status = response.status();
        if status.is_redirection() {
            return Err(KeyFetchError::Redirect {
                url: url.to_string(),
                status: status.as_u16(),
                location: response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
            });
        }
        if status != reqwest::StatusCode::OK {
            return Err(KeyFetchError::Status {
                url: url.to_string(),
                status: status.as_u16(),
            });
        }
        let too_large = || KeyFetchError::TooLarge {
            url: url.to_string(),
            limit: MAX_DOCUMENT_BYTES,
        };
        if response
            .content_length()
            .is_some_and(|n| n > MAX_DOCUMENT_BYTES as u64)
        {
            return Err(too_large());
        }
        // Read chunk by chunk: a missing or lying Content-Length must not lift the cap.
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(failed)? {
            if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn invalid(url: &Url, reason: impl std::fmt::Display) -> KeyFetchError {
    KeyFetchError::Invalid {
        url: url.to_string(),
        reason: reason.to_string(),
    }
}

fn is_loopback(url: &Url) -> bool {
    let host = url.host_str().unwrap_or("");
    // IPv6 literals come bracketed, as in the URL.
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetcher(configuration: &str) -> Result<Fetcher, String> {
        Fetcher::new(
            configuration,
            MICROSOFT_IDENTITY_HOSTS.map(str::to_owned).to_vec(),
        )
    }

    #[test]
    fn only_https_on_listed_hosts_or_a_loopback_setup() {
        let microsoft = fetcher(
            "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
        )
        .unwrap();
        let ok = |f: &Fetcher, u: &str| f.check(&Url::parse(u).unwrap()).is_ok();
        assert!(ok(&microsoft, "https://LOGIN.microsoftonline.com/keys"));
        assert!(!ok(&microsoft, "http://login.microsoftonline.com/keys"));
        assert!(!ok(
            &microsoft,
            "https://login.microsoftonline.com.evil.example/keys"
        ));
        assert!(!ok(
            &microsoft,
            "https://user:pw@login.microsoftonline.com/keys"
        ));
        // A real configuration cannot point at loopback services.
        assert!(!ok(&microsoft, "http://127.0.0.1:8080/keys"));
        let local = fetcher("http://127.0.0.1:9/config").unwrap();
        assert!(ok(&local, "http://[::1]:9/keys"));
        assert!(ok(&local, "http://localhost:9/keys"));
        assert!(!ok(&local, "http://10.0.0.1/keys"));
    }

    #[test]
    fn a_configuration_off_the_list_fails_at_build() {
        let error =
            fetcher("https://login.evil.example/.well-known/openid-configuration").unwrap_err();
        assert!(error.contains("not an allowed identity host"), "{error}");
        assert!(fetcher("not a url").is_err());
    }
}
