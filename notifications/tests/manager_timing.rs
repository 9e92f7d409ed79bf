//! Renewal timing an odd Graph cannot turn into a tight loop (issue 22, F8), against a
//! scripted Graph on 127.0.0.1 (the emulator raises every expiry to 45 minutes ahead, R4, so
//! it cannot answer a past one), with tokio's paused clock.

#[path = "../../generated/tests/support/server.rs"]
#[allow(dead_code)]
mod server;

use jiff::{SignedDuration, Timestamp};
use msgraph_presence_notifications::{Certificate, PresenceSubscriptions, Subscriptions};
use serde_json::json;
use server::{Reply, Server};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// How the scripted Graph answers a PATCH.
#[derive(Clone, Copy)]
enum Patch {
    /// 200 with an expiry an hour in the past.
    PastExpiry,
    /// 400, which the runtime does not retry.
    Refuse,
}

/// Starts a Graph that creates with an expiry far past the one asked for, and records when
/// each PATCH arrived.
async fn graph(patch: Patch) -> (Server, Arc<Mutex<Vec<Instant>>>) {
    let patches = Arc::new(Mutex::new(Vec::new()));
    let seen = patches.clone();
    let server = Server::start(move |_, request| match request.method.as_str() {
        "POST" => {
            let mut body = request.json();
            body["id"] = json!("s0");
            body["expirationDateTime"] = json!("2100-01-01T00:00:00Z");
            Reply::json(201, body)
        }
        "PATCH" => {
            seen.lock().unwrap().push(Instant::now());
            match patch {
                Patch::PastExpiry => {
                    let past = Timestamp::now() - SignedDuration::from_hours(1);
                    Reply::json(
                        200,
                        json!({"id": "s0", "changeType": "updated", "notificationUrl": "https://example.com/hook",
                               "resource": "/communications/presences/u1", "expirationDateTime": past.to_string()}),
                    )
                }
                Patch::Refuse => Reply::json(
                    400,
                    json!({"error": {"code": "InvalidRequest", "message": "no"}}),
                ),
            }
        }
        _ => Reply::json(404, json!({"error": {"code": "ResourceNotFound", "message": "gone"}})),
    })
    .await;
    (server, patches)
}

async fn subscribe(server: &Server) -> Subscriptions {
    let client = server.builder().build().unwrap();
    let certificate = Certificate::new("cert-1", "TUlJQmFzZTY0RGVy").unwrap();
    PresenceSubscriptions::builder(&client, "https://example.com/hook", certificate)
        .subscribe(&["u1"])
        .await
        .unwrap()
}

#[tokio::test(start_paused = true)]
async fn an_expiry_later_than_asked_is_not_believed() {
    let (server, patches) = graph(Patch::PastExpiry).await;
    let asked_before = Timestamp::now() + SignedDuration::from_mins(56);
    let subs = subscribe(&server).await;
    // Graph claimed 2100; the manager plans with what it asked for (55 minutes).
    assert!(subs.subscriptions()[0].expires < asked_before);
    // So it still renews 15 minutes before that, not in 2100.
    tokio::time::sleep(Duration::from_secs(41 * 60)).await;
    assert!(!patches.lock().unwrap().is_empty());
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_past_expiry_does_not_make_the_manager_patch_in_a_loop() {
    let (server, patches) = graph(Patch::PastExpiry).await;
    let subs = subscribe(&server).await;
    let start = Instant::now();
    // The first renewal (at 40 minutes) is answered with an expiry in the past.
    tokio::time::sleep(Duration::from_secs(100 * 60)).await;
    let times = patches.lock().unwrap().clone();
    // From 40 to 100 minutes, one PATCH per 5 minutes at most: 13, not thousands.
    assert!(
        times.len() >= 2 && times.len() <= 13,
        "{} PATCHes",
        times.len()
    );
    assert!(times[0] - start >= Duration::from_secs(40 * 60));
    for pair in times.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_secs(5 * 60), "{pair:?}");
    }
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn failed_renewals_back_off_exponentially_with_jitter() {
    let (server, patches) = graph(Patch::Refuse).await;
    let subs = subscribe(&server).await;
    tokio::time::sleep(Duration::from_secs(70 * 60)).await;
    let times = patches.lock().unwrap().clone();
    assert!(times.len() >= 6, "{} PATCHes", times.len());
    let gaps: Vec<Duration> = times.windows(2).map(|p| p[1] - p[0]).collect();
    // Each wait is 50-100 % of 30 s doubled per failure (capped at 10 minutes), so below the
    // cap no wait is shorter than the one before, and they grow well past the old flat minute.
    for (n, pair) in gaps[..5].windows(2).enumerate() {
        assert!(pair[1] >= pair[0], "gap {n}: {gaps:?}");
    }
    assert!(gaps[0] <= Duration::from_secs(31), "{gaps:?}");
    assert!(gaps[4] >= Duration::from_secs(4 * 60), "{gaps:?}");
    assert!(
        gaps.iter().all(|g| *g <= Duration::from_secs(10 * 60 + 1)),
        "{gaps:?}"
    );
    subs.shutdown().await;
}

