//! The client build.rs generated from this crate's own slice calls a server, and the build
//! script stays the few lines the README promises.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Answers one HTTP request with `body`, and hands back the request head it read.
async fn serve_once(body: &'static str) -> (String, tokio::task::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "connection closed before the request head ended");
            head.extend_from_slice(&buf[..n]);
        }
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        socket.write_all(response.as_bytes()).await.unwrap();
        socket.shutdown().await.unwrap();
        String::from_utf8(head).unwrap()
    });
    (format!("http://{addr}"), handle)
}

fn runtime(base_url: String) -> msgraph_presence_runtime::Runtime {
    msgraph_presence_runtime::Runtime::builder()
        .base_url(base_url)
        .bearer_token("token-1")
        .build()
        .unwrap()
}

#[tokio::test]
async fn reads_a_users_presence_from_a_server() {
    let (base_url, server) = serve_once(
        r#"{"id":"u1","availability":"Busy","activity":"InACall","sequenceNumber":"C4","x-new":1}"#,
    )
    .await;
    let runtime = runtime(base_url);
    let client = buildrs_client::v1_0::Client::new(&runtime);
    let presence = client.user("a/b").presence().get().await.unwrap();
    assert_eq!(
        presence.availability,
        Some(buildrs_client::v1_0::models::Availability::Busy)
    );
    assert_eq!(presence.sequence_number.as_deref(), Some("C4"));
    assert_eq!(presence.additional_properties["x-new"], 1);
    let head = server.await.unwrap();
    let request_line = head.lines().next().unwrap();
    assert_eq!(request_line, "GET /v1.0/users/a%2Fb/presence HTTP/1.1");
    assert!(
        head.to_ascii_lowercase()
            .contains("authorization: bearer token-1"),
        "{head}"
    );
}

#[tokio::test]
async fn reads_my_presence_from_a_server() {
    let (base_url, server) = serve_once(r#"{"id":"me","availability":"Available"}"#).await;
    let runtime = runtime(base_url);
    let presence = buildrs_client::v1_0::Client::new(&runtime)
        .me()
        .presence()
        .get()
        .await
        .unwrap();
    assert_eq!(presence.id.as_deref(), Some("me"));
    let head = server.await.unwrap();
    assert_eq!(
        head.lines().next().unwrap(),
        "GET /v1.0/me/presence HTTP/1.1"
    );
}

#[test]
fn the_slice_and_the_overlay_shape_the_client() {
    use buildrs_client::v1_0::operations;
    // Only the two reads of the slice were generated (no setPresence & co.).
    let paths: Vec<&str> = operations::ME_PRESENCE_GET
        .operation
        .bindings
        .iter()
        .map(|b| b.path)
        .collect();
    assert_eq!(paths, ["/me/presence", "/users/{user-id}/presence"]);
    // The overlay's description reached the generated docs.
    let generated = std::fs::read_to_string(concat!(env!("OUT_DIR"), "/v1_0.rs")).unwrap();
    assert!(generated.contains("needs the delegated permission Presence.Read"));
}

#[test]
fn build_rs_is_at_most_five_lines() {
    let build_rs = include_str!("../build.rs");
    assert!(build_rs.lines().count() <= 5, "{build_rs}");
}

#[test]
fn the_readme_recipe_is_this_build_rs() {
    let readme = include_str!("../../../../README.md");
    let start = readme
        .find("// build.rs\n")
        .expect("the README's build.rs recipe")
        + "// build.rs\n".len();
    let end = start
        + readme[start..]
            .find("```")
            .expect("the recipe's closing fence");
    assert_eq!(&readme[start..end], include_str!("../build.rs"));
}
