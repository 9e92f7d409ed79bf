//! `watch` against the emulator: the binary prints the initial state, then a JSON line per
//! change made through the emulator, until it is killed.

use msgraph_presence::{Client, v1_0};
use presence_emulator::{DEFAULT_APP_ID, DirectorySeed, Emulator};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_msgraph-presence");
const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../notifications/tests/fixtures"
);
const USER: &str = "3b7e9a10-2c4d-4e6f-8a1b-2c3d4e5f6a7b";
const SESSION: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";

async fn next(rx: &mut tokio::sync::mpsc::UnboundedReceiver<String>) -> Value {
    let line = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("a line within 30 s")
        .expect("watch still running");
    serde_json::from_str::<Value>(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
}

/// Starts `watch` against the emulator with `who` (`--user ..` or `--group ..`), JSON lines out;
/// its stdout lines arrive on the receiver.
fn spawn_watch(
    emu: &Emulator,
    who: &[&str],
) -> (
    std::process::Child,
    tokio::sync::mpsc::UnboundedReceiver<String>,
) {
    let cert = format!("{FIXTURES}/test-only-subscriber.cert.pem");
    let key = format!("{FIXTURES}/test-only-subscriber.key.pem");
    let mut child = Command::new(BIN)
        .args([
            "--base-url",
            emu.base_url(),
            "--authority",
            emu.base_url(),
            "--auth",
            "token-env",
            "WATCH_TEST_TOKEN",
            "watch",
            "--cert",
            &cert,
            "--key",
            &key,
            "--app-id",
            DEFAULT_APP_ID,
            "--output",
            "json",
        ])
        .args(who)
        .env("WATCH_TEST_TOKEN", "watch-token")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_a_group_follows_its_direct_and_nested_users() {
    let emu = Emulator::start().await.unwrap();
    // Two direct members and one in a nested group.
    emu.seed_directory(DirectorySeed::demo_team("team", 2, 1));
    let (mut child, mut rx) = spawn_watch(&emu, &["--group", "team"]);
    let mut initial = Vec::new();
    for _ in 0..3 {
        let line = next(&mut rx).await;
        assert_eq!(line["initial"], true, "{line}");
        initial.push(line["user"].as_str().unwrap().to_owned());
    }
    initial.sort();
    assert_eq!(
        initial,
        (1..=3)
            .map(|n| format!("00000000-0000-4000-a000-{n:012}"))
            .collect::<Vec<_>>()
    );
    child.kill().unwrap();
    let _ = child.wait();
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_prints_the_initial_state_then_each_change_as_json() {
    let emu = Emulator::start().await.unwrap();
    let (mut child, mut rx) = spawn_watch(&emu, &["--user", USER]);
    let first = next(&mut rx).await;
    assert_eq!(first["user"], USER, "{first}");
    assert_eq!(first["initial"], true, "{first}");

    let writer = Client::builder()
        .base_url(emu.base_url())
        .bearer_token("writer")
        .build()
        .unwrap();
    let body = v1_0::models::SetPresenceRequest::new(
        SESSION,
        v1_0::models::Availability::Busy,
        v1_0::models::Activity::InACall,
    );
    writer
        .v1_0()
        .user(USER)
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
    let change = next(&mut rx).await;
    assert_eq!(change["user"], USER, "{change}");
    assert_eq!(change["new"]["availability"], "Busy", "{change}");
    assert_eq!(change["new"]["activity"], "InACall", "{change}");
    assert!(change.get("old").is_some(), "{change}");
    assert_ne!(change["old"], change["new"], "{change}");

    child.kill().unwrap();
    let _ = child.wait();
    emu.shutdown().await.unwrap();
}
