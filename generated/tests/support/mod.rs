//! A recording HTTP server on 127.0.0.1 for the behaviour tests.
//!
//! Every request is stored as received (method, raw percent-encoded path, headers, body bytes) and
//! answered with the currently configured canned response, so a test can assert exactly what the
//! client put on the wire and feed it documented response bodies.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::Response;
use msgraph_presence::Client;
use std::sync::{Arc, Mutex};

/// The token every test client sends.
pub const TOKEN: &str = "test-token-3f9a";

/// A user id that needs encoding in every way that could escape its path segment.
pub const AWKWARD_ID: &str = "a/b?c#d %";
/// [`AWKWARD_ID`] as it must appear on the wire.
pub const AWKWARD_ID_ENCODED: &str = "a%2Fb%3Fc%23d%20%25";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: Method,
    /// The path exactly as sent, still percent-encoded.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// The body parsed as JSON; panics with the raw body when it is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// A header as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the server answers with.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub body: String,
}

impl Canned {
    /// A status with no body.
    pub fn empty(status: u16) -> Self {
        Canned {
            status,
            content_type: None,
            body: String::new(),
        }
    }

    /// A status with a JSON body.
    pub fn json(status: u16, body: impl Into<String>) -> Self {
        Canned {
            status,
            content_type: Some("application/json"),
            body: body.into(),
        }
    }

    /// A status with a plain-text body.
    pub fn text(status: u16, body: impl Into<String>) -> Self {
        Canned {
            status,
            content_type: Some("text/plain"),
            body: body.into(),
        }
    }
}

#[derive(Debug)]
struct Shared {
    recorded: Vec<Recorded>,
    canned: Canned,
}

/// A server running on an ephemeral loopback port until dropped.
pub struct TestServer {
    base_url: String,
    shared: Arc<Mutex<Shared>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl TestServer {
    /// Starts a server that answers `200 OK` with no body.
    pub async fn start() -> Self {
        Self::start_with(Canned::empty(200)).await
    }

    /// Starts a server that answers every request with `canned`.
    pub async fn start_with(canned: Canned) -> Self {
        let shared = Arc::new(Mutex::new(Shared {
            recorded: Vec::new(),
            canned,
        }));
        let app = axum::Router::new()
            .fallback(record)
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("test server failed");
        });
        TestServer {
            base_url: format!("http://{addr}"),
            shared,
            task,
        }
    }

    /// Root URL to give the client (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// A client of this server with [`TOKEN`] as its bearer token.
    pub fn client(&self) -> Client {
        Client::builder()
            .base_url(self.base_url())
            .bearer_token(TOKEN)
            .build()
            .expect("client for the test server")
    }

    /// Answers the following requests with `canned`.
    pub fn respond(&self, canned: Canned) {
        self.shared.lock().unwrap().canned = canned;
    }

    /// Removes and returns every request recorded so far.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut self.shared.lock().unwrap().recorded)
    }

    /// Removes and returns the one request recorded since the last call; panics unless there
    /// was exactly one.
    pub fn take_one(&self) -> Recorded {
        let mut all = self.take();
        assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
        all.remove(0)
    }
}

async fn record(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut shared = shared.lock().unwrap();
    shared.recorded.push(Recorded {
        method,
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers,
        body,
    });
    let canned = shared.canned.clone();
    let mut response = Response::builder()
        .status(StatusCode::from_u16(canned.status).expect("valid canned status"));
    if let Some(content_type) = canned.content_type {
        response = response.header(header::CONTENT_TYPE, content_type);
    }
    response
        .body(Body::from(canned.body))
        .expect("valid canned response")
}

/// Asserts what every request of the client carries: method, exact path, bearer token, and a
/// JSON body equal to `body` (or no body at all when `body` is `None`).
#[track_caller]
pub fn assert_request(seen: &Recorded, method: &str, path: &str, body: Option<serde_json::Value>) {
    assert_eq!(seen.method.as_str(), method, "method of {path}");
    assert_eq!(seen.path, path, "path");
    assert_eq!(seen.query, None, "query string of {path}");
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {TOKEN}").as_str()),
        "Authorization header of {path}"
    );
    match body {
        Some(expected) => {
            assert_eq!(
                seen.header("content-type"),
                Some("application/json"),
                "Content-Type of {path}"
            );
            assert_eq!(seen.json(), expected, "JSON body of {method} {path}");
        }
        None => {
            assert!(
                seen.body.is_empty(),
                "{method} {path} should send no body, sent {:?}",
                String::from_utf8_lossy(&seen.body)
            );
            assert_eq!(seen.header("content-type"), None, "Content-Type of {path}");
        }
    }
}

/// Checks one call made with a `Target` variant: when `supported` names the variant, the call
/// must succeed and send exactly one request matching the rest of the arguments; otherwise it
/// must fail with `Error::UnsupportedTarget` before anything reaches the server.
#[track_caller]
pub fn check_call<T: std::fmt::Debug>(
    server: &TestServer,
    result: msgraph_presence::Result<T>,
    target: &str,
    supported: &[&str],
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> Option<T> {
    if supported.contains(&target) {
        let value = result.unwrap_or_else(|e| panic!("{method} {path} (Target::{target}): {e}"));
        assert_request(&server.take_one(), method, path, body);
        Some(value)
    } else {
        match result {
            Err(msgraph_presence::Error::UnsupportedTarget {
                target: refused, ..
            }) => assert_eq!(refused, target),
            other => panic!("Target::{target} should be refused before sending, got {other:?}"),
        }
        let sent = server.take();
        assert!(
            sent.is_empty(),
            "Target::{target} is unsupported but requests reached the server: {sent:#?}"
        );
        None
    }
}
