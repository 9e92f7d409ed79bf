//! National clouds: base URLs, refusal before sending, plain http only on loopback.

mod support;

use msgraph_presence::{Client, Cloud, Error};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Reply, Server, presence_json};

#[tokio::test]
async fn china_refuses_a_presence_call_without_sending_anything() {
    let server = Server::start(|_, _| Reply::json(200, presence_json("u1", "Busy"))).await;
    let token_calls = Arc::new(AtomicUsize::new(0));
    let counter = token_calls.clone();
    let client = Client::builder()
        .cloud(Cloud::China)
        .base_url(&server.base_url)
        .token_fn(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok("t".to_owned()) }
        })
        .build()
        .unwrap();
    let err = client.v1_0().user("u1").presence().get().await.unwrap_err();
    match &err {
        Error::CloudUnavailable { operation, cloud } => {
            assert_eq!(*operation, "GetPresence");
            assert_eq!(*cloud, Cloud::China);
        }
        other => panic!("expected CloudUnavailable, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "GetPresence is not available in the China (21Vianet) cloud"
    );
    assert!(server.requests().is_empty(), "a request reached the server");
    assert_eq!(token_calls.load(Ordering::SeqCst), 0, "a token was fetched");
    // The same call is sent for a cloud where the spec lists it.
    let gov = Client::builder()
        .cloud(Cloud::UsGovL4)
        .base_url(&server.base_url)
        .bearer_token("t")
        .build()
        .unwrap();
    gov.v1_0().user("u1").presence().get().await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn clouds_have_their_graph_endpoints() {
    assert_eq!(Cloud::Global.base_url(), "https://graph.microsoft.com");
    assert_eq!(Cloud::UsGovL4.base_url(), "https://graph.microsoft.us");
    assert_eq!(Cloud::UsGovL5.base_url(), "https://dod-graph.microsoft.us");
    assert_eq!(
        Cloud::China.base_url(),
        "https://microsoftgraph.chinacloudapi.cn"
    );
    for cloud in [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China] {
        let client = Client::builder()
            .cloud(cloud)
            .bearer_token("t")
            .build()
            .unwrap();
        assert_eq!(client.runtime().base_url(), cloud.base_url());
        assert_eq!(client.runtime().cloud(), cloud);
    }
}

#[test]
fn plain_http_only_for_loopback() {
    for ok in [
        "http://127.0.0.1:8080",
        "http://[::1]:9",
        "http://localhost:3000/proxy/",
    ] {
        let built = Client::builder().base_url(ok).bearer_token("t").build();
        assert!(built.is_ok(), "{ok}: {:?}", built.err());
    }
    for bad in [
        "http://graph.microsoft.com",
        "http://10.0.0.5",
        "http://127.0.0.1.example.com",
    ] {
        let err = Client::builder()
            .base_url(bad)
            .bearer_token("t")
            .build()
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("plain http is allowed only for loopback"),
            "{bad}: {err}"
        );
    }
}

#[tokio::test]
async fn a_custom_base_url_with_a_path_prefix_is_kept() {
    let server = Server::start(|_, _| Reply::status(200)).await;
    let client = Client::builder()
        .base_url(format!("{}/graph-proxy/", server.base_url))
        .bearer_token("t")
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
        server.requests()[0].target,
        "/graph-proxy/v1.0/me/presence/clearLocation"
    );
}
