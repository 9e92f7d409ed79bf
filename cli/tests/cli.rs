//! The `msgraph-presence` binary against the emulator, in process: exit statuses, stdout, and
//! what the emulator saw and holds afterwards.

use msgraph_presence::Client;
use presence_emulator::{Emulator, Fault};
use serde_json::Value;
use std::process::{Command, Output};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_msgraph-presence");
const TOKEN_VAR: &str = "MSGRAPH_PRESENCE_TEST_TOKEN";

/// Runs the binary pointed at `emu` with a token from the environment; off the async runtime
/// so the in-process emulator keeps answering.
async fn cli(emu: &Emulator, args: &[&str]) -> Output {
    let mut all: Vec<String> = vec![
        "--base-url".into(),
        emu.base_url().to_owned(),
        "--auth".into(),
        "token-env".into(),
        TOKEN_VAR.into(),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(&all)
            .env(TOKEN_VAR, "test-token")
            .output()
            .expect("the binary runs")
    })
    .await
    .expect("join")
}

/// Runs the binary without the emulator (help, usage errors).
fn offline(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_str(stdout(out).trim())
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", stdout(out)))
}

fn client(emu: &Emulator) -> Client {
    Client::builder()
        .base_url(emu.base_url())
        .bearer_token("test")
        .build()
        .unwrap()
}

