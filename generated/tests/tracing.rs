//! Tracing output: one span per request with method, path template, status, attempt and
//! duration, and never the token or the body.
//!
//! These tests share one global subscriber and run one at a time: `tracing` caches per call
//! site whether anyone listens, so thread-local subscribers in parallel tests are flaky.

mod support;

use msgraph_presence::runtime::StaticToken;
use msgraph_presence::{Client, v1_0};
use serde_json::json;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
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

/// Installs the process-wide subscriber once, takes the test lock and empties the buffer.
async fn capture() -> (tokio::sync::MutexGuard<'static, ()>, Captured) {
    static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    let guard = SERIAL.lock().await;
    let captured = CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber");
            captured
        })
        .clone();
    captured.0.lock().unwrap().clear();
    (guard, captured)
}

#[tokio::test(flavor = "current_thread")]
async fn the_token_never_appears_in_debug_display_errors_or_traces() {
    let (_serial, captured) = capture().await;

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
        status_message: Default::default(),
        additional_properties: [("marker".to_owned(), json!(BODY_MARKER))]
            .into_iter()
            .collect(),
    };
    let status_error = client
        .v1_0()
        .user("u1")
        .presence()
        .set_status_message(&body)
        .await
        .unwrap_err();
    let timeout_error = client.v1_0().me().presence().get().await.unwrap_err();
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
    let (_serial, captured) = capture().await;
    let server = Server::start(|n, _| match n {
        0 => Reply::status(503),
        _ => Reply::status(200),
    })
    .await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    client
        .v1_0()
        .user("u1")
        .presence()
        .clear_location()
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
