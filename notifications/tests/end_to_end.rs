//! End to end over loopback: the subscription manager subscribes through the emulator, another
//! client sets presence, the emulator seals, signs and delivers, and the webhook receiver yields
//! the decrypted `Presence`. Also: renewal across an hour of emulator clock (tokio's paused time
//! drives both sides), 409 recovery, and more than 650 users split over signed-in users.

mod support;

use msgraph_presence::{beta, v1_0};
use msgraph_presence_notifications::receiver::{ApiVersion, PresenceResource};
use msgraph_presence_notifications::{PresenceSubscriptions, SubscriptionEvent, Subscriptions};
use presence_emulator::{Clock, DEFAULT_SIGNED_IN_USER, Emulator};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::*;

const SESSION: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";
const WAIT: Duration = Duration::from_secs(20);

async fn set_busy(writer: &msgraph_presence::Client, user: &str) {
    let body = v1_0::models::SetPresenceRequest::new(
        SESSION,
        v1_0::models::Availability::Busy,
        v1_0::models::Activity::InACall,
    );
    writer
        .v1_0()
        .user(user)
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
}

async fn subscribe(emu: &Emulator, hook: &Hook, ids: &[String], beta: bool) -> Subscriptions {
    let subscriber = client(emu, "any");
    let mut builder = PresenceSubscriptions::builder(&subscriber, &hook.url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(presence_emulator::DEFAULT_APP_ID);
    if beta {
        builder = builder.beta();
    }
    builder.subscribe(ids).await.unwrap()
}

#[tokio::test]
async fn a_presence_change_reaches_the_receiver_decrypted_v1_0() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(3);
    let subs = subscribe(&emu, &hook, &ids, false).await;
    let held = subs.subscriptions();
    let shared = Arc::new(Mutex::new(Some(subs)));
    let _server = hook.server;
    let mut app = forward(hook.receiver, shared.clone());

    let writer = client(&emu, "writer");
    set_busy(&writer, &ids[1]).await;
    let change = next_change(&mut app.changes, WAIT).await;
    assert_eq!(change.user_id, ids[1]);
    assert_eq!(change.subscription_id, held[0].id);
    assert_eq!(change.presence.availability(), Some("Busy"));
    assert_eq!(change.presence.activity(), Some("InACall"));
    let PresenceResource::V1_0(presence) = &change.presence else {
        panic!("a v1.0 subscription yields the v1.0 model: {change:?}");
    };
    assert_eq!(
        presence.availability,
        Some(v1_0::models::Availability::Busy)
    );
    // A write that changes nothing notifies nobody; a user nobody watches neither.
    set_busy(&writer, &ids[1]).await;
    set_busy(&writer, DEFAULT_SIGNED_IN_USER).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.changes.try_recv().is_err());
    assert_eq!(app.stats.snapshot().delivered, 1);
    assert_eq!(app.stats.snapshot().rejected_total(), 0);
    let deliveries = emu.deliveries();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].status, Some(202));
    let subs = shared.lock().unwrap().take().unwrap();
    subs.shutdown().await;
}

#[tokio::test]
async fn a_presence_change_reaches_the_receiver_decrypted_beta() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::Beta, None).await;
    let ids = users(1);
    let subs = subscribe(&emu, &hook, &ids, true).await;
    let shared = Arc::new(Mutex::new(Some(subs)));
    let _server = hook.server;
    let mut app = forward(hook.receiver, shared.clone());
    set_busy(&client(&emu, "writer"), &ids[0]).await;
    let change = next_change(&mut app.changes, WAIT).await;
    let PresenceResource::Beta(presence) = &change.presence else {
        panic!("a beta subscription yields the beta model: {change:?}");
    };
    assert_eq!(presence.activity, Some(beta::models::Activity::InACall));
    assert!(
        emu.requests()
            .iter()
            .any(|r| r.method == "POST" && r.path == "/beta/subscriptions" && r.status == 201)
    );
    let subs = shared.lock().unwrap().take().unwrap();
    subs.shutdown().await;
}

