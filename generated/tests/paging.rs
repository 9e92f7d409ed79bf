//! Paged collections as streams over loopback: the subscriptions list (`list_stream`) follows
//! `@odata.nextLink` page after page through the runtime: a token and a `client-request-id`
//! per page, retries inside a page, a cap on items, and no link followed off the base URL.

mod support;

use futures_util::StreamExt;
use msgraph_presence::Error;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Recorded, Reply, Server, Waits};

/// A subscription as Graph lists it.
fn subscription(id: &str) -> Value {
    json!({
        "id": id,
        "resource": "/communications/presences/u1",
        "changeType": "updated",
        "expirationDateTime": "2026-12-07T09:00:00Z",
        "notificationUrl": "https://example.com/hook",
        "clientState": null
    })
}

/// The page with these ids, linking to `next` (a path below the server's own base URL).
fn page(request: &Recorded, ids: &[&str], next: Option<&str>) -> Reply {
    let value: Vec<Value> = ids.iter().map(|id| subscription(id)).collect();
    let mut body = json!({ "value": value });
    if let Some(next) = next {
        let base = format!("http://{}", request.header("host").unwrap());
        body["@odata.nextLink"] = json!(format!("{base}{next}"));
    }
    Reply::json(200, body)
}

/// Three pages at `/v1.0/subscriptions`, `?$skiptoken=2`, `?$skiptoken=3`.
fn three_pages(request: &Recorded) -> Reply {
    match request.target.as_str() {
        "/v1.0/subscriptions" => page(
            request,
            &["s1", "s2"],
            Some("/v1.0/subscriptions?$skiptoken=2"),
        ),
        "/v1.0/subscriptions?$skiptoken=2" => page(
            request,
            &["s3", "s4"],
            Some("/v1.0/subscriptions?$skiptoken=3"),
        ),
        "/v1.0/subscriptions?$skiptoken=3" => page(request, &["s5"], None),
        other => Reply::json(
            404,
            json!({"error": {"code": "NotFound", "message": other}}),
        ),
    }
}

/// A client whose token provider hands out `token-1`, `token-2`, ... one per call.
fn counting_client(server: &Server, waits: &Waits) -> msgraph_presence::Client {
    let tokens = Arc::new(AtomicUsize::new(0));
    waits
        .install(server.builder().token_fn(move || {
            let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
            async move { Ok(format!("token-{n}")) }
        }))
        .build()
        .unwrap()
}

fn ids(items: &[msgraph_presence::v1_0::models::Subscription]) -> Vec<&str> {
    items.iter().map(|s| s.id.as_deref().unwrap()).collect()
}

#[tokio::test]
async fn three_pages_with_a_429_on_the_second_are_streamed_whole() {
    let throttled = Arc::new(AtomicUsize::new(0));
    let once = throttled.clone();
    let server = Server::start(move |_, request| {
        if request.target.ends_with("$skiptoken=2") && once.fetch_add(1, Ordering::SeqCst) == 0 {
            return Reply::json(
                429,
                json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
            )
            .header("retry-after", "1");
        }
        three_pages(request)
    })
    .await;
    let waits = Waits::default();
    let client = counting_client(&server, &waits);
    let items: Vec<_> = client
        .v1_0()
        .subscriptions()
        .list_stream(None)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids(&items), ["s1", "s2", "s3", "s4", "s5"]);

    let requests = server.requests();
    let targets: Vec<&str> = requests.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/v1.0/subscriptions",
            "/v1.0/subscriptions?$skiptoken=2",
            "/v1.0/subscriptions?$skiptoken=2",
            "/v1.0/subscriptions?$skiptoken=3",
        ]
    );
    assert!(requests.iter().all(|r| r.method == "GET"));
    assert_eq!(
        waits.all(),
        [std::time::Duration::from_secs(1)],
        "one retry wait"
    );
    // A token fetched for every request, retries included.
    let tokens: Vec<&str> = requests
        .iter()
        .map(|r| r.header("authorization").unwrap())
        .collect();
    assert_eq!(
        tokens,
        [
            "Bearer token-1",
            "Bearer token-2",
            "Bearer token-3",
            "Bearer token-4"
        ]
    );
    // One client-request-id per page: the retry of page 2 keeps its page's id.
    let id = |i: usize| requests[i].header("client-request-id").unwrap();
    assert_eq!(id(1), id(2), "a retry is the same call");
    assert_ne!(id(0), id(1));
    assert_ne!(id(1), id(3));
    assert_ne!(id(0), id(3));
    assert_eq!(requests[2].header("retry-attempt"), Some("1"));
    assert_eq!(requests[3].header("retry-attempt"), None);
}

