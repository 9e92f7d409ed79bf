//! The presence view under chaos, over loopback: 200 users, random presence changes on the
//! emulator's clock, 10 % of deliveries duplicated, 10 % held back up to 5 s (so later changes
//! overtake them), 2 % dropped with `missed`, bursts of 503 from the webhook, and one restart
//! of the receiving process. Afterwards the view must equal the emulator's truth for every
//! user. Seeded: the emulator's faults and the test's changes repeat from run to run.

mod support;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use msgraph_presence::runtime::Duration as IsoDuration;
use msgraph_presence::v1_0::models::{
    Activity, Availability, GetPresencesByUserIdRequest, SetPresenceRequest,
};
use msgraph_presence_notifications::receiver::{JwkSet, Receiver};
use msgraph_presence_notifications::{PresenceSubscriptions, PresenceView};
use presence_emulator::{DEFAULT_APP_ID, DeliveryFaults, Emulator};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;
use support::*;

const SEED: u64 = 0x5EED_0019;
const SESSION: &str = "5d0c7a6e-1b2f-4c3d-9e8f-0a1b2c3d4e5f";
const PAIRS: &[(&str, &str)] = &[
    ("Available", "Available"),
    ("Busy", "InACall"),
    ("Busy", "InAConferenceCall"),
    ("Away", "Away"),
    ("DoNotDisturb", "Presenting"),
];

/// The same small generator as the emulator's, for the test's own choices.
struct Dice(u64);
impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// The receiving process: a receiver served at `addr`, answering 503 while `fail` > 0.
struct Process {
    receiver: Option<Receiver>,
    _server: AbortOnDrop,
}

async fn serve(emu: &Emulator, addr: SocketAddr, fail: Arc<AtomicU32>) -> Process {
    let keys: JwkSet = serde_json::from_value(emu.jwks()).unwrap();
    let clock = emu.clock().clone();
    let receiver = Receiver::builder()
        .app_id(DEFAULT_APP_ID)
        .client_state(CLIENT_STATE)
        .certificate(CERT_ID, private_key())
        .keys(keys)
        .capacity(8192)
        .clock(move || clock.now())
        .build()
        .unwrap();
    let router = receiver.router().layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let fail = Arc::clone(&fail);
            async move {
                let burst = fail
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if burst {
                    return StatusCode::SERVICE_UNAVAILABLE.into_response();
                }
                next.run(request).await
            }
        },
    ));
    // The restarted process binds the address its subscription names again.
    let mut tries = 0;
    let listener = loop {
        match tokio::net::TcpListener::bind(addr).await {
            Ok(listener) => break listener,
            Err(error) if tries < 50 => {
                tries += 1;
                let _ = error;
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            Err(error) => panic!("rebinding {addr}: {error}"),
        }
    };
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Process {
        receiver: Some(receiver),
        _server: AbortOnDrop::new(server),
    }
}

async fn start_view(
    emu: &Emulator,
    process: &mut Process,
    url: &str,
    ids: &[String],
) -> PresenceView {
    let subscriber = client(emu, "any");
    let subs = PresenceSubscriptions::builder(&subscriber, url, certificate())
        .client_state(CLIENT_STATE)
        .application_id(DEFAULT_APP_ID)
        .subscribe(ids)
        .await
        .unwrap();
    PresenceView::builder(&subscriber)
        .pace(Duration::from_millis(5))
        .resync_every(Duration::from_secs(3600))
        .start(ids, process.receiver.take().unwrap(), subs)
        .await
        .unwrap()
}

/// What the emulator answers for everyone, as (availability, activity).
async fn truth(emu: &Emulator, ids: &[String]) -> HashMap<String, (String, String)> {
    let body = GetPresencesByUserIdRequest::new(ids.to_vec());
    let page = client(emu, "reader")
        .v1_0()
        .communications()
        .get_presences_by_user_id(&body)
        .await
        .unwrap();
    page.value
        .unwrap()
        .into_iter()
        .map(|p| {
            let id = p.id.unwrap().to_ascii_lowercase();
            let a = p.availability.unwrap().as_str().to_owned();
            let b = p.activity.unwrap().as_str().to_owned();
            (id, (a, b))
        })
        .collect()
}

fn differences(view: &PresenceView, expected: &HashMap<String, (String, String)>) -> Vec<String> {
    let snapshot = view.snapshot();
    let mut wrong: Vec<String> = expected
        .iter()
        .filter(|(id, (a, b))| {
            snapshot.get(*id).is_none_or(|p| {
                p.availability.as_deref() != Some(a) || p.activity.as_deref() != Some(b)
            })
        })
        .map(|(id, want)| format!("{id}: want {want:?}, view {:?}", snapshot.get(id)))
        .collect();
    wrong.sort();
    wrong
}

