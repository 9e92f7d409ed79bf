//! Issue 22 item 4 over loopback: the manager publishes each subscription's random
//! `clientState` in a shared registry, the receiver compares every item with its own
//! subscription's value, and a receiver without any clientState source does not build.

mod support;

use msgraph_presence_notifications::receiver::{BuildError, Rejection};
use msgraph_presence_notifications::{ClientStates, Notification, PresenceSubscriptions, Receiver};
use presence_emulator::{DEFAULT_APP_ID, Emulator};
use serde_json::json;
use std::time::Duration;
use support::*;

fn builder(emu: &Emulator) -> msgraph_presence_notifications::receiver::ReceiverBuilder {
    let keys = serde_json::from_value(emu.jwks()).unwrap();
    let clock = emu.clock().clone();
    Receiver::builder()
        .app_id(DEFAULT_APP_ID)
        .certificate(CERT_ID, private_key())
        .keys(keys)
        .clock(move || clock.now())
}

#[tokio::test]
async fn values_are_bound_to_their_subscription() {
    let emu = Emulator::start().await.unwrap();
    let states = ClientStates::new();
    let mut receiver = builder(&emu).client_states(states.clone()).build().unwrap();
    let stats = receiver.stats();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let router = receiver.router();
    let _server = AbortOnDrop::new(tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    }));

    let ids = users(1);
    let subs = PresenceSubscriptions::builder(&client(&emu, "any"), &url, certificate())
        .client_states(states.clone())
        .subscribe(&ids)
        .await
        .unwrap();
    let held = subs.subscriptions();
    assert!(ClientStates::is_strong(&held[0].client_state));
    assert!(format!("{states:?}").contains("bound: 1"), "{states:?}");

    // A genuine change passes: its value is its subscription's.
    let body = msgraph_presence::v1_0::models::SetPresenceRequest::new(
        "22553876-f5ab-4529-bffb-cfe50aa89f87",
        msgraph_presence::v1_0::models::Availability::Away,
        msgraph_presence::v1_0::models::Activity::Away,
    );
    client(&emu, "writer")
        .v1_0()
        .user(&ids[0])
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
    let got = tokio::time::timeout(Duration::from_secs(10), receiver.next())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(got, Notification::Presence(ref c) if c.user_id == ids[0]),
        "{got:?}"
    );

    // The same value under another subscription id is refused: values are not app-wide.
    let forged = json!({"value": [{
        "subscriptionId": "someone-elses-subscription",
        "clientState": held[0].client_state,
        "lifecycleEvent": "subscriptionRemoved",
    }]});
    let response = reqwest::Client::new()
        .post(&url)
        .json(&forged)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let counts = stats
        .wait_for(|c| c.rejected(Rejection::ClientState) == 1)
        .await;
    assert_eq!(counts.delivered, 1);
    subs.shutdown().await;
}

#[tokio::test]
async fn no_source_or_a_weak_value_does_not_build() {
    let emu = Emulator::start().await.unwrap();
    assert_eq!(
        builder(&emu).build().unwrap_err(),
        BuildError::NoClientState
    );
    for weak in ["", "a", "presence-watch-4242"] {
        let error = builder(&emu).client_state(weak).build().unwrap_err();
        assert!(matches!(error, BuildError::WeakClientState(_)), "{weak}");
    }
    assert!(builder(&emu).without_client_state().build().is_ok());
    assert!(
        builder(&emu)
            .client_state(ClientStates::random_value())
            .build()
            .is_ok()
    );
    // The manager refuses a weak value it would publish.
    let states = ClientStates::new();
    let result =
        PresenceSubscriptions::builder(&client(&emu, "any"), "http://127.0.0.1:9/", certificate())
            .client_states(states)
            .client_state("short")
            .subscribe(&users(1))
            .await;
    assert!(result.is_err());
}
