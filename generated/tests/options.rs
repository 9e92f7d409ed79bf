//! Per-request control: timeouts, extra headers, client-request-id, retry overrides.

mod support;

use msgraph_presence::Error;
use msgraph_presence::runtime::{RequestOptions, RetryPolicy};
use std::time::Duration;
use support::{Reply, Server, Waits};

fn is_uuid_v4(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok_and(|u| u.get_version_num() == 4)
}

#[tokio::test]
async fn every_request_gets_its_own_uuid_v4_client_request_id() {
    let server = Server::start(|_, _| Reply::status(200)).await;
    let client = server.builder().build().unwrap();
    for _ in 0..2 {
        client
            .v1_0()
            .me()
            .presence()
            .clear_location()
            .await
            .unwrap();
    }
    let ids: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("client-request-id").unwrap().to_owned())
        .collect();
    assert!(ids.iter().all(|id| is_uuid_v4(id)), "{ids:?}");
    assert_ne!(ids[0], ids[1]);
}

#[tokio::test]
async fn a_per_call_timeout_overrides_the_default() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(200).delay(Duration::from_millis(400)),
        _ => Reply::status(200).delay(Duration::from_secs(30)),
    })
    .await;
    let client = server
        .builder()
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    // The default is generous enough for a slow answer...
    client
        .v1_0()
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap();
    // ...while this call allows only 150 ms.
    let options = RequestOptions::new().timeout(Duration::from_millis(150));
    let err = client
        .v1_0()
        .with_options(&options)
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn extra_headers_from_the_builder_and_the_call_are_sent() {
    let server = Server::start(|_, _| Reply::status(200)).await;
    let client = server
        .builder()
        .header("x-app-name", "presence-sync")
        .build()
        .unwrap();
    let options = RequestOptions::new()
        .header("prefer", "outlook.timezone=\"UTC\"")
        .unwrap()
        .header("client-request-id", "caller-chosen-id")
        .unwrap();
    let err = client
        .v1_0()
        .with_options(&options)
        .me()
        .presence()
        .get()
        .await
        .unwrap_err();
    // An empty 200 body fails to decode; the request is what this test is about.
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let request = &server.requests()[0];
    assert_eq!(request.header("x-app-name"), Some("presence-sync"));
    assert_eq!(request.header("prefer"), Some("outlook.timezone=\"UTC\""));
    assert_eq!(
        request.header("client-request-id"),
        Some("caller-chosen-id")
    );
    let count = request
        .headers
        .iter()
        .filter(|(n, _)| n == "client-request-id")
        .count();
    assert_eq!(count, 1, "the id is sent once");
    // Without options, the builder's header is still sent and the id is generated.
    client
        .v1_0()
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap();
    let plain = &server.requests()[1];
    assert_eq!(plain.header("x-app-name"), Some("presence-sync"));
    assert_eq!(plain.header("prefer"), None);
    assert!(is_uuid_v4(plain.header("client-request-id").unwrap()));
}

#[test]
fn authorization_and_malformed_headers_are_refused() {
    let err = RequestOptions::new()
        .header("Authorization", "Bearer x")
        .unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)));
    assert!(RequestOptions::new().header("bad name", "v").is_err());
    assert!(RequestOptions::new().header("x-ok", "line\nbreak").is_err());
    let built = msgraph_presence::Client::builder()
        .bearer_token("t")
        .header("authorization", "Bearer other")
        .build();
    assert!(matches!(built, Err(Error::InvalidInput(_))));
}

#[tokio::test]
async fn a_call_can_override_the_retry_policy() {
    let server = Server::start(|_, _| Reply::status(503)).await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    let options = RequestOptions::new().retry(RetryPolicy::default().max_retries(1));
    let err = client
        .v1_0()
        .with_options(&options)
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 2);
    assert_eq!(waits.all().len(), 1);
}
