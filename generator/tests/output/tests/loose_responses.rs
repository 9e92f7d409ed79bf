//! `generator/tests/good_specs/loose_responses.yaml`: an operation with `responses: {}` or only
//! `default` returns the body as bytes (nothing says what it is); one documented without
//! content returns `()`. Called over loopback HTTP.

#[path = "../../../../generated/tests/support/mod.rs"]
mod support;

use generator_test_output::loose_responses::Client;
use support::{Canned, TestServer};

#[tokio::test]
async fn undocumented_responses_return_the_body_as_bytes() {
    let server = TestServer::start_with(Canned::text(200, "not json at all")).await;
    let client = server.client();
    let api = Client::new(client.runtime());
    let body: Vec<u8> = api.reports().get().await.unwrap();
    assert_eq!(body, b"not json at all");
    assert_eq!(server.take_one().path, "/v1/reports");
}

#[tokio::test]
async fn a_default_only_response_with_content_returns_bytes_and_any_2xx_is_success() {
    let server = TestServer::start_with(Canned::json(201, r#"{"message":"ok"}"#)).await;
    let client = server.client();
    let api = Client::new(client.runtime());
    let body = api.reports().latest().get().await.unwrap();
    assert_eq!(body, br#"{"message":"ok"}"#);
}

#[tokio::test]
async fn responses_documented_without_content_return_unit() {
    let server = TestServer::start_with(Canned::empty(202)).await;
    let client = server.client();
    let api = Client::new(client.runtime());
    api.reports().refresh().await.unwrap();
    server.respond(Canned::empty(204));
    api.reports().ping().await.unwrap();
    let seen = server.take();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[1].path, "/v1/reports/ping");
}
