//! Issue 22 F10: an unauthenticated flood must not flood the logs. A 1 MiB body of bad items
//! gives a handful of events, not one per item; attacker text never reaches an event raw
//! (no newline, no terminal escape); repeated bad batches are rate-limited.

mod support;

use msgraph_presence_notifications::receiver::{ApiVersion, Rejection};
use presence_emulator::Emulator;
use serde_json::json;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use support::*;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, SubscriberExt as _};

/// Every event of the notifications crate, as its rendered fields.
#[derive(Clone, Default)]
struct Events(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        // `%x` fields and the message render through Display here, i.e. as they would be
        // written to a log.
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push_str(&format!("{}={} ", field.name(), value));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Events {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if !event
            .metadata()
            .target()
            .starts_with("msgraph_presence_notifications")
        {
            return;
        }
        let mut fields = Fields(format!("{} ", event.metadata().level()));
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
}

impl Events {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

const INJECTED: &str = "evil\nWARN forged line \u{1b}[2J\u{1b}[31mred\r";

fn assert_clean(events: &[String]) {
    for event in events {
        assert!(
            !event.contains('\n') && !event.contains('\r') && !event.contains('\u{1b}'),
            "attacker text reached the log raw: {event:?}"
        );
    }
}

// current_thread (the default): the receiver's worker and server run on this thread, so the
// scoped subscriber sees their events.
#[tokio::test]
async fn a_flood_of_bad_items_gives_a_handful_of_clean_lines() {
    let events = Events::default();
    let subscriber = tracing_subscriber::registry().with(events.clone());
    let _guard = tracing::subscriber::set_default(subscriber);

    let emu = Emulator::start().await.unwrap();
    let hook = hook(&emu, ApiVersion::V1_0, Some(4 << 20)).await;
    let _server = hook.server;
    let stats = hook.receiver.stats();
    let http = reqwest::Client::new();
    let post = |body: Vec<u8>| {
        http.post(&hook.url)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };

    // About 1 MiB: items with a wrong clientState and hostile ids, every tenth malformed.
    let mut items = Vec::new();
    let mut size = 0;
    let mut malformed = 0u64;
    while size < 1 << 20 {
        let item = if items.len() % 10 == 9 {
            malformed += 1;
            json!({"subscriptionId": 42, "clientState": INJECTED})
        } else {
            json!({"subscriptionId": format!("{INJECTED}{}", items.len()), "clientState": INJECTED})
        };
        size += item.to_string().len() + 1;
        items.push(item);
    }
    let bad_items = items.len() as u64 - malformed;
    let body = serde_json::to_vec(&json!({"value": items})).unwrap();
    assert!(body.len() >= 1 << 20);
    events.take();
    let response = post(body).await.unwrap();
    assert_eq!(response.status(), 202);
    let counts = stats
        .wait_for(|c| c.rejected(Rejection::ClientState) == bad_items)
        .await;
    assert_eq!(counts.rejected(Rejection::Malformed), malformed);
    let logged = events.take();
    assert!(
        !logged.is_empty() && logged.len() <= 4,
        "{} events for one body: {:?}",
        logged.len(),
        &logged[..logged.len().min(10)]
    );
    assert!(
        logged.iter().any(|e| e.contains("ClientState=")),
        "{logged:?}"
    );
    assert_clean(&logged);

    // serde quotes the input in its errors; the quote is escaped too.
    let quoted = serde_json::to_vec(&json!({"value": [], "validationTokens": INJECTED})).unwrap();
    assert_eq!(post(quoted).await.unwrap().status(), 400);
    let logged = events.take();
    assert!(logged.iter().any(|e| e.contains("evil")), "{logged:?}");
    assert_clean(&logged);

    // Many bad batches in a row: at most 5 warnings per second per kind.
    let started = Instant::now();
    let before = stats.snapshot().rejected(Rejection::ClientState);
    let batches = 40;
    for i in 0..batches {
        let one = json!({"value": [{"subscriptionId": format!("s{i}"), "clientState": "x"}]});
        let response = post(serde_json::to_vec(&one).unwrap()).await.unwrap();
        assert_eq!(response.status(), 202);
    }
    stats
        .wait_for(|c| c.rejected(Rejection::ClientState) == before + batches)
        .await;
    let seconds = started.elapsed().as_secs() + 1;
    let logged = events.take();
    let warnings = logged.iter().filter(|e| e.starts_with("WARN")).count() as u64;
    assert!(
        warnings <= 5 * seconds,
        "{warnings} warnings in {seconds} s: {logged:?}"
    );
}
