//! Issue 22 item 7, the receiver's lows: the echo's headers, the tenant allow-list, lifecycle
//! items under failed tokens, a body limit that fits 650 rich items (413s counted), and
//! secrets kept out of `Debug`.

mod support;

use msgraph_presence_notifications::receiver::{ReceiverBuilder, Rejection};
use msgraph_presence_notifications::{Notification, Receiver};
use presence_emulator::{DEFAULT_APP_ID, Emulator};
use serde_json::json;
use std::time::Duration;
use support::*;

const HOME_TENANT: &str = "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";
const OTHER_TENANT: &str = "0d9e8f7a-1b2c-4d3e-9f4a-5b6c7d8e9f01";

fn builder(emu: &Emulator) -> ReceiverBuilder {
    let keys = serde_json::from_value(emu.jwks()).unwrap();
    let clock = emu.clock().clone();
    Receiver::builder()
        .app_id(DEFAULT_APP_ID)
        .client_state(CLIENT_STATE)
        .certificate(CERT_ID, private_key())
        .keys(keys)
        .clock(move || clock.now())
}

async fn serve(builder: ReceiverBuilder) -> (String, Receiver, AbortOnDrop) {
    let receiver = builder.build().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let router = receiver.router();
    let server = AbortOnDrop::new(tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    }));
    (url, receiver, server)
}

