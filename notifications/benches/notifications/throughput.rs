//! End-to-end throughput (issue 19): batches of rich notifications, sealed and signed before
//! the clock starts, POSTed over loopback HTTP to the receiver; the rate counts from the first
//! POST to the last checked, decrypted notification the application reads. Each POST's time to
//! its 202 is the latency under that load. Also the machine's own RSA figure, from
//! `openssl speed rsa2048` in the same run.

use msgraph_presence_notifications::receiver::JwkSet;
use msgraph_presence_notifications::{Notification, Receiver, crypto};
use std::sync::Arc;
use std::time::{Duration, Instant};

const CERT: &str = include_str!("../../tests/fixtures/test-only-subscriber.cert.pem");
const KEY: &str = include_str!("../../tests/fixtures/test-only-subscriber.key.pem");
/// The emulator's published test-only token key: the bench signs validation tokens as Graph.
const TOKEN_KEY: &str =
    include_str!("../../../emulator/src/subscriptions/test-only-signing-key.pem");
const KID: &str = "bench-token-key";
const APP_ID: &str = "bench-app";
const TENANT: &str = "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";
const CLIENT_STATE: &str = "bench-state-7Hq2Lm9Xw4Rt6Zp1";
const CERT_ID: &str = "bench-cert";
/// Items per POST.
pub const BATCH: usize = 10;
/// POSTs per pass.
pub const POSTS: usize = 1000;
/// Passes per mode; the table quotes the median.
pub const PASSES: usize = 3;

/// One pass: notifications per second into the application, and every POST's time to 202.
struct Pass {
    rate: f64,
    /// Notifications per CPU-second of this whole process (sender, server, checks): what the
    /// rate would be per fully free core, whatever else the machine runs.
    per_cpu_second: Option<f64>,
    latencies: Vec<Duration>,
    refused: u64,
}

/// Prints the end-to-end rows: one POST at a time, then `concurrent` at once.
pub fn rows() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let bodies = Arc::new(sealed_bodies());
    for concurrent in [1, 8] {
        let mut passes: Vec<Pass> = (0..PASSES)
            .map(|_| runtime.block_on(pass(Arc::clone(&bodies), concurrent)))
            .collect();
        passes.sort_by(|a, b| a.rate.total_cmp(&b.rate));
        let median = &passes[passes.len() / 2];
        let mut latencies = median.latencies.clone();
        latencies.sort();
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
        let refused: u64 = passes.iter().map(|p| p.refused).sum();
        let rates: Vec<String> = passes.iter().map(|p| format!("{:.0}", p.rate)).collect();
        let per_cpu = median
            .per_cpu_second
            .map_or_else(|| "unknown".to_owned(), |r| format!("{r:.0}"));
        let label = if concurrent == 1 {
            "one POST at a time".to_owned()
        } else {
            format!("{concurrent} concurrent POSTs")
        };
        println!(
            "| rich notifications/s end to end into the application, loopback HTTP, {label} ({BATCH} per POST) | median {:.0} (passes: {}); {per_cpu} per CPU-second of the process | {PASSES} × {} |",
            median.rate,
            rates.join(", "),
            POSTS * BATCH
        );
        println!(
            "| … 202 answered, {label} | p50 {:.2} ms, p99 {:.2} ms (median pass); 503s: {refused} | {} POSTs |",
            super::ms(at(0.5)),
            super::ms(at(0.99)),
            latencies.len()
        );
    }
}

/// `POSTS` bodies of `BATCH` sealed presences each, with one validation token.
fn sealed_bodies() -> Vec<String> {
    let public = crypto::public_key_from_certificate_pem(CERT).expect("test certificate");
    let token = validation_token();
    (0..POSTS)
        .map(|post| {
            let items: Vec<serde_json::Value> = (0..BATCH)
                .map(|i| {
                    let user = format!("4c8f0b21-3d5e-4f70-9b2c-{:012x}", post * BATCH + i);
                    let plaintext = serde_json::json!({
                        "@odata.type": "#microsoft.graph.presence",
                        "@odata.id": format!("communications/presences/{user}"),
                        "id": user,
                        "availability": "Busy",
                        "activity": "InACall",
                    });
                    let content =
                        crypto::seal(&public, plaintext.to_string().as_bytes(), CERT_ID, "AB")
                            .expect("seal");
                    serde_json::json!({
                        "subscriptionId": "bench-subscription",
                        "clientState": CLIENT_STATE,
                        "tenantId": TENANT,
                        "changeType": "updated",
                        "resource": format!("communications/presences/{user}"),
                        "resourceData": {
                            "@odata.type": "#Microsoft.Graph.presence",
                            "@odata.id": format!("communications/presences/{user}"),
                            "id": user,
                        },
                        "encryptedContent": content,
                    })
                })
                .collect();
            serde_json::json!({ "value": items, "validationTokens": [token] }).to_string()
        })
        .collect()
}

