//! The subscription endpoints. Each checks the caller (R6), applies injected faults, then the
//! rules; answers carry request ids and land in the journal like every API call.

use super::super::handlers::Version;
use super::super::odata::{ApiError, RequestIds, error_response};
use super::super::state::{RecordedRequest, Shared};
use super::events::{lock, send_lifecycle, tick};
use super::identity::{Caller, caller};
use super::store::Subscription;
use super::{handshake, validate};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::Arc;

type Outcome = Result<(StatusCode, Option<Value>), ApiError>;

/// The message Graph answers a second presence subscription with, typos kept (R5).
const CONFLICT_MESSAGE: &str = "Operation: Create; Exception:[Status Code: Conflict; Reason: A subscripton already exists. It must be deleted before a another can be made.]";

fn respond(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    outcome: Outcome,
) -> Response {
    let client_request_id = headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok());
    let ids = RequestIds::new(shared.next_serial(), client_request_id, shared.clock.now());
    let response = match outcome {
        Ok((status, body)) => {
            let mut response = match body {
                Some(body) => (
                    status,
                    [(header::CONTENT_TYPE, "application/json")],
                    body.to_string(),
                )
                    .into_response(),
                None => status.into_response(),
            };
            ids.stamp(&mut response);
            response
        }
        Err(error) => error_response(&error, &ids),
    };
    shared.record(RecordedRequest {
        method: method.to_string(),
        path: uri.path().to_owned(),
        status: response.status().as_u16(),
    });
    response
}

fn version_of(uri: &Uri) -> Version {
    if uri.path().starts_with("/beta/") {
        Version::Beta
    } else {
        Version::V1_0
    }
}

/// Token, then faults, then expiry housekeeping: what every subscription call does first.
fn admit(shared: &Shared, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let who = caller(headers, &shared.signed_in_user)?;
    shared.faults().serve()?;
    tick(shared);
    Ok(who)
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "ResourceNotFound",
        format!("The object '{id}' does not exist."),
    )
}

/// The caller's own subscription by id (another app's or user's reads as absent).
fn owned(shared: &Shared, who: &Caller, id: &str) -> Result<Subscription, ApiError> {
    lock(shared)
        .get(id)
        .filter(|s| s.app_id == who.app_id && s.creator == who.user_id)
        .cloned()
        .ok_or_else(|| not_found(id))
}

pub(super) async fn create(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = create_inner(&shared, &uri, &headers, &body).await;
    respond(&shared, &method, &uri, &headers, outcome)
}

fn conflict(shared: &Shared, who: &Caller) -> Result<(), ApiError> {
    let exists = lock(shared)
        .values()
        .any(|s| s.is_presence() && s.app_id == who.app_id && s.creator == who.user_id);
    if exists {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "ExtensionError",
            CONFLICT_MESSAGE,
        ));
    }
    Ok(())
}