/// The subcommand names listed by `--help`.
fn subcommands(global: &[&str]) -> Vec<String> {
    let mut args = global.to_vec();
    args.push("--help");
    let out = offline(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let section = text.split("Commands:").nth(1).expect("a Commands section");
    section
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A name starts in the third column; deeper lines continue a wrapped description.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn help_of_every_subcommand_exits_0_and_every_binding_is_reachable() {
    for (global, operations) in [
        (&[][..], msgraph_presence::v1_0::operations::ALL),
        (&["--beta"][..], msgraph_presence::beta::operations::ALL),
    ] {
        let names = subcommands(global);
        let squash = |s: &str| s.replace('-', "").to_ascii_lowercase();
        for op in operations {
            let name = names
                .iter()
                .find(|n| squash(n) == squash(op.name))
                .unwrap_or_else(|| panic!("{global:?}: no subcommand for {}: {names:?}", op.name));
            let mut args = global.to_vec();
            args.extend([name.as_str(), "--help"]);
            let out = offline(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
            // Every path the operation is bound to is a target of its subcommand.
            for binding in op.bindings {
                assert!(
                    stdout(&out).contains(binding.path),
                    "{args:?} does not offer {}",
                    binding.path
                );
            }
        }
        assert!(names.contains(&"get-many".to_owned()));
        assert!(names.contains(&"me".to_owned()));
        for name in &names {
            let mut args = global.to_vec();
            args.extend([name.as_str(), "--help"]);
            assert_eq!(offline(&args).status.code(), Some(0), "{args:?}");
        }
        // One level down: the `me` group's commands.
        let mut me = global.to_vec();
        me.push("me");
        let members = subcommands(&me);
        assert!(members.contains(&"get-presence".to_owned()), "{members:?}");
        for name in &members {
            let mut args = me.clone();
            args.extend([name.as_str(), "--help"]);
            let out = offline(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            assert!(
                stdout(&out).contains("Calls "),
                "{args:?}: {}",
                stdout(&out)
            );
            assert!(
                !stdout(&out).contains("--user"),
                "{args:?}: {}",
                stdout(&out)
            );
        }
    }
    let top = offline(&["--help"]);
    assert!(stdout(&top).contains("Exit status:"), "{}", stdout(&top));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_presence_then_get_it_back() {
    let emu = Emulator::start().await.unwrap();
    let out = cli(
        &emu,
        &[
            "set-presence",
            "--user",
            "u1",
            "--session-id",
            "s1",
            "--availability",
            "Busy",
            "--activity",
            "InACall",
            "--expiration-duration",
            "PT1H",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "", "no content, nothing printed");

    // The emulator holds the session.
    let presence = client(&emu)
        .v1_0()
        .user("u1")
        .presence()
        .get()
        .await
        .unwrap();
    assert_eq!(
        presence.activity.map(|a| a.as_str().to_owned()).as_deref(),
        Some("InACall")
    );

    // `get` is `get-presence`; not a terminal, so one line of JSON.
    let out = cli(&emu, &["get", "--user", "u1"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 1);
    assert_eq!(json(&out)["availability"], "Busy");

    let out = cli(&emu, &["get-presence", "--user", "u1", "--output", "table"]).await;
    assert!(
        stdout(&out)
            .lines()
            .any(|l| l.split_whitespace().eq(["availability", "Busy"])),
        "{}",
        stdout(&out)
    );

    // No target flag: the signed-in user (`/me`).
    let out = cli(&emu, &["get"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["id"], emu.signed_in_user());
    let last = emu.requests().pop().unwrap();
    assert_eq!(last.path, "/v1.0/me/presence");
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_duration_is_bad_input_and_sends_nothing() {
    let emu = Emulator::start().await.unwrap();
    let out = cli(
        &emu,
        &[
            "set-presence",
            "--user",
            "u1",
            "--session-id",
            "s1",
            "--availability",
            "Busy",
            "--activity",
            "InACall",
            "--expiration-duration",
            "1h",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--expiration-duration"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("ISO 8601"), "{}", stderr(&out));
    assert!(emu.requests().is_empty());

    // A missing required field is bad input too, named by its flag.
    let out = cli(&emu, &["clear-presence", "--user", "u1"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--session-id"), "{}", stderr(&out));
    assert!(emu.requests().is_empty());
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_availability_is_sent_as_given() {
    let emu = Emulator::start().await.unwrap();
    // The enums are open: the command line sends the value, the service judges it.
    let out = cli(
        &emu,
        &[
            "set-user-preferred-presence",
            "--user",
            "u1",
            "--availability",
            "OutToLunch",
            "--activity",
            "OutToLunch",
        ],
    )
    .await;
    let sent = emu.requests();
    assert_eq!(sent.len(), 1, "{}", stderr(&out));
    assert_eq!(
        sent[0].path,
        "/v1.0/users/u1/presence/setUserPreferredPresence"
    );
    // The emulator, like Graph, refuses the pair: a 400 is bad input, with the OData error.
    assert_eq!(sent[0].status, 400);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("code: "), "{}", stderr(&out));
    // The service's message quotes the value it got: sent as typed.
    assert!(stderr(&out).contains("'OutToLunch'"), "{}", stderr(&out));

    // The help lists the known values.
    let help = offline(&["set-user-preferred-presence", "--help"]);
    assert!(
        stdout(&help).contains("Known values: Available"),
        "{}",
        stdout(&help)
    );
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_404_prints_the_odata_error_and_both_request_ids() {
    let emu = Emulator::start().await.unwrap();
    let out = cli(
        &emu,
        &[
            "clear-presence",
            "--user",
            "u1",
            "--session-id",
            "never-set",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    let err = stderr(&out);
    for needle in [
        "code: ",
        "message: ",
        "request-id: ",
        "client-request-id: ",
        "status: 404",
    ] {
        assert!(err.contains(needle), "no {needle:?} in {err}");
    }
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_then_success_succeeds_and_throttled_for_good_exits_5() {
    let emu = Emulator::start().await.unwrap();
    emu.inject_fault(Fault::throttled(Duration::ZERO));
    let out = cli(&emu, &["get", "--user", "u1"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let statuses: Vec<u16> = emu.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [429, 200]);

    emu.inject_fault(Fault::throttled(Duration::ZERO).always());
    let out = cli(&emu, &["get", "--user", "u1"]).await;
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("status: 429"), "{}", stderr(&out));
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn me_get_reads_the_signed_in_users_presence() {
    let emu = Emulator::start().await.unwrap();
    let out = cli(&emu, &["me", "get"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["id"], emu.signed_in_user());
    let out = cli(&emu, &["--beta", "me", "get-presence"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let paths: Vec<String> = emu.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/v1.0/me/presence", "/beta/me/presence"]);

    // A write through the group lands on the signed-in user.
    let out = cli(
        &emu,
        &[
            "me",
            "set-manual-location",
            "--work-location-type",
            "office",
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let presence = client(&emu)
        .v1_0()
        .user(emu.signed_in_user())
        .presence()
        .get()
        .await
        .unwrap();
    let location = serde_json::to_value(presence.work_location).unwrap();
    assert_eq!(location["workLocationType"], "office", "{location}");

    // The group takes no target flags, and needs a command.
    let out = cli(&emu, &["me", "get", "--user", "u1"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = cli(&emu, &["me"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        emu.requests().len(),
        4,
        "the two refused commands sent nothing"
    );
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beta_has_its_own_commands() {
    let emu = Emulator::start().await.unwrap();
    // v1.0 binds clearLocation only to users; beta also to communications presences.
    let out = cli(&emu, &["clear-location", "--presence", "u1"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(emu.requests().is_empty());
    let out = cli(&emu, &["--beta", "clear-location", "--presence", "u1"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        emu.requests()[0].path,
        "/beta/communications/presences/u1/clearLocation"
    );
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_many_reads_ids_from_a_file_in_order() {
    let emu = Emulator::start().await.unwrap();
    emu.add_user("b");
    let dir = std::env::temp_dir().join(format!("msgraph-presence-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("users.txt");
    std::fs::write(&file, "# team\nb\n\na\nb\n").unwrap();
    let out = cli(&emu, &["get-many", "--ids-from", file.to_str().unwrap()]).await;
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ids: Vec<Value> = json(&out)
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].clone())
        .collect();
    assert_eq!(ids, ["b", "a", "b"]);
    assert_eq!(json(&out)[0]["availability"], "Offline");
    // Not a terminal: no progress line.
    assert_eq!(stderr(&out), "");
    emu.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_token_is_an_auth_failure() {
    let emu = Emulator::start().await.unwrap();
    let out = tokio::task::spawn_blocking({
        let url = emu.base_url().to_owned();
        move || {
            offline(&[
                "--base-url",
                &url,
                "--auth",
                "token-env",
                "MSGRAPH_PRESENCE_UNSET_VAR",
                "get",
            ])
        }
    })
    .await
    .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(emu.requests().is_empty());
    emu.shutdown().await.unwrap();
}

/// Serves one fixed `200` JSON answer to every request on 127.0.0.1: Graph answering with a
/// value the spec does not list yet.
async fn fixed_answer(body: &'static str) -> (String, tokio::task::JoinHandle<()>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            // The request has no body (a GET): read up to the end of its headers.
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (url, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_availability_the_spec_does_not_list_is_printed_as_given() {
    let (url, server) = fixed_answer(
        r#"{"id":"u1","availability":"Focusing","activity":"DeepWork","sequenceNumber":"7"}"#,
    )
    .await;
    let out = tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .args(["--base-url", &url, "--auth", "token-env", TOKEN_VAR])
            .args(["get", "--user", "u1", "--output", "table"])
            .env(TOKEN_VAR, "test-token")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    server.abort();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    for row in [["availability", "Focusing"], ["activity", "DeepWork"]] {
        assert!(
            table.lines().any(|l| l.split_whitespace().eq(row)),
            "no {row:?} row in:\n{table}"
        );
    }
}

/// The binary with no Azure tools on PATH and no Azure variables: nothing it could sign in with.
fn without_azure(args: &[&str]) -> Output {
    let empty =
        std::env::temp_dir().join(format!("msgraph-presence-no-tools-{}", std::process::id()));
    std::fs::create_dir_all(&empty).unwrap();
    let mut command = Command::new(BIN);
    command.args(args).env("PATH", &empty);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AZURE_") {
            command.env_remove(name);
        }
    }
    let out = command.output().expect("the binary runs");
    let _ = std::fs::remove_dir(&empty);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn azure_sign_in_failures_are_auth_failures_and_send_nothing() {
    let emu = Emulator::start().await.unwrap();
    let url = emu.base_url().to_owned();
    let (env, cli_auth) = tokio::task::spawn_blocking(move || {
        (
            without_azure(&["--base-url", &url, "--auth", "env", "get"]),
            without_azure(&["--base-url", &url, "--auth", "cli", "get"]),
        )
    })
    .await
    .unwrap();
    // `env` names the first variable it lacks.
    assert_eq!(env.status.code(), Some(3), "{}", stderr(&env));
    assert!(stderr(&env).contains("AZURE_TENANT_ID"), "{}", stderr(&env));
    // `cli` (the default) finds no `az`/`azd` to ask.
    assert_eq!(cli_auth.status.code(), Some(3), "{}", stderr(&cli_auth));
    assert!(
        stderr(&cli_auth).starts_with("error: "),
        "{}",
        stderr(&cli_auth)
    );
    assert!(emu.requests().is_empty());
    emu.shutdown().await.unwrap();
}

#[test]
fn a_token_on_the_command_line_is_refused_and_not_echoed() {
    let out = offline(&["--auth", "eyJ0eXAiOiJKV1Qi.payload.signature", "get"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("never taken on the command line"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("eyJ0eXAi"), "{}", stderr(&out));
    // And there is no flag for one.
    let out = offline(&["--token", "abc", "get"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
