//! Server text with terminal escapes and line breaks reaches the table and the error report
//! escaped (issue 22): a status message cannot recolour the terminal or forge output lines.

use presence_emulator::{Emulator, Fault};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_msgraph-presence");
const HOSTILE: &str = "\u{1b}[31mout sick\nforged: line\r";

async fn cli(emu: &Emulator, args: &[&str]) -> Output {
    let mut all: Vec<String> = [
        "--base-url",
        emu.base_url(),
        "--auth",
        "token-env",
        "ESC_TEST_TOKEN",
    ]
    .map(str::to_owned)
    .to_vec();
    all.extend(args.iter().map(|a| (*a).to_owned()));
    tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(&all)
            .env("ESC_TEST_TOKEN", "test-token")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn raw_controls(text: &[u8]) -> Vec<u8> {
    text.iter()
        .copied()
        .filter(|b| *b == 0x1b || *b == b'\r')
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_status_message_is_escaped_in_the_table() {
    let emu = Emulator::start().await.unwrap();
    let message = serde_json::json!({ "message": { "content": HOSTILE, "contentType": "text" } });
    let out = cli(
        &emu,
        &[
            "set-status-message",
            "--user",
            "u1",
            "--status-message",
            &message.to_string(),
        ],
    )
    .await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = cli(&emu, &["get", "--user", "u1", "--output", "table"]).await;
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(raw_controls(&out.stdout).is_empty(), "{text:?}");
    let row = text
        .lines()
        .find(|l| l.starts_with("statusMessage.message.content"))
        .unwrap_or_else(|| panic!("no status message row: {text}"));
    assert!(
        row.contains("\\u{1b}[31mout sick\\nforged: line\\r"),
        "{row}"
    );
    assert!(!text.lines().any(|l| l.starts_with("forged")), "{text}");

    // JSON keeps the value exact (its encoder escapes it already).
    let out = cli(&emu, &["get", "--user", "u1"]).await;
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["statusMessage"]["message"]["content"], HOSTILE);
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_error_code_is_escaped_in_the_report() {
    let emu = Emulator::start().await.unwrap();
    emu.inject_fault(Fault::status(400, HOSTILE));
    let out = cli(&emu, &["get", "--user", "u1"]).await;
    assert_eq!(out.status.code(), Some(2));
    let report = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(raw_controls(&out.stderr).is_empty(), "{report:?}");
    assert!(
        report.contains("\\u{1b}[31mout sick\\nforged: line\\r"),
        "{report}"
    );
    assert!(!report.lines().any(|l| l.starts_with("forged")), "{report}");
    emu.shutdown().await.unwrap();
}
