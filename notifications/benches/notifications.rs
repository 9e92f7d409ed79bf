//! Notification figures, printed as a Markdown table (`cargo bench -p
//! msgraph-presence-notifications`):
//!
//! - rich notifications opened per second on one core: RSA-OAEP unwrap, HMAC check, AES-CBC
//!   decrypt (`crypto::open`), and the same plus decoding into the generated `Presence`;
//! - latency from the moment the writer sends `setPresence` to the moment the receiver hands the
//!   decrypted change to the application, over loopback through the in-process emulator (median
//!   and p99);
//! - end to end over loopback HTTP into the application, one POST at a time and 8 at once,
//!   with the 202's latency under that load, beside `openssl speed rsa2048` (`throughput.rs`).

// Not benches/throughput.rs: Cargo would take that for a bench target of its own.
#[path = "notifications/throughput.rs"]
mod throughput;

use msgraph_presence::{Client, v1_0};
use msgraph_presence_notifications::receiver::JwkSet;
use msgraph_presence_notifications::{
    Certificate, Notification, PresenceSubscriptions, Receiver, crypto,
};
use presence_emulator::{DEFAULT_APP_ID, Emulator};
use std::hint::black_box;
use std::time::{Duration, Instant};

const CERT: &str = include_str!("../tests/fixtures/test-only-subscriber.cert.pem");
const KEY: &str = include_str!("../tests/fixtures/test-only-subscriber.key.pem");
const USER: &str = "3b7e9a10-2c4d-4e6f-8a1b-2c3d4e5f6a7b";
/// Notifications opened per throughput sample.
const SEALED: usize = 300;
/// Changes timed for the latency figures.
const CHANGES: usize = 300;

fn main() {
    println!("| Measure | Result | Samples |");
    println!("|---|---|---|");
    throughput::load_row("at the start");
    throughput::openssl_speed_row();
    decrypt_throughput();
    throughput::rows();
    latency();
    throughput::load_row("at the end");
}

/// One core: everything runs on this thread.
fn decrypt_throughput() {
    let public = crypto::public_key_from_certificate_pem(CERT).expect("test certificate");
    let private = crypto::private_key_from_pem(KEY).expect("test key");
    let plaintext = format!(
        r##"{{"@odata.type":"#microsoft.graph.presence","@odata.id":"users/{USER}/presence","id":"{USER}","availability":"Busy","activity":"InACall"}}"##
    );
    let sealed: Vec<_> = (0..SEALED)
        .map(|_| crypto::seal(&public, plaintext.as_bytes(), "cert", "AB").expect("seal"))
        .collect();
    // Warm-up.
    for content in sealed.iter().take(20) {
        black_box(crypto::open(&private, content).expect("open"));
    }
    let mut rates = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        for content in &sealed {
            black_box(crypto::open(&private, content).expect("open"));
        }
        rates.push(SEALED as f64 / start.elapsed().as_secs_f64());
    }
    println!(
        "| rich notifications opened per second, one core (`crypto::open`) | {:.0} (best of 3) | 3 × {SEALED} |",
        best(&rates)
    );
    let mut rates = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        for content in &sealed {
            let bytes = crypto::open(&private, content).expect("open");
            let presence: v1_0::models::Presence =
                serde_json::from_slice(&bytes).expect("a presence");
            black_box(presence);
        }
        rates.push(SEALED as f64 / start.elapsed().as_secs_f64());
    }
    println!(
        "| … and decoded into the generated `Presence` | {:.0} (best of 3) | 3 × {SEALED} |",
        best(&rates)
    );
}

fn best(rates: &[f64]) -> f64 {
    rates.iter().copied().fold(0.0, f64::max)
}

fn latency() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mut samples = runtime.block_on(measure_latency());
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "| setPresence sent → decrypted change in the application, loopback via the emulator | median {:.2} ms, p99 {:.2} ms | {} changes |",
        ms(at(0.5)),
        ms(at(0.99)),
        samples.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn measure_latency() -> Vec<Duration> {
    let emu = Emulator::start().await.expect("emulator");
    let keys: JwkSet = serde_json::from_value(emu.jwks()).expect("jwks");
    let mut receiver = Receiver::builder()
        .app_id(DEFAULT_APP_ID)
        .client_state("bench-state-3kQ9vX2mZ7pL4wR8")
        .certificate("cert", crypto::private_key_from_pem(KEY).expect("key"))
        .keys(keys)
        .build()
        .expect("receiver");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!("http://{}/", listener.local_addr().expect("addr"));
    let router = receiver.router();
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = Client::builder()
        .base_url(emu.base_url())
        .bearer_token("bench")
        .build()
        .expect("client");
    let subs = PresenceSubscriptions::builder(
        &client,
        &hook,
        Certificate::from_pem("cert", CERT).expect("certificate"),
    )
    .client_state("bench-state-3kQ9vX2mZ7pL4wR8")
    .subscribe(&[USER])
    .await
    .expect("subscribe");
    let user = client.v1_0().user(USER).presence();
    let states = [
        (
            v1_0::models::Availability::Busy,
            v1_0::models::Activity::InACall,
        ),
        (
            v1_0::models::Availability::Away,
            v1_0::models::Activity::Away,
        ),
    ];
    let mut samples = Vec::with_capacity(CHANGES);
    for i in 0..CHANGES + 10 {
        let (availability, activity) = states[i % 2].clone();
        let body = v1_0::models::SetPresenceRequest::new(
            "22553876-f5ab-4529-bffb-cfe50aa89f87",
            availability,
            activity,
        );
        let start = Instant::now();
        user.set_presence(&body).await.expect("setPresence");
        match receiver.next().await {
            Some(Notification::Presence(_)) => {}
            other => panic!("expected a presence change, got {other:?}"),
        }
        // The first ten warm up connections and caches.
        if i >= 10 {
            samples.push(start.elapsed());
        }
    }
    subs.shutdown().await;
    samples
}
