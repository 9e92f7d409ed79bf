//! The binary's directory flags: `--demo-directory ID` seeds a demo team, `--directory FILE` a
//! seed file, and a file that is not a seed stops the process with a message before it serves.

use msgraph_presence::Client;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

/// Starts the binary; its first stdout line (the base URL, or empty when it failed).
fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_presence-emulator"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    (child, first.trim_end().to_owned())
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token("any")
        .build()
        .unwrap()
}

/// Closing stdin stops the process; it must exit cleanly.
fn stop(mut child: Child) {
    drop(child.stdin.take());
    assert!(child.wait().unwrap().success());
}

#[tokio::test]
async fn demo_directory_and_seed_file_flags_seed_the_directory() {
    let (child, url) = spawn(&["--demo-directory", "team"]);
    let members = client(&url)
        .directory_v1_0()
        .group("team")
        .transitive_members()
        .user(&Default::default())
        .await
        .unwrap();
    assert_eq!(members.value.unwrap().len(), 12, "8 direct and 4 nested");
    stop(child);

    let seed = std::env::temp_dir().join(format!("directory-seed-{}.json", std::process::id()));
    std::fs::write(
        &seed,
        r#"{"users": [{"id": "a1", "displayName": "Ada", "userPrincipalName": "ada@contoso.test"}],
            "groups": [{"id": "g", "members": [{"type": "user", "id": "a1"}]}]}"#,
    )
    .unwrap();
    let (child, url) = spawn(&["--directory", seed.to_str().unwrap()]);
    let ada = client(&url)
        .directory_v1_0()
        .user("ADA@contoso.test")
        .get(&Default::default())
        .await
        .unwrap();
    assert_eq!(ada.id.as_deref(), Some("a1"));
    stop(child);

    std::fs::write(&seed, "{\"users\": 3}").unwrap();
    let (mut child, url) = spawn(&["--directory", seed.to_str().unwrap()]);
    assert_eq!(url, "", "no base URL when the seed is bad");
    let status = child.wait().unwrap();
    assert!(!status.success());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("is not a directory seed"), "{stderr}");
    std::fs::remove_file(&seed).unwrap();
}
