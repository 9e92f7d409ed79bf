//! Every bad input of issue 12 item 3, made from a genuine delivery of the emulator: a wrong
//! clientState, a bad signature, a tampered payload, an unknown certificate id, a bad validation
//! token, a body over the size limit and invalid JSON each get the right status and a `tracing`
//! event, and never reach the application; the genuine body afterwards does.

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use msgraph_presence::v1_0;
use msgraph_presence_notifications::receiver::{ApiVersion, Rejection};
use msgraph_presence_notifications::{Notification, PresenceSubscriptions};
use presence_emulator::Emulator;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

/// A webhook that answers the handshake and keeps every notification body.
async fn tap() -> (String, Arc<Mutex<Vec<Vec<u8>>>>, AbortOnDrop) {
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
                        return (
                            axum::http::StatusCode::OK,
                            [("content-type", "text/plain")],
                            token.clone(),
                        );
                    }
                    kept.lock().unwrap().push(body.to_vec());
                    (
                        axum::http::StatusCode::ACCEPTED,
                        [("content-type", "text/plain")],
                        String::new(),
                    )
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

/// A sealed, signed delivery exactly as the emulator sends it.
async fn genuine_delivery(emu: &Emulator, user: &str) -> Value {
    let (url, bodies, _tap) = tap().await;
    let subs = PresenceSubscriptions::builder(&client(emu, "any"), &url, certificate())
        .client_state(CLIENT_STATE)
        .subscribe(&[user])
        .await
        .unwrap();
    let body = v1_0::models::SetPresenceRequest::new(
        "22553876-f5ab-4529-bffb-cfe50aa89f87",
        v1_0::models::Availability::DoNotDisturb,
        v1_0::models::Activity::Presenting,
    );
    client(emu, "writer")
        .v1_0()
        .user(user)
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
    for _ in 0..200 {
        let first = bodies.lock().unwrap().first().cloned();
        if let Some(body) = first {
            subs.shutdown().await;
            return serde_json::from_slice(&body).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the emulator delivered nothing");
}

/// What `tracing` printed, for the assertions on events.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    /// Everything logged since the last call.
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

fn encrypted(body: &mut Value) -> &mut Value {
    &mut body["value"][0]["encryptedContent"]
}

/// Flips one bit of a base64 field's decoded bytes.
fn flip(field: &mut Value) {
    let mut bytes = STANDARD.decode(field.as_str().unwrap()).unwrap();
    bytes[5] ^= 0x01;
    *field = Value::String(STANDARD.encode(bytes));
}

const MAX_BODY: usize = 8 * 1024;

// current_thread (the default): the receiver's worker runs on this thread, so the scoped
// `tracing` subscriber sees its events.
#[tokio::test]
async fn bad_inputs_get_the_right_status_an_event_and_never_reach_the_application() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let emu = Emulator::start().await.unwrap();
    let user = users(1).remove(0);
    let genuine = genuine_delivery(&emu, &user).await;
    assert!(genuine["validationTokens"][0].is_string(), "{genuine}");
    let hook = hook(&emu, ApiVersion::V1_0, Some(MAX_BODY)).await;
    let _server = hook.server;
    let mut receiver = hook.receiver;
    let stats = receiver.stats();
    let http = reqwest::Client::new();
    let post = |body: Vec<u8>| {
        http.post(&hook.url)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    type Mutation = fn(&mut Value);
    let dropped: [(&str, Mutation, Rejection, &str); 5] = [
        (
            "wrong clientState",
            |b| b["value"][0]["clientState"] = "guessed".into(),
            Rejection::ClientState,
            "ClientState",
        ),
        (
            "bad signature",
            |b| flip(&mut encrypted(b)["dataSignature"]),
            Rejection::Crypto,
            "dataSignature does not match data",
        ),
        (
            "tampered payload",
            |b| flip(&mut encrypted(b)["data"]),
            Rejection::Crypto,
            "dataSignature does not match data",
        ),
        (
            "unknown certificate id",
            |b| encrypted(b)["encryptionCertificateId"] = "someone-elses".into(),
            Rejection::UnknownCertificate,
            "UnknownCertificate",
        ),
        (
            "forged validation token",
            |b| {
                let token = b["validationTokens"][0].as_str().unwrap().to_owned();
                let (signed, signature) = token.rsplit_once('.').unwrap();
                let forged = if signature.starts_with('A') { "B" } else { "A" };
                b["validationTokens"][0] = format!("{signed}.{forged}{}", &signature[1..]).into();
            },
            Rejection::ValidationToken,
            "validation token failed",
        ),
    ];
    for (case, mutate, reason, event) in dropped {
        let mut body = genuine.clone();
        mutate(&mut body);
        let before = stats.snapshot().rejected(reason);
        let response = post(serde_json::to_vec(&body).unwrap()).await.unwrap();
        // Acknowledged before any check (R10), then dropped.
        assert_eq!(response.status(), 202, "{case}");
        stats.wait_for(|c| c.rejected(reason) > before).await;
        let logged = logs.take();
        assert!(
            logged.contains("WARN") && logged.contains(event),
            "{case}: {logged}"
        );
    }

    let refused: [(&str, Vec<u8>, u16, &str); 2] = [
        (
            "body over the size limit",
            vec![b' '; MAX_BODY + 1],
            413,
            "notification body refused",
        ),
        (
            "invalid JSON",
            b"{\"value\": [".to_vec(),
            400,
            "not a changeNotificationCollection",
        ),
    ];
    for (number, (case, body, status, event)) in refused.into_iter().enumerate() {
        let response = post(body).await.unwrap();
        assert_eq!(response.status(), status, "{case}");
        assert_eq!(stats.snapshot().refused_bodies, number as u64 + 1, "{case}");
        let logged = logs.take();
        assert!(
            logged.contains("WARN") && logged.contains(event),
            "{case}: {logged}"
        );
    }

    // Issue 22 item 3: an item that does not decode is dropped on its own; the envelope is accepted.
    let response = post(br#"{"value": [{"clientState": "x"}]}"#.to_vec())
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        202,
        "an undecodable item in a valid envelope"
    );
    assert_eq!(stats.snapshot().rejected(Rejection::Malformed), 1);
    assert!(logs.take().contains("do not decode"));

    // None of it reached the application: the first thing it gets is the genuine delivery.
    let response = post(serde_json::to_vec(&genuine).unwrap()).await.unwrap();
    assert_eq!(response.status(), 202);
    let first = tokio::time::timeout(Duration::from_secs(10), receiver.next())
        .await
        .unwrap()
        .unwrap();
    let Notification::Presence(change) = first else {
        panic!("expected the genuine presence: {first:?}");
    };
    assert_eq!(change.user_id, user);
    assert_eq!(change.presence.availability(), Some("DoNotDisturb"));
    let counts = stats.snapshot();
    // Five item rejections from the checks above, plus the one Malformed item.
    assert_eq!((counts.delivered, counts.rejected_total()), (1, 6));
}
