//! Per-call settings: timeout, extra headers, retry policy.

use super::retry::RetryPolicy;
use crate::Error;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::time::Duration;

/// Settings for the calls made through one version client, overriding the client's defaults:
///
/// ```no_run
/// # async fn run(client: &msgraph_presence::Client) -> msgraph_presence::Result<()> {
/// use msgraph_presence::{runtime::RequestOptions, v1_0};
/// use std::time::Duration;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .header("client-request-id", "6f1d2c1e-3b9a-4e3c-9a51-0d7c1f0e2b44")?;
/// let presence = client
///     .v1_0()
///     .with_options(&options)
///     .me().presence().get()
///     .await?;
/// # let _ = presence;
/// # Ok(())
/// # }
/// ```
///
/// A `client-request-id` header given here replaces the generated one, so a call can carry an
/// id from the caller's own logs. `Authorization` cannot be set: tokens come from the
/// client's token provider only.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: HeaderMap,
    pub(crate) retry: Option<RetryPolicy>,
}

impl fmt::Debug for RequestOptions {
    // Header values are left out: callers may put secrets there.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("retry", &self.retry)
            .finish()
    }
}

impl RequestOptions {
    /// Options that change nothing: the client's settings apply.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Time allowed for each attempt, from connecting to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The retry policy of these calls (e.g. [`RetryPolicy::disabled`] for a latency-sensitive
    /// call).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Adds a header sent with every attempt; fails on a malformed name or value, or on
    /// `Authorization`.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let (name, value) = checked_header(name, value)?;
        self.headers.append(name, value);
        Ok(self)
    }

    /// The timeout, when set.
    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }
}

/// Validates a caller-supplied header.
pub(crate) fn checked_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidInput(format!("header name {name:?} is not a valid token")))?;
    if header_name == reqwest::header::AUTHORIZATION {
        return Err(Error::InvalidInput(
            "the Authorization header comes from the token provider; it cannot be set as an extra header".into(),
        ));
    }
    let mut header_value = HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidInput(format!(
            "value of header {name:?} contains characters not allowed in a header"
        ))
    })?;
    header_value.set_sensitive(true);
    Ok((header_name, header_value))
}
