//! `login`, `whoami`, `--auth device` and `logout` against the emulator's identity platform:
//! the binary is driven as a person would, with the emulator's approve control standing in for
//! the person typing the code.

use presence_emulator::Emulator;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_msgraph-presence");
const CLIENT: &str = "11111111-2222-3333-4444-555555555555";

struct Rig {
    emu: Emulator,
    cache: PathBuf,
    http: reqwest::Client,
}

impl Rig {
    async fn start() -> Rig {
        let emu = Emulator::start().await.expect("emulator starts");
        let cache = std::env::temp_dir()
            .join(format!(
                "cli-signin-{}-{}",
                std::process::id(),
                emu.addr().port()
            ))
            .join("tokens.json");
        let rig = Rig {
            emu,
            cache,
            http: reqwest::Client::new(),
        };
        // Poll every second rather than the default five, to keep the test short.
        rig.control("interval", serde_json::json!({ "seconds": 1 }))
            .await;
        rig
    }

    fn args(&self, args: &[&str]) -> Vec<String> {
        let mut all: Vec<String> = [
            "--base-url",
            self.emu.base_url(),
            "--authority",
            self.emu.base_url(),
            "--client-id",
            CLIENT,
            "--token-cache",
            self.cache.to_str().unwrap(),
        ]
        .map(str::to_owned)
        .to_vec();
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all
    }

    async fn run(&self, args: &[&str]) -> Output {
        let all = self.args(args);
        tokio::task::spawn_blocking(move || {
            Command::new(BIN)
                .args(&all)
                .env_remove("MSGRAPH_PRESENCE_CLIENT_ID")
                .output()
                .expect("the binary runs")
        })
        .await
        .unwrap()
    }

    async fn control(&self, path: &str, body: Value) -> u16 {
        self.http
            .post(format!("{}/_emulator/identity/{path}", self.emu.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }

    /// `login`: reads the code from stderr, approves it, and returns what the binary printed.
    async fn login(&self) -> (Output, String) {
        let mut child = Command::new(BIN)
            .args(self.args(&["login"]))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<String>();
        let reader = std::thread::spawn(move || {
            let mut lines = BufReader::new(stderr).lines();
            let first = lines.next().unwrap().unwrap();
            let _ = tx.send(first.clone());
            let rest: Vec<String> = lines.map_while(Result::ok).collect();
            std::iter::once(first)
                .chain(rest)
                .collect::<Vec<_>>()
                .join("\n")
        });
        let message = rx.await.expect("the device-code message on stderr");
        let code = message
            .split_whitespace()
            .skip_while(|w| *w != "code")
            .nth(1)
            .expect("a code in the message")
            .to_owned();
        assert_eq!(
            self.control("approve", serde_json::json!({ "userCode": code }))
                .await,
            204,
            "{message}"
        );
        let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
            .await
            .unwrap();
        (output, reader.join().unwrap())
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(stdout(out).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(out)))
}

fn cached_refresh_token(path: &Path) -> String {
    let cache: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    cache["entries"][0]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_whoami_device_auth_and_logout() {
    let rig = Rig::start().await;
    let user = rig.emu.signed_in_user().to_owned();

    // Before login: --auth device says what to do.
    let out = rig.run(&["--auth", "device", "get"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not signed in: run `msgraph-presence login`"),
        "{}",
        stderr(&out)
    );

    let (out, messages) = rig.login().await;
    assert_eq!(out.status.code(), Some(0), "{messages}");
    assert!(messages.contains("enter the code"), "{messages}");
    assert_eq!(json(&out)["user"], user.as_str());
    let refresh = cached_refresh_token(&rig.cache);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::metadata(&rig.cache).unwrap().mode() & 0o777, 0o600);
    }

    let out = rig.run(&["whoami"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let me = json(&out);
    assert_eq!(me["user"], user.as_str());
    assert!(
        me["scopes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "Presence.Read.All"),
        "{me}"
    );
    assert!(
        me["expires"].as_str().is_some_and(|e| e.ends_with('Z')),
        "{me}"
    );
    assert!(me["tenant"].as_str().is_some_and(|t| !t.is_empty()), "{me}");
    // Never a token: not the (rotated) refresh token, not an access token's header.
    let current = cached_refresh_token(&rig.cache);
    for secret in [&refresh, &current] {
        assert!(!stdout(&out).contains(secret.as_str()));
    }
    assert!(!stdout(&out).contains("eyJ"), "{}", stdout(&out));

    // --auth device: a delegated call with the cached sign-in.
    let out = rig.run(&["--auth", "device", "get"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["id"], user.as_str());

    // Revoked: the same advice, exit status 3, no retry loop.
    rig.control("revoke", serde_json::json!({})).await;
    let out = rig.run(&["--auth", "device", "get"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("invalid_grant"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("run `msgraph-presence login`"),
        "{}",
        stderr(&out)
    );
    let out = rig.run(&["whoami"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("run `msgraph-presence login`"));

    let out = rig.run(&["logout"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["removed"], 1);
    let out = rig.run(&["whoami"]).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("not signed in: run `msgraph-presence login`"));
    let _ = std::fs::remove_dir_all(rig.cache.parent().unwrap());
}

#[test]
fn login_without_a_client_id_is_a_usage_error() {
    let out = Command::new(BIN)
        .args(["login", "--token-cache", "/nonexistent/tokens.json"])
        .env_remove("MSGRAPH_PRESENCE_CLIENT_ID")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--client-id"), "{}", stderr(&out));
}
