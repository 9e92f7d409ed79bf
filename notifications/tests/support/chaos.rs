//! The chaos scenario shared by the chaos test (`tests/view_chaos.rs`) and the chaos benchmark
//! (`benches/view_chaos.rs`): 200 users, random presence changes on the emulator's clock, 10 %
//! of deliveries duplicated, 10 % held back up to 5 s of emulator time (so later changes
//! overtake them), 2 % dropped with `missed`, bursts of 503 from the webhook, and one restart
//! of the receiving process halfway. Seeded: the emulator's faults and the changes repeat.
//!
//! With [`Scenario::measure`] on, every change is also timed until the view holds it (or a
//! newer value of the same user): its staleness, in wall time and in emulator time.

use super::{AbortOnDrop, CERT_ID, CLIENT_STATE, certificate, client, private_key, users};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use msgraph_presence::runtime::Duration as IsoDuration;
use msgraph_presence::v1_0::models::{
    Activity, Availability, GetPresencesByUserIdRequest, SetPresenceRequest,
};
use msgraph_presence_notifications::receiver::{JwkSet, Receiver};
use msgraph_presence_notifications::view::order;
use msgraph_presence_notifications::{PresenceSubscriptions, PresenceView};
use presence_emulator::{DEFAULT_APP_ID, DeliveryFaults, Emulator, FaultCounts};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const SEED: u64 = 0x5EED_0019;
const SESSION: &str = "5d0c7a6e-1b2f-4c3d-9e8f-0a1b2c3d4e5f";
const PAIRS: &[(&str, &str)] = &[
    ("Available", "Available"),
    ("Busy", "InACall"),
    ("Busy", "InAConferenceCall"),
    ("Away", "Away"),
    ("DoNotDisturb", "Presenting"),
];
/// Emulator time per change: it releases held-back deliveries along the way.
const STEP: Duration = Duration::from_millis(100);
/// How often the staleness probe looks at the view.
const PROBE_EVERY: Duration = Duration::from_millis(1);

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub users: usize,
    pub changes: usize,
    /// Time every change until the view holds it (one extra read of the user per change, and
    /// every change picks a value different from the user's current one, so each is notified).
    pub measure: bool,
    /// How long to wait, after the last change, for the view to equal the emulator.
    pub settle: Duration,
}

