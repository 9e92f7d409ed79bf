//! The client against a hostile world, over real HTTP on 127.0.0.1: ids cannot change the path
//! that is called, unusable ids send nothing, and oversized or malformed responses become typed
//! errors instead of panics or unbounded memory use.
//!
//! The server (`support::Server`) is raw tokio, so the test sees the request target exactly as it
//! went over the wire, before any framework decodes or normalises it.

mod support;

use msgraph_presence::Error;
use support::{Reply, TestServer};

/// Request targets (the path and query of each request line) in arrival order.
fn seen(server: &TestServer) -> Vec<String> {
    server.take().into_iter().map(|r| r.target).collect()
}

const PRESENCE: &str = r#"{"id":"x","availability":"Available","activity":"Available"}"#;

#[tokio::test]
async fn hostile_ids_stay_inside_their_path_segment() {
    let server = TestServer::start_with(Reply::json_bytes(200, PRESENCE)).await;
    let client = server.client();
    let cases = [
        ("../me", "/v1.0/users/..%2Fme/presence"),
        ("../../admin", "/v1.0/users/..%2F..%2Fadmin/presence"),
        ("a/b", "/v1.0/users/a%2Fb/presence"),
        ("a?b=c", "/v1.0/users/a%3Fb%3Dc/presence"),
        ("a#frag", "/v1.0/users/a%23frag/presence"),
        ("%2F", "/v1.0/users/%252F/presence"),
        ("%2e%2e", "/v1.0/users/%252e%252e/presence"),
        ("..\\me", "/v1.0/users/..%5Cme/presence"),
        ("a b", "/v1.0/users/a%20b/presence"),
        ("ü", "/v1.0/users/%C3%BC/presence"),
        ("...", "/v1.0/users/.../presence"),
        (
            "a\r\nHost: evil",
            "/v1.0/users/a%0D%0AHost%3A%20evil/presence",
        ),
    ];
    for (id, _) in cases {
        let presence = client
            .v1_0()
            .user(id)
            .presence()
            .get()
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        assert_eq!(presence.id.as_deref(), Some("x"));
    }
    let expected: Vec<String> = cases.iter().map(|(_, p)| (*p).to_owned()).collect();
    assert_eq!(seen(&server), expected);
}

#[tokio::test]
async fn unusable_ids_are_refused_before_anything_is_sent() {
    let server = TestServer::start_with(Reply::json_bytes(200, PRESENCE)).await;
    let client = server.client();
    for id in ["", ".", ".."] {
        let err = client.v1_0().user(id).presence().get().await.unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("user-id")),
            "{id:?}: {err}"
        );
        let err = client
            .beta()
            .communications()
            .presence(id)
            .get()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{id:?}: {err}");
    }
    // Prove the server was reachable all along: one good call arrives, and only it.
    client.v1_0().user("ok").presence().get().await.unwrap();
    assert_eq!(seen(&server), ["/v1.0/users/ok/presence"]);
}

/// Sixteen MiB is the cap (`runtime::transport::MAX_BODY_BYTES`); one byte more is refused.
const OVER_CAP: usize = 16 * 1024 * 1024 + 1;

#[tokio::test]
async fn bodies_over_the_cap_are_typed_errors_with_or_without_a_length() {
    let mut body = vec![b' '; OVER_CAP];
    body[0] = b'{';
    body[OVER_CAP - 1] = b'}';
    for content_length in [true, false] {
        let reply = Reply::json_bytes(200, body.clone());
        let reply = if content_length {
            reply
        } else {
            reply.without_content_length()
        };
        let server = TestServer::start_with(reply).await;
        let err = server
            .client()
            .v1_0()
            .me()
            .presence()
            .get()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.contains("larger than")),
            "content_length={content_length}: {err}"
        );
    }
}

#[tokio::test]
async fn malformed_success_bodies_are_decode_errors_naming_the_field() {
    let server = TestServer::start_with(Reply::json_bytes(200, "")).await;
    let client = server.client();
    let cases: [(&str, &str); 6] = [
        ("", "."),
        ("{\"availability\": ", "availability"),
        ("not json at all", "."),
        ("[1, 2, 3]", "."),
        (
            "{\"statusMessage\": {\"message\": 42}}",
            "statusMessage.message",
        ),
        ("{\"id\": \"x\"} trailing", "."),
    ];
    for (body, field) in cases {
        server.respond(Reply::json_bytes(200, body));
        let err = client.v1_0().me().presence().get().await.unwrap_err();
        match &err {
            Error::Decode {
                operation,
                field: f,
                ..
            } => {
                assert_eq!(*operation, "GetPresence", "{body:?}");
                assert_eq!(f, field, "{body:?}: {err}");
            }
            other => panic!("{body:?}: expected a decode error, got {other}"),
        }
    }
}

#[tokio::test]
async fn garbage_error_bodies_keep_the_status_and_no_odata() {
    let server = TestServer::start_with(Reply::json_bytes(500, "")).await;
    let client = server.client();
    let garbage: [&[u8]; 5] = [
        b"",
        b"\xff\xfe\x00 binary",
        b"{\"error\": \"a string, not an object\"}",
        b"{\"error\": {\"code\": 7}}",
        b"<html>bad gateway</html>",
    ];
    for body in garbage {
        server.respond(Reply::json_bytes(502, body));
        let err = client.v1_0().me().presence().get().await.unwrap_err();
        assert_eq!(err.status(), Some(502), "{err}");
        assert!(err.odata().is_none(), "{body:?}");
    }
    server.respond(Reply::json_bytes(
        404,
        r#"{"error":{"code":"NotFound","message":"no such user","innerError":{"request-id":"r1"}}}"#,
    ));
    let err = client
        .v1_0()
        .user("nobody")
        .presence()
        .get()
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    let odata = err.odata().unwrap();
    assert_eq!(odata.code, "NotFound");
    assert_eq!(
        odata.inner_error.as_ref().unwrap().request_id.as_deref(),
        Some("r1")
    );
}
