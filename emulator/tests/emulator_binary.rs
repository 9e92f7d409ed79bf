//! The standalone `presence-emulator` binary, run as a process: it prints its base URL first,
//! serves the API, and exits 0 when stdin closes or on SIGTERM.

use msgraph_presence::{Client, v1_0};
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

fn spawn(args: &[&str]) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_presence-emulator"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).expect("a first line");
    (child, stdout, first.trim_end().to_owned())
}

/// Waits (bounded) for the process to end, killing it if it does not.
fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("presence-emulator did not exit");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test]
async fn serves_until_stdin_closes() {
    let (mut child, _stdout, base_url) = spawn(&["--user", "me-42"]);
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token("any")
        .build()
        .unwrap();
    let body = v1_0::models::SetPresenceRequest {
        session_id: "app".into(),
        availability: v1_0::models::Availability::Busy,
        activity: v1_0::models::Activity::InACall,
        expiration_duration: None,
        additional_properties: Default::default(),
    };
    client
        .v1_0()
        .user("me-42")
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
    let me = client.v1_0().me().presence().get().await.unwrap();
    assert_eq!(me.id.as_deref(), Some("me-42"));
    assert_eq!(me.activity, Some(v1_0::models::Activity::InACall));
    let beta = client.beta().me().presence().get().await.unwrap();
    assert_eq!(
        beta.activity,
        Some(msgraph_presence::beta::models::Activity::InACall)
    );

    drop(child.stdin.take());
    let status = wait_for_exit(&mut child);
    assert!(status.success(), "{status:?}");
    assert!(
        reqwest::get(format!("{base_url}/v1.0/me/presence"))
            .await
            .is_err(),
        "the port is closed after exit"
    );
}

#[cfg(unix)]
#[test]
fn stops_cleanly_on_sigterm_and_sigint() {
    for signal in ["-TERM", "-INT"] {
        let (mut child, _stdout, base_url) = spawn(&["--manual-clock"]);
        assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
        let sent = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let status = wait_for_exit(&mut child);
        assert!(status.success(), "{signal}: {status:?}");
    }
}

#[test]
fn binds_the_requested_port_and_rejects_bad_arguments() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (mut child, _stdout, base_url) = spawn(&["--port", &port.to_string()]);
    assert_eq!(base_url, format!("http://127.0.0.1:{port}"));
    drop(child.stdin.take());
    assert!(wait_for_exit(&mut child).success());

    let output = Command::new(env!("CARGO_BIN_EXE_presence-emulator"))
        .args(["--port", "not-a-port"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("not-a-port"));

    let help = Command::new(env!("CARGO_BIN_EXE_presence-emulator"))
        .arg("--help")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    for flag in ["--port", "--user", "--manual-clock"] {
        assert!(text.contains(flag), "--help lists {flag}:\n{text}");
    }
}