#[tokio::test]
async fn a_next_link_to_another_host_ends_the_stream_with_a_typed_error() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            json!({
                "value": [subscription("s1")],
                "@odata.nextLink": "https://evil.example.com/v1.0/subscriptions?$skiptoken=2"
            }),
        )
    })
    .await;
    let client = server.builder().build().unwrap();
    let results: Vec<_> = client
        .v1_0()
        .subscriptions()
        .list_stream(None)
        .collect()
        .await;
    assert_eq!(results.len(), 2, "{results:?}");
    assert_eq!(results[0].as_ref().unwrap().id.as_deref(), Some("s1"));
    match &results[1] {
        Err(Error::NextLinkRefused { link, base_url }) => {
            assert!(link.starts_with("https://evil.example.com/"), "{link}");
            assert_eq!(base_url, &server.base_url);
        }
        other => panic!("expected NextLinkRefused, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "nothing sent to the other host");
}

#[tokio::test]
async fn max_items_stops_without_fetching_the_pages_after_it() {
    let server = Server::start(|_, request| three_pages(request)).await;
    let client = server.builder().build().unwrap();
    let subscriptions = client.v1_0().subscriptions();

    let two: Vec<_> = subscriptions.list_stream(Some(2)).collect().await;
    let two: Vec<_> = two.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids(&two), ["s1", "s2"]);
    assert_eq!(server.take_requests().len(), 1, "page 1 held both items");

    let three: Vec<_> = subscriptions.list_stream(Some(3)).collect().await;
    let three: Vec<_> = three.into_iter().collect::<Result<_, _>>().unwrap();
    assert_eq!(ids(&three), ["s1", "s2", "s3"]);
    assert_eq!(server.take_requests().len(), 2, "page 3 never fetched");

    let none: Vec<_> = subscriptions.list_stream(Some(0)).collect().await;
    assert!(none.is_empty());
    assert!(
        server.take_requests().is_empty(),
        "a cap of 0 sends nothing"
    );
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_the_items_before_it() {
    let server = Server::start(|_, request| {
        if request.target.ends_with("$skiptoken=2") {
            return Reply::json(
                403,
                json!({"error": {"code": "Forbidden", "message": "no"}}),
            );
        }
        three_pages(request)
    })
    .await;
    let client = server.builder().build().unwrap();
    let results: Vec<_> = client
        .v1_0()
        .subscriptions()
        .list_stream(None)
        .collect()
        .await;
    assert_eq!(results.len(), 3, "{results:?}");
    assert_eq!(results[2].as_ref().unwrap_err().status(), Some(403));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_page_naming_itself_as_next_is_refused_instead_of_looping() {
    let server =
        Server::start(|_, request| page(request, &[], Some("/v1.0/subscriptions?$skiptoken=same")))
            .await;
    let client = server.builder().build().unwrap();
    let results: Vec<_> = client
        .v1_0()
        .subscriptions()
        .list_stream(None)
        .collect()
        .await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert!(
        matches!(&results[0], Err(Error::Decode { field, .. }) if field == "@odata.nextLink"),
        "{results:?}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_post_collection_streams_its_next_pages_with_get() {
    let server = Server::start(|n, request| {
        let base = format!("http://{}", request.header("host").unwrap());
        match n {
            0 => Reply::json(
                200,
                json!({
                    "value": [support::presence_json("u1", "Busy")],
                    "@odata.nextLink": format!("{base}/v1.0/communications/getPresencesByUserId?$skiptoken=2"),
                }),
            ),
            _ => Reply::json(200, json!({"value": [support::presence_json("u2", "Away")]})),
        }
    })
    .await;
    let client = server.builder().build().unwrap();
    let body = msgraph_presence::v1_0::models::GetPresencesByUserIdRequest {
        ids: vec!["u1".into(), "u2".into()],
        additional_properties: Default::default(),
    };
    let stream = client
        .v1_0()
        .communications()
        .get_presences_by_user_id_stream(&body, None);
    // The stream owns its first request: the body may go before the stream is read.
    drop(body);
    let presences: Vec<_> = stream.collect().await;
    let ids: Vec<_> = presences
        .iter()
        .map(|p| p.as_ref().unwrap().id.clone().unwrap())
        .collect();
    assert_eq!(ids, ["u1", "u2"]);
    let requests = server.requests();
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].json(), json!({"ids": ["u1", "u2"]}));
    assert_eq!(requests[1].method, "GET");
    assert!(requests[1].body.is_empty());
}
