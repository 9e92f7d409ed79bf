//! Genuine deliveries: what the emulator sends for real presence changes, captured by a
//! webhook that only answers the handshake and keeps each body, so a test can re-send,
//! combine or damage them.

use super::*;
use msgraph_presence::v1_0;
use msgraph_presence_notifications::PresenceSubscriptions;
use serde_json::Value;

/// A webhook that answers the handshake and keeps every notification body.
pub async fn tap() -> (String, Arc<Mutex<Vec<Vec<u8>>>>, AbortOnDrop) {
    use axum::extract::Query;
    use std::collections::HashMap;
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&bodies);
    let app = axum::Router::new().route(
        "/",
        axum::routing::post(
            move |Query(query): Query<HashMap<String, String>>, body: axum::body::Bytes| {
                let kept = Arc::clone(&kept);
                async move {
                    if let Some(token) = query.get("validationToken") {
                        return (axum::http::StatusCode::OK, token.clone());
                    }
                    kept.lock().unwrap().push(body.to_vec());
                    (axum::http::StatusCode::ACCEPTED, String::new())
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, bodies, AbortOnDrop::new(server))
}

/// One genuine delivery body per user in `users` (each user's presence is set once), in the
/// order the emulator sent them.
pub async fn genuine_deliveries(emu: &Emulator, users: &[String]) -> Vec<Value> {
    genuine_deliveries_as(emu, "any", users).await
}

/// A bearer token the emulator reads as a delegated token of a user in `tenant` (a user of
/// its own, since the emulator allows one presence subscription per app and signed-in user).
pub fn token_in_tenant(tenant: &str) -> String {
    use base64::Engine as _;
    let claims = serde_json::json!({
        "appid": presence_emulator::DEFAULT_APP_ID,
        "oid": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "tid": tenant,
        "scp": "Presence.Read.All Presence.ReadWrite",
    });
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("e30.{payload}.x")
}

/// As [`genuine_deliveries`], subscribed with `subscriber_token` (e.g. another tenant's).
pub async fn genuine_deliveries_as(
    emu: &Emulator,
    subscriber_token: &str,
    users: &[String],
) -> Vec<Value> {
    let (url, bodies, _tap) = tap().await;
    let subs = PresenceSubscriptions::builder(&client(emu, subscriber_token), &url, certificate())
        .client_state(CLIENT_STATE)
        .subscribe(users)
        .await
        .unwrap();
    let body = v1_0::models::SetPresenceRequest::new(
        "22553876-f5ab-4529-bffb-cfe50aa89f87",
        v1_0::models::Availability::DoNotDisturb,
        v1_0::models::Activity::Presenting,
    );
    let writer = client(emu, "writer");
    for user in users {
        writer
            .v1_0()
            .user(user)
            .presence()
            .set_presence(&body)
            .await
            .unwrap();
    }
    for _ in 0..500 {
        let got: Vec<Value> = bodies
            .lock()
            .unwrap()
            .iter()
            .map(|b| serde_json::from_slice(b).unwrap())
            .collect();
        let items: usize = got
            .iter()
            .map(|b| b["value"].as_array().map_or(0, Vec::len))
            .sum();
        if items >= users.len() {
            subs.shutdown().await;
            return got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the emulator did not deliver a change for each of {users:?}");
}

/// The items of `deliveries`, flattened, and the validation tokens of the first one.
pub fn items_and_tokens(deliveries: &[Value]) -> (Vec<Value>, Value) {
    let items = deliveries
        .iter()
        .flat_map(|b| b["value"].as_array().cloned().unwrap_or_default())
        .collect();
    (items, deliveries[0]["validationTokens"].clone())
}
