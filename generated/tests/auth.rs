//! Tokens: fetched per request, never printed (Debug, Display, errors, tracing output).

mod support;

use msgraph_presence::runtime::{RetryPolicy, StaticToken, TokenProvider, token_fn};
use msgraph_presence::{Client, Error, v1_0};
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Reply, Server, Waits};

const SECRET: &str = "eyJSECRET-TOKEN-7c1d9e";
const BODY_MARKER: &str = "BODY-MARKER-5a0f";

/// Collects everything a `tracing` fmt subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_token_never_appears_in_debug_display_errors_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    // Thread-local default: this current-thread runtime polls everything on this thread.
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = Server::start(|n, _| match n {
        0 => Reply::status(429).header("retry-after", "1"),
        1 => Reply::json(
            401,
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}}),
        ),
        _ => Reply::status(200).delay(Duration::from_secs(30)),
    })
    .await;
    let waits = Waits::default();
    let builder = waits.install(
        Client::builder()
            .base_url(&server.base_url)
            .bearer_token(SECRET)
            .timeout(Duration::from_millis(200)),
    );
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();

    let body = v1_0::models::SetStatusMessageRequest {
        additional_properties: [("marker".to_owned(), json!(BODY_MARKER))]
            .into_iter()
            .collect(),
        ..Default::default()
    };
    let status_error = client
        .v1_0()
        .set_status_message(v1_0::Target::User("u1"), &body)
        .await
        .unwrap_err();
    let timeout_error = client
        .v1_0()
        .get_presence(v1_0::Target::Me)
        .await
        .unwrap_err();
    assert_eq!(status_error.status(), Some(401), "{status_error:?}");
    assert!(timeout_error.is_timeout());

    // The token did reach the server, so its absence below means redaction, not silence.
    let requests = server.requests();
    assert_eq!(
        requests[0].header("authorization"),
        Some(format!("Bearer {SECRET}").as_str())
    );
    assert!(String::from_utf8_lossy(&requests[0].body).contains(BODY_MARKER));

    let traces = captured.text();
    assert!(traces.contains("graph.request"), "{traces}");
    assert!(
        traces.contains("/users/{user-id}/presence/setStatusMessage"),
        "{traces}"
    );

    let printed = [
        builder_debug,
        format!("{client:?}"),
        format!("{:?}", client.v1_0()),
        format!("{:?}", StaticToken::new(SECRET)),
        format!("{status_error}"),
        format!("{status_error:?}"),
        format!("{timeout_error}"),
        format!("{timeout_error:?}"),
        traces,
    ];
    for text in &printed {
        assert!(!text.contains(SECRET), "token leaked in: {text}");
        assert!(
            !text.contains(BODY_MARKER),
            "request body leaked in: {text}"
        );
    }
}

#[tokio::test(flavor = "current_thread")]
async fn the_span_records_method_path_status_attempt_and_duration() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = Server::start(|n, _| match n {
        0 => Reply::status(503),
        _ => Reply::status(200),
    })
    .await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    client
        .v1_0()
        .clear_location(v1_0::Target::User("u1"))
        .await
        .unwrap();
    let traces = captured.text();
    let close = traces
        .lines()
        .find(|l| l.contains("close"))
        .unwrap_or_else(|| panic!("no span close line in {traces}"));
    for field in [
        "method=\"POST\"",
        "path=\"/users/{user-id}/presence/clearLocation\"",
        "attempt=2",
        "status=200",
        "duration_ms=",
    ] {
        assert!(close.contains(field), "{field} missing from {close}");
    }
    let id = server.requests()[0]
        .header("client-request-id")
        .unwrap()
        .to_owned();
    assert!(close.contains(&id), "{close}");
}

#[tokio::test]
async fn a_closure_provider_is_asked_before_every_request() {
    let server = Server::start(|_, _| Reply::status(200)).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let client = Client::builder()
        .base_url(&server.base_url)
        .token_fn(move || {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(format!("refreshed-{n}")) }
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        client
            .v1_0()
            .clear_location(v1_0::Target::Me)
            .await
            .unwrap();
    }
    let seen: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(
        seen,
        [
            "Bearer refreshed-1",
            "Bearer refreshed-2",
            "Bearer refreshed-3"
        ]
    );
}

#[tokio::test]
async fn a_failing_provider_sends_nothing() {
    let server = Server::start(|_, _| Reply::status(200)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .token_fn(|| async { Err(Error::Auth("credential expired".into())) })
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client
        .v1_0()
        .clear_location(v1_0::Target::Me)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Auth(ref m) if m == "credential expired"),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn custom_providers_plug_in_through_the_trait() {
    struct Rotating(AtomicUsize);
    impl TokenProvider for Rotating {
        fn token(&self) -> msgraph_presence::runtime::TokenFuture<'_> {
            let n = self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { Ok(format!("rot-{n}")) })
        }
    }
    let provider = token_fn(|| async { Ok("closure".to_owned()) });
    assert_eq!(provider.token().await.unwrap(), "closure");
    let server = Server::start(|_, _| Reply::status(200)).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .token_provider(Rotating(AtomicUsize::new(7)))
        .build()
        .unwrap();
    client
        .v1_0()
        .clear_location(v1_0::Target::Me)
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer rot-7")
    );
}