async fn post(url: &str, body: Vec<u8>) -> u16 {
    reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_echo_is_neither_sniffed_nor_cached() {
    let emu = Emulator::start().await.unwrap();
    let (url, _receiver, _server) = serve(builder(&emu)).await;
    let response = reqwest::Client::new()
        .post(format!("{url}?validationToken=%3Cscript%3E"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(response.text().await.unwrap(), "<script>");
}

#[tokio::test]
async fn only_allowed_tenants_pass() {
    let emu = Emulator::start().await.unwrap();
    let deliveries = genuine_deliveries(&emu, &users(1)).await;
    let body = serde_json::to_vec(&deliveries[0]).unwrap();
    assert_eq!(deliveries[0]["value"][0]["tenantId"], HOME_TENANT);

    let (url, receiver, _server) = serve(builder(&emu).tenant(OTHER_TENANT)).await;
    assert_eq!(post(&url, body.clone()).await, 202);
    let counts = receiver
        .stats()
        .wait_for(|c| c.rejected(Rejection::Tenant) == 1)
        .await;
    assert_eq!(counts.delivered, 0);

    let (url, mut receiver, _server) = serve(builder(&emu).tenant(HOME_TENANT)).await;
    assert_eq!(post(&url, body).await, 202);
    let got = tokio::time::timeout(Duration::from_secs(10), receiver.next())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(got, Notification::Presence(_)), "{got:?}");
}

#[tokio::test]
async fn lifecycle_items_are_dropped_when_the_tokens_fail() {
    let emu = Emulator::start().await.unwrap();
    let deliveries = genuine_deliveries(&emu, &users(1)).await;
    let genuine_token = deliveries[0]["validationTokens"][0].clone();
    let lifecycle = |token: serde_json::Value| {
        serde_json::to_vec(&json!({
            "value": [{
                "subscriptionId": "sub-1",
                "clientState": CLIENT_STATE,
                "tenantId": HOME_TENANT,
                "lifecycleEvent": "subscriptionRemoved",
            }],
            "validationTokens": [token],
        }))
        .unwrap()
    };
    let (url, mut receiver, _server) = serve(builder(&emu)).await;
    let stats = receiver.stats();
    assert_eq!(post(&url, lifecycle(json!("e30.e30.forged"))).await, 202);
    stats
        .wait_for(|c| c.rejected(Rejection::ValidationToken) == 1)
        .await;
    // A genuine token lets the same item through.
    assert_eq!(post(&url, lifecycle(genuine_token)).await, 202);
    let got = tokio::time::timeout(Duration::from_secs(10), receiver.next())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(got, Notification::Lifecycle(_)), "{got:?}");
    assert_eq!(stats.snapshot().delivered, 1);
}

#[tokio::test]
async fn the_default_limit_fits_650_rich_items_and_413s_are_counted() {
    let emu = Emulator::start().await.unwrap();
    let (url, receiver, _server) = serve(builder(&emu)).await;
    // 650 items of about 7.4 KiB, the worst case computed at DEFAULT_MAX_BODY_BYTES.
    let padding = "A".repeat(7 * 1024);
    let items: Vec<_> = (0..650)
        .map(
            |i| json!({"subscriptionId": format!("s{i}"), "clientState": "x", "resource": padding}),
        )
        .collect();
    let big = serde_json::to_vec(&json!({"value": items})).unwrap();
    assert!(big.len() > 4 << 20);
    assert_eq!(post(&url, big).await, 202);
    assert_eq!(post(&url, vec![b' '; 9 << 20]).await, 413);
    let counts = receiver.stats().snapshot();
    assert_eq!((counts.too_large, counts.refused_bodies), (1, 1));
}

#[tokio::test]
async fn debug_output_hides_client_states() {
    let emu = Emulator::start().await.unwrap();
    let shown = format!("{:?}", builder(&emu));
    assert!(!shown.contains(CLIENT_STATE), "{shown}");
    let receiver = builder(&emu).build().unwrap();
    let shown = format!("{receiver:?}");
    assert!(!shown.contains(CLIENT_STATE), "{shown}");

    let (url, _bodies, _tap) = tap().await;
    let subs = msgraph_presence_notifications::PresenceSubscriptions::builder(
        &client(&emu, "any"),
        &url,
        certificate(),
    )
    .client_state(CLIENT_STATE)
    .subscribe(&users(1))
    .await
    .unwrap();
    let held = subs.subscriptions();
    assert_eq!(held[0].client_state, CLIENT_STATE);
    let shown = format!("{held:?}");
    assert!(!shown.contains(CLIENT_STATE), "{shown}");
    subs.shutdown().await;
}

#[tokio::test]
async fn key_sizes_are_checked_at_build() {
    use msgraph_presence_notifications::crypto::private_key_from_pem;
    let emu = Emulator::start().await.unwrap();
    // Below 2048 bits the key does not even load (aws-lc-rs refuses it), with a clear error.
    let small = private_key_from_pem(include_str!("fixtures/test-only-1024.key.pem"));
    assert!(small.is_err(), "a 1024-bit key loaded");
    // 8192 bits loads but is more than Graph takes (4096).
    let large = private_key_from_pem(include_str!("fixtures/test-only-8192.key.pem")).unwrap();
    let error = builder(&emu)
        .certificate("large", large)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            msgraph_presence_notifications::receiver::BuildError::KeySize { bits: 8192, .. }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_thumbprint_is_compared_with_the_configured_one() {
    use base64::Engine as _;
    use msgraph_presence_notifications::receiver::certificate_thumbprint;
    let emu = Emulator::start().await.unwrap();
    let deliveries = genuine_deliveries(&emu, &users(1)).await;
    let body = serde_json::to_vec(&deliveries[0]).unwrap();
    let der_base64: String = CERT_PEM
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(der_base64)
        .unwrap();
    let ours = certificate_thumbprint(&der);
    assert_eq!(
        deliveries[0]["value"][0]["encryptedContent"]["encryptionCertificateThumbprint"],
        ours.as_str()
    );

    let (url, receiver, _server) =
        serve(builder(&emu).certificate_thumbprint(CERT_ID, "00".repeat(20))).await;
    assert_eq!(post(&url, body.clone()).await, 202);
    let counts = receiver
        .stats()
        .wait_for(|c| c.rejected(Rejection::UnknownCertificate) == 1)
        .await;
    assert_eq!(counts.delivered, 0);

    let (url, receiver, _server) =
        serve(builder(&emu).certificate_thumbprint(CERT_ID, ours.to_lowercase())).await;
    assert_eq!(post(&url, body).await, 202);
    receiver.stats().wait_for(|c| c.delivered == 1).await;
}
