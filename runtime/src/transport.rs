//! Sends requests: cloud check, auth, client-request-id, retries, tracing, status handling.

use super::auth::{TokenProvider, token_refused};
use super::body::{BodyError, read_capped};
use super::odata::ODataError;
use super::operation::Cloud;
use super::options::RequestOptions;
use super::request::Request;
use super::response::Response;
use super::retry::{RETRYABLE_STATUSES, RetryPolicy, Sleeper, parse_retry_after};
use crate::{Error, TransportKind};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

/// Raw bodies kept in [`Error::Status`] are cut to this many bytes.
const ERROR_BODY_KEEP: usize = 4096;

const CLIENT_REQUEST_ID: HeaderName = HeaderName::from_static("client-request-id");
const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");
const REQUEST_ID: &str = "request-id";

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

/// How one attempt ended, when it did not succeed.
struct Failed {
    error: Error,
    /// The parsed `Retry-After`, for statuses that may be retried.
    retry_after: Option<Duration>,
    /// The token sent, when Graph refused it as expired or invalid (see
    /// [`TokenProvider::invalidate`]).
    refused_token: Option<String>,
}

impl Runtime {
    /// Starts configuring a runtime (cloud, base URL, token); the client crate's
    /// `Client::builder()` is the same builder, returning a `Client`.
    pub fn builder() -> crate::ClientBuilder<Runtime> {
        crate::ClientBuilder::new()
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
        let operation = request.operation;
        let binding = request.binding;
        // Refuse before touching the token or the network.
        if !binding.available_in(self.cloud) {
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
        let policy = options.and_then(|o| o.retry).unwrap_or(self.retry);
        let span = tracing::info_span!(
            "graph.request",
            method = method_str(&request),
            path = binding.path,
            operation = operation.name,
            version = operation.version,
            client_request_id = %client_request_id,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        // Recorded through a handle rather than `Span::current()`, which costs a thread-local
        // dispatcher lookup per call even when nothing listens.
        let recorder = span.clone();
        let exchange = async {
            let mut waited = Duration::ZERO;
            // Every send, for tracing and the `retry-attempt` header.
            let mut attempt: u32 = 1;
            // Resends of 429/503/504, which the policy bounds.
            let mut retries: u32 = 0;
            // A refused token is renewed once per call: a second refusal is not a stale cache.
            let mut token_renewed = false;
            loop {
                recorder.record("attempt", attempt);
                let attempt_started = Instant::now();
                let outcome = self
                    .attempt(&request, &url, &client_request_id, attempt, options)
                    .await;
                let status = match &outcome {
                    Ok(response) => Some(response.status),
                    Err(failed) => failed.error.status(),
                };
                if let Some(status) = status {
                    recorder.record("status", status);
                }
                tracing::debug!(
                    attempt,
                    status,
                    elapsed_ms = attempt_started.elapsed().as_millis() as u64,
                    "attempt finished"
                );
                let failed = match outcome {
                    Ok(response) => return Ok(response),
                    Err(failed) => failed,
                };
                if let Some(refused) = &failed.refused_token
                    && !token_renewed
                {
                    token_renewed = true;
                    if self.token.invalidate(refused) {
                        tracing::debug!("token refused (401); resending once with a fresh one");
                        attempt += 1;
                        continue;
                    }
                }
                let retryable = status.is_some_and(|s| RETRYABLE_STATUSES.contains(&s));
                if !retryable || retries >= policy.retries() {
                    return Err(failed.error);
                }
                let delay = policy.delay(retries + 1, failed.retry_after);
                if waited + delay > policy.total_wait_budget() {
                    tracing::debug!(
                        delay_ms = delay.as_millis() as u64,
                        "next wait exceeds the retry budget; giving up"
                    );
                    return Err(failed.error);
                }
                retries += 1;
                tracing::debug!(
                    delay_ms = delay.as_millis() as u64,
                    retry = retries,
                    "retrying"
                );
                (self.sleeper)(delay).await;
                waited += delay;
                attempt += 1;
            }
        };
        let result = exchange.instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        result
    }

    /// One HTTP exchange: fresh token, headers, body, status handling.
    async fn attempt(
        &self,
        request: &Request,
        url: &str,
        client_request_id: &str,
        attempt: u32,
        options: Option<&RequestOptions>,
    ) -> Result<Response, Failed> {
        let operation = request.operation;
        let path = request.binding.path;
        let method = method_str(request);
        let fail = |error| Failed {
            error,
            retry_after: None,
            refused_token: None,
        };
        let token = self.token.token().await.map_err(fail)?;
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                fail(Error::Auth(
                    "the token contains characters not allowed in a header".into(),
                ))
            })?;
        authorization.set_sensitive(true);

        let http_method = match request.next_link {
            Some(_) => reqwest::Method::GET,
            None => operation.method.clone(),
        };
        // One map, so a header given per call replaces the builder's and the fixed ones below
        // are sent exactly once.
        let mut headers = self.headers.clone();
        if let Some(options) = options {
            for name in options.headers.keys() {
                headers.remove(name);
            }
            for (name, value) in &options.headers {
                headers.append(name.clone(), value.clone());
            }
        }
        headers.insert(reqwest::header::AUTHORIZATION, authorization);
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let id_value = HeaderValue::from_str(client_request_id).map_err(|_| {
            fail(Error::InvalidInput(format!(
                "client-request-id {client_request_id:?} is not a valid header value"
            )))
        })?;
        headers.insert(CLIENT_REQUEST_ID, id_value);
        if attempt > 1 {
            // Graph SDK convention: the number of the retry, 1 for the first resend.
            headers.insert(RETRY_ATTEMPT, HeaderValue::from(attempt - 1));
        }
        let mut builder = self.http.request(http_method, url).headers(headers);
        if let Some(timeout) = options.and_then(|o| o.timeout).or(self.timeout) {
            builder = builder.timeout(timeout);
        }
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some((content_type, body)) = &request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, *content_type)
                .body(body.clone());
        }
        let transport = |source: reqwest::Error| {
            fail(Error::Transport {
                method,
                path,
                kind: TransportKind::of(&source),
                client_request_id: client_request_id.to_owned(),
                source,
            })
        };
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header(REQUEST_ID);
        let retry_after = header(reqwest::header::RETRY_AFTER.as_str())
            .and_then(|v| parse_retry_after(&v, SystemTime::now()));
        let challenge = header(reqwest::header::WWW_AUTHENTICATE.as_str());
        let body = read_capped(&mut response, operation.name)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge(error) => fail(error),
                BodyError::Transport(source) => transport(source),
            })?;
        if (200..300).contains(&status) {
            return Ok(Response {
                operation: operation.name,
                status,
                body,
                client_request_id: client_request_id.to_owned(),
                request_id,
            });
        }
        let odata = ODataError::parse(&body).map(Box::new);
        let request_id = request_id.or_else(|| {
            odata
                .as_ref()
                .and_then(|o| o.inner_error.as_ref())
                .and_then(|i| i.request_id.clone())
        });
        let kept = &body[..body.len().min(ERROR_BODY_KEEP)];
        let refused = token_refused(
            status,
            odata.as_ref().map(|o| o.code.as_str()),
            challenge.as_deref(),
        );
        Err(Failed {
            error: Error::Status {
                method,
                path,
                status,
                odata,
                body: String::from_utf8_lossy(kept).into_owned(),
                request_id,
                client_request_id: client_request_id.to_owned(),
            },
            retry_after,
            refused_token: refused.then_some(token),
        })
    }

    /// Accepts a next-page link only below the base URL: the token must not leave the service.
    fn checked_next_link(&self, link: &str) -> Result<String, Error> {
        let prefix = format!("{}/", self.base_url);
        if link.starts_with(&prefix) && !link.contains('#') {
            Ok(link.to_owned())
        } else {
            Err(Error::InvalidInput(format!(
                "@odata.nextLink {link:?} is not below the client's base URL {:?}; not following it",
                self.base_url
            )))
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

fn method_str(request: &Request) -> &'static str {
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