async fn create_inner(shared: &Shared, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Outcome {
    let who = admit(shared, headers)?;
    let version = version_of(uri);
    let draft = validate::create(body, version, shared.clock.now())?;
    conflict(shared, &who)?;
    // R8: both URLs, each time (twice when they are equal), before anything is stored.
    let http = shared.deliverer.http().clone();
    handshake::validate(&http, &draft.notification_url, "notificationUrl")
        .await
        .map_err(ApiError::bad_request)?;
    if let Some(lifecycle) = &draft.lifecycle_url {
        handshake::validate(&http, lifecycle, "lifecycleNotificationUrl")
            .await
            .map_err(ApiError::bad_request)?;
    }
    let subscription = Subscription {
        id: uuid::Uuid::new_v4().to_string(),
        version,
        app_id: who.app_id.clone(),
        creator: who.user_id.clone(),
        tenant_id: who.tenant_id.clone(),
        resource: draft.resource,
        user_ids: draft.user_ids,
        notification_url: draft.notification_url,
        lifecycle_url: draft.lifecycle_url,
        client_state: draft.client_state,
        expiration: draft.expiration,
        include_resource_data: draft.include_resource_data,
        certificate: draft.certificate,
        notification_url_app_id: draft.notification_url_app_id,
        last_reauthorization_notice: None,
    };
    // Checked again: another create may have finished during the handshake.
    conflict(shared, &who)?;
    let json = subscription.to_json(true);
    lock(shared).insert(subscription.id.clone(), subscription);
    Ok((StatusCode::CREATED, Some(json)))
}

pub(super) async fn list(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let outcome = admit(&shared, &headers).map(|who| {
        let value: Vec<Value> = lock(&shared)
            .values()
            .filter(|s| s.app_id == who.app_id && s.creator == who.user_id)
            .map(|s| s.to_json(false))
            .collect();
        (StatusCode::OK, Some(json!({ "value": value })))
    });
    respond(&shared, &method, &uri, &headers, outcome)
}

pub(super) async fn get_one(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let outcome = admit(&shared, &headers)
        .and_then(|who| owned(&shared, &who, &id))
        .map(|s| (StatusCode::OK, Some(s.to_json(true))));
    respond(&shared, &method, &uri, &headers, outcome)
}

pub(super) async fn delete(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let outcome = admit(&shared, &headers)
        .and_then(|who| owned(&shared, &who, &id))
        .map(|s| {
            lock(&shared).remove(&s.id);
            (StatusCode::NO_CONTENT, None)
        });
    respond(&shared, &method, &uri, &headers, outcome)
}

pub(super) async fn reauthorize(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let outcome = admit(&shared, &headers)
        .and_then(|who| owned(&shared, &who, &id))
        .map(|_| (StatusCode::NO_CONTENT, None));
    respond(&shared, &method, &uri, &headers, outcome)
}

pub(super) async fn update(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let outcome = update_inner(&shared, &id, &headers, &body).await;
    respond(&shared, &method, &uri, &headers, outcome)
}

async fn update_inner(shared: &Shared, id: &str, headers: &HeaderMap, body: &[u8]) -> Outcome {
    let who = admit(shared, headers)?;
    owned(shared, &who, id)?;
    let patch = validate::patch(body, shared.clock.now())?;
    if let Some(url) = &patch.notification_url {
        // R19: a new notificationUrl is validated again.
        handshake::validate(shared.deliverer.http(), url, "notificationUrl")
            .await
            .map_err(ApiError::bad_request)?;
    }
    let mut store = lock(shared);
    let subscription = store.get_mut(id).ok_or_else(|| not_found(id))?;
    if let Some(expiration) = patch.expiration {
        subscription.expiration = expiration;
        subscription.last_reauthorization_notice = None;
    }
    if let Some(url) = patch.notification_url {
        subscription.notification_url = url;
    }
    if let Some(certificate) = patch.certificate {
        subscription.certificate = Some(certificate);
    }
    Ok((StatusCode::OK, Some(subscription.to_json(true))))
}

pub(super) async fn jwks(State(shared): State<Arc<Shared>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        shared.deliverer.jwks().to_string(),
    )
        .into_response()
}

pub(super) async fn openid_configuration(State(shared): State<Arc<Shared>>) -> Response {
    let base = &shared.base_url;
    let body = json!({
        "issuer": "https://login.microsoftonline.com/{tenantid}/v2.0",
        "jwks_uri": format!("{base}/common/discovery/v2.0/keys"),
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// `POST /_emulator/subscriptions/{id}/lifecycle` with `{"event": "missed"}` → 204, or 404.
pub(super) async fn lifecycle_control(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let event = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("event").and_then(Value::as_str).map(str::to_owned));
    let Some(event) = event else {
        let ids = RequestIds::new(shared.next_serial(), None, shared.clock.now());
        return error_response(
            &ApiError::bad_request(
                "Send {\"event\": \"reauthorizationRequired\" | \"subscriptionRemoved\" | \"missed\"}.",
            ),
            &ids,
        );
    };
    if send_lifecycle(&shared, &id, &event) {
        StatusCode::NO_CONTENT.into_response()
    } else {
        let ids = RequestIds::new(shared.next_serial(), None, shared.clock.now());
        error_response(&not_found(&id), &ids)
    }
}
