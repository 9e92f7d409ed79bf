//! The device authorization, token and authorize endpoints.

use super::Idp;
use super::grants::{AuthCode, DEVICE_CODE_LIFETIME, DeviceGrant, DeviceStatus, make_room};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use jiff::SignedDuration;
use sha2::Digest;
use std::collections::HashMap;

pub(super) fn router(base_url: String) -> Router<Idp> {
    let verification = format!("{}/device", base_url.trim_end_matches('/'));
    Router::new()
        .route(
            "/{tenant}/oauth2/v2.0/devicecode",
            post(move |state, body| devicecode(state, body, verification.clone())),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize))
}

fn form(bytes: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// An OAuth error answer; AADSTS codes lead the description as on the real platform.
fn oauth_error(code: &str, description: &str) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        serde_json::json!({ "error": code, "error_description": description }),
    )
}

async fn devicecode(State(idp): State<Idp>, body: Bytes, verification_uri: String) -> Response {
    let form = form(&body);
    let Some(client_id) = form.get("client_id").filter(|c| !c.is_empty()) else {
        return oauth_error("invalid_request", "AADSTS900144: client_id is required.");
    };
    let scope = form.get("scope").cloned().unwrap_or_default();
    let mut grants = idp.grants();
    let device_code = format!("dc-{}", uuid::Uuid::new_v4().simple());
    let user_code = uuid::Uuid::new_v4().simple().to_string()[..8].to_uppercase();
    let now = grants.clock.now();
    let expires = now + DEVICE_CODE_LIFETIME;
    make_room(&mut grants.devices, now, |g| g.expires);
    grants.devices.insert(
        device_code.clone(),
        DeviceGrant {
            user_code: user_code.clone(),
            client_id: client_id.clone(),
            scope,
            expires,
            status: DeviceStatus::Pending,
        },
    );
    json(
        StatusCode::OK,
        serde_json::json!({
            "device_code": device_code,
            "user_code": user_code,
            "verification_uri": verification_uri,
            "expires_in": DEVICE_CODE_LIFETIME.as_secs(),
            "interval": grants.interval,
            "message": format!("To sign in, open {verification_uri} and enter the code {user_code} to authenticate."),
        }),
    )
}

