//! Loopback test servers for the behaviour tests, on 127.0.0.1.
//!
//! [`Server`] (in `server.rs`) answers each request with what a test's script returns: for
//! sequences (retries, paging, auth). [`TestServer`] is the same server answering every request
//! with one configurable [`Canned`] response, plus assertions on what the client put on the wire.

// Each test binary uses a different subset of these helpers.
#![allow(dead_code, unused_imports)]

mod server;

pub use server::*;

use msgraph_presence::Client;
use std::sync::{Arc, Mutex};

/// The token every [`TestServer`] client sends.
pub const TOKEN: &str = "test-token-3f9a";

/// A user id that needs encoding in every way that could escape its path segment.
pub const AWKWARD_ID: &str = "a/b?c#d %";
/// [`AWKWARD_ID`] as it must appear on the wire.
pub const AWKWARD_ID_ENCODED: &str = "a%2Fb%3Fc%23d%20%25";

/// What a [`TestServer`] answers with.
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

impl From<Canned> for Reply {
    fn from(canned: Canned) -> Reply {
        let reply = Reply::status(canned.status).body(canned.body);
        match canned.content_type {
            Some(content_type) => reply.header("content-type", content_type),
            None => reply,
        }
    }
}

/// A [`Server`] answering every request with the current response, a [`Canned`] one or any
/// [`Reply`].
pub struct TestServer {
    server: Server,
    reply: Arc<Mutex<Reply>>,
}

impl TestServer {
    /// Starts a server that answers `200 OK` with no body.
    pub async fn start() -> Self {
        Self::start_with(Canned::empty(200)).await
    }

    /// Starts a server that answers every request with `reply`.
    pub async fn start_with(reply: impl Into<Reply>) -> Self {
        let reply = Arc::new(Mutex::new(reply.into()));
        let current = Arc::clone(&reply);
        let server = Server::start(move |_, _| current.lock().unwrap().clone()).await;
        TestServer { server, reply }
    }

    /// Root URL to give the client (`http://127.0.0.1:<port>`).
    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    /// A client of this server with [`TOKEN`] as its bearer token.
    pub fn client(&self) -> Client {
        Client::builder()
            .base_url(self.base_url())
            .bearer_token(TOKEN)
            .build()
            .expect("client for the test server")
    }

    /// Answers the following requests with `reply`.
    pub fn respond(&self, reply: impl Into<Reply>) {
        *self.reply.lock().unwrap() = reply.into();
    }

    /// Removes and returns every request recorded so far.
    pub fn take(&self) -> Vec<Recorded> {
        self.server.take_requests()
    }

    /// Removes and returns the one request recorded since the last call; panics unless there
    /// was exactly one.
    pub fn take_one(&self) -> Recorded {
        let mut all = self.take();
        assert_eq!(all.len(), 1, "expected exactly one request, got {all:#?}");
        all.remove(0)
    }
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

/// Checks one call: it must succeed and send exactly one request with this method, exact path
/// and body.
#[track_caller]
pub fn check_call<T: std::fmt::Debug>(
    server: &TestServer,
    result: msgraph_presence::Result<T>,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> T {
    let value = result.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    assert_request(&server.take_one(), method, path, body);
    value
}
