//! A full queue is answered `503` with `Retry-After` and counted, never dropped silently; once
//! the application reads again, bodies are accepted again (issue 19).

mod support;

use msgraph_presence_notifications::{Notification, Receiver};
use std::time::Duration;
use support::{AbortOnDrop, CERT_ID, CLIENT_STATE};

/// A lifecycle notification: it needs no keys or tokens, yet reaches the application, so
/// it occupies the channel the blocked application does not read.
fn body(n: usize) -> String {
    serde_json::json!({
        "value": [{
            "subscriptionId": format!("sub-{n}"),
            "clientState": CLIENT_STATE,
            "tenantId": "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e",
            "lifecycleEvent": "reauthorizationRequired",
        }]
    })
    .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_answers_503_and_accepts_again_once_drained() {
    let mut receiver = Receiver::builder()
        .app_id("app")
        .client_state(CLIENT_STATE)
        .certificate(CERT_ID, support::private_key())
        // Lifecycle items only: no validation tokens to check.
        .without_rich_notifications()
        .capacity(1)
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let router = receiver.router();
    let _server = AbortOnDrop::new(tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    }));
    let http = reqwest::Client::new();
    let post = |n: usize| {
        let request = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body(n));
        async move { request.send().await.unwrap() }
    };

    // The application reads nothing: the pipeline fills, then the queue refuses.
    let mut accepted = 0u64;
    let mut refusal = None;
    for n in 0..500 {
        let response = post(n).await;
        match response.status().as_u16() {
            202 => accepted += 1,
            503 => {
                refusal = Some(response);
                break;
            }
            other => panic!("unexpected status {other}"),
        }
        // Let the workers take what they can, so the 503 means "full", not "busy for a moment".
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let refusal = refusal.expect("a receiver whose application never reads must refuse");
    assert_eq!(
        refusal.headers()["retry-after"],
        "1",
        "the 503 tells Graph when to retry"
    );
    assert!(accepted >= 1, "the first bodies were accepted");
    let counts = receiver.stats().snapshot();
    assert_eq!(counts.queue_full, 1);
    assert_eq!(counts.refused_bodies, 1);

    // Draining: every accepted body reaches the application, none was lost.
    for _ in 0..accepted {
        let next = tokio::time::timeout(Duration::from_secs(10), receiver.next())
            .await
            .expect("an accepted body was not delivered");
        assert!(matches!(next, Some(Notification::Lifecycle(_))));
    }
    let counts = receiver.stats().wait_for(|c| c.delivered == accepted).await;
    assert_eq!(counts.rejected_total(), 0);

    // Drained: accepted again, and delivered.
    let again = post(9_999).await;
    assert_eq!(again.status().as_u16(), 202);
    let next = tokio::time::timeout(Duration::from_secs(10), receiver.next())
        .await
        .expect("the body accepted after draining was not delivered");
    match next {
        Some(Notification::Lifecycle(lifecycle)) => {
            assert_eq!(lifecycle.subscription_id, "sub-9999");
        }
        other => panic!("expected the lifecycle notification, got {other:?}"),
    }
    assert_eq!(receiver.stats().snapshot().queue_full, 1);
}

/// Several workers check at once, yet the application reads in the order bodies were
/// accepted, as it did with one worker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verdicts_keep_the_order_bodies_were_accepted_in() {
    let mut receiver = Receiver::builder()
        .app_id("app")
        .client_state(CLIENT_STATE)
        .certificate(CERT_ID, support::private_key())
        // Lifecycle items only: no validation tokens to check.
        .without_rich_notifications()
        .build()
        .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let router = receiver.router();
    let _server = AbortOnDrop::new(tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    }));
    let http = reqwest::Client::new();
    const BODIES: usize = 200;
    for n in 0..BODIES {
        let status = http
            .post(&url)
            .header("content-type", "application/json")
            .body(body(n))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status.as_u16(), 202);
    }
    for n in 0..BODIES {
        let next = tokio::time::timeout(Duration::from_secs(10), receiver.next())
            .await
            .expect("an accepted body was not delivered");
        match next {
            Some(Notification::Lifecycle(lifecycle)) => {
                assert_eq!(lifecycle.subscription_id, format!("sub-{n}"));
            }
            other => panic!("expected a lifecycle notification, got {other:?}"),
        }
    }
}
