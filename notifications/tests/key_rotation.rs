//! Signing keys that rotate (issue 22, F1): a receiver whose key source is the emulator's OpenID
//! configuration keeps accepting rich notifications across a rotation, refreshing once on the
//! unknown `kid`; a failing, redirecting, oversized or off-list keys endpoint is refused with a
//! clear error and the last good keys stay.

mod support;

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use msgraph_presence::v1_0;
use msgraph_presence_notifications::receiver::{ApiVersion, BuildError, KeyFetchError, KeySource};
use msgraph_presence_notifications::{PresenceSubscriptions, Receiver, Subscriptions};
use presence_emulator::{DEFAULT_APP_ID, Emulator};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

const SESSION: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";
const WAIT: Duration = Duration::from_secs(20);

fn builder(emu: &Emulator) -> msgraph_presence_notifications::receiver::ReceiverBuilder {
    let clock = emu.clock().clone();
    Receiver::builder()
        .app_id(DEFAULT_APP_ID)
        .client_state(CLIENT_STATE)
        .certificate(CERT_ID, private_key())
        .api_version(ApiVersion::V1_0)
        .clock(move || clock.now())
}

async fn serve(receiver: Receiver) -> Hook {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let router = receiver.router();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Hook {
        url,
        receiver,
        server: AbortOnDrop::new(server),
    }
}

async fn subscribe(emu: &Emulator, hook: &Hook, ids: &[String]) -> Subscriptions {
    PresenceSubscriptions::builder(&client(emu, "any"), &hook.url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .subscribe(ids)
        .await
        .unwrap()
}

/// Changes `user`'s presence (alternating, so every call notifies).
async fn flip(emu: &Emulator, user: &str, busy: bool) {
    use v1_0::models::{Activity, Availability, SetPresenceRequest};
    let body = if busy {
        SetPresenceRequest::new(SESSION, Availability::Busy, Activity::InACall)
    } else {
        SetPresenceRequest::new(SESSION, Availability::Away, Activity::Away)
    };
    client(emu, "writer")
        .v1_0()
        .user(user)
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notifications_keep_flowing_across_a_key_rotation() {
    let emu = Emulator::start().await.unwrap();
    let receiver = builder(&emu)
        .key_source(KeySource::openid_configuration(
            emu.openid_configuration_url(),
        ))
        .build()
        .unwrap();
    assert_eq!(receiver.refresh_keys().await, Ok(1));
    let hook = serve(receiver).await;
    let ids = users(3);
    let subs = subscribe(&emu, &hook, &ids).await;
    let _server = hook.server;
    let mut app = forward(hook.receiver, Arc::new(Mutex::new(Some(subs))));
    // The fetch at build and the explicit one.
    let before = app.stats.wait_for(|c| c.key_fetches == 2).await;
    assert_eq!(before.unknown_signing_keys, 0);

    flip(&emu, &ids[0], true).await;
    assert_eq!(next_change(&mut app.changes, WAIT).await.user_id, ids[0]);

    // Rotate, then three changes at once: the first unknown kid starts one refresh, which the
    // checks wait for, so no change is lost; the others start none (one in flight, then the
    // five-minute floor).
    emu.rotate_signing_key().unwrap();
    for id in &ids {
        flip(&emu, id, false).await;
    }
    let settled = tokio::time::timeout(
        WAIT,
        app.stats
            .wait_for(|c| c.delivered + c.rejected_total() == 4 && c.key_fetches == 3),
    )
    .await
    .expect("the batches after the rotation were not all judged");
    assert_eq!(settled.delivered, 4, "{settled:?}");
    assert_eq!(settled.unknown_signing_keys, 0, "{settled:?}");
    let mut seen = Vec::new();
    for _ in &ids {
        seen.push(next_change(&mut app.changes, WAIT).await.user_id);
    }
    seen.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(seen, expected);
    // Changes keep passing after the refresh.
    flip(&emu, &ids[0], true).await;
    let change = loop {
        let change = next_change(&mut app.changes, WAIT).await;
        if change.presence.availability() == Some("Busy") {
            break change;
        }
    };
    assert_eq!(change.user_id, ids[0]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let after = app.stats.snapshot();
    assert_eq!(after.key_fetches, 3, "exactly one refresh for the rotation");

    // A second rotation within five minutes: the unknown kid is counted and rejected, and no
    // fetch is made (the floor holds).
    emu.rotate_signing_key().unwrap();
    flip(&emu, &ids[1], true).await;
    let rejected = app
        .stats
        .wait_for(|c| c.unknown_signing_keys == after.unknown_signing_keys + 1)
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.stats.snapshot().key_fetches, 3, "{rejected:?}");
    assert_eq!(app.stats.snapshot().delivered, after.delivered);
}

/// What the fake identity host answers at `/keys`.
const OK: u8 = 0;
const FAIL: u8 = 1;
const REDIRECT: u8 = 2;
const HUGE: u8 = 3;
const OFF_LIST: u8 = 4;

fn json(value: serde_json::Value) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        value.to_string(),
    )
        .into_response()
}

