//! Sends requests: cloud check, auth, client-request-id, retries, tracing, status handling.

use super::auth::TokenProvider;
use super::operation::Cloud;
use super::options::RequestOptions;
use super::request::Request;
use super::response::Response;
use super::retry::{RetryPolicy, Sleeper};
use super::server_clock::ServerClock;
use crate::Error;
use reqwest::header::{HeaderMap, HeaderName};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

pub(crate) const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");

/// Connection settings shared by every version's client: cloud, base URL, token source,
/// timeout, retries, default headers. Built by [`ClientBuilder`](crate::ClientBuilder); a
/// generated version client borrows one and sends its requests through it.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) http: reqwest::Client,
    /// Scheme and host (and any path prefix), without a trailing slash.
    pub(crate) base_url: String,
    pub(crate) cloud: Cloud,
    pub(crate) token: Arc<dyn TokenProvider>,
    /// Per-attempt timeout unless a call's options set one; `None` leaves it to `http`.
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: HeaderMap,
    pub(crate) retry: RetryPolicy,
    pub(crate) sleeper: Sleeper,
    /// The service's clock as seen in response `Date` headers.
    pub(crate) server_clock: ServerClock,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("base_url", &self.base_url)
            .field("cloud", &self.cloud)
            .field("token", &"<redacted>")
            .field("timeout", &self.timeout)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("retry", &self.retry)
            .finish()
    }
}

/// What every attempt of one call shares: the request, where it goes, its id and policies.
pub(crate) struct Call<'a> {
    pub(crate) request: &'a Request,
    pub(crate) url: String,
    pub(crate) client_request_id: String,
    pub(crate) options: Option<&'a RequestOptions>,
    pub(crate) policy: RetryPolicy,
}

impl Runtime {
    /// Starts configuring a runtime (cloud, base URL, token); the client crate's
    /// `Client::builder()` is the same builder, returning a `Client`.
    pub fn builder() -> crate::ClientBuilder<Runtime> {
        crate::ClientBuilder::new()
    }

    /// How far the service's clock is ahead of this machine's (negative: behind), in
    /// milliseconds, from the `Date` header of the latest response that carried one; `None`
    /// before any did. Offsets over a day are ignored as implausible. Clones of a runtime share
    /// the figure. The subscription manager uses it to plan expiries on Graph's clock.
    pub fn server_clock_offset_ms(&self) -> Option<i64> {
        self.server_clock.offset_ms()
    }

    /// Sends `request` with the client's defaults; see [`Runtime::send_with_options`].
    #[doc(hidden)]
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        self.send_with_options(request, None).await
    }

    /// Sends `request` and returns its success response, or the error status with its OData
    /// body. Retries 429, 503 and 504 as the retry policy allows, resending the same body,
    /// token (fetched again) and `client-request-id`. A token Graph refuses (401) is handed to
    /// [`TokenProvider::invalidate`]; when the provider can fetch another, the request is sent
    /// once more with it, whatever the retry policy (that resend is not a throttling retry).
    ///
    /// Plumbing for generated methods and the batch helper: hidden, as [`Request`] is.
    #[doc(hidden)]
    pub async fn send_with_options(
        &self,
        request: Request,
        options: Option<&RequestOptions>,
    ) -> Result<Response, Error> {
        let call = self.prepare(&request, options)?;
        let span = call_span(&call);
        let started = Instant::now();
        // Recorded through a handle rather than `Span::current()`, which costs a thread-local
        // dispatcher lookup per call even when nothing listens.
        let result = self.exchange(&call, &span).instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// Checks what can be checked before touching the token or the network, and settles what
    /// every attempt shares.
    fn prepare<'a>(
        &self,
        request: &'a Request,
        options: Option<&'a RequestOptions>,
    ) -> Result<Call<'a>, Error> {
        let operation = request.operation;
        if !request.binding.available_in(self.cloud) {
            return Err(Error::CloudUnavailable {
                operation: operation.name,
                cloud: self.cloud,
            });
        }
        let url = match &request.next_link {
            Some(link) => self.checked_next_link(link)?,
            None => format!("{}{}{}", self.base_url, operation.base_path, request.path),
        };
        let client_request_id = options
            .and_then(|o| o.headers.get(CLIENT_REQUEST_ID))
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(new_client_request_id);
        Ok(Call {
            request,
            url,
            client_request_id,
            options,
            policy: options.and_then(|o| o.retry).unwrap_or(self.retry),
        })
    }

    /// Accepts a next-page link only below the base URL: the token must not leave the service.
    fn checked_next_link(&self, link: &str) -> Result<String, Error> {
        let prefix = format!("{}/", self.base_url);
        if link.starts_with(&prefix) && !link.contains('#') {
            Ok(link.to_owned())
        } else {
            Err(Error::NextLinkRefused {
                link: link.to_owned(),
                base_url: self.base_url.clone(),
            })
        }
    }

    /// The national cloud this runtime calls.
    pub fn cloud(&self) -> Cloud {
        self.cloud
    }

    /// The root URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// The span of one call; `attempt`, `status` and `duration_ms` are filled in as it goes.
fn call_span(call: &Call<'_>) -> tracing::Span {
    let request = call.request;
    tracing::info_span!(
        "graph.request",
        method = method_str(request),
        path = request.binding.path,
        operation = request.operation.name,
        version = request.operation.version,
        client_request_id = %call.client_request_id,
        attempt = tracing::field::Empty,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
    )
}

pub(crate) fn method_str(request: &Request) -> &'static str {
    if request.next_link.is_some() {
        return "GET";
    }
    match request.operation.method {
        reqwest::Method::GET => "GET",
        reqwest::Method::POST => "POST",
        reqwest::Method::PUT => "PUT",
        reqwest::Method::PATCH => "PATCH",
        reqwest::Method::DELETE => "DELETE",
        reqwest::Method::HEAD => "HEAD",
        reqwest::Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}

/// A random (version 4) UUID for the `client-request-id` header.
///
/// It correlates logs, it guards nothing, so a fast non-cryptographic generator is enough and
/// spares a system call per request.
fn new_client_request_id() -> String {
    let mut bytes = [0u8; 16];
    fastrand::fill(&mut bytes);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}
