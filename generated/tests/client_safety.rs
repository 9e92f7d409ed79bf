//! The client against a hostile world, over real HTTP on 127.0.0.1: ids cannot change the path
//! that is called, unusable ids send nothing, and oversized or malformed responses become typed
//! errors instead of panics or unbounded memory use.
//!
//! The server is raw tokio, so the test sees the request target exactly as it went over the
//! wire, before any framework decodes or normalises it.

use msgraph_presence::{Client, Error, v1_0};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// What the server answers: status line, extra headers, body; `None` length streams the body
/// and closes the connection instead of sending `Content-Length`.
#[derive(Clone)]
struct Reply {
    status: u16,
    body: Vec<u8>,
    content_length: bool,
}

impl Reply {
    fn json(status: u16, body: &str) -> Self {
        Reply {
            status,
            body: body.as_bytes().to_vec(),
            content_length: true,
        }
    }
}

struct Server {
    url: String,
    /// Request targets (the path and query of the request line) in arrival order.
    seen: Arc<Mutex<Vec<String>>>,
    reply: Arc<Mutex<Reply>>,
}

impl Server {
    async fn start(reply: Reply) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let reply = Arc::new(Mutex::new(reply));
        let (seen_in, reply_in) = (seen.clone(), reply.clone());
        tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (seen, reply) = (seen_in.clone(), reply_in.clone());
                tokio::spawn(async move {
                    let Some(target) = read_request(&mut socket).await else {
                        return;
                    };
                    seen.lock().unwrap().push(target);
                    let reply = reply.lock().unwrap().clone();
                    let mut head = format!(
                        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nConnection: close\r\n",
                        reply.status
                    );
                    if reply.content_length {
                        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
                    }
                    head.push_str("\r\n");
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.write_all(&reply.body).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Server { url, seen, reply }
    }

    fn client(&self) -> Client {
        Client::builder()
            .base_url(&self.url)
            .bearer_token("test-token")
            .build()
            .unwrap()
    }

    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    fn set_reply(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }
}

/// Reads one request (head and `Content-Length` body); returns the target of its request line.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    head.split(' ').nth(1).map(str::to_owned)
}

const PRESENCE: &str = r#"{"id":"x","availability":"Available","activity":"Available"}"#;

#[tokio::test]
async fn hostile_ids_stay_inside_their_path_segment() {
    let server = Server::start(Reply::json(200, PRESENCE)).await;
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
            .get_presence(v1_0::Target::User(id))
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
        assert_eq!(presence.id.as_deref(), Some("x"));
    }
    let expected: Vec<String> = cases.iter().map(|(_, p)| (*p).to_owned()).collect();
    assert_eq!(server.seen(), expected);
}

#[tokio::test]
async fn unusable_ids_are_refused_before_anything_is_sent() {
    let server = Server::start(Reply::json(200, PRESENCE)).await;
    let client = server.client();
    for id in ["", ".", ".."] {
        let err = client
            .v1_0()
            .get_presence(v1_0::Target::User(id))
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput(m) if m.contains("user-id")),
            "{id:?}: {err}"
        );
        let err = client
            .beta()
            .get_presence(msgraph_presence::beta::Target::Presence(id))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{id:?}: {err}");
    }
    // Prove the server was reachable all along: one good call arrives, and only it.
    client
        .v1_0()
        .get_presence(v1_0::Target::User("ok"))
        .await
        .unwrap();
    assert_eq!(server.seen(), ["/v1.0/users/ok/presence"]);
}

/// Sixteen MiB is the cap (`runtime::transport::MAX_BODY_BYTES`); one byte more is refused.
const OVER_CAP: usize = 16 * 1024 * 1024 + 1;

#[tokio::test]
async fn bodies_over_the_cap_are_typed_errors_with_or_without_a_length() {
    let mut body = vec![b' '; OVER_CAP];
    body[0] = b'{';
    body[OVER_CAP - 1] = b'}';
    for content_length in [true, false] {
        let server = Server::start(Reply {
            status: 200,
            body: body.clone(),
            content_length,
        })
        .await;
        let err = server
            .client()
            .v1_0()
            .get_presence(v1_0::Target::Me)
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
    let server = Server::start(Reply::json(200, "")).await;
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
        server.set_reply(Reply::json(200, body));
        let err = client
            .v1_0()
            .get_presence(v1_0::Target::Me)
            .await
            .unwrap_err();
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
    let server = Server::start(Reply::json(500, "")).await;
    let client = server.client();
    let garbage: [&[u8]; 5] = [
        b"",
        b"\xff\xfe\x00 binary",
        b"{\"error\": \"a string, not an object\"}",
        b"{\"error\": {\"code\": 7}}",
        b"<html>bad gateway</html>",
    ];
    for body in garbage {
        server.set_reply(Reply {
            status: 502,
            body: body.to_vec(),
            content_length: true,
        });
        let err = client
            .v1_0()
            .get_presence(v1_0::Target::Me)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(502), "{err}");
        assert!(err.odata().is_none(), "{body:?}");
    }
    server.set_reply(Reply::json(
        404,
        r#"{"error":{"code":"NotFound","message":"no such user","innerError":{"request-id":"r1"}}}"#,
    ));
    let err = client
        .v1_0()
        .get_presence(v1_0::Target::User("nobody"))
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
