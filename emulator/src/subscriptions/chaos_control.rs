//! The test controls of delivery faults (R11), for callers outside Rust:
//!
//! - `PUT /_emulator/subscriptions/{id}/delivery-faults` with `{"seed": 7, "duplicate": 0.1,
//!   "reorder": 0.1, "reorderMaxSeconds": 5, "drop": 0.02, "fullPayload": true}` (every field
//!   but `seed` optional, probabilities in `0..=1`) → 204, or 404 for an unknown subscription;
//!   `DELETE` there → 204.
//! - `PUT /_emulator/delivery-faults` with the same body: the default of every subscription
//!   without its own; `DELETE` → 204.
//! - `GET /_emulator/subscriptions/{id}/delivery-faults` → `{"duplicated": n, "delayed": n,
//!   "dropped": n}`.

use super::super::odata::{ApiError, RequestIds, error_response};
use super::super::state::Shared;
use super::super::wire;
use super::chaos::DeliveryFaults;
use super::events::lock;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FaultsBody {
    seed: u64,
    duplicate: Option<f64>,
    reorder: Option<f64>,
    reorder_max_seconds: Option<f64>,
    drop: Option<f64>,
    full_payload: Option<bool>,
}

fn refuse(shared: &Shared, error: &ApiError) -> Response {
    let ids = RequestIds::new(shared.next_serial(), None, shared.clock.now());
    error_response(error, &ids)
}

fn parse(body: &[u8]) -> Result<DeliveryFaults, ApiError> {
    let body: FaultsBody = wire::parse_body(body)?;
    let probabilities = [body.duplicate, body.reorder, body.drop];
    if probabilities
        .iter()
        .flatten()
        .any(|p| !(0.0..=1.0).contains(p))
    {
        return Err(ApiError::bad_request(
            "'duplicate', 'reorder' and 'drop' are probabilities between 0 and 1.",
        ));
    }
    let max = body.reorder_max_seconds.unwrap_or(0.0);
    let max = Duration::try_from_secs_f64(max).map_err(|_| {
        ApiError::bad_request("'reorderMaxSeconds' must be a number of seconds, 0 or more.")
    })?;
    let mut faults = DeliveryFaults::seeded(body.seed)
        .duplicate(body.duplicate.unwrap_or(0.0))
        .reorder(body.reorder.unwrap_or(0.0), max)
        .drop_with_missed(body.drop.unwrap_or(0.0));
    if body.full_payload == Some(true) {
        faults = faults.full_payload();
    }
    Ok(faults)
}

fn unknown(shared: &Shared, id: &str) -> Option<Response> {
    if lock(shared).contains_key(id) {
        return None;
    }
    let error = ApiError::new(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!("The object '{id}' does not exist."),
    );
    Some(refuse(shared, &error))
}

pub(super) async fn set_one(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    if let Some(response) = unknown(&shared, &id) {
        return response;
    }
    match parse(&body) {
        Ok(faults) => {
            shared.deliverer.set_faults(&id, Some(faults));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => refuse(&shared, &error),
    }
}

pub(super) async fn clear_one(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
) -> Response {
    shared.deliverer.set_faults(&id, None);
    StatusCode::NO_CONTENT.into_response()
}

pub(super) async fn counts(State(shared): State<Arc<Shared>>, Path(id): Path<String>) -> Response {
    if let Some(response) = unknown(&shared, &id) {
        return response;
    }
    let c = shared.deliverer.fault_counts(&id);
    let body = serde_json::json!({
        "duplicated": c.duplicated,
        "delayed": c.delayed,
        "dropped": c.dropped,
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

pub(super) async fn set_default(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match parse(&body) {
        Ok(faults) => {
            shared.deliverer.set_default_faults(Some(faults));
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => refuse(&shared, &error),
    }
}

pub(super) async fn clear_default(State(shared): State<Arc<Shared>>) -> Response {
    shared.deliverer.set_default_faults(None);
    StatusCode::NO_CONTENT.into_response()
}
