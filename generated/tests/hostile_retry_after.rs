//! `Retry-After` values no sane service sends, over loopback: the call must end with the 503,
//! not a panic, and at once rather than after the wait the header asks for.

mod support;

use msgraph_presence::Client;
use serde_json::json;
use std::time::{Duration, SystemTime};
use support::{Reply, Server, Waits};

/// `u64::MAX` seconds: `waited + delay` overflowed `Duration` once a first wait had happened.
const HOSTILE: &str = "18446744073709551615";

/// Far beyond anything these calls should take; a test that hits it has slept for real.
const QUICK: Duration = Duration::from_secs(10);

fn unavailable(n: usize, retry_after: &str) -> Reply {
    Reply::json(
        503,
        json!({"error": {"code": "serviceNotAvailable", "message": format!("attempt {n}")}}),
    )
    .header("retry-after", retry_after)
}

/// 503 with `first` as its `Retry-After`, then 503 with [`HOSTILE`], then (never reached) 200.
async fn hostile_after(first: &'static str) -> Server {
    Server::start(move |n, _| match n {
        0 => unavailable(n, first),
        1 => unavailable(n, HOSTILE),
        _ => Reply::status(200),
    })
    .await
}

#[tokio::test]
async fn a_u64_max_retry_after_after_a_first_wait_gives_up_with_the_503() {
    for first in ["1", "0"] {
        let server = hostile_after(first).await;
        let waits = Waits::default();
        let client = waits.install(server.builder()).build().unwrap();
        let err = tokio::time::timeout(QUICK, client.v1_0().me().presence().get())
            .await
            .expect("the call returned quickly")
            .unwrap_err();
        assert_eq!(err.status(), Some(503), "{err}");
        assert_eq!(err.odata().unwrap().message, "attempt 1", "the last error");
        assert_eq!(server.requests().len(), 2, "first Retry-After {first}");
        let first_wait = Duration::from_secs(first.parse().unwrap());
        assert_eq!(waits.all(), [first_wait], "the hostile wait is not slept");
    }
}

/// The default (tokio) sleeper on a paused clock: the first 1 s wait is slept (virtually), the
/// hostile one never starts, and the call ends with the 503.
#[tokio::test(start_paused = true)]
async fn the_default_sleeper_never_starts_the_hostile_wait() {
    let server = hostile_after("1").await;
    // A reqwest client without timers, so only the retry wait advances the paused clock.
    let client = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("t")
        .http_client(msgraph_presence::runtime::HttpClient::new())
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let err = tokio::time::timeout(QUICK, client.v1_0().me().presence().get())
        .await
        .expect("the call returned quickly")
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 2);
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_secs(1) && elapsed < QUICK,
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_hostile_retry_after_on_the_first_answer_is_not_waited_for() {
    for value in [
        HOSTILE,
        "99999999999999999999999999",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = Server::start(move |n, _| unavailable(n, value)).await;
        let waits = Waits::default();
        let client = waits.install(server.builder()).build().unwrap();
        let err = client.v1_0().me().presence().get().await.unwrap_err();
        assert_eq!(err.status(), Some(503), "{value}");
        assert_eq!(server.requests().len(), 1, "{value}");
        assert!(waits.all().is_empty(), "{value}");
    }
}

/// Unparsable, negative and past values are no hint: the policy's backoff applies (the default
/// 3 s base with jitter gives [1.5, 3] s for the first wait).
#[tokio::test]
async fn meaningless_retry_after_values_fall_back_to_backoff() {
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(3600));
    for value in ["soon", "-5", "1.5", "", &past] {
        let sent = value.to_owned();
        let server = Server::start(move |n, _| match n {
            0 => unavailable(n, &sent),
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
        let w = waits.all();
        assert_eq!(w.len(), 1, "{value:?}");
        assert!(
            w[0] >= Duration::from_millis(1500) && w[0] <= Duration::from_secs(3),
            "{value:?}: {w:?}"
        );
    }
}
