//! The emulator's own defences (issue 22, lows): a `Host` check against DNS rebinding into the
//! token-less control routes, webhook delivery that follows no redirect, and journals that stay
//! within a capacity.

use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use presence_emulator::Emulator;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

const USER: &str = "4c8f0b21-3d5e-4f70-9b2c-000000000001";

#[tokio::test]
async fn requests_addressed_to_another_host_get_421() {
    let emu = Emulator::builder()
        .allowed_host("emu.test")
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let port = emu.addr().port();
    let before = emu.clock().now();
    let advance = |host: String| {
        http.post(format!("{}/_emulator/clock/advance", emu.base_url()))
            .header(header::HOST, host)
            .body(r#"{"by": "PT1H"}"#)
            .send()
    };
    // A page on attacker.example whose name now resolves to 127.0.0.1.
    let rebound = advance(format!("attacker.example:{port}")).await.unwrap();
    assert_eq!(rebound.status(), StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(emu.clock().now(), before, "the control route must not run");
    let api = http
        .get(format!("{}/v1.0/me/presence", emu.base_url()))
        .bearer_auth("any")
        .header(header::HOST, format!("localhost.attacker.example:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::MISDIRECTED_REQUEST);
    // Loopback names and configured hosts pass.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("emu.test:{port}"),
    ] {
        assert_eq!(
            advance(host.clone()).await.unwrap().status(),
            StatusCode::OK,
            "{host}"
        );
    }
}

#[tokio::test]
async fn the_request_journal_keeps_its_capacity_and_counts_the_rest() {
    let emu = Emulator::builder()
        .journal_capacity(3)
        .start()
        .await
        .unwrap();
    let client = reqwest::Client::new();
    for n in 0..5 {
        let user = format!("4c8f0b21-3d5e-4f70-9b2c-{n:012x}");
        let status = client
            .get(format!("{}/v1.0/users/{user}/presence", emu.base_url()))
            .bearer_auth("any")
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::OK);
    }
    let kept = emu.requests();
    assert_eq!(kept.len(), 3);
    assert_eq!(emu.requests_dropped(), 2);
    assert!(kept[2].path.ends_with("000000000004/presence"), "{kept:?}");
    assert!(kept[0].path.ends_with("000000000002/presence"), "{kept:?}");
}

/// A webhook that passes the handshake, then redirects every notification to `/elsewhere`.
async fn redirecting_webhook(elsewhere_hits: Arc<AtomicU32>) -> String {
    async fn hook(Query(query): Query<HashMap<String, String>>) -> Response {
        match query.get("validationToken") {
            Some(token) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/plain")],
                token.clone(),
            )
                .into_response(),
            None => (
                StatusCode::TEMPORARY_REDIRECT,
                [(header::LOCATION, "/elsewhere")],
            )
                .into_response(),
        }
    }
    async fn elsewhere(State(hits): State<Arc<AtomicU32>>) -> StatusCode {
        hits.fetch_add(1, Ordering::SeqCst);
        StatusCode::ACCEPTED
    }
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(hook))
        .route("/elsewhere", axum::routing::post(elsewhere))
        .with_state(elsewhere_hits);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

#[tokio::test]
async fn deliveries_do_not_follow_redirects() {
    let emu = Emulator::builder()
        .delivery_retry_base(Duration::from_millis(10))
        .delivery_attempts(2)
        .start()
        .await
        .unwrap();
    let hits = Arc::new(AtomicU32::new(0));
    let hook = redirecting_webhook(Arc::clone(&hits)).await;
    let http = reqwest::Client::new();
    let expiry = emu.clock().now() + jiff::SignedDuration::from_mins(50);
    let created = http
        .post(format!("{}/v1.0/subscriptions", emu.base_url()))
        .bearer_auth("any")
        .header(header::CONTENT_TYPE, "application/json")
        .body(
            serde_json::json!({
                "changeType": "updated",
                "resource": format!("/communications/presences?$filter=id in ('{USER}')"),
                "notificationUrl": hook,
                "expirationDateTime": expiry.to_string(),
                "clientState": "hardening-client-state-0123456789",
            })
            .to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.status(),
        StatusCode::CREATED,
        "{:?}",
        created.text().await
    );
    let set = http
        .post(format!(
            "{}/v1.0/users/{USER}/presence/setPresence",
            emu.base_url()
        ))
        .bearer_auth("any")
        .header(header::CONTENT_TYPE, "application/json")
        .body(r#"{"sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87", "availability": "Busy", "activity": "InACall"}"#)
        .send()
        .await
        .unwrap();
    assert!(set.status().is_success());
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while emu.deliveries().len() < 2 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{:?}",
            emu.deliveries()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let attempts = emu.deliveries();
    assert!(
        attempts.iter().all(|a| a.status == Some(307)),
        "the redirect is the answer, not followed: {attempts:?}"
    );
    assert_eq!(hits.load(Ordering::SeqCst), 0);
}