fn validation_token() -> String {
    use jsonwebtoken::{Algorithm, EncodingKey, Header};
    let key = EncodingKey::from_rsa_pem(TOKEN_KEY.as_bytes()).expect("token key");
    let now = jiff::Timestamp::now().as_second();
    let claims = serde_json::json!({
        "aud": APP_ID,
        "iss": format!("https://login.microsoftonline.com/{TENANT}/v2.0"),
        "azp": msgraph_presence_notifications::receiver::CHANGE_TRACKING_APP_ID,
        "ver": "2.0",
        "tid": TENANT,
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
    });
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(KID.to_owned());
    jsonwebtoken::encode(&header, &claims, &key).expect("sign")
}

fn token_keys() -> JwkSet {
    use jsonwebtoken::jwk::Jwk;
    use jsonwebtoken::{Algorithm, EncodingKey};
    let key = EncodingKey::from_rsa_pem(TOKEN_KEY.as_bytes()).expect("token key");
    let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).expect("jwk");
    jwk.common.key_id = Some(KID.to_owned());
    JwkSet { keys: vec![jwk] }
}

async fn pass(bodies: Arc<Vec<String>>, concurrent: usize) -> Pass {
    let mut receiver = Receiver::builder()
        .app_id(APP_ID)
        .client_state(CLIENT_STATE)
        .certificate(CERT_ID, crypto::private_key_from_pem(KEY).expect("key"))
        .keys(token_keys())
        .build()
        .expect("receiver");
    let stats = receiver.stats();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    let router = receiver.router();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let expected = bodies.len() * BATCH;
    // The application: counts what it is handed, and notes when the last one came.
    let application = tokio::spawn(async move {
        let mut seen = 0;
        while seen < expected {
            match receiver.next().await {
                Some(Notification::Presence(_)) => seen += 1,
                other => panic!("expected a presence change, got {other:?}"),
            }
        }
        Instant::now()
    });
    let http = reqwest::Client::new();
    let cpu_before = process_cpu_seconds();
    let start = Instant::now();
    let senders: Vec<_> = (0..concurrent)
        .map(|lane| {
            let (http, url, bodies) = (http.clone(), url.clone(), Arc::clone(&bodies));
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut refused = 0;
                for body in bodies.iter().skip(lane).step_by(concurrent) {
                    loop {
                        let sent = Instant::now();
                        let status = http
                            .post(&url)
                            .header("content-type", "application/json")
                            .body(body.clone())
                            .send()
                            .await
                            .expect("POST")
                            .status();
                        latencies.push(sent.elapsed());
                        if status == 202 {
                            break;
                        }
                        // As Graph does on a 503: wait, deliver again.
                        assert_eq!(status, 503, "unexpected status");
                        refused += 1;
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
                (latencies, refused)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut refused = 0;
    for sender in senders {
        let (mut lane, lane_refused) = sender.await.expect("sender");
        latencies.append(&mut lane);
        refused += lane_refused;
    }
    let done = application.await.expect("application");
    let cpu = process_cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| after - before);
    server.abort();
    let counts = stats.snapshot();
    assert_eq!(counts.delivered as usize, expected, "every item delivered");
    assert_eq!(counts.rejected_total(), 0, "no item rejected");
    Pass {
        rate: expected as f64 / (done - start).as_secs_f64(),
        per_cpu_second: cpu.filter(|c| *c > 0.0).map(|c| expected as f64 / c),
        latencies,
        refused,
    }
}

/// `openssl speed -seconds 3 rsa2048`'s private-key operations per second (one core).
pub fn openssl_speed_row() {
    let output = std::process::Command::new("openssl")
        .args(["speed", "-seconds", "3", "rsa2048"])
        .output();
    let figure = match output {
        Ok(output) if output.status.success() => {
            let text = String::from_utf8_lossy(&output.stdout);
            // "rsa 2048 bits 0.000244s 0.000016s   4094.0  61112.2": sign/s is the fifth field.
            text.lines()
                .find(|line| line.starts_with("rsa 2048 bits"))
                .and_then(|line| line.split_whitespace().nth(5).map(str::to_owned))
                .map_or_else(
                    || "openssl ran but printed no rsa 2048 line".to_owned(),
                    |sign| format!("{sign} sign/s"),
                )
        }
        Ok(output) => format!("openssl speed failed ({})", output.status),
        Err(_) => "openssl is not installed: no figure".to_owned(),
    };
    println!(
        "| `openssl speed -seconds 3 rsa2048`, private-key operations per second, one core (same run) | {figure} | 3 s |"
    );
}

/// User + system CPU time of this process so far, from `/proc/self/stat` (Linux; `None`
/// elsewhere). Clock ticks are taken as 100 per second, the Linux default.
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name: state is the 3rd field, utime the 14th.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

/// The machine's load averages (1, 5, 15 minutes), to say how shared the run was.
pub fn load_row(when: &str) {
    let load = std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        },
    );
    let cores = std::thread::available_parallelism().map_or(0, std::num::NonZeroUsize::get);
    println!("| load average {when} (1, 5, 15 min), {cores} cores | {load} | |");
}
