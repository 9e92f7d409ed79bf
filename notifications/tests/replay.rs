//! Issue 22 item 6: a captured batch re-sent within the validation tokens' lifetime is
//! acknowledged but not delivered again, and counted as a duplicate; new data still passes.

mod support;

use msgraph_presence_notifications::Notification;
use msgraph_presence_notifications::receiver::{ApiVersion, Rejection};
use presence_emulator::Emulator;
use std::time::Duration;
use support::*;

#[tokio::test]
async fn the_same_batch_twice_is_delivered_once() {
    let emu = Emulator::start().await.unwrap();
    let ids = users(2);
    let deliveries = genuine_deliveries(&emu, &ids).await;
    let (items, tokens) = items_and_tokens(&deliveries);
    let batch = |item: &serde_json::Value| {
        serde_json::to_vec(&serde_json::json!({"value": [item], "validationTokens": tokens}))
            .unwrap()
    };
    let hook = hook(&emu, ApiVersion::V1_0, None).await;
    let _server = hook.server;
    let mut receiver = hook.receiver;
    let stats = receiver.stats();
    let http = reqwest::Client::new();
    let post = |body: Vec<u8>| {
        http.post(&hook.url)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let mut next = async || {
        let got = tokio::time::timeout(Duration::from_secs(10), receiver.next())
            .await
            .expect("nothing delivered")
            .unwrap();
        let Notification::Presence(change) = got else {
            panic!("expected a presence change: {got:?}");
        };
        change.user_id
    };

    let first = batch(&items[0]);
    assert_eq!(post(first.clone()).await.unwrap().status(), 202);
    let user = next().await;
    assert_eq!(post(first).await.unwrap().status(), 202);
    let counts = stats
        .wait_for(|c| c.rejected(Rejection::Duplicate) == 1)
        .await;
    assert_eq!((counts.delivered, counts.rejected_total()), (1, 1));

    // A new notification passes; the replay did not reach the application before it.
    assert_eq!(post(batch(&items[1])).await.unwrap().status(), 202);
    let second = next().await;
    assert_ne!(second, user);
    let counts = stats.wait_for(|c| c.delivered == 2).await;
    assert_eq!(counts.rejected(Rejection::Duplicate), 1);
}
