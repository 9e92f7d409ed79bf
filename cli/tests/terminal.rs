//! What the binary does when its output is a terminal: pretty JSON on stdout, a progress line
//! on stderr for `get-many`. The terminal is a pseudo-terminal the test opens.
#![cfg(unix)]

use presence_emulator::Emulator;
use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use std::fs::File;
use std::io::Read;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_msgraph-presence");
const TOKEN_VAR: &str = "MSGRAPH_PRESENCE_TEST_TOKEN";

/// Which of the child's streams is the terminal.
#[derive(Clone, Copy)]
enum Tty {
    Stdout,
    Stderr,
}

/// Runs the binary against `url` with `tty` on a pseudo-terminal and the other stream on a
/// pipe; returns (what the terminal showed, the piped stream, exit status).
fn run_on_terminal(url: &str, args: &[&str], tty: Tty) -> (String, String, Option<i32>) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("a pseudo-terminal");
    grantpt(&master).unwrap();
    unlockpt(&master).unwrap();
    let name = ptsname(&master, Vec::new()).unwrap();
    let terminal = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_str().unwrap())
        .unwrap();
    let mut command = Command::new(BIN);
    command
        .args(["--base-url", url, "--auth", "token-env", TOKEN_VAR])
        .args(args)
        .env(TOKEN_VAR, "test-token")
        .stdin(Stdio::null());
    match tty {
        Tty::Stdout => command.stdout(terminal).stderr(Stdio::piped()),
        Tty::Stderr => command.stderr(terminal).stdout(Stdio::piped()),
    };
    // `command` holds the only handle on the terminal side: dropped with it after the spawn, so
    // reading the master ends when the child exits.
    let child = command.spawn().unwrap();
    drop(command);
    let out = child.wait_with_output().unwrap();
    let piped = match tty {
        Tty::Stdout => out.stderr,
        Tty::Stderr => out.stdout,
    };
    let mut shown = Vec::new();
    let mut master = File::from(master);
    // Linux answers EIO once the terminal side is closed and drained.
    let _ = master.read_to_end(&mut shown);
    (
        String::from_utf8_lossy(&shown).replace("\r\n", "\n"),
        String::from_utf8_lossy(&piped).into_owned(),
        out.status.code(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_is_pretty_on_a_terminal() {
    let emu = Emulator::start().await.unwrap();
    let url = emu.base_url().to_owned();
    let (shown, errors, status) = tokio::task::spawn_blocking(move || {
        run_on_terminal(&url, &["get", "--user", "u1"], Tty::Stdout)
    })
    .await
    .unwrap();
    assert_eq!(status, Some(0), "{errors}");
    assert!(shown.starts_with("{\n  \""), "{shown:?}");
    let value: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(value["id"], "u1");
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_many_shows_progress_on_a_terminal() {
    let emu = Emulator::start().await.unwrap();
    let url = emu.base_url().to_owned();
    let file =
        std::env::temp_dir().join(format!("msgraph-presence-tty-{}.txt", std::process::id()));
    std::fs::write(&file, "a\nb\nc\n").unwrap();
    let path = file.to_str().unwrap().to_owned();
    let (shown, printed, status) = tokio::task::spawn_blocking(move || {
        run_on_terminal(&url, &["get-many", "--ids-from", &path], Tty::Stderr)
    })
    .await
    .unwrap();
    std::fs::remove_file(&file).unwrap();
    assert_eq!(status, Some(0), "{shown}");
    assert!(shown.contains("\r3/3 users"), "{shown:?}");
    // stdout is a pipe: one line of JSON with the three users.
    let value: serde_json::Value = serde_json::from_str(printed.trim()).unwrap();
    assert_eq!(value.as_array().map(Vec::len), Some(3), "{printed}");
    emu.shutdown().await.unwrap();
}
