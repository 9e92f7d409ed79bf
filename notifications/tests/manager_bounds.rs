//! The manager's lifecycle work stays bounded against the emulator over loopback (issue 22,
//! F5, F9, R22): forged removals cost one GET and no create, repeats are ignored, the command
//! queue drops instead of growing, List is spaced 20 s, and a 409 never deletes a subscription
//! this manager cannot reuse unless told to; reuse updates the URL and certificate.

mod support;

use msgraph_presence_notifications::receiver::ApiVersion;
use msgraph_presence_notifications::{
    Certificate, ManagerError, PresenceSubscriptions, SubscriptionEvent, Subscriptions,
};
use presence_emulator::{Clock, DEFAULT_APP_ID, Emulator};
use std::time::Duration;
use support::*;

async fn subscribe(emu: &Emulator, url: &str, ids: &[String]) -> Subscriptions {
    PresenceSubscriptions::builder(&client(emu, "any"), url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .subscribe(ids)
        .await
        .unwrap()
}

fn count(emu: &Emulator, method: &str, path: &str) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r.method == method && r.path == path)
        .count()
}

/// Polls until `done`, failing after a while (the task works in the background).
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("not reached: {what}");
}

#[tokio::test(start_paused = true)]
async fn forged_removals_cost_one_get_and_repeats_are_ignored() {
    let emu = Emulator::builder()
        .clock(Clock::runtime())
        .start()
        .await
        .unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let mut subs = subscribe(&emu, &hook.url, &users(2)).await;
    let mut events = subs.take_events().unwrap();
    let id = subs.subscriptions()[0].id.clone();
    let one = format!("/v1.0/subscriptions/{id}");
    // A burst of forged removals (and made-up events, handled alike, R18) for a live one.
    for n in 0..40 {
        subs.on_lifecycle(&id, "subscriptionRemoved");
        subs.on_lifecycle(&id, format!("madeUp{n}").as_str());
    }
    until("all 80 handled", || {
        let s = subs.stats();
        s.lifecycle_repeats + s.removals_not_confirmed == 80
    })
    .await;
    let stats = subs.stats();
    assert_eq!(
        (stats.lifecycle_repeats, stats.removals_not_confirmed),
        (79, 1)
    );
    assert_eq!(count(&emu, "GET", &one), 1, "one check with Graph");
    assert_eq!(count(&emu, "POST", "/v1.0/subscriptions"), 1, "no create");
    assert_eq!(subs.subscriptions()[0].id, id);

    // After the cooldown, a removal Graph confirms (404) creates the subscription again.
    tokio::time::sleep(Duration::from_secs(61)).await;
    client(&emu, "any")
        .v1_0()
        .subscription(&id)
        .delete()
        .await
        .unwrap();
    subs.on_lifecycle(&id, "subscriptionRemoved");
    let event = tokio::time::timeout(Duration::from_secs(30), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(&event, SubscriptionEvent::Recreated { old_id, .. } if *old_id == id),
        "{event:?}"
    );
    assert_eq!(count(&emu, "GET", &one), 2);
    assert_eq!(count(&emu, "POST", "/v1.0/subscriptions"), 2);
    subs.shutdown().await;
}

#[tokio::test]
async fn a_full_command_queue_drops_and_counts_instead_of_growing() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let subs = subscribe(&emu, &hook.url, &users(1)).await;
    let id = subs.subscriptions()[0].id.clone();
    // Sent without yielding, so the task cannot drain the queue meanwhile.
    let sent = 5_000;
    for _ in 0..sent {
        subs.on_lifecycle(&id, "reauthorizationRequired");
    }
    let dropped = subs.stats().lifecycle_dropped;
    assert!(
        dropped >= sent - msgraph_presence_notifications::manager::COMMAND_CAPACITY as u64,
        "{dropped}"
    );
    // Just created, so the one admitted needs no call (LC); the rest are repeats.
    until("the queue drained", || {
        let s = subs.stats();
        s.lifecycle_dropped + s.lifecycle_repeats + 1 == sent
    })
    .await;
    // The waiting variant is never dropped.
    subs.forward_lifecycle(&id, "reauthorizationRequired").await;
    until("the forwarded one handled", || {
        subs.stats().lifecycle_repeats + subs.stats().lifecycle_dropped == sent
    })
    .await;
    assert_eq!(emu.requests().len(), 1, "only the create");
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn lists_after_409s_are_twenty_seconds_apart() {
    let emu = Emulator::builder()
        .clock(Clock::runtime())
        .start()
        .await
        .unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(1300);
    let alice = client(&emu, &token_for("a1f0c1de-0000-4000-8000-000000000001"));
    let bob = client(&emu, &token_for("b0b0c1de-0000-4000-8000-000000000002"));
    let build = || {
        PresenceSubscriptions::builder(&alice, &hook.url, certificate())
            .signed_in_user(&bob)
            .client_state(CLIENT_STATE)
            .application_id(DEFAULT_APP_ID)
    };
    let earlier = build().subscribe(&ids).await.unwrap();
    let left: Vec<String> = earlier.subscriptions().into_iter().map(|s| s.id).collect();
    earlier.shutdown().await;
    // Both signed-in users' creates get 409, so two Lists: the second waits (R22).
    let started = tokio::time::Instant::now();
    let subs = build().subscribe(&ids).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(count(&emu, "GET", "/v1.0/subscriptions"), 2);
    let now: Vec<String> = subs.subscriptions().into_iter().map(|s| s.id).collect();
    assert_eq!(now, left, "both reused");
    subs.shutdown().await;
}

