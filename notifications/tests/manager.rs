//! The subscription manager against a scripted Graph on 127.0.0.1, with tokio's paused clock:
//! chunking and exact bodies, renewal across hours, 404 re-creation, 409 reuse, lifecycle
//! events and shutdown.

#[path = "../../generated/tests/support/server.rs"]
#[allow(dead_code)]
mod server;

use jiff::{SignedDuration, Timestamp};
use msgraph_presence_notifications::{
    Certificate, PresenceSubscriptions, SubscriptionEvent, Subscriptions,
};
use serde_json::{Value, json};
use server::{Recorded, Reply, Server};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const HOOK: &str = "https://example.com/hook";
const APP: &str = "app-1";

/// A fake Graph subscription service: stores what is created, echoes expiries.
#[derive(Default)]
struct Fake {
    subs: BTreeMap<String, Value>,
    created: usize,
    /// Answer every create with 409 while a presence subscription exists (R5).
    one_per_user: bool,
    /// Answer renewals of these ids with 404.
    gone: Vec<String>,
}

impl Fake {
    fn answer(&mut self, request: &Recorded) -> Reply {
        let path = request.path.strip_prefix("/v1.0").unwrap_or(&request.path);
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        match (request.method.as_str(), segments.as_slice()) {
            ("POST", ["subscriptions"]) => {
                if self.one_per_user && !self.subs.is_empty() {
                    return Reply::json(
                        409,
                        json!({"error": {"code": "ExtensionError", "message": "A subscripton already exists."}}),
                    );
                }
                let id = format!("s{}", self.created);
                self.created += 1;
                let mut body = request.json();
                body["id"] = json!(id);
                body["applicationId"] = json!(APP);
                self.subs.insert(id, body.clone());
                Reply::json(201, body)
            }
            ("GET", ["subscriptions"]) => {
                let value: Vec<Value> = self
                    .subs
                    .values()
                    .map(|s| {
                        let mut s = s.clone();
                        s["clientState"] = Value::Null; // as LIST1 says
                        s
                    })
                    .collect();
                Reply::json(200, json!({ "value": value }))
            }
            ("PATCH", ["subscriptions", id]) => {
                if self.gone.iter().any(|g| g == id) || !self.subs.contains_key(*id) {
                    self.subs.remove(*id);
                    return not_found();
                }
                let sub = self.subs.get_mut(*id).unwrap();
                sub["expirationDateTime"] = request.json()["expirationDateTime"].clone();
                Reply::json(200, sub.clone())
            }
            ("POST", ["subscriptions", id, "reauthorize"]) if self.subs.contains_key(*id) => {
                Reply::status(204)
            }
            ("DELETE", ["subscriptions", id]) if self.subs.remove(*id).is_some() => {
                Reply::status(204)
            }
            _ => not_found(),
        }
    }
}

fn not_found() -> Reply {
    Reply::json(
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "gone"}}),
    )
}

async fn graph(fake: Fake) -> (Server, Arc<Mutex<Fake>>) {
    let fake = Arc::new(Mutex::new(fake));
    let state = fake.clone();
    let server = Server::start(move |_, request| state.lock().unwrap().answer(request)).await;
    (server, fake)
}

fn certificate() -> Certificate {
    Certificate::new("cert-1", "TUlJQmFzZTY0RGVy").unwrap()
}

fn users(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("00000000-0000-4000-8000-{i:012}"))
        .collect()
}

/// Subscribes with as many signed-in users' clients as the ids need (650 each, R5).
async fn subscribe(server: &Server, ids: &[String]) -> Subscriptions {
    let client = server.builder().build().unwrap();
    let mut builder = PresenceSubscriptions::builder(&client, HOOK, certificate());
    for _ in 1..ids.len().div_ceil(650) {
        builder = builder.signed_in_user(&server.builder().build().unwrap());
    }
    builder
        .lifecycle_url("https://example.com/lifecycle")
        .application_id(APP)
        .subscribe(ids)
        .await
        .unwrap()
}

