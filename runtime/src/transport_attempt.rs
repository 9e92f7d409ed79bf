//! One HTTP exchange of a call: fresh token, headers, body, send, then the response sorted into
//! success or a [`Failed`] attempt.

use super::auth::token_refused;
use super::body::{BodyError, read_capped};
use super::odata::ODataError;
use super::response::Response;
use super::retry::parse_retry_after;
use super::retry_decision::Failure;
use super::transport::{CLIENT_REQUEST_ID, Call, Runtime, method_str};
use crate::{Error, TransportKind};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::{Duration, SystemTime};

/// Raw bodies kept in [`Error::Status`] are cut to this many bytes.
const ERROR_BODY_KEEP: usize = 4096;

const RETRY_ATTEMPT: HeaderName = HeaderName::from_static("retry-attempt");
const REQUEST_ID: &str = "request-id";

/// How one attempt ended, when it did not succeed.
pub(crate) struct Failed {
    pub(crate) error: Error,
    /// The parsed `Retry-After`, for statuses that may be retried.
    pub(crate) retry_after: Option<Duration>,
    /// The token sent, when Graph refused it as expired or invalid (see
    /// [`TokenProvider::invalidate`](crate::TokenProvider::invalidate)).
    pub(crate) refused_token: Option<String>,
}

impl Failed {
    /// A failure without a response to learn from.
    fn plain(error: Error) -> Self {
        Failed {
            error,
            retry_after: None,
            refused_token: None,
        }
    }

    /// What the retry decision needs to know of the error.
    pub(crate) fn failure(&self) -> Failure {
        match &self.error {
            Error::Status { status, .. } => Failure::Status(*status),
            Error::Transport { kind, .. } => Failure::Transport(*kind),
            _ => Failure::Local,
        }
    }
}

/// The response headers an attempt's outcome depends on, read before the body is consumed.
struct Answer {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    challenge: Option<String>,
}

impl Answer {
    fn of(response: &reqwest::Response) -> Self {
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Answer {
            status: response.status().as_u16(),
            request_id: header(REQUEST_ID),
            retry_after: header(reqwest::header::RETRY_AFTER.as_str())
                .and_then(|v| parse_retry_after(&v, SystemTime::now())),
            challenge: header(reqwest::header::WWW_AUTHENTICATE.as_str()),
        }
    }
}

impl Runtime {
    /// One HTTP exchange: fresh token, headers, body, status handling.
    pub(crate) async fn attempt(&self, call: &Call<'_>, attempt: u32) -> Result<Response, Failed> {
        let token = self.token.token().await.map_err(Failed::plain)?;
        let headers = self
            .attempt_headers(call, &token, attempt)
            .map_err(Failed::plain)?;
        let builder = self.request_builder(call, headers);
        let transport = |source: reqwest::Error| Failed::plain(transport_error(call, source));
        let mut response = builder.send().await.map_err(transport)?;
        self.server_clock.observe(
            response
                .headers()
                .get(reqwest::header::DATE)
                .and_then(|v| v.to_str().ok()),
            SystemTime::now(),
        );
        let answer = Answer::of(&response);
        let body = read_capped(&mut response, call.request.operation.name)
            .await
            .map_err(|e| match e {
                BodyError::TooLarge(error) => Failed::plain(error),
                BodyError::Transport(source) => transport(source),
            })?;
        if (200..300).contains(&answer.status) {
            return Ok(success(call, answer, body));
        }
        Err(failure(call, answer, &body, token))
    }

    /// The headers of one attempt: the builder's, then the call's (which replace them), then
    /// the fixed ones.
    fn attempt_headers(
        &self,
        call: &Call<'_>,
        token: &str,
        attempt: u32,
    ) -> Result<HeaderMap, Error> {
        // One map, so a header given per call replaces the builder's and the fixed ones below
        // are sent exactly once.
        let mut headers = self.headers.clone();
        if let Some(options) = call.options {
            for name in options.headers.keys() {
                headers.remove(name);
            }
            for (name, value) in &options.headers {
                headers.append(name.clone(), value.clone());
            }
        }
        headers.insert(reqwest::header::AUTHORIZATION, bearer(token)?);
        headers.insert(
            reqwest::header::ACCEPT,
            HeaderValue::from_static("application/json"),
        );
        let id = &call.client_request_id;
        let id_value = HeaderValue::from_str(id).map_err(|_| {
            Error::InvalidInput(format!(
                "client-request-id {id:?} is not a valid header value"
            ))
        })?;
        headers.insert(CLIENT_REQUEST_ID, id_value);
        if attempt > 1 {
            // Graph SDK convention: the number of the retry, 1 for the first resend.
            headers.insert(RETRY_ATTEMPT, HeaderValue::from(attempt - 1));
        }
        Ok(headers)
    }

    /// The request of one attempt: method, URL, timeout, query, operation headers and body.
    fn request_builder(&self, call: &Call<'_>, headers: HeaderMap) -> reqwest::RequestBuilder {
        let request = call.request;
        let http_method = match request.next_link {
            Some(_) => reqwest::Method::GET,
            None => request.operation.method.clone(),
        };
        let mut builder = self.http.request(http_method, &call.url).headers(headers);
        if let Some(timeout) = call.options.and_then(|o| o.timeout).or(self.timeout) {
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
        builder
    }
}

/// The `Authorization` value for `token`, kept out of debug output.
fn bearer(token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| Error::Auth("the token contains characters not allowed in a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

fn transport_error(call: &Call<'_>, source: reqwest::Error) -> Error {
    Error::Transport {
        method: method_str(call.request),
        path: call.request.binding.path,
        kind: TransportKind::of(&source),
        client_request_id: call.client_request_id.clone(),
        source,
    }
}

/// A 2xx answer as the generated method decodes it.
fn success(call: &Call<'_>, answer: Answer, body: Vec<u8>) -> Response {
    Response {
        operation: call.request.operation.name,
        status: answer.status,
        body,
        client_request_id: call.client_request_id.clone(),
        request_id: answer.request_id,
    }
}

/// Any other status: an [`Error::Status`] with its OData body, its `Retry-After` and, when
/// Graph refused the token, the token sent.
fn failure(call: &Call<'_>, answer: Answer, body: &[u8], token: String) -> Failed {
    let Answer {
        status,
        request_id,
        retry_after,
        challenge,
    } = answer;
    let odata = ODataError::parse(body).map(Box::new);
    let request_id = request_id.or_else(|| {
        odata
            .as_ref()
            .and_then(|o| o.inner_error.as_ref())
            .and_then(|i| i.request_id.clone())
    });
    let kept = &body[..body.len().min(ERROR_BODY_KEEP)];
    let code = odata.as_ref().map(|o| o.code.as_str());
    let refused = token_refused(status, code, challenge.as_deref());
    Failed {
        error: Error::Status {
            method: method_str(call.request),
            path: call.request.binding.path,
            status,
            odata,
            body: String::from_utf8_lossy(kept).into_owned(),
            request_id,
            client_request_id: call.client_request_id.clone(),
        },
        retry_after,
        refused_token: refused.then_some(token),
    }
}
