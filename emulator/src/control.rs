//! `/_emulator/...`: test controls over HTTP, for callers outside Rust (the standalone binary).
//! They need no token and are never subject to injected faults.
//!
//! - `GET /_emulator/clock` → `{"now": "2026-01-01T00:00:00Z"}`
//! - `POST /_emulator/clock/advance` with `{"by": "PT5M"}` → the new `{"now": ...}`
//! - `POST /_emulator/faults` with `{"status": 429, "code": "TooManyRequests",
//!   "retryAfterSeconds": 2, "times": 1}` (`code`, `retryAfterSeconds` optional; `times`
//!   omitted or `null` = until cleared) → 204
//! - `DELETE /_emulator/faults` → 204
//! - `POST /_emulator/signing-keys/rotate` → `{"kid": "..."}`: a new validation-token signing
//!   key; the JWKS then holds only it
//! - `POST /_emulator/subscriptions/{id}/lifecycle` with `{"event": "missed"}` → 204 (served by
//!   [`super::subscriptions`])

use super::fault::Fault;
use super::odata::{ApiError, RequestIds, error_response};
use super::state::Shared;
use super::wire;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use std::sync::Arc;

pub(crate) fn router() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/clock", get(clock))
        .route("/_emulator/clock/advance", post(advance))
        .route("/_emulator/faults", post(add_fault).delete(clear_faults))
        .route("/_emulator/signing-keys/rotate", post(rotate_signing_key))
}

async fn rotate_signing_key(State(shared): State<Arc<Shared>>) -> Response {
    match shared.deliverer.rotate_signing_key() {
        Ok(kid) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            serde_json::json!({ "kid": kid }).to_string(),
        )
            .into_response(),
        Err(why) => refuse(
            &shared,
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "KeyGenerationFailed",
                why,
            ),
        ),
    }
}

fn now_json(shared: &Shared) -> Response {
    let body = serde_json::json!({ "now": shared.clock.now().to_string() });
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn refuse(shared: &Shared, error: ApiError) -> Response {
    let ids = RequestIds::new(shared.next_serial(), None, shared.clock.now());
    error_response(&error, &ids)
}

async fn clock(State(shared): State<Arc<Shared>>) -> Response {
    now_json(&shared)
}

#[derive(Deserialize)]
struct AdvanceBody {
    by: Option<String>,
}

async fn advance(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let parsed = wire::parse_body::<AdvanceBody>(&body)
        .and_then(|b| wire::duration(&b.by, "by"))
        .and_then(|d| {
            d.ok_or_else(|| ApiError::bad_request("'by' (an ISO 8601 duration) is required."))
        });
    match parsed {
        Ok(by) if by.is_negative() => {
            refuse(&shared, ApiError::bad_request("'by' must not be negative."))
        }
        Ok(by) => {
            shared.clock.advance_signed(by);
            // Expire subscriptions and send the reauthorization notices now due.
            super::subscriptions::tick(&shared);
            now_json(&shared)
        }
        Err(error) => refuse(&shared, error),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FaultBody {
    status: u16,
    code: Option<String>,
    retry_after_seconds: Option<u64>,
    times: Option<u32>,
}

async fn add_fault(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let body: FaultBody = match wire::parse_body(&body) {
        Ok(body) => body,
        Err(error) => return refuse(&shared, error),
    };
    if !(400..=599).contains(&body.status) {
        let error = ApiError::bad_request(format!(
            "'status' {} is not an error status (400..=599).",
            body.status
        ));
        return refuse(&shared, error);
    }
    let code = body
        .code
        .unwrap_or_else(|| default_code(body.status).to_owned());
    let mut fault = Fault::status(body.status, code);
    if let Some(secs) = body.retry_after_seconds {
        fault = fault.retry_after(std::time::Duration::from_secs(secs));
    }
    fault = match body.times {
        Some(n) => fault.times(n),
        None => fault.always(),
    };
    if !shared.faults().push(fault) {
        let error = ApiError::bad_request(format!(
            "At most {} faults may be queued; DELETE /_emulator/faults first.",
            super::fault::MAX_QUEUED_FAULTS
        ));
        return refuse(&shared, error);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> Response {
    shared.faults().clear();
    StatusCode::NO_CONTENT.into_response()
}

fn default_code(status: u16) -> &'static str {
    match status {
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        500 => "InternalServerError",
        _ => "InjectedFault",
    }
}
