//! The delivery-fault test controls over loopback: what they accept, refuse and report.

use presence_emulator::{DeliveryFaults, Emulator};
use std::time::Duration;

#[tokio::test]
async fn delivery_fault_controls_accept_refuse_and_report() {
    let emu = Emulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let base = emu.base_url();
    let put = |path: String, body: &'static str| {
        http.put(format!("{base}{path}"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let ok = put(
        "/_emulator/delivery-faults".into(),
        r#"{"seed": 7, "duplicate": 0.1, "reorder": 0.2, "reorderMaxSeconds": 5, "drop": 0.02, "fullPayload": true}"#,
    )
    .await
    .unwrap();
    assert_eq!(ok.status(), 204);
    let bad = put(
        "/_emulator/delivery-faults".into(),
        r#"{"seed": 7, "drop": 1.5}"#,
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 400);
    let no_seed = put("/_emulator/delivery-faults".into(), r#"{"drop": 0.5}"#)
        .await
        .unwrap();
    assert_eq!(no_seed.status(), 400);
    let unknown = put(
        "/_emulator/subscriptions/nope/delivery-faults".into(),
        r#"{"seed": 1}"#,
    )
    .await
    .unwrap();
    assert_eq!(unknown.status(), 404);
    let counts = http
        .get(format!(
            "{base}/_emulator/subscriptions/nope/delivery-faults"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(counts.status(), 404);
    let cleared = http
        .delete(format!("{base}/_emulator/delivery-faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), 204);
    // The library refuses an unknown subscription too.
    assert!(!emu.set_delivery_faults(
        "nope",
        DeliveryFaults::seeded(1).reorder(1.0, Duration::from_secs(1))
    ));
    assert!(emu.subscription_ids().is_empty());
}