/// Calls of one method and path prefix, in order.
fn calls<'a>(requests: &'a [Recorded], method: &str, path: &str) -> Vec<&'a Recorded> {
    requests
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .collect()
}

/// Lets the task run: paused time moves on only while everything waits.
async fn settle(server: &Server, until: impl Fn(&[Recorded]) -> bool) {
    for _ in 0..100 {
        if until(&server.requests()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "condition not reached; requests: {:#?}",
        server
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.target))
            .collect::<Vec<_>>()
    );
}

fn expiry(body: &Value) -> Timestamp {
    body["expirationDateTime"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn more_than_650_users_are_split_with_exact_resources_and_rich_bodies() {
    let (server, _) = graph(Fake::default()).await;
    let ids = users(1301);
    let started = Timestamp::now();
    let subs = subscribe(&server, &ids).await;
    let requests = server.requests();
    let creates = calls(&requests, "POST", "/v1.0/subscriptions");
    assert_eq!(creates.len(), 3);
    let resources: Vec<String> = creates
        .iter()
        .map(|r| r.json()["resource"].as_str().unwrap().to_owned())
        .collect();
    let quoted = |range: std::ops::Range<usize>| {
        ids[range]
            .iter()
            .map(|id| format!("'{id}'"))
            .collect::<Vec<_>>()
            .join(",")
    };
    assert_eq!(
        resources[0],
        format!(
            "/communications/presences?$filter=id in ({})",
            quoted(0..650)
        )
    );
    assert_eq!(
        resources[1],
        format!(
            "/communications/presences?$filter=id in ({})",
            quoted(650..1300)
        )
    );
    // A single id is the path form (R2).
    assert_eq!(
        resources[2],
        format!("/communications/presences/{}", ids[1300])
    );
    let mut states = Vec::new();
    for create in &creates {
        let body = create.json();
        assert_eq!(body["changeType"], "updated");
        assert_eq!(body["notificationUrl"], HOOK);
        assert_eq!(
            body["lifecycleNotificationUrl"],
            "https://example.com/lifecycle"
        );
        assert_eq!(body["includeResourceData"], true);
        assert_eq!(body["encryptionCertificate"], "TUlJQmFzZTY0RGVy");
        assert_eq!(body["encryptionCertificateId"], "cert-1");
        let state = body["clientState"].as_str().unwrap().to_owned();
        assert_eq!(state.len(), 64);
        states.push(state);
        let ahead = expiry(&body).duration_since(started);
        assert!(
            ahead > SignedDuration::from_mins(54) && ahead < SignedDuration::from_mins(56),
            "{ahead:?}"
        );
        assert_eq!(
            body.as_object().unwrap().len(),
            9,
            "no other fields: {body}"
        );
    }
    states.dedup();
    assert_eq!(states.len(), 3, "a clientState per subscription");
    let held = subs.subscriptions();
    assert_eq!(held.len(), 3);
    assert_eq!(held[0].id, "s0");
    assert_eq!(held[1].user_ids.len(), 650);
    assert_eq!(held[2].client_state, states[2]);
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn renews_fifteen_minutes_before_expiry_for_hours() {
    let (server, fake) = graph(Fake::default()).await;
    let subs = subscribe(&server, &users(2)).await;
    let created = expiry(&fake.lock().unwrap().subs["s0"]);
    // Created for 55 minutes: renewals at 40, 80 and 120 minutes.
    tokio::time::sleep(Duration::from_secs(121 * 60)).await;
    settle(&server, |r| {
        calls(r, "PATCH", "/v1.0/subscriptions/s0").len() == 3
    })
    .await;
    let requests = server.requests();
    let patches = calls(&requests, "PATCH", "/v1.0/subscriptions/s0");
    let expiries: Vec<Timestamp> = patches.iter().map(|p| expiry(&p.json())).collect();
    for (n, at) in expiries.iter().enumerate() {
        // Each renewal asks for 55 minutes from the moment it runs (40 minutes after the last).
        let expected = created + SignedDuration::from_mins(40 * (n as i64 + 1));
        assert!(
            (at.duration_since(expected)).abs() < SignedDuration::from_secs(2),
            "renewal {n}: {at} vs {expected}"
        );
        assert_eq!(patches[n].json().as_object().unwrap().len(), 1);
    }
    assert_eq!(subs.subscriptions()[0].expires, expiries[2]);
    assert_eq!(calls(&requests, "POST", "/v1.0/subscriptions").len(), 1);
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_renewal_answered_404_creates_the_subscription_again() {
    let (server, fake) = graph(Fake {
        gone: vec!["s0".into()],
        ..Fake::default()
    })
    .await;
    let mut subs = subscribe(&server, &users(3)).await;
    let mut events = subs.take_events().unwrap();
    tokio::time::sleep(Duration::from_secs(41 * 60)).await;
    settle(&server, |r| {
        calls(r, "POST", "/v1.0/subscriptions").len() == 2
    })
    .await;
    let event = events.recv().await.unwrap();
    assert_eq!(
        event,
        SubscriptionEvent::Recreated {
            old_id: "s0".into(),
            new_id: "s1".into(),
            user_ids: users(3)
        }
    );
    assert_eq!(subs.subscriptions()[0].id, "s1");
    let requests = server.requests();
    let creates = calls(&requests, "POST", "/v1.0/subscriptions");
    assert_eq!(creates[0].json()["resource"], creates[1].json()["resource"]);
    assert!(fake.lock().unwrap().subs.contains_key("s1"));
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_409_reuses_our_existing_subscription_for_the_same_users() {
    let ids = users(2);
    let mut fake = Fake {
        one_per_user: true,
        ..Fake::default()
    };
    fake.subs.insert(
        "old".into(),
        json!({"id": "old", "applicationId": APP, "changeType": "updated", "notificationUrl": HOOK,
               "expirationDateTime": "2030-01-01T00:00:00Z",
               // Graph may echo it without the leading slash (R5).
               "resource": format!("communications/presences?$filter=id in ('{}','{}')", ids[0], ids[1])}),
    );
    let (server, _) = graph(fake).await;
    // Only a clientState the application set can be reused: List hides it (R12).
    let client = server.builder().build().unwrap();
    let subs = PresenceSubscriptions::builder(&client, HOOK, certificate())
        .application_id(APP)
        .client_state("chosen-by-the-app")
        .subscribe(&ids)
        .await
        .unwrap();
    let requests: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        requests,
        [
            "POST /v1.0/subscriptions",
            "GET /v1.0/subscriptions",
            "PATCH /v1.0/subscriptions/old"
        ]
    );
    assert_eq!(subs.subscriptions()[0].id, "old");
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_409_for_other_users_deletes_the_old_subscription_when_told_to() {
    let mut fake = Fake {
        one_per_user: true,
        ..Fake::default()
    };
    fake.subs.insert(
        "old".into(),
        json!({"id": "old", "applicationId": APP, "changeType": "updated", "notificationUrl": HOOK,
               "expirationDateTime": "2030-01-01T00:00:00Z",
               "resource": "/communications/presences/someone-else"}),
    );
    let (server, _) = graph(fake).await;
    let client = server.builder().build().unwrap();
    let subs = PresenceSubscriptions::builder(&client, HOOK, certificate())
        .lifecycle_url("https://example.com/lifecycle")
        .application_id(APP)
        .replace_existing(true)
        .subscribe(&users(1))
        .await
        .unwrap();
    let requests: Vec<String> = server
        .requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        requests,
        [
            "POST /v1.0/subscriptions",
            "GET /v1.0/subscriptions",
            "DELETE /v1.0/subscriptions/old",
            "POST /v1.0/subscriptions"
        ]
    );
    assert_eq!(subs.subscriptions()[0].id, "s0");
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn reauthorization_required_reauthorizes_or_renews_when_renewal_is_near() {
    let (server, _) = graph(Fake::default()).await;
    let subs = subscribe(&server, &users(1)).await;
    // Just created: that authorized it, so there is nothing to do.
    subs.on_lifecycle("s0", "reauthorizationRequired");
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(server.requests().len(), 1, "only the create");
    // 12 minutes in: reauthorize (renewal is 28 minutes away).
    tokio::time::sleep(Duration::from_secs(11 * 60)).await;
    subs.on_lifecycle("s0", "reauthorizationRequired");
    settle(&server, |r| {
        calls(r, "POST", "/v1.0/subscriptions/s0/reauthorize").len() == 1
    })
    .await;
    assert!(calls(&server.requests(), "PATCH", "/v1.0/subscriptions/s0").is_empty());
    // 35 minutes in, renewal is due within 10 minutes: renew instead (never both, LC).
    tokio::time::sleep(Duration::from_secs(23 * 60)).await;
    subs.on_lifecycle("s0", "reauthorizationRequired");
    settle(&server, |r| {
        calls(r, "PATCH", "/v1.0/subscriptions/s0").len() == 1
    })
    .await;
    assert_eq!(
        calls(
            &server.requests(),
            "POST",
            "/v1.0/subscriptions/s0/reauthorize"
        )
        .len(),
        1
    );
    // An id this manager does not hold changes nothing.
    subs.on_lifecycle("unknown", "reauthorizationRequired");
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn removed_recreates_and_missed_reaches_the_application() {
    let (server, _) = graph(Fake::default()).await;
    let mut subs = subscribe(&server, &users(2)).await;
    let mut events = subs.take_events().unwrap();
    subs.on_lifecycle("s0", "missed");
    assert_eq!(
        events.recv().await.unwrap(),
        SubscriptionEvent::Missed {
            subscription_id: "s0".into(),
            user_ids: users(2)
        }
    );
    subs.on_lifecycle("s0", "subscriptionRemoved");
    match events.recv().await.unwrap() {
        SubscriptionEvent::Recreated { old_id, new_id, .. } => {
            assert_eq!((old_id.as_str(), new_id.as_str()), ("s0", "s1"));
        }
        other => panic!("{other:?}"),
    }
    // An event this crate does not know is handled like subscriptionRemoved (R18).
    subs.on_lifecycle("s1", "somethingNew");
    match events.recv().await.unwrap() {
        SubscriptionEvent::Recreated { old_id, new_id, .. } => {
            assert_eq!((old_id.as_str(), new_id.as_str()), ("s1", "s2"));
        }
        other => panic!("{other:?}"),
    }
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn shutdown_stops_renewing() {
    let (server, _) = graph(Fake::default()).await;
    let subs = subscribe(&server, &users(1)).await;
    subs.shutdown().await;
    tokio::time::sleep(Duration::from_secs(3 * 3600)).await;
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_failed_create_is_an_error_naming_the_resource() {
    let (server, _) = graph(Fake {
        one_per_user: true,
        subs: BTreeMap::from([(
            "theirs".to_owned(),
            json!({"id": "theirs", "applicationId": "another-app", "changeType": "updated",
                   "notificationUrl": HOOK, "expirationDateTime": "2030-01-01T00:00:00Z",
                   "resource": "/communications/presences/x"}),
        )]),
        ..Fake::default()
    })
    .await;
    let client = server.builder().build().unwrap();
    let err = PresenceSubscriptions::builder(&client, HOOK, certificate())
        .application_id(APP)
        .subscribe(&users(1))
        .await
        .err()
        .unwrap();
    assert!(err.to_string().contains("409"), "{err}");
    assert!(
        err.to_string().contains("/communications/presences/"),
        "{err}"
    );
}

#[tokio::test(start_paused = true)]
async fn more_users_than_signed_in_users_can_hold_is_refused_before_sending() {
    let (server, _) = graph(Fake::default()).await;
    let client = server.builder().build().unwrap();
    let err = PresenceSubscriptions::builder(&client, HOOK, certificate())
        .subscribe(&users(651))
        .await
        .err()
        .unwrap();
    let message = err.to_string();
    assert!(
        message.contains("651 users need 2 presence subscriptions"),
        "{message}"
    );
    assert!(message.contains("1 signed-in user"), "{message}");
    assert!(server.requests().is_empty());
}