/// tokio's paused clock drives the renewal task, and the emulator's clock follows it: an hour
/// and a half passes in well under a second, and the subscription is still alive.
#[tokio::test(start_paused = true)]
async fn renewal_keeps_the_subscription_alive_across_an_hour_of_emulator_clock() {
    let emu = Emulator::builder()
        .clock(Clock::runtime())
        .start()
        .await
        .unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(2);
    let subs = subscribe(&emu, &hook, &ids, false).await;
    let first = subs.subscriptions()[0].clone();
    let shared = Arc::new(Mutex::new(Some(subs)));
    let _server = hook.server;
    let mut app = forward(hook.receiver, shared.clone());
    let start = emu.clock().now();

    // 90 minutes, a minute at a time: each step lets the renewal task and deliveries run.
    for _ in 0..90 {
        tokio::time::sleep(Duration::from_secs(60)).await;
    }
    let elapsed = emu.clock().now().duration_since(start);
    assert!(
        elapsed >= jiff::SignedDuration::from_mins(90),
        "{elapsed:?}"
    );

    let patches: Vec<_> = emu
        .requests()
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert!(patches.len() >= 2, "renewed at least twice: {patches:?}");
    assert!(patches.iter().all(|r| r.status == 200), "{patches:?}");
    assert!(
        patches
            .iter()
            .all(|r| r.path == format!("/v1.0/subscriptions/{}", first.id))
    );
    // Graph's copy (read through the generated client) outlives the original expiry.
    let subscriber = client(&emu, "any");
    let graph = subscriber
        .v1_0()
        .subscription(&first.id)
        .get()
        .await
        .unwrap();
    assert!(graph.expiration_date_time > first.expires);
    assert_eq!(
        shared.lock().unwrap().as_ref().unwrap().subscriptions()[0].id,
        first.id
    );
    // And it still delivers.
    set_busy(&client(&emu, "writer"), &ids[0]).await;
    let change = next_change(&mut app.changes, WAIT).await;
    assert_eq!(change.subscription_id, first.id);
    let subs = shared.lock().unwrap().take().unwrap();
    subs.shutdown().await;
}

/// A previous run left its subscription (the manager leaves them to expire): the emulator
/// answers 409 (one per app and user, R5) and the manager reuses it.
#[tokio::test]
async fn a_409_reuses_the_subscription_a_previous_run_left() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(2);
    let earlier = subscribe(&emu, &hook, &ids, false).await;
    let left = earlier.subscriptions()[0].id.clone();
    earlier.shutdown().await;

    let subs = subscribe(&emu, &hook, &ids, false).await;
    assert_eq!(subs.subscriptions()[0].id, left);
    let calls: Vec<(String, u16)> = emu
        .requests()
        .into_iter()
        .skip(1)
        .map(|r| (format!("{} {}", r.method, r.path), r.status))
        .collect();
    assert_eq!(
        calls,
        [
            ("POST /v1.0/subscriptions".to_owned(), 409),
            ("GET /v1.0/subscriptions".to_owned(), 200),
            (format!("PATCH /v1.0/subscriptions/{left}"), 200),
        ]
    );
    let shared = Arc::new(Mutex::new(Some(subs)));
    let _server = hook.server;
    let mut app = forward(hook.receiver, shared.clone());
    set_busy(&client(&emu, "writer"), &ids[1]).await;
    assert_eq!(
        next_change(&mut app.changes, WAIT).await.subscription_id,
        left
    );
    let subs = shared.lock().unwrap().take().unwrap();
    subs.shutdown().await;
}

