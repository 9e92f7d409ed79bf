//! `/_emulator/identity/...`: the switches tests flip on the emulated identity platform.

use super::Idp;
use super::grants::DeviceStatus;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub(super) fn router() -> Router<Idp> {
    Router::new()
        .route("/_emulator/identity/approve", post(approve))
        .route("/_emulator/identity/decline", post(decline))
        .route("/_emulator/identity/slow-down", post(slow_down))
        .route("/_emulator/identity/interval", post(interval))
        .route("/_emulator/identity/revoke", post(revoke))
        .route("/_emulator/identity/expire-refresh", post(expire_refresh))
        .route(
            "/_emulator/identity/require-interaction",
            post(require_interaction),
        )
        .route(
            "/_emulator/identity/decline-authorize",
            post(decline_authorize),
        )
        .route("/_emulator/identity/stats", get(stats))
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct Body {
    user_code: String,
    user: Option<String>,
    times: u32,
    seconds: u64,
    required: bool,
    decline: bool,
}

/// The control body, or the 400 answer to send (boxed: a `Response` is large next to `Body`).
fn parse(body: &Bytes) -> Result<Body, Box<Response>> {
    serde_json::from_slice(body).map_err(|e| {
        Box::new((StatusCode::BAD_REQUEST, format!("bad control body: {e}")).into_response())
    })
}

fn json(body: serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn set_status(idp: &Idp, user_code: &str, status: DeviceStatus) -> Response {
    let mut grants = idp.grants();
    match grants
        .devices
        .values_mut()
        .find(|g| g.user_code == user_code)
    {
        Some(grant) => {
            grant.status = status;
            StatusCode::NO_CONTENT.into_response()
        }
        None => (
            StatusCode::NOT_FOUND,
            "no pending sign-in with that user code",
        )
            .into_response(),
    }
}

async fn approve(State(idp): State<Idp>, body: Bytes) -> Response {
    let body = match parse(&body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let user = body
        .user
        .unwrap_or_else(|| idp.grants().default_user.clone());
    set_status(&idp, &body.user_code, DeviceStatus::Approved(user))
}

async fn decline(State(idp): State<Idp>, body: Bytes) -> Response {
    match parse(&body) {
        Ok(b) => set_status(&idp, &b.user_code, DeviceStatus::Declined),
        Err(r) => *r,
    }
}

async fn slow_down(State(idp): State<Idp>, body: Bytes) -> Response {
    match parse(&body) {
        Ok(b) => {
            idp.grants().slow_downs = b.times.max(1);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(r) => *r,
    }
}

async fn interval(State(idp): State<Idp>, body: Bytes) -> Response {
    match parse(&body) {
        Ok(b) => {
            idp.grants().interval = b.seconds;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(r) => *r,
    }
}

/// The user named, or the default user.
fn user_of(idp: &Idp, body: &Body) -> String {
    body.user
        .clone()
        .unwrap_or_else(|| idp.grants().default_user.clone())
}

async fn revoke(State(idp): State<Idp>, body: Bytes) -> Response {
    let body = match parse(&body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let user = user_of(&idp, &body);
    let mut grants = idp.grants();
    let before = grants.refresh.len();
    grants.refresh.retain(|_, g| g.user != user);
    json(serde_json::json!({ "revoked": before - grants.refresh.len() }))
}

async fn expire_refresh(State(idp): State<Idp>, body: Bytes) -> Response {
    let body = match parse(&body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let user = user_of(&idp, &body);
    let mut grants = idp.grants();
    let now = grants.clock.now();
    let mut expired = 0;
    for grant in grants.refresh.values_mut().filter(|g| g.user == user) {
        grant.expires = now;
        expired += 1;
    }
    json(serde_json::json!({ "expired": expired }))
}

async fn require_interaction(State(idp): State<Idp>, body: Bytes) -> Response {
    let body = match parse(&body) {
        Ok(b) => b,
        Err(r) => return *r,
    };
    let user = user_of(&idp, &body);
    let mut grants = idp.grants();
    if body.required {
        grants.needs_interaction.insert(user);
    } else {
        grants.needs_interaction.remove(&user);
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn decline_authorize(State(idp): State<Idp>, body: Bytes) -> Response {
    match parse(&body) {
        Ok(b) => {
            idp.grants().decline_authorize = b.decline;
            StatusCode::NO_CONTENT.into_response()
        }
        Err(r) => *r,
    }
}

async fn stats(State(idp): State<Idp>) -> Response {
    let grants = idp.grants();
    json(serde_json::json!({
        "refreshes": grants.refreshes,
        "liveRefreshTokens": grants.refresh.len(),
    }))
}
