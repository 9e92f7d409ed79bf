//! Where a token may go: Graph's hosts, loopback, or hosts named with `allow_host`; never where
//! a redirect points. And the service's clock, learnt from `Date`.

mod support;

use msgraph_presence::{Client, Error};
use support::{Reply, Server, presence_json};

#[test]
fn a_host_that_is_not_graph_must_be_named() {
    let err = Client::builder()
        .base_url("https://graph.example.com")
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert!(
        err.to_string().contains("not a Microsoft Graph host"),
        "{err}"
    );
    let client = Client::builder()
        .base_url("https://graph.example.com/proxy")
        .allow_host("graph.example.com")
        .bearer_token("t")
        .build()
        .unwrap();
    assert_eq!(
        client.runtime().base_url(),
        "https://graph.example.com/proxy"
    );
}

#[test]
fn user_info_in_the_base_url_is_refused() {
    let err = Client::builder()
        .base_url("https://admin:hunter2@graph.microsoft.com")
        .bearer_token("t")
        .build()
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidInput(_)), "{err:?}");
    assert!(err.to_string().contains("user name or password"), "{err}");
}

#[tokio::test]
async fn a_redirect_is_returned_not_followed() {
    let elsewhere = Server::start(|_, _| Reply::json(200, presence_json("u1", "Busy"))).await;
    let target = format!("{}/v1.0/users/u1/presence", elsewhere.base_url);
    for status in [301, 302, 307, 308] {
        let location = target.clone();
        let server =
            Server::start(move |_, _| Reply::status(status).header("Location", &location)).await;
        let client = server
            .builder()
            .header("x-app-secret", "only-for-graph")
            .build()
            .unwrap();
        let err = client.v1_0().user("u1").presence().get().await.unwrap_err();
        assert_eq!(err.status(), Some(status), "{err:?}");
        assert_eq!(server.requests().len(), 1);
    }
    assert!(
        elsewhere.requests().is_empty(),
        "a redirect was followed: {:?}",
        elsewhere.requests()
    );
}

#[tokio::test]
async fn the_service_clock_offset_comes_from_date() {
    // A Date 10 minutes ahead of this machine's clock.
    let ahead = std::time::SystemTime::now() + std::time::Duration::from_secs(600);
    let date = httpdate::fmt_http_date(ahead);
    let server = Server::start(move |_, _| {
        Reply::json(200, presence_json("u1", "Busy")).header("Date", &date)
    })
    .await;
    let client = server.builder().build().unwrap();
    assert_eq!(client.runtime().server_clock_offset_ms(), None);
    client.v1_0().user("u1").presence().get().await.unwrap();
    let offset = client.runtime().server_clock_offset_ms().unwrap();
    // One-second resolution of Date, plus the exchange's own time.
    assert!((598_000..=601_000).contains(&offset), "{offset}");
    // Clones share what was learnt.
    assert_eq!(
        client.clone().runtime().server_clock_offset_ms(),
        Some(offset)
    );
}
