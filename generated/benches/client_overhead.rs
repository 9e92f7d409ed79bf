//! Overhead of the generated client over a hand-written `reqwest` call.
//!
//! A minimal axum server on 127.0.0.1 answers `GET .../presence` with a fixed presence document
//! and `POST .../setPresence` with 204. Both callers share one tokio runtime and one
//! `reqwest::Client` (the generated client gets a clone through `http_client`, and clones share
//! the connection pool), send the same method, path, headers and body, and decode into the same
//! model type. Short rounds alternate between the two callers so drift in machine load hits
//! both alike; the ratio reported is the median of the per-round ratios (client / raw).
//!
//! A custom harness rather than divan: the quantity is a rate of concurrent async requests over
//! a fixed time, not the time of one synchronous call.
//!
//! `cargo bench -p msgraph-presence --bench client_overhead` prints a table. With
//! `PRESENCE_BENCH_REPORT=1` it runs shorter rounds and prints tab-separated `report` lines for
//! `cargo xtask bench`.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use msgraph_presence::Client;
use msgraph_presence::v1_0::models::{Activity, Availability, Presence, SetPresenceRequest};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const PRESENCE_JSON: &str = r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#users('fa8bf3dc-eca7-46b7-bad1-db199b62afc3')/presence/$entity","id":"fa8bf3dc-eca7-46b7-bad1-db199b62afc3","availability":"Available","activity":"Available","statusMessage":null,"outOfOfficeSettings":{"message":null,"isOutOfOffice":false},"sequenceNumber":"C0B4B1E86F8F4B3C","workLocation":{"workLocationType":"office","source":"manual","placeId":null}}"#;
const USER: &str = "fa8bf3dc-eca7-46b7-bad1-db199b62afc3";
const TOKEN: &str = "bench-token";

/// Which request a round sends.
#[derive(Clone, Copy)]
enum Call {
    GetPresence,
    SetPresence,
}

impl Call {
    fn label(self) -> &'static str {
        match self {
            Call::GetPresence => "get_presence",
            Call::SetPresence => "set_presence",
        }
    }
}

struct Settings {
    round: Duration,
    rounds: usize,
    concurrency: &'static [usize],
}

fn main() {
    let report = std::env::var_os("PRESENCE_BENCH_REPORT").is_some();
    let settings = if report {
        Settings {
            round: Duration::from_millis(150),
            rounds: 11,
            concurrency: &[1, 8],
        }
    } else {
        Settings {
            round: Duration::from_millis(250),
            rounds: 31,
            concurrency: &[1, 8, 32],
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(run(settings, report));
}

async fn run(settings: Settings, report: bool) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(async move { axum::serve(listener, app()).await });

    let http = reqwest::Client::new();
    let client = Arc::new(
        Client::builder()
            .base_url(&base)
            .bearer_token(TOKEN)
            .http_client(http.clone())
            .build()
            .expect("client"),
    );
    let raw = Arc::new(Raw { http, base });

    if !report {
        println!(
            "{:<14} {:>11} {:>14} {:>14} {:>8}",
            "request", "concurrency", "client req/s", "raw req/s", "ratio"
        );
    }
    for call in [Call::GetPresence, Call::SetPresence] {
        for &concurrency in settings.concurrency {
            let mut client_rates = Vec::new();
            let mut raw_rates = Vec::new();
            // One unmeasured round each to open connections and warm caches.
            for round in 0..=settings.rounds {
                let c = rate(settings.round, concurrency, {
                    let client = client.clone();
                    move || {
                        let client = client.clone();
                        async move { generated_call(&client, call).await }
                    }
                })
                .await;
                let r = rate(settings.round, concurrency, {
                    let raw = raw.clone();
                    move || {
                        let raw = raw.clone();
                        async move { raw.call(call).await }
                    }
                })
                .await;
                if round > 0 {
                    client_rates.push(c);
                    raw_rates.push(r);
                }
            }
            let ratio = median(
                client_rates
                    .iter()
                    .zip(&raw_rates)
                    .map(|(c, r)| c / r)
                    .collect(),
            );
            let (c, r) = (median(client_rates), median(raw_rates));
            if report {
                println!(
                    "report\tclient\t{}\t{concurrency}\t{c:.0}\t{r:.0}\t{ratio:.4}",
                    call.label()
                );
            } else {
                println!(
                    "{:<14} {:>11} {:>14.0} {:>14.0} {:>8.3}",
                    call.label(),
                    concurrency,
                    c,
                    r,
                    ratio
                );
            }
        }
    }
}

fn app() -> Router {
    Router::new()
        .route(
            "/v1.0/users/{id}/presence",
            get(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    PRESENCE_JSON,
                )
            }),
        )
        .route(
            "/v1.0/users/{id}/presence/setPresence",
            post(|_body: axum::body::Bytes| async { StatusCode::NO_CONTENT }),
        )
}

fn set_presence_body() -> SetPresenceRequest {
    SetPresenceRequest {
        session_id: "22553876-f5ab-4529-bffb-cfe50aa89f87".into(),
        availability: Availability::Busy,
        activity: Activity::InACall,
        expiration_duration: None,
        additional_properties: Default::default(),
    }
}

async fn generated_call(client: &Client, call: Call) {
    match call {
        Call::GetPresence => {
            let presence = client
                .v1_0()
                .user(USER)
                .presence()
                .get()
                .await
                .expect("get_presence");
            std::hint::black_box(presence);
        }
        Call::SetPresence => client
            .v1_0()
            .user(USER)
            .presence()
            .set_presence(&set_presence_body())
            .await
            .expect("set_presence"),
    }
}

/// The hand-written equivalent: same method, URL, headers and body, same model types.
struct Raw {
    http: reqwest::Client,
    base: String,
}

/// The generated client sends a fresh `client-request-id` with every request; the raw call sends
/// one of the same length, so both put the same bytes on the wire (generating the id stays on
/// the generated client's side of the ratio).
const CLIENT_REQUEST_ID: &str = "3f2c9a4e-8b1d-4c7e-9a05-6d2e1b7c4f80";

impl Raw {
    async fn call(&self, call: Call) {
        match call {
            Call::GetPresence => {
                let response = self
                    .http
                    .get(format!("{}/v1.0/users/{USER}/presence", self.base))
                    .bearer_auth(TOKEN)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header("client-request-id", CLIENT_REQUEST_ID)
                    .send()
                    .await
                    .expect("GET");
                assert!(response.status().is_success());
                let body = response.bytes().await.expect("body");
                let presence: Presence = serde_json::from_slice(&body).expect("decode");
                std::hint::black_box(presence);
            }
            Call::SetPresence => {
                let body = serde_json::to_vec(&set_presence_body()).expect("encode");
                let response = self
                    .http
                    .post(format!(
                        "{}/v1.0/users/{USER}/presence/setPresence",
                        self.base
                    ))
                    .bearer_auth(TOKEN)
                    .header(reqwest::header::ACCEPT, "application/json")
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .header("client-request-id", CLIENT_REQUEST_ID)
                    .body(body)
                    .send()
                    .await
                    .expect("POST");
                assert!(response.status().is_success());
                std::hint::black_box(response.bytes().await.expect("body"));
            }
        }
    }
}

/// Requests per second completed by `concurrency` tasks calling `f` in a loop for `length`.
async fn rate<F, Fut>(length: Duration, concurrency: usize, f: F) -> f64
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let done = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (f, done, stop) = (f.clone(), done.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    f().await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    tokio::time::sleep(length).await;
    stop.store(true, Ordering::Relaxed);
    for task in tasks {
        task.await.expect("bench task");
    }
    done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}
