//! Errors as Graph sends them: a status and `{"error":{"code","message","innerError":{...}}}`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;

/// A refused request: the status, the OData `code` and a message that says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// Seconds for a `Retry-After` header (throttling faults).
    pub retry_after_secs: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_owned(),
            message: message.into(),
            retry_after_secs: None,
        }
    }

    /// 400: the body or a parameter breaks a documented rule.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    /// 404: the addressed thing (a presence session) does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "NotFound", message)
    }

    /// 401: no bearer token. Graph answers a missing token this way.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token is empty: send an `Authorization: Bearer <token>` header (any token is accepted).",
        )
    }

    /// 400 for a path Graph has no resource for; Graph names the first unknown segment.
    pub fn unknown_segment(segment: &str) -> Self {
        Self::bad_request(format!("Resource not found for the segment '{segment}'."))
    }
}

/// The ids Graph puts in every error body and response header.
#[derive(Debug, Clone)]
pub(crate) struct RequestIds {
    pub request_id: String,
    pub client_request_id: String,
    pub date: Timestamp,
}

impl RequestIds {
    /// A fresh request id (shaped like a GUID, unique per emulator) and the caller's
    /// `client-request-id`, or the request id when it sent none.
    pub fn new(serial: u64, client_request_id: Option<&str>, date: Timestamp) -> Self {
        let request_id = format!("00000000-0000-4000-8000-{:012x}", serial & 0xFFFF_FFFF_FFFF);
        let client_request_id = client_request_id
            .map(str::to_owned)
            .unwrap_or_else(|| request_id.clone());
        RequestIds {
            request_id,
            client_request_id,
            date,
        }
    }

    /// Adds `request-id` and `client-request-id` headers to a response.
    pub fn stamp(&self, response: &mut Response) {
        let headers = response.headers_mut();
        for (name, value) in [
            ("request-id", &self.request_id),
            ("client-request-id", &self.client_request_id),
        ] {
            if let Ok(value) = HeaderValue::from_str(value) {
                headers.insert(name, value);
            }
        }
    }
}

/// Renders `error` as an OData error response carrying `ids`.
pub(crate) fn error_response(error: &ApiError, ids: &RequestIds) -> Response {
    let body = serde_json::json!({
        "error": {
            "code": error.code,
            "message": error.message,
            "innerError": {
                "request-id": ids.request_id,
                "client-request-id": ids.client_request_id,
                // Whole seconds with `Z`, which both the runtime and the generated models parse.
                "date": Timestamp::from_second(ids.date.as_second()).unwrap_or(ids.date).to_string(),
            }
        }
    });
    let mut response = (
        error.status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response();
    if let Some(secs) = error.retry_after_secs {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    ids.stamp(&mut response);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_documented_shape() {
        let ids = RequestIds::new(7, Some("abc"), "2026-01-01T00:00:00.5Z".parse().unwrap());
        let mut error = ApiError::not_found("no session");
        error.retry_after_secs = Some(3);
        let response = error_response(&error, &ids);
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()["retry-after"], "3");
        assert_eq!(response.headers()["client-request-id"], "abc");
        assert_eq!(
            response.headers()["request-id"],
            "00000000-0000-4000-8000-000000000007"
        );
    }
}