/// The subscription left behind watches other users: with `replace_existing` it is deleted
/// and ours created.
#[tokio::test]
async fn a_409_for_other_users_replaces_the_old_subscription() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(3);
    let earlier = subscribe(&emu, &hook, &ids[..1], false).await;
    let left = earlier.subscriptions()[0].id.clone();
    earlier.shutdown().await;

    let subs = PresenceSubscriptions::builder(&client(&emu, "any"), &hook.url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(presence_emulator::DEFAULT_APP_ID)
        .replace_existing(true)
        .subscribe(&ids[1..])
        .await
        .unwrap();
    let new_id = subs.subscriptions()[0].id.clone();
    assert_ne!(new_id, left);
    let subscriber = client(&emu, "any");
    let gone = subscriber
        .v1_0()
        .subscription(&left)
        .get()
        .await
        .unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    let shared = Arc::new(Mutex::new(Some(subs)));
    let _server = hook.server;
    let mut app = forward(hook.receiver, shared.clone());
    let writer = client(&emu, "writer");
    set_busy(&writer, &ids[0]).await; // no longer watched
    set_busy(&writer, &ids[2]).await;
    let change = next_change(&mut app.changes, WAIT).await;
    assert_eq!(
        (change.user_id.as_str(), change.subscription_id.as_str()),
        (ids[2].as_str(), new_id.as_str())
    );
    let subs = shared.lock().unwrap().take().unwrap();
    subs.shutdown().await;
}

/// 1,300 users need two subscriptions, so two signed-in users (R5): each change arrives
/// through the subscription that holds its user.
#[tokio::test]
async fn more_than_650_users_are_split_over_signed_in_users() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(1300);
    let alice = client(&emu, &token_for("a1f0c1de-0000-4000-8000-000000000001"));
    let bob = client(&emu, &token_for("b0b0c1de-0000-4000-8000-000000000002"));
    let subs = PresenceSubscriptions::builder(&alice, &hook.url, certificate())
        .signed_in_user(&bob)
        .client_state(CLIENT_STATE)
        .subscribe(&ids)
        .await
        .unwrap();
    let held = subs.subscriptions();
    assert_eq!(held.len(), 2);
    assert_eq!(held[0].user_ids, ids[..650]);
    assert_eq!(held[1].user_ids, ids[650..]);
    // Graph's view: one presence subscription per signed-in user.
    let alices = alice.v1_0().subscriptions().list().await.unwrap();
    assert_eq!(alices.value.unwrap_or_default().len(), 1);

    let shared = Arc::new(Mutex::new(Some(subs)));
    let _server = hook.server;
    let mut app = forward(hook.receiver, shared.clone());
    let writer = client(&emu, "writer");
    set_busy(&writer, &ids[649]).await;
    let first = next_change(&mut app.changes, WAIT).await;
    set_busy(&writer, &ids[1299]).await;
    let second = next_change(&mut app.changes, WAIT).await;
    assert_eq!(
        (first.user_id.as_str(), first.subscription_id.as_str()),
        (ids[649].as_str(), held[0].id.as_str())
    );
    assert_eq!(
        (second.user_id.as_str(), second.subscription_id.as_str()),
        (ids[1299].as_str(), held[1].id.as_str())
    );
    let subs = shared.lock().unwrap().take().unwrap();
    subs.shutdown().await;
}

/// Lifecycle notifications travel emulator → receiver → renewal task: `subscriptionRemoved`
/// creates the subscription again (and tells the application to resync), and changes flow
/// through the new one.
#[tokio::test]
async fn lifecycle_notifications_reach_the_renewal_task() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(1);
    let mut subs = subscribe(&emu, &hook, &ids, false).await;
    let old = subs.subscriptions()[0].id.clone();
    let mut events = subs.take_events().unwrap();
    let shared = Arc::new(Mutex::new(Some(subs)));
    let _server = hook.server;
    let mut app = forward(hook.receiver, shared.clone());

    assert!(emu.send_lifecycle(&old, "subscriptionRemoved"));
    let event = tokio::time::timeout(WAIT, events.recv())
        .await
        .unwrap()
        .unwrap();
    let SubscriptionEvent::Recreated {
        old_id,
        new_id,
        user_ids,
    } = event
    else {
        panic!("expected a re-creation: {event:?}");
    };
    assert_eq!((old_id.as_str(), user_ids), (old.as_str(), ids.clone()));
    assert_eq!(*app.lifecycle_seen.lock().unwrap(), ["SubscriptionRemoved"]);

    set_busy(&client(&emu, "writer"), &ids[0]).await;
    assert_eq!(
        next_change(&mut app.changes, WAIT).await.subscription_id,
        new_id
    );
    let subs = shared.lock().unwrap().take().unwrap();
    subs.shutdown().await;
}