#[tokio::test]
async fn a_409_leaves_a_subscription_it_cannot_reuse_alone_unless_told() {
    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(2);
    // Another instance, with a random clientState (R12) nobody else can know.
    let other = PresenceSubscriptions::builder(&client(&emu, "any"), &hook.url, certificate())
        .application_id(DEFAULT_APP_ID)
        .subscribe(&ids)
        .await
        .unwrap();
    let theirs = other.subscriptions()[0].id.clone();
    let err = PresenceSubscriptions::builder(&client(&emu, "any"), &hook.url, certificate())
        .application_id(DEFAULT_APP_ID)
        .subscribe(&ids)
        .await
        .err()
        .unwrap();
    match &err {
        ManagerError::ExistingSubscription { id, reason, .. } => {
            assert_eq!(id, &theirs);
            assert!(reason.contains("clientState"), "{reason}");
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("replace_existing"), "{err}");
    // Other users, clientState known: still not deleted.
    let err = subscribe_result(&emu, &hook.url, &ids[..1], false)
        .await
        .err()
        .unwrap();
    assert!(
        matches!(&err, ManagerError::ExistingSubscription { reason, .. } if reason.contains("other users")),
        "{err}"
    );
    assert_eq!(
        count(&emu, "DELETE", &format!("/v1.0/subscriptions/{theirs}")),
        0
    );
    client(&emu, "any")
        .v1_0()
        .subscription(&theirs)
        .get()
        .await
        .unwrap();
    // Told to: replaced.
    let subs = subscribe_result(&emu, &hook.url, &ids[..1], true)
        .await
        .unwrap();
    assert_ne!(subs.subscriptions()[0].id, theirs);
    assert_eq!(
        count(&emu, "DELETE", &format!("/v1.0/subscriptions/{theirs}")),
        1
    );
    subs.shutdown().await;
    other.shutdown().await;
}

async fn subscribe_result(
    emu: &Emulator,
    url: &str,
    ids: &[String],
    replace: bool,
) -> Result<Subscriptions, ManagerError> {
    PresenceSubscriptions::builder(&client(emu, "any"), url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .replace_existing(replace)
        .subscribe(ids)
        .await
}

#[tokio::test]
async fn reuse_after_a_409_updates_the_notification_url_and_certificate() {
    let emu = Emulator::start().await.unwrap();
    let first = hook(&emu, ApiVersion::V1_0, None).await;
    let second = hook(&emu, ApiVersion::V1_0, None).await;
    let ids = users(2);
    let earlier = subscribe(&emu, &first.url, &ids).await;
    let left = earlier.subscriptions()[0].id.clone();
    earlier.shutdown().await;
    // A new URL and a rotated certificate id; the lifecycle URL (which PATCH cannot change,
    // R19) stays.
    let rotated = Certificate::from_pem("presence-watch-cert-2", CERT_PEM).unwrap();
    let subs = PresenceSubscriptions::builder(&client(&emu, "any"), &second.url, rotated)
        .lifecycle_url(&first.url)
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .subscribe(&ids)
        .await
        .unwrap();
    assert_eq!(subs.subscriptions()[0].id, left);
    let graph = client(&emu, "any")
        .v1_0()
        .subscription(&left)
        .get()
        .await
        .unwrap();
    assert_eq!(graph.notification_url, second.url);
    assert_eq!(
        graph.encryption_certificate_id.as_deref(),
        Some("presence-watch-cert-2")
    );
    subs.shutdown().await;

    // A different lifecycle URL cannot be patched: a typed error, nothing deleted.
    let err = PresenceSubscriptions::builder(&client(&emu, "any"), &second.url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .subscribe(&ids)
        .await
        .err()
        .unwrap();
    assert!(
        matches!(&err, ManagerError::ExistingSubscription { reason, .. } if reason.contains("lifecycleNotificationUrl")),
        "{err}"
    );
    assert_eq!(
        count(&emu, "DELETE", &format!("/v1.0/subscriptions/{left}")),
        0
    );
}

#[tokio::test]
async fn blank_user_ids_are_refused_before_sending() {
    let emu = Emulator::start().await.unwrap();
    let err =
        PresenceSubscriptions::builder(&client(&emu, "any"), "https://example.com/", certificate())
            .subscribe(&[users(1)[0].as_str(), "  "])
            .await
            .err()
            .unwrap();
    assert!(
        matches!(err, ManagerError::BlankUserId { index: 1 }),
        "{err}"
    );
    assert!(emu.requests().is_empty());
}
