//! Sends requests: base URL, bearer token, status handling.

use super::odata::ODataError;
use super::operation::Cloud;
use super::request::Request;
use super::response::Response;
use crate::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Largest response body read; a larger one is an error rather than unbounded memory use.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Raw bodies kept in [`Error::Status`] are cut to this many bytes.
const ERROR_BODY_KEEP: usize = 4096;

/// Supplies access tokens; called once per request so a refreshed token is picked up.
pub trait TokenProvider: Send + Sync {
    /// A bearer token valid for Microsoft Graph.
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>>;
}

/// A fixed token (tests, short scripts). Its value never appears in `Debug` output.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> Pin<Box<dyn Future<Output = Result<String, Error>> + Send + '_>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// Connection settings shared by every version's client.
#[derive(Clone)]
pub struct Runtime {
    pub(crate) http: reqwest::Client,
    /// Scheme and host (and any path prefix), without a trailing slash.
    pub(crate) base_url: String,
    pub(crate) cloud: Cloud,
    pub(crate) token: Arc<dyn TokenProvider>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("base_url", &self.base_url)
            .field("cloud", &self.cloud)
            .field("token", &"<redacted>")
            .finish()
    }
}

impl Runtime {
    /// Sends `request` and returns its success response, or the error status with its OData body.
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let operation = request.operation;
        let binding = request.binding;
        if !binding.available_in(self.cloud) {
            return Err(Error::CloudUnavailable {
                operation: operation.name,
                cloud: self.cloud,
            });
        }
        let url = format!("{}{}{}", self.base_url, operation.base_path, request.path);
        let token = self.token.token().await?;
        let mut builder = self
            .http
            .request(operation.method.clone(), &url)
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "application/json");
        if !request.query.is_empty() {
            builder = builder.query(&request.query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if let Some((content_type, body)) = request.body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(body);
        }
        let transport = |source| Error::Transport {
            method: method_str(&operation.method),
            path: binding.path,
            source,
        };
        let mut response = builder.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let body = read_capped(&mut response, operation.name).await?;
        if (200..300).contains(&status) {
            return Ok(Response {
                operation: operation.name,
                status,
                body,
            });
        }
        let odata = ODataError::parse(&body).map(Box::new);
        let kept = &body[..body.len().min(ERROR_BODY_KEEP)];
        Err(Error::Status {
            method: method_str(&operation.method),
            path: binding.path,
            status,
            odata,
            body: String::from_utf8_lossy(kept).into_owned(),
        })
    }
}

fn method_str(method: &reqwest::Method) -> &'static str {
    match *method {
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

/// Reads the body chunk by chunk, failing once it passes [`MAX_BODY_BYTES`].
async fn read_capped(
    response: &mut reqwest::Response,
    operation: &'static str,
) -> Result<Vec<u8>, Error> {
    let too_large = || Error::Decode {
        operation,
        field: ".".to_owned(),
        message: format!("response body larger than {MAX_BODY_BYTES} bytes"),
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => {
                return Err(Error::Decode {
                    operation,
                    field: ".".to_owned(),
                    message: format!("reading the body failed: {e}"),
                });
            }
        }
    }
}
