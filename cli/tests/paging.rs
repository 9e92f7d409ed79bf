//! `--all` and `--max-items` on a paged list command, against the emulator's seeded directory
//! (100 users a page unless `$top` says otherwise).

use presence_emulator::{DirectorySeed, Emulator};
use serde_json::Value;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_msgraph-presence");
const TOKEN_VAR: &str = "MSGRAPH_PRESENCE_TEST_TOKEN";

/// Runs the binary against `emu` off the async runtime; stdout as JSON.
async fn json(emu: &Emulator, args: &[&str]) -> Value {
    let mut all = vec![
        "--base-url".to_owned(),
        emu.base_url().to_owned(),
        "--auth".into(),
        "token-env".into(),
        TOKEN_VAR.into(),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(&all)
            .env(TOKEN_VAR, "test-token")
            .output()
            .expect("the binary runs")
    })
    .await
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_follows_every_page_and_max_items_stops_early() {
    let emu = Emulator::start().await.unwrap();
    // 249 users in the directory: 3 pages of 100 (the group's 249 members).
    emu.seed_directory(DirectorySeed::demo_team("big", 200, 49));
    let one_page = json(&emu, &["list-user"]).await;
    assert_eq!(one_page["value"].as_array().unwrap().len(), 100);
    assert!(one_page["@odata.nextLink"].is_string(), "{one_page}");

    let all = json(&emu, &["list-user", "--all"]).await;
    let all = all.as_array().expect("--all prints one array");
    assert_eq!(all.len(), 249);
    let mut ids: Vec<&str> = all.iter().map(|u| u["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 249, "every user once");

    let capped = json(&emu, &["list-user", "--max-items", "120"]).await;
    assert_eq!(capped.as_array().unwrap().len(), 120);
    // Two pages were enough for 120: the third was never asked for.
    let pages = emu
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/v1.0/users"))
        .count();
    assert_eq!(pages, 1 + 3 + 2, "{pages} page requests");
    emu.shutdown().await.unwrap();
}
