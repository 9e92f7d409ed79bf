//! The HTTP side: validation handshake, size limit, JSON, queue, 202 (R8, R10).

use super::Shared;
use super::escape::escaped;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use msgraph_presence::v1_0::models::ChangeNotificationCollection;
use serde::Deserialize;
use std::sync::Arc;
use tokio::sync::mpsc::error::TrySendError;

#[derive(Debug, Deserialize)]
pub(super) struct Handshake {
    #[serde(rename = "validationToken")]
    validation_token: Option<String>,
}

/// Longest validation token echoed; Graph's are far shorter.
const MAX_VALIDATION_TOKEN: usize = 4096;

pub(super) fn router(shared: Arc<Shared>, max_body: usize) -> Router {
    Router::new()
        .route("/", post(receive))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(shared)
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    query: Result<Query<Handshake>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    if let Ok(Query(Handshake {
        validation_token: Some(token),
    })) = query
    {
        // The handshake: echo the decoded token at once, as plain text.
        if token.len() > MAX_VALIDATION_TOKEN {
            if let Some(suppressed) = shared.warnings.admit("handshake") {
                tracing::warn!(
                    length = token.len(),
                    suppressed,
                    "validation token too long; refused"
                );
            }
            return StatusCode::BAD_REQUEST.into_response();
        }
        tracing::debug!("answering the validation handshake");
        return (
            StatusCode::OK,
            // The token is the caller's text: a browser must not sniff it into HTML, and no
            // cache should keep it.
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            token,
        )
            .into_response();
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            shared.stats.refused_body();
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                shared.stats.too_large();
            }
            if let Some(suppressed) = shared.warnings.admit("refused body") {
                tracing::warn!(status = %rejection.status(), suppressed, "notification body refused: {rejection}");
            }
            return rejection.status().into_response();
        }
    };
    let collection: ChangeNotificationCollection = match super::body::parse_batch(&body) {
        Ok(batch) => {
            for _ in 0..batch.malformed {
                shared.stats.rejected(super::Rejection::Malformed);
            }
            // One line per batch, not per item: the count is all an attacker gets to log.
            if batch.malformed > 0
                && let Some(suppressed) = shared.warnings.admit("malformed items")
            {
                tracing::warn!(
                    malformed = batch.malformed,
                    suppressed,
                    "batch items that do not decode were dropped"
                );
            }
            batch.collection
        }
        Err(error) => {
            shared.stats.refused_body();
            // serde's message quotes the input: escaped and capped.
            if let Some(suppressed) = shared.warnings.admit("refused body") {
                tracing::warn!(
                    error = %escaped(&error.to_string()),
                    suppressed,
                    "notification body is not a changeNotificationCollection; refused"
                );
            }
            return StatusCode::BAD_REQUEST.into_response();
        }
    };
    match shared.queue.try_send(collection) {
        Ok(()) => StatusCode::ACCEPTED.into_response(),
        Err(TrySendError::Full(_)) => {
            shared.stats.queue_full();
            if let Some(suppressed) = shared.warnings.admit("queue full") {
                tracing::warn!(
                    suppressed,
                    "notification queue full; answering 503 so Graph retries"
                );
            }
            unavailable()
        }
        Err(TrySendError::Closed(_)) => {
            shared.stats.queue_full();
            tracing::error!("notification worker stopped; answering 503");
            unavailable()
        }
    }
}

/// Seconds a refused sender is asked to wait: a full queue drains in well under that at
/// thousands of notifications per second, and Graph backs off on its own schedule anyway.
const RETRY_AFTER_SECONDS: &str = "1";

/// `503` with `Retry-After`: the body was not taken, so Graph must deliver it again (R10).
fn unavailable() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, RETRY_AFTER_SECONDS)],
    )
        .into_response()
}