async fn token(State(idp): State<Idp>, Path(_tenant): Path<String>, body: Bytes) -> Response {
    let form = form(&body);
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let client_id = field("client_id");
    if client_id.is_empty() {
        return oauth_error("invalid_request", "AADSTS900144: client_id is required.");
    }
    let mut grants = idp.grants();
    let now = grants.clock.now();
    match field("grant_type") {
        "urn:ietf:params:oauth:grant-type:device_code" => {
            let code = field("device_code");
            let Some(grant) = grants.devices.get(code).cloned() else {
                return oauth_error("bad_verification_code", "AADSTS70019: unknown device code.");
            };
            if grant.client_id != client_id {
                return oauth_error(
                    "invalid_grant",
                    "AADSTS70000: the code belongs to another client.",
                );
            }
            if now >= grant.expires {
                grants.devices.remove(code);
                return oauth_error("expired_token", "AADSTS70019: the device code expired.");
            }
            if grants.slow_downs > 0 {
                grants.slow_downs -= 1;
                return oauth_error(
                    "slow_down",
                    "Polling too fast; add 5 seconds to the interval.",
                );
            }
            match grant.status {
                DeviceStatus::Pending => oauth_error(
                    "authorization_pending",
                    "AADSTS70016: the user has not finished signing in.",
                ),
                DeviceStatus::Declined => {
                    grants.devices.remove(code);
                    oauth_error("authorization_declined", "AADSTS70000: the user declined.")
                }
                DeviceStatus::Approved(user) => {
                    grants.devices.remove(code);
                    json(
                        StatusCode::OK,
                        grants.issue_delegated(client_id, &user, &grant.scope),
                    )
                }
            }
        }
        "refresh_token" => {
            let presented = field("refresh_token");
            let Some(grant) = grants.refresh.get(presented).cloned() else {
                return oauth_error(
                    "invalid_grant",
                    "AADSTS50173: the refresh token was revoked or is unknown; sign in again.",
                );
            };
            if grant.client_id != client_id {
                return oauth_error(
                    "invalid_grant",
                    "AADSTS700016: the token belongs to another client.",
                );
            }
            if now >= grant.expires {
                grants.refresh.remove(presented);
                return oauth_error(
                    "invalid_grant",
                    "AADSTS700082: the refresh token expired due to inactivity.",
                );
            }
            if grants.needs_interaction.contains(&grant.user) {
                return oauth_error(
                    "interaction_required",
                    "AADSTS50076: multi-factor authentication is now required.",
                );
            }
            // Rotation: the presented token is spent, the answer carries its successor.
            grants.refresh.remove(presented);
            grants.refreshes += 1;
            let scope = if field("scope").is_empty() {
                grant.scope.clone()
            } else {
                field("scope").to_owned()
            };
            json(
                StatusCode::OK,
                grants.issue_delegated(client_id, &grant.user, &scope),
            )
        }
        "authorization_code" => {
            let Some(grant) = grants.codes.remove(field("code")) else {
                return oauth_error(
                    "invalid_grant",
                    "AADSTS70008: the code is unknown, used or expired.",
                );
            };
            if now >= grant.expires || grant.client_id != client_id {
                return oauth_error(
                    "invalid_grant",
                    "AADSTS70008: the code is expired or for another client.",
                );
            }
            if grant.redirect_uri != field("redirect_uri") {
                return oauth_error(
                    "invalid_grant",
                    "AADSTS50148: redirect_uri does not match the authorize request.",
                );
            }
            let verifier = field("code_verifier");
            let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(sha2::Sha256::digest(verifier.as_bytes()));
            if verifier.is_empty() || challenge != grant.challenge {
                return oauth_error(
                    "invalid_grant",
                    "AADSTS501481: the code_verifier does not match the code_challenge.",
                );
            }
            json(
                StatusCode::OK,
                grants.issue_delegated(client_id, &grant.user, &grant.scope),
            )
        }
        "client_credentials" => json(StatusCode::OK, grants.issue_app_only(client_id)),
        other => oauth_error(
            "unsupported_grant_type",
            &format!("AADSTS70003: grant type '{other}' is not supported."),
        ),
    }
}

/// Signs the emulator's default user in at once and redirects to the loopback client.
async fn authorize(State(idp): State<Idp>, uri: Uri) -> Response {
    let query = form(uri.query().unwrap_or("").as_bytes());
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    let redirect_uri = field("redirect_uri");
    let loopback = ["http://127.0.0.1:", "http://localhost:", "http://[::1]:"]
        .iter()
        .any(|p| redirect_uri.starts_with(p));
    if !loopback {
        return oauth_error(
            "invalid_request",
            "AADSTS50011: redirect_uri must be a loopback address.",
        );
    }
    let mut target = match url::Url::parse(&redirect_uri) {
        Ok(url) => url,
        Err(_) => return oauth_error("invalid_request", "AADSTS50011: redirect_uri is not a URL."),
    };
    let mut grants = idp.grants();
    {
        let mut pairs = target.query_pairs_mut();
        if grants.decline_authorize {
            pairs.append_pair("error", "access_denied");
            pairs.append_pair(
                "error_description",
                "AADSTS65004: the user declined to consent.",
            );
        } else if field("code_challenge_method") != "S256" || field("code_challenge").is_empty() {
            pairs.append_pair("error", "invalid_request");
            pairs.append_pair(
                "error_description",
                "AADSTS9002325: PKCE with S256 is required.",
            );
        } else {
            let code = format!("ac-{}", uuid::Uuid::new_v4().simple());
            let user = grants.default_user.clone();
            let now = grants.clock.now();
            let expires = now + SignedDuration::from_mins(10);
            make_room(&mut grants.codes, now, |c| c.expires);
            grants.codes.insert(
                code.clone(),
                AuthCode {
                    client_id: field("client_id"),
                    redirect_uri: redirect_uri.clone(),
                    challenge: field("code_challenge"),
                    scope: field("scope"),
                    user,
                    expires,
                },
            );
            pairs.append_pair("code", &code);
        }
        pairs.append_pair("state", &field("state"));
    }
    (StatusCode::FOUND, [(header::LOCATION, target.to_string())]).into_response()
}