/// A Graph whose clock is `skew` ahead of this machine's (negative: behind), on tokio's paused
/// clock (its `Date` header: see below). It sends its time in `Date`, refuses an expiry more than 60 minutes ahead of its own
/// time (R4), and records each renewal's time on its clock together with the expiry it
/// replaced, so a test can tell whether the subscription lapsed first.
struct SkewedGraph {
    server: Server,
    posts: Arc<Mutex<usize>>,
    /// (Graph's time at the PATCH, the expiry then in force).
    renewals: Arc<Mutex<Vec<(Timestamp, Timestamp)>>>,
}

async fn skewed_graph(skew: SignedDuration) -> SkewedGraph {
    let (wall, start) = (Timestamp::now(), Instant::now());
    let graph_now = move || wall + SignedDuration::try_from(start.elapsed()).unwrap() + skew;
    let expiry = Arc::new(Mutex::new(None::<Timestamp>));
    let posts = Arc::new(Mutex::new(0));
    let renewals = Arc::new(Mutex::new(Vec::new()));
    let (seen_posts, seen_renewals) = (posts.clone(), renewals.clone());
    let server = Server::start(move |_, request| {
        let now = graph_now();
        // The runtime measures the offset against the system clock, which tokio's paused clock
        // does not move; the manager applies it to its own (tokio-driven) clock. In production
        // both clocks are one.
        let date = httpdate::fmt_http_date(std::time::SystemTime::from(Timestamp::now() + skew));
        let mut body = request.json();
        let asked: Timestamp = body["expirationDateTime"]
            .as_str()
            .and_then(|t| t.parse().ok())
            .unwrap_or(now);
        let reply = if asked.duration_since(now) > SignedDuration::from_mins(60) {
            Reply::json(
                400,
                json!({"error": {"code": "InvalidRequest", "message": "expirationDateTime too far ahead"}}),
            )
        } else {
            match request.method.as_str() {
                "POST" => *seen_posts.lock().unwrap() += 1,
                _ => {
                    let previous = expiry.lock().unwrap().unwrap_or(now);
                    seen_renewals.lock().unwrap().push((now, previous));
                    body = json!({"changeType": "updated", "notificationUrl": "https://example.com/hook",
                                  "resource": "/communications/presences/u1"});
                }
            }
            *expiry.lock().unwrap() = Some(asked);
            body["id"] = json!("s0");
            body["expirationDateTime"] = json!(asked.to_string());
            Reply::json(201, body)
        };
        reply.header("Date", &date)
    })
    .await;
    SkewedGraph {
        server,
        posts,
        renewals,
    }
}

#[tokio::test(start_paused = true)]
async fn a_clock_ten_minutes_fast_still_creates_and_renews() {
    let graph = skewed_graph(SignedDuration::from_mins(-10)).await;
    // The first create asks for 55 minutes on this clock, 65 on Graph's: refused, then sent
    // again on Graph's clock, learnt from the refusal's Date.
    let subs = subscribe(&graph.server).await;
    assert_eq!(*graph.posts.lock().unwrap(), 1);
    tokio::time::sleep(Duration::from_secs(3 * 60 * 60)).await;
    let renewals = graph.renewals.lock().unwrap().clone();
    assert!(renewals.len() >= 3, "{renewals:?}");
    for (at, expiry) in &renewals {
        assert!(at < expiry, "renewed at {at} after the expiry {expiry}");
    }
    subs.shutdown().await;
}

#[tokio::test(start_paused = true)]
async fn a_clock_fifteen_minutes_slow_renews_before_the_expiry() {
    let graph = skewed_graph(SignedDuration::from_mins(15)).await;
    let subs = subscribe(&graph.server).await;
    tokio::time::sleep(Duration::from_secs(3 * 60 * 60)).await;
    let renewals = graph.renewals.lock().unwrap().clone();
    assert!(renewals.len() >= 3, "{renewals:?}");
    for (at, expiry) in &renewals {
        // Planned 15 minutes before the expiry on Graph's clock (R4); a few seconds of slack
        // for Date's one-second resolution.
        assert!(
            expiry.duration_since(*at) >= SignedDuration::from_mins(14),
            "renewed at {at}, {} before the expiry {expiry}",
            expiry.duration_since(*at)
        );
    }
    subs.shutdown().await;
}
