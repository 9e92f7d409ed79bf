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