async fn chaos(users: usize, changes: usize) {
    let emu = Emulator::builder()
        .delivery_retry_base(Duration::from_millis(20))
        .delivery_attempts(12)
        .start()
        .await
        .unwrap();
    emu.set_default_delivery_faults(Some(
        DeliveryFaults::seeded(SEED)
            .duplicate(0.10)
            .reorder(0.10, Duration::from_secs(5))
            .drop_with_missed(0.02)
            .full_payload(),
    ));
    let ids = users_for(users);
    for id in &ids {
        emu.add_user(id);
    }
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe.local_addr().unwrap();
    drop(probe);
    let url = format!("http://{addr}/");
    let fail = Arc::new(AtomicU32::new(0));
    let mut process = Some(serve(&emu, addr, Arc::clone(&fail)).await);
    let mut view = Some(start_view(&emu, process.as_mut().unwrap(), &url, &ids).await);

    let writer = client(&emu, "writer");
    let mut dice = Dice(SEED);
    let mut expected: HashMap<String, (String, String)> = ids
        .iter()
        .map(|id| (id.clone(), ("Offline".into(), "Offline".into())))
        .collect();
    let mut ordered = 0;
    for step in 0..changes {
        let user = &ids[dice.below(ids.len())];
        let (a, b) = PAIRS[dice.below(PAIRS.len())];
        let mut body = SetPresenceRequest::new(SESSION, Availability::from(a), Activity::from(b));
        body.expiration_duration = Some(IsoDuration(jiff::SignedDuration::from_hours(1)));
        writer
            .v1_0()
            .user(user)
            .presence()
            .set_presence(&body)
            .await
            .unwrap();
        expected.insert(user.clone(), (a.into(), b.into()));
        // 100 ms of emulator time per change releases held-back deliveries along the way.
        emu.clock().advance(Duration::from_millis(100));
        if step % 400 == 200 {
            fail.store(15, Ordering::SeqCst);
        }
        if step == changes / 2 {
            // The receiving process stops; deliveries fail and are retried meanwhile.
            let mut stopping = view.take().unwrap();
            ordered += check_order(&mut stopping);
            stopping.shutdown().await;
            drop(process.take());
        }
        if step == changes / 2 + 50 {
            process = Some(serve(&emu, addr, Arc::clone(&fail)).await);
            view = Some(start_view(&emu, process.as_mut().unwrap(), &url, &ids).await);
        }
        if step % 50 == 0 {
            tokio::task::yield_now().await;
        }
    }
    // Let every held-back delivery go.
    emu.clock().advance(Duration::from_secs(10));
    let mut view = view.unwrap();
    let emulator_truth = truth(&emu, &ids).await;
    assert_eq!(emulator_truth, expected, "the emulator applied every write");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let wrong = differences(&view, &expected);
        if wrong.is_empty() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{} users wrong in the view, e.g. {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ordered += check_order(&mut view);
    assert!(
        ordered > changes / 2,
        "only {ordered} ordered changes checked"
    );
    let counts = emu
        .subscription_ids()
        .iter()
        .map(|id| emu.delivery_fault_counts(id))
        .fold((0, 0, 0), |(d, h, x), c| {
            (d + c.duplicated, h + c.delayed, x + c.dropped)
        });
    assert!(
        counts.0 > 0 && counts.1 > 0 && counts.2 > 0,
        "every fault happened: {counts:?}"
    );
    let failed = emu
        .deliveries()
        .iter()
        .filter(|d| d.status != Some(202))
        .count();
    assert!(
        failed > 0,
        "503 bursts and the restart made deliveries fail"
    );
    view.shutdown().await;
}

/// Drains the view's change stream and checks every applied change moved its user's
/// `sequenceNumber` forward: an older delivery applied over a newer one would move it back.
/// Returns how many changes carried numbers on both sides.
fn check_order(view: &mut PresenceView) -> usize {
    use msgraph_presence_notifications::view::order;
    let mut changes = view.take_changes().unwrap();
    let mut compared = 0;
    while let Ok(update) = changes.try_recv() {
        let old = update.old.as_ref().and_then(|o| o.sequence_number.clone());
        if let (Some(old), Some(new)) = (old, update.new.sequence_number.clone()) {
            assert_eq!(
                order::compare(&new, &old),
                std::cmp::Ordering::Greater,
                "{} went back from {old} to {new}",
                update.user_id
            );
            compared += 1;
        }
    }
    compared
}

fn users_for(n: usize) -> Vec<String> {
    users(n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "not yet reliable: under a full `cargo test --workspace` on 2 cores, 2 of 200 users were still wrong after 30 s (issue 19); run with --ignored"]
async fn the_view_equals_the_truth_after_chaos() {
    chaos(200, 2000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "longer: 5000 changes"]
async fn the_view_equals_the_truth_after_long_chaos() {
    chaos(200, 5000).await;
}