/// What happened.
#[derive(Debug)]
pub struct Outcome {
    /// Users the view still had wrong when `settle` ran out, described.
    pub wrong: Vec<String>,
    /// The truth the emulator answered differed from what was written (it must not).
    pub emulator_agrees: bool,
    /// Wall time from the last change until the view equalled the truth.
    pub settled_after: Duration,
    /// Applied changes whose `sequenceNumber` moved forward (checked on both sides).
    pub ordered: usize,
    /// Summed over every subscription.
    pub faults: FaultCounts,
    /// Delivery attempts the webhook did not answer 202.
    pub failed_deliveries: usize,
    /// Per change: (wall, emulator time) until the view held it; only with `measure`.
    pub staleness: Vec<(Duration, Duration)>,
    /// Changes the view never showed in time (only with `measure`).
    pub unresolved: usize,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

/// The same small generator as the emulator's, for the scenario's own choices.
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
            Err(_) if tries < 50 => {
                tries += 1;
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

/// Drains the view's change stream and checks every applied change moved its user's
/// `sequenceNumber` forward: an older delivery applied over a newer one would move it back.
/// Returns how many changes carried numbers on both sides.
fn check_order(view: &mut PresenceView) -> usize {
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

/// Changes not yet seen by the view, per user: (sequence number, wall and emulator time of
/// the write).
type Outstanding = HashMap<String, Vec<(u128, Instant, jiff::Timestamp)>>;

/// The staleness probe: every millisecond, a change counts as seen once the view holds its
/// sequence number or a greater one for its user.
struct Probe {
    view: Arc<Mutex<Option<PresenceView>>>,
    outstanding: Arc<Mutex<Outstanding>>,
    samples: Arc<Mutex<Vec<(Duration, Duration)>>>,
}

impl Probe {
    fn run(&self, emu: &Emulator) -> AbortOnDrop {
        let (view, outstanding, samples) = (
            Arc::clone(&self.view),
            Arc::clone(&self.outstanding),
            Arc::clone(&self.samples),
        );
        let clock = emu.clock().clone();
        AbortOnDrop::new(tokio::spawn(async move {
            loop {
                tokio::time::sleep(PROBE_EVERY).await;
                // Not held while the process is down: that time counts as stale.
                let Some(snapshot) = view.lock().unwrap().as_ref().map(|v| v.snapshot()) else {
                    continue;
                };
                let (wall, emu_now) = (Instant::now(), clock.now());
                let mut outstanding = outstanding.lock().unwrap();
                let mut samples = samples.lock().unwrap();
                for (user, writes) in outstanding.iter_mut() {
                    let Some(held) = snapshot
                        .get(user)
                        .and_then(|p| p.sequence_number.as_deref())
                        .and_then(hex)
                    else {
                        continue;
                    };
                    writes.retain(|(seq, at, emu_at)| {
                        if *seq > held {
                            return true;
                        }
                        let on_emu = emu_now.duration_since(*emu_at).unsigned_abs();
                        samples.push((wall.duration_since(*at), on_emu));
                        false
                    });
                }
                outstanding.retain(|_, writes| !writes.is_empty());
            }
        }))
    }
}

fn hex(text: &str) -> Option<u128> {
    u128::from_str_radix(text.trim(), 16).ok()
}

/// Runs the scenario; panics only on setup failures and on an ordering violation.
pub async fn run(scenario: Scenario) -> Outcome {
    let began = Instant::now();
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
    let ids = users(scenario.users);
    for id in &ids {
        emu.add_user(id);
    }
    let probe_socket = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = probe_socket.local_addr().unwrap();
    drop(probe_socket);
    let url = format!("http://{addr}/");
    let fail = Arc::new(AtomicU32::new(0));
    let mut process = Some(serve(&emu, addr, Arc::clone(&fail)).await);
    let first = start_view(&emu, process.as_mut().unwrap(), &url, &ids).await;
    let probe = Probe {
        view: Arc::new(Mutex::new(Some(first))),
        outstanding: Arc::default(),
        samples: Arc::default(),
    };
    let _probing = scenario.measure.then(|| probe.run(&emu));

    let writer = client(&emu, "writer");
    let mut dice = Dice(SEED);
    let mut expected: HashMap<String, (String, String)> = ids
        .iter()
        .map(|id| (id.clone(), ("Offline".into(), "Offline".into())))
        .collect();
    let mut ordered = 0;
    for step in 0..scenario.changes {
        let user = &ids[dice.below(ids.len())];
        let mut pair = PAIRS[dice.below(PAIRS.len())];
        if scenario.measure {
            // Every write a real change, so every one is notified and can be timed.
            while expected[user] == (pair.0.to_owned(), pair.1.to_owned()) {
                pair = PAIRS[dice.below(PAIRS.len())];
            }
        }
        let (a, b) = pair;
        let mut body = SetPresenceRequest::new(SESSION, Availability::from(a), Activity::from(b));
        body.expiration_duration = Some(IsoDuration(jiff::SignedDuration::from_hours(1)));
        let (written_at, written_on_emu) = (Instant::now(), emu.clock().now());
        writer
            .v1_0()
            .user(user)
            .presence()
            .set_presence(&body)
            .await
            .unwrap();
        if scenario.measure {
            // The number this write got: one writer, so nothing else moved it meanwhile.
            let read = writer.v1_0().user(user).presence().get().await.unwrap();
            let seq = read.sequence_number.as_deref().and_then(hex).unwrap();
            probe
                .outstanding
                .lock()
                .unwrap()
                .entry(user.clone())
                .or_default()
                .push((seq, written_at, written_on_emu));
        }
        expected.insert(user.clone(), (a.into(), b.into()));
        emu.clock().advance(STEP);
        if step % 400 == 200 {
            fail.store(15, Ordering::SeqCst);
        }
        if step == scenario.changes / 2 {
            // The receiving process stops; deliveries fail and are retried meanwhile.
            let mut stopping = probe.view.lock().unwrap().take().unwrap();
            ordered += check_order(&mut stopping);
            stopping.shutdown().await;
            drop(process.take());
        }
        if step == scenario.changes / 2 + 50 {
            process = Some(serve(&emu, addr, Arc::clone(&fail)).await);
            let view = start_view(&emu, process.as_mut().unwrap(), &url, &ids).await;
            *probe.view.lock().unwrap() = Some(view);
        }
        if step % 50 == 0 {
            tokio::task::yield_now().await;
        }
    }
    // Let every held-back delivery go.
    emu.clock().advance(Duration::from_secs(10));
    let last_change = Instant::now();
    let emulator_truth = truth(&emu, &ids).await;
    let emulator_agrees = emulator_truth == expected;
    let deadline = last_change + scenario.settle;
    let wrong = loop {
        let wrong = differences(probe.view.lock().unwrap().as_ref().unwrap(), &expected);
        if wrong.is_empty() || Instant::now() >= deadline {
            break wrong;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let settled_after = last_change.elapsed();
    if scenario.measure {
        // The probe's last look; then the changes it never saw are counted.
        tokio::time::sleep(PROBE_EVERY * 20).await;
    }
    drop(_probing);
    let mut view = probe.view.lock().unwrap().take().unwrap();
    ordered += check_order(&mut view);
    let faults = emu
        .subscription_ids()
        .iter()
        .map(|id| emu.delivery_fault_counts(id))
        .fold(FaultCounts::default(), |mut sum, c| {
            sum.duplicated += c.duplicated;
            sum.delayed += c.delayed;
            sum.dropped += c.dropped;
            sum
        });
    let failed_deliveries = emu
        .deliveries()
        .iter()
        .filter(|d| d.status != Some(202))
        .count();
    view.shutdown().await;
    let unresolved = probe
        .outstanding
        .lock()
        .unwrap()
        .values()
        .map(Vec::len)
        .sum();
    let staleness = std::mem::take(&mut *probe.samples.lock().unwrap());
    Outcome {
        wrong,
        emulator_agrees,
        settled_after,
        ordered,
        faults,
        failed_deliveries,
        staleness,
        unresolved,
        elapsed: began.elapsed(),
    }
}
