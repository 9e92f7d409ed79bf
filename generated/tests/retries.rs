//! Retries over loopback: which statuses, how many attempts, which waits and headers.

mod support;

use msgraph_presence::runtime::RetryPolicy;
use msgraph_presence::{Client, v1_0};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};
use support::{Reply, Server, Waits, presence_json};

fn set_presence_body() -> v1_0::models::SetPresenceRequest {
    serde_json::from_value(json!({
        "sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87",
        "availability": "Available",
        "activity": "Available",
        "expirationDuration": "PT1H"
    }))
    .unwrap()
}

#[tokio::test]
async fn throttled_with_retry_after_2_then_ok_retries_once_after_2s() {
    let server = Server::start(|n, _| match n {
        0 => Reply::json(
            429,
            json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
        )
        .header("retry-after", "2"),
        _ => Reply::status(200),
    })
    .await;
    let waits = Waits::default();
    let tokens = Arc::new(AtomicUsize::new(0));
    let counter = tokens.clone();
    let client = waits
        .install(server.builder().token_fn(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(format!("token-{n}")) }
        }))
        .build()
        .unwrap();
    client
        .v1_0()
        .user("u1")
        .presence()
        .set_presence(&set_presence_body())
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 2, "exactly one retry");
    assert_eq!(waits.all(), [Duration::from_secs(2)]);
    assert!(waits.total() >= Duration::from_secs(2));
    let (first, second) = (&requests[0], &requests[1]);
    assert_eq!(first.header("retry-attempt"), None);
    assert_eq!(second.header("retry-attempt"), Some("1"));
    // Same body, same client-request-id, a freshly fetched token.
    assert_eq!(first.body, second.body);
    assert_eq!(
        first.json(),
        json!({"sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87", "availability": "Available", "activity": "Available", "expirationDuration": "PT1H"})
    );
    assert_eq!(
        first.header("client-request-id"),
        second.header("client-request-id")
    );
    assert_eq!(first.header("authorization"), Some("Bearer token-1"));
    assert_eq!(second.header("authorization"), Some("Bearer token-2"));
}

#[tokio::test]
async fn unavailable_on_every_attempt_returns_the_last_error_after_1_plus_max_retries() {
    let server = Server::start(|n, _| {
        Reply::json(
            503,
            json!({"error": {"code": "serviceNotAvailable", "message": format!("attempt {n}")}}),
        )
    })
    .await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    let requests = server.requests();
    assert_eq!(requests.len(), 1 + 3, "default policy: 3 retries");
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        err.odata().unwrap().message,
        "attempt 3",
        "the last error is returned"
    );
    let attempts: Vec<_> = requests.iter().map(|r| r.header("retry-attempt")).collect();
    assert_eq!(attempts, [None, Some("1"), Some("2"), Some("3")]);
    // Exponential backoff with jitter from the 3 s base: [1.5, 3], [3, 6], [6, 12] seconds.
    let w = waits.all();
    assert_eq!(w.len(), 3);
    for (i, wait) in w.iter().enumerate() {
        let full = Duration::from_secs(3 << i);
        assert!(*wait >= full / 2 && *wait <= full, "wait {i}: {wait:?}");
    }
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    let server = Server::start(|n, _| match n {
        0 => {
            let at = SystemTime::now() + Duration::from_secs(5);
            Reply::status(503).header("retry-after", &httpdate::fmt_http_date(at))
        }
        _ => Reply::json(200, presence_json("u1", "Busy")),
    })
    .await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    let presence = client.v1_0().user("u1").presence().get().await.unwrap();
    assert_eq!(presence.id.as_deref(), Some("u1"));
    assert_eq!(server.requests().len(), 2);
    let w = waits.all();
    assert_eq!(w.len(), 1);
    // The date has one-second resolution: the wait is in (4, 5] seconds.
    assert!(
        w[0] > Duration::from_secs(3) && w[0] <= Duration::from_secs(5),
        "{w:?}"
    );
}

#[tokio::test]
async fn gateway_timeout_is_retried() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(504),
        _ => Reply::status(200),
    })
    .await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    client
        .v1_0()
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn other_statuses_are_never_retried() {
    for status in [400, 401, 403, 404, 409, 500, 502] {
        let server = Server::start(move |_, _| Reply::status(status)).await;
        let waits = Waits::default();
        let client = waits.install(server.builder()).build().unwrap();
        let err = client.v1_0().me().presence().get().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(server.requests().len(), 1, "status {status} was retried");
        assert!(waits.all().is_empty());
    }
}

#[tokio::test]
async fn disabled_policy_sends_once() {
    let server = Server::start(|_, _| Reply::status(429).header("retry-after", "1")).await;
    let waits = Waits::default();
    let client = waits
        .install(server.builder().retry(RetryPolicy::disabled()))
        .build()
        .unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_retry_after_beyond_the_total_budget_is_not_waited_for() {
    let server = Server::start(|_, _| Reply::status(429).header("retry-after", "3600")).await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert!(err.is_throttled());
    assert_eq!(server.requests().len(), 1);
    assert!(waits.all().is_empty());
}

#[tokio::test]
async fn total_wait_budget_stops_retries_early() {
    let server = Server::start(|_, _| Reply::status(503).header("retry-after", "4")).await;
    let waits = Waits::default();
    let policy = RetryPolicy::default()
        .max_retries(10)
        .max_total_wait(Duration::from_secs(10));
    let client = waits
        .install(server.builder().retry(policy))
        .build()
        .unwrap();
    client.v1_0().me().presence().get().await.unwrap_err();
    // 4 s + 4 s fit in 10 s, a third 4 s wait does not.
    assert_eq!(waits.all(), [Duration::from_secs(4); 2]);
    assert_eq!(server.requests().len(), 3);
}

/// The default sleeper is tokio's: with a paused clock the waits are virtual but real to tokio.
#[tokio::test(start_paused = true)]
async fn default_sleeper_waits_on_tokios_clock() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(429).header("retry-after", "2"),
        _ => Reply::status(200),
    })
    .await;
    // A reqwest client without timers, so only the retry wait advances the paused clock.
    let client = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("t")
        .http_client(reqwest_client())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    client
        .v1_0()
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(server.requests().len(), 2);
}

fn reqwest_client() -> msgraph_presence::runtime::HttpClient {
    msgraph_presence::runtime::HttpClient::new()
}
