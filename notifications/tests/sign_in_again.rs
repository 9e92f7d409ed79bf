//! A revoked sign-in stops the subscription manager and the presence view cleanly (one
//! `SignInRequired` event, the change stream ends with the reason, no retry loop), and after a
//! new sign-in a new manager and view resume. On the emulator's identity platform, over loopback.

mod support;

use msgraph_presence::Client;
use msgraph_presence_notifications::receiver::ApiVersion;
use msgraph_presence_notifications::{
    PresenceSubscriptions, PresenceView, SubscriptionEvent, ViewEnd,
};
use msgraph_presence_runtime::signin::{SignIn, SignInConfig, TokenCache};
use msgraph_presence_runtime::{Cloud, Sleeper};
use presence_emulator::{DEFAULT_APP_ID, Emulator};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;
use support::*;

const WAIT: Duration = Duration::from_secs(20);

/// A sign-in whose idea of "now" runs `ahead` seconds in front of the emulator's clock, so a
/// test can make its access token stale without moving the subscriptions' clock.
fn sign_in(emu: &Emulator, cache: &std::path::Path, ahead: Arc<AtomicI64>) -> Arc<SignIn> {
    let clock = emu.clock().clone();
    let sleeper: Sleeper = Arc::new(|_| Box::pin(tokio::time::sleep(Duration::from_millis(2))));
    let config = SignInConfig::new(
        Cloud::Global,
        "organizations",
        DEFAULT_APP_ID,
        TokenCache::new(cache),
    )
    .authority(emu.base_url());
    Arc::new(
        SignIn::new(config)
            .sleeper(sleeper)
            .time_source(Arc::new(move || {
                clock.now() + jiff::SignedDuration::from_secs(ahead.load(Ordering::SeqCst))
            })),
    )
}

async fn control(emu: &Emulator, path: &str, body: serde_json::Value) {
    let status = reqwest::Client::new()
        .post(format!("{}/_emulator/identity/{path}", emu.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
        .status();
    assert!(status.is_success(), "{path}: {status}");
}

/// A device-code sign-in, approved through the emulator's control as soon as the code shows.
async fn device_sign_in(emu: &Emulator, sign_in: &SignIn) {
    let (tx, rx) = tokio::sync::oneshot::channel::<String>();
    let flow = sign_in.sign_in_with_device_code(move |m| tx.send(m.user_code.clone()).unwrap());
    let approve = async {
        let code = rx.await.unwrap();
        control(emu, "approve", serde_json::json!({ "userCode": code })).await;
    };
    let (account, ()) = tokio::join!(flow, approve);
    account.unwrap();
}

fn client_of(emu: &Emulator, sign_in: &Arc<SignIn>) -> Client {
    Client::builder()
        .base_url(emu.base_url())
        .token_provider(Arc::clone(sign_in))
        .build()
        .unwrap()
}

fn token_requests(emu: &Emulator) -> usize {
    emu.requests()
        .iter()
        .filter(|r| r.path.ends_with("/oauth2/v2.0/token"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_sign_in_stops_manager_and_view_and_a_new_sign_in_resumes() {
    let emu = Emulator::start().await.unwrap();
    control(&emu, "interval", serde_json::json!({ "seconds": 0 })).await;
    let dir = std::env::temp_dir().join(format!("sign-in-again-{}", emu.addr().port()));
    let cache = dir.join("tokens.json");
    let ahead = Arc::new(AtomicI64::new(0));
    let sign_in = sign_in(&emu, &cache, Arc::clone(&ahead));
    device_sign_in(&emu, &sign_in).await;
    let client = client_of(&emu, &sign_in);
    let ids = users(3);

    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let _server = hook.server;
    let subs = PresenceSubscriptions::builder(&client, &hook.url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .subscribe(&ids)
        .await
        .unwrap();
    let id = subs.subscriptions()[0].id.clone();
    let mut view = PresenceView::builder(&client)
        .start(&ids, hook.receiver, subs)
        .await
        .unwrap();
    let mut changes = view.take_changes().unwrap();
    assert!(view.ended().is_none());

    // The user's sign-in is revoked, and the cached access token has gone stale.
    control(&emu, "revoke", serde_json::json!({})).await;
    ahead.store(2 * 3600, Ordering::SeqCst);
    // Graph removes the subscription: the manager's check (GET) needs a token, and gets
    // "sign in again" from the provider.
    assert!(emu.send_lifecycle(&id, "subscriptionRemoved"));
    let end = tokio::time::timeout(WAIT, async { while changes.recv().await.is_some() {} }).await;
    assert!(end.is_ok(), "the change stream ended");
    match view.ended() {
        Some(ViewEnd::SignInAgain { error }) => {
            assert!(error.contains("invalid_grant"), "{error}");
        }
        other => panic!("{other:?}"),
    }
    // Stopped, not retrying: no more token requests while time passes.
    let asked = token_requests(&emu);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(token_requests(&emu), asked);
    view.shutdown().await;

    // A person signs in again; a new manager resumes (the emulator holds no subscription now).
    device_sign_in(&emu, &sign_in).await;
    let mut subs = PresenceSubscriptions::builder(&client, &hook.url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .subscribe(&ids)
        .await
        .unwrap();
    assert!(!subs.subscriptions()[0].id.is_empty());
    let mut events = subs.take_events().unwrap();
    assert!(events.try_recv().is_err(), "no stale events");
    subs.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manager_alone_reports_sign_in_required_once_and_stops() {
    let emu = Emulator::start().await.unwrap();
    control(&emu, "interval", serde_json::json!({ "seconds": 0 })).await;
    let dir = std::env::temp_dir().join(format!("sign-in-again-m-{}", emu.addr().port()));
    let ahead = Arc::new(AtomicI64::new(0));
    let sign_in = sign_in(&emu, &dir.join("tokens.json"), Arc::clone(&ahead));
    device_sign_in(&emu, &sign_in).await;
    let client = client_of(&emu, &sign_in);
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let mut subs = PresenceSubscriptions::builder(&client, &hook.url, certificate())
        .client_state(CLIENT_STATE)
        .subscribe(&users(2))
        .await
        .unwrap();
    let id = subs.subscriptions()[0].id.clone();
    let mut events = subs.take_events().unwrap();
    control(
        &emu,
        "require-interaction",
        serde_json::json!({ "required": true }),
    )
    .await;
    ahead.store(2 * 3600, Ordering::SeqCst);
    subs.on_lifecycle(
        &id,
        msgraph_presence_notifications::LifecycleEvent::SubscriptionRemoved,
    );
    let event = tokio::time::timeout(WAIT, events.recv()).await.unwrap();
    match event {
        Some(SubscriptionEvent::SignInRequired {
            error, user_ids, ..
        }) => {
            assert!(error.contains("interaction_required"), "{error}");
            assert_eq!(user_ids.len(), 2);
        }
        other => panic!("{other:?}"),
    }
    // The task ended: its event channel closes and nothing else arrives.
    let after = tokio::time::timeout(WAIT, events.recv()).await.unwrap();
    assert!(after.is_none(), "{after:?}");
    subs.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
}
