//! Presence of many users: 650-id chunks, input order, duplicates, empty ids, next links.

mod support;

use msgraph_presence::batch::MAX_IDS_PER_REQUEST;
use msgraph_presence::{Error, v1_0};
use serde_json::json;
use support::{Recorded, Reply, Server, presence_json};

/// Answers a getPresencesByUserId request with the presences of its ids, in reverse order (so
/// only a merge by id can restore the input order), skipping ids starting with `missing`.
fn answer(request: &Recorded) -> Reply {
    let ids: Vec<String> = serde_json::from_value(request.json()["ids"].clone()).unwrap();
    let value: Vec<_> = ids
        .iter()
        .rev()
        .filter(|id| !id.starts_with("missing"))
        .map(|id| presence_json(id, "Available"))
        .collect();
    Reply::json(200, json!({ "value": value }))
}

fn ids_of(result: &[Option<v1_0::models::Presence>]) -> Vec<Option<String>> {
    result
        .iter()
        .map(|p| p.as_ref().and_then(|p| p.id.clone()))
        .collect()
}

#[tokio::test]
async fn fifteen_hundred_ids_take_three_requests_and_keep_input_order() {
    let server = Server::start(|_, r| answer(r)).await;
    let client = server.builder().build().unwrap();
    let ids: Vec<String> = (0..1500).map(|i| format!("user-{i:04}")).collect();
    let result = client.v1_0().get_presences_for_users(&ids).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let mut sizes: Vec<usize> = requests
        .iter()
        .map(|r| r.json()["ids"].as_array().unwrap().len())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, [200, MAX_IDS_PER_REQUEST, MAX_IDS_PER_REQUEST]);
    for r in &requests {
        assert_eq!(r.method, "POST");
        assert_eq!(r.target, "/v1.0/communications/getPresencesByUserId");
    }
    let expected: Vec<Option<String>> = ids.iter().cloned().map(Some).collect();
    assert_eq!(ids_of(&result), expected);
}

#[tokio::test]
async fn duplicates_are_sent_once_and_answered_at_every_position() {
    let server = Server::start(|_, r| answer(r)).await;
    let client = server.builder().build().unwrap();
    let ids = ["a", "missing-1", "B", "A", "b"];
    let result = client.beta().get_presences_for_users(&ids).await.unwrap();
    assert_eq!(server.requests().len(), 1);
    assert_eq!(
        server.requests()[0].json(),
        json!({"ids": ["a", "missing-1", "B"]})
    );
    let got: Vec<Option<String>> = result
        .iter()
        .map(|p| p.as_ref().and_then(|p| p.id.clone()))
        .collect();
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(got, [some("a"), None, some("B"), some("a"), some("B")]);
}

#[tokio::test]
async fn an_empty_id_is_refused_before_sending() {
    let server = Server::start(|_, r| answer(r)).await;
    let client = server.builder().build().unwrap();
    let err = client
        .v1_0()
        .get_presences_for_users(&["a", ""])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("ids[1]")),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
    let none: [&str; 0] = [];
    assert!(
        client
            .v1_0()
            .get_presences_for_users(&none)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn next_links_are_followed() {
    let server = Server::start(|n, r| match n {
        0 => {
            let base = format!("http://{}", r.header("host").unwrap());
            Reply::json(
                200,
                json!({
                    "value": [presence_json("u2", "Busy")],
                    "@odata.nextLink": format!("{base}/v1.0/communications/getPresencesByUserId?$skiptoken=p2"),
                }),
            )
        }
        _ => Reply::json(200, json!({"value": [presence_json("u1", "Away")]})),
    })
    .await;
    let client = server.builder().build().unwrap();
    let result = client
        .v1_0()
        .get_presences_for_users(&["u1", "u2", "u3"])
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].method, "GET");
    assert_eq!(
        requests[1].target,
        "/v1.0/communications/getPresencesByUserId?$skiptoken=p2"
    );
    assert_eq!(
        requests[1].header("authorization"),
        Some("Bearer test-token")
    );
    assert_eq!(
        ids_of(&result),
        [Some("u1".to_owned()), Some("u2".to_owned()), None]
    );
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let server = Server::start(|_, _| {
        Reply::json(
            200,
            json!({"value": [], "@odata.nextLink": "https://evil.example.com/steal"}),
        )
    })
    .await;
    let client = server.builder().build().unwrap();
    let err = client
        .v1_0()
        .get_presences_for_users(&["u1"])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NextLinkRefused { ref link, .. } if link.contains("evil.example.com")),
        "{err:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_failing_chunk_fails_the_call() {
    let server = Server::start(|n, r| match n {
        1 => Reply::status(400),
        _ => answer(r),
    })
    .await;
    let client = server.builder().build().unwrap();
    let ids: Vec<String> = (0..1300).map(|i| format!("user-{i}")).collect();
    let err = client
        .v1_0()
        .get_presences_for_users_with_concurrency(&ids, 1)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(server.requests().len(), 2);
}
