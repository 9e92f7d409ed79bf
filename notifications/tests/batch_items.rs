//! Issue 22 item 3 over loopback: a batch whose middle item has a wrong-typed field is
//! acknowledged, its two genuine siblings reach the application, and only the bad one is
//! counted `Malformed`.

mod support;

use msgraph_presence_notifications::Notification;
use msgraph_presence_notifications::receiver::{ApiVersion, Rejection};
use presence_emulator::Emulator;
use serde_json::json;
use std::time::Duration;
use support::*;

/// Posts `batch` and checks that exactly the users `ids` arrive and one item is `Malformed`.
async fn only_the_bad_item_is_lost(emu: &Emulator, batch: serde_json::Value, ids: &[String]) {
    let hook = hook(emu, ApiVersion::V1_0, None).await;
    let _server = hook.server;
    let mut receiver = hook.receiver;
    let stats = receiver.stats();
    let response = reqwest::Client::new()
        .post(&hook.url)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&batch).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);

    let mut delivered = Vec::new();
    for _ in 0..2 {
        let next = tokio::time::timeout(Duration::from_secs(10), receiver.next())
            .await
            .expect("a good item of the batch did not arrive")
            .unwrap();
        let Notification::Presence(change) = next else {
            panic!("expected a presence change: {next:?}");
        };
        delivered.push(change.user_id);
    }
    delivered.sort();
    let mut expected = ids.to_vec();
    expected.sort();
    assert_eq!(delivered, expected);
    let counts = stats.wait_for(|c| c.delivered == 2).await;
    assert_eq!(counts.rejected(Rejection::Malformed), 1);
    assert_eq!(counts.rejected_total(), 1, "{counts:?}");
}

#[tokio::test]
async fn a_malformed_item_costs_only_itself() {
    let emu = Emulator::start().await.unwrap();
    let ids = users(2);
    let deliveries = genuine_deliveries(&emu, &ids).await;
    let (items, tokens) = items_and_tokens(&deliveries);
    assert_eq!(items.len(), 2, "{deliveries:?}");
    let mut bad = items[0].clone();
    bad["subscriptionId"] = json!(42);
    let batch = json!({
        "value": [items[0], bad, items[1]],
        "validationTokens": tokens,
    });
    only_the_bad_item_is_lost(&emu, batch, &ids).await;
}

/// The cause of last session's failure: when the malformed item is the only one of its tenant,
/// that tenant's (genuine) token no longer matched any decoded item, and one failing token
/// made the whole batch's rich items untrusted.
#[tokio::test]
async fn a_malformed_item_of_another_tenant_costs_only_itself() {
    let emu = Emulator::start().await.unwrap();
    let ids = users(3);
    let home = genuine_deliveries(&emu, &ids[..2]).await;
    let (items, home_tokens) = items_and_tokens(&home);
    let other_token = token_in_tenant("0d9e8f7a-1b2c-4d3e-9f4a-5b6c7d8e9f01");
    let other = genuine_deliveries_as(&emu, &other_token, &ids[2..]).await;
    let (other_items, other_tokens) = items_and_tokens(&other);
    assert_ne!(items[0]["tenantId"], other_items[0]["tenantId"]);
    let mut bad = other_items[0].clone();
    bad["subscriptionId"] = json!(42);
    let mut tokens = home_tokens.as_array().unwrap().clone();
    tokens.extend(other_tokens.as_array().unwrap().iter().cloned());
    let batch = json!({
        "value": [items[0], bad, items[1]],
        "validationTokens": tokens,
    });
    only_the_bad_item_is_lost(&emu, batch, &ids[..2]).await;
}
