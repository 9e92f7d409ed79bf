//! Typed errors over loopback: OData bodies, raw bodies, 404 on clearPresence, decode failures,
//! transport failures.

mod support;

use msgraph_presence::runtime::RetryPolicy;
use msgraph_presence::{Error, TransportKind, v1_0};
use serde_json::json;
use std::time::Duration;
use support::{Reply, Server};

fn clear_body() -> v1_0::models::ClearPresenceRequest {
    v1_0::models::ClearPresenceRequest {
        session_id: "22553876-f5ab-4529-bffb-cfe50aa89f87".into(),
        additional_properties: Default::default(),
    }
}

#[tokio::test]
async fn odata_error_is_parsed_with_inner_error_ids() {
    let server = Server::start(|_, _| {
        Reply::json(
            403,
            json!({"error": {
                "code": "Forbidden",
                "message": "Insufficient privileges to complete the operation.",
                "innerError": {
                    "date": "2026-11-23T05:00:00",
                    "request-id": "9f1c7a0e-0000-4000-8000-000000000001",
                    "client-request-id": "echoed-id"
                }
            }}),
        )
    })
    .await;
    let client = server.builder().build().unwrap();
    let err = client.v1_0().user("u1").presence().get().await.unwrap_err();
    assert_eq!(err.status(), Some(403));
    let odata = err.odata().expect("OData body parsed");
    assert_eq!(odata.code, "Forbidden");
    assert_eq!(
        odata.message,
        "Insufficient privileges to complete the operation."
    );
    let inner = odata.inner_error.as_ref().expect("innerError parsed");
    assert_eq!(inner.date.as_deref(), Some("2026-11-23T05:00:00"));
    assert_eq!(inner.client_request_id.as_deref(), Some("echoed-id"));
    // No request-id header, so the innerError's is used.
    assert_eq!(
        err.request_id(),
        Some("9f1c7a0e-0000-4000-8000-000000000001")
    );
    let sent = server.requests()[0]
        .header("client-request-id")
        .unwrap()
        .to_owned();
    assert_eq!(err.client_request_id(), Some(sent.as_str()));
    let text = err.to_string();
    assert!(
        text.contains("GET /users/{user-id}/presence: HTTP 403 Forbidden"),
        "{text}"
    );
    assert!(text.contains(&sent), "{text}");
    assert!(!err.is_not_found() && !err.is_throttled());
}

#[tokio::test]
async fn non_json_502_keeps_the_raw_body() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = Server::start(move |_, _| {
        Reply::status(502)
            .header("content-type", "text/html")
            .header("request-id", "from-header")
            .body(html)
    })
    .await;
    let client = server.builder().build().unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    match &err {
        Error::Status {
            status,
            odata,
            body,
            ..
        } => {
            assert_eq!(*status, 502);
            assert!(odata.is_none());
            assert_eq!(body, html);
        }
        other => panic!("expected a status error, got {other:?}"),
    }
    assert_eq!(err.body(), Some(html));
    assert_eq!(err.request_id(), Some("from-header"));
    // 502 is not retried.
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn clear_presence_404_is_one_line_for_the_caller() {
    let server = Server::start(|_, _| {
        Reply::json(
            404,
            json!({"error": {"code": "NotFound", "message": "Presence session not found."}}),
        )
    })
    .await;
    let client = server.builder().build().unwrap();
    let outcome = client
        .v1_0()
        .user("u1")
        .presence()
        .clear_presence(&clear_body())
        .await;
    let already_gone = match outcome {
        Ok(()) => false,
        Err(e) if e.is_not_found() => true,
        Err(e) => panic!("unexpected error: {e}"),
    };
    assert!(already_gone);
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/v1.0/users/u1/presence/clearPresence");
    assert_eq!(
        request.json(),
        json!({"sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87"})
    );
}

#[tokio::test]
async fn decode_failure_names_the_field() {
    let server =
        Server::start(|_, _| Reply::json(200, json!({"id": "u1", "availability": 42}))).await;
    let client = server.builder().build().unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    match err {
        Error::Decode {
            operation, field, ..
        } => {
            assert_eq!(operation, "GetPresence");
            assert_eq!(field, "availability");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn invalid_input_is_caught_before_sending() {
    let server = Server::start(|_, _| Reply::status(200)).await;
    let client = server.builder().build().unwrap();
    let err = client.v1_0().user("").presence().get().await.unwrap_err();
    assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn timeout_is_a_transport_error_of_kind_timeout() {
    let server = Server::start(|_, _| Reply::status(200).delay(Duration::from_secs(30))).await;
    let client = server
        .builder()
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(
        err,
        Error::Transport {
            kind: TransportKind::Timeout,
            ..
        }
    ));
    assert!(err.client_request_id().is_some());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn refused_connection_is_a_transport_error_of_kind_connect() {
    let client = msgraph_presence::Client::builder()
        .base_url(support::unused_base_url())
        .bearer_token("t")
        .build()
        .unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert!(err.is_connect(), "{err:?}");
    assert!(err.to_string().contains("could not connect"), "{err}");
}