/// An identity host on loopback serving the emulator's keys, or misbehaving as `mode` says.
async fn identity_host(jwks: serde_json::Value, mode: Arc<AtomicU8>) -> (String, AbortOnDrop) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let config = {
        let (base, mode) = (base.clone(), Arc::clone(&mode));
        move || async move {
            let jwks_uri = if mode.load(Ordering::SeqCst) == OFF_LIST {
                "https://keys.evil.example/keys".to_owned()
            } else {
                format!("{base}/keys")
            };
            json(serde_json::json!({ "jwks_uri": jwks_uri }))
        }
    };
    let keys = move || async move {
        let response: Response = match mode.load(Ordering::SeqCst) {
            FAIL => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            REDIRECT => (
                StatusCode::FOUND,
                [(header::LOCATION, "http://127.0.0.1:9/keys")],
            )
                .into_response(),
            HUGE => " ".repeat(300 * 1024).into_response(),
            _ => json(jwks.clone()),
        };
        response
    };
    let app = axum::Router::new()
        .route("/config", axum::routing::get(config))
        .route("/keys", axum::routing::get(keys));
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("{base}/config"), AbortOnDrop::new(task))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_key_endpoints_are_refused_and_the_last_good_keys_stay() {
    let emu = Emulator::start().await.unwrap();
    let mode = Arc::new(AtomicU8::new(OK));
    let (config_url, _host) = identity_host(emu.jwks(), Arc::clone(&mode)).await;
    let receiver = builder(&emu)
        .key_source(KeySource::openid_configuration(config_url))
        .build()
        .unwrap();
    assert_eq!(receiver.refresh_keys().await, Ok(1));
    // The fetch at build runs in the background: let it finish before the host misbehaves.
    receiver.stats().wait_for(|c| c.key_fetches == 2).await;

    mode.store(FAIL, Ordering::SeqCst);
    let failed = receiver.refresh_keys().await.unwrap_err();
    assert!(
        matches!(failed, KeyFetchError::Status { status: 500, .. }),
        "{failed}"
    );
    mode.store(REDIRECT, Ordering::SeqCst);
    let redirect = receiver.refresh_keys().await.unwrap_err();
    assert!(
        matches!(redirect, KeyFetchError::Redirect { status: 302, .. }),
        "{redirect}"
    );
    assert!(redirect.to_string().contains("redirects are refused"));
    mode.store(HUGE, Ordering::SeqCst);
    let huge = receiver.refresh_keys().await.unwrap_err();
    assert!(
        matches!(huge, KeyFetchError::TooLarge { limit: 262_144, .. }),
        "{huge}"
    );
    mode.store(OFF_LIST, Ordering::SeqCst);
    let off_list = receiver.refresh_keys().await.unwrap_err();
    assert!(
        matches!(off_list, KeyFetchError::HostNotAllowed { .. }),
        "{off_list}"
    );
    assert!(off_list.to_string().contains("keys.evil.example"));
    let counts = receiver.stats().snapshot();
    assert_eq!(counts.key_fetch_failures, 4, "{counts:?}");

    // The keys fetched first still verify the emulator's tokens.
    let hook = serve(receiver).await;
    let ids = users(1);
    let subs = subscribe(&emu, &hook, &ids).await;
    let _server = hook.server;
    let mut app = forward(hook.receiver, Arc::new(Mutex::new(Some(subs))));
    flip(&emu, &ids[0], true).await;
    assert_eq!(next_change(&mut app.changes, WAIT).await.user_id, ids[0]);
    assert_eq!(app.stats.snapshot().unknown_signing_keys, 0);
}

#[tokio::test]
async fn a_key_source_is_required_and_checked_at_build() {
    let emu = Emulator::start().await.unwrap();
    assert_eq!(builder(&emu).build().unwrap_err(), BuildError::NoKeySource);
    assert!(builder(&emu).without_rich_notifications().build().is_ok());
    let off_list = builder(&emu)
        .key_source(KeySource::openid_configuration(
            "https://login.evil.example/common/v2.0/.well-known/openid-configuration",
        ))
        .build()
        .unwrap_err();
    let BuildError::KeySource(why) = off_list else {
        panic!("{off_list:?}");
    };
    assert!(why.contains("not an allowed identity host"), "{why}");
    // http is refused for a real host, even an allow-listed one.
    let plain = builder(&emu)
        .key_source(KeySource::openid_configuration(
            "http://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
        ))
        .build();
    assert!(matches!(plain, Err(BuildError::KeySource(_))));
    // An added host passes the check (nothing is fetched until the runtime runs the task).
    let added = builder(&emu)
        .key_source(
            KeySource::openid_configuration("https://login.example.test/config")
                .allow_host("login.example.test"),
        )
        .build();
    assert!(added.is_ok());
}
