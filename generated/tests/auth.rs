//! Tokens: fetched per request, never printed (Debug, Display, errors, tracing output).

mod support;

use msgraph_presence::runtime::{RetryPolicy, TokenProvider, token_fn};
use msgraph_presence::{Client, Error};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Reply, Server};

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
            .me()
            .presence()
            .clear_location()
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
        .me()
        .presence()
        .clear_location()
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
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Bearer rot-7")
    );
}

/// Graph's answer to an expired token.
fn expired_token() -> Reply {
    Reply::json(
        401,
        serde_json::json!({"error": {"code": "InvalidAuthenticationToken", "message": "expired"}}),
    )
}

#[tokio::test]
async fn a_refused_fixed_token_is_not_resent() {
    let server = Server::start(|_, _| expired_token()).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .bearer_token("fixed")
        .build()
        .unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_provider_that_can_renew_gets_one_more_try() {
    /// Hands out `gen-<n>`, where `n` grows each time a token is refused.
    struct Renewing {
        generation: AtomicUsize,
        refused: std::sync::Mutex<Vec<String>>,
    }
    impl TokenProvider for Renewing {
        fn token(&self) -> msgraph_presence::runtime::TokenFuture<'_> {
            let n = self.generation.load(Ordering::SeqCst);
            Box::pin(async move { Ok(format!("gen-{n}")) })
        }
        fn invalidate(&self, rejected: &str) -> bool {
            self.refused.lock().unwrap().push(rejected.to_owned());
            self.generation.fetch_add(1, Ordering::SeqCst);
            true
        }
    }
    let provider = Arc::new(Renewing {
        generation: AtomicUsize::new(0),
        refused: std::sync::Mutex::new(Vec::new()),
    });
    // Refuses every token: one renewal, then the second 401 is the error.
    let server = Server::start(|_, _| expired_token()).await;
    let client = Client::builder()
        .base_url(&server.base_url)
        .token_provider(provider.clone())
        .build()
        .unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert_eq!(err.odata().unwrap().code, "InvalidAuthenticationToken");
    let sent: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(sent, ["Bearer gen-0", "Bearer gen-1"]);
    assert_eq!(*provider.refused.lock().unwrap(), ["gen-0"]);
}
