//! The retry loop against arbitrary statuses and `Retry-After` headers, over loopback: every call
//! ends (no panic, no hang), within the policy's attempt and wait budgets, with the last answer.
//! 64 cases by default; `PROPTEST_CASES=2000 cargo test -p msgraph-presence --test retry_fuzz`
//! for more.

mod support;

use msgraph_presence::runtime::RetryPolicy;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::time::{Duration, SystemTime};
use support::{Reply, Server, Waits, presence_json};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// `Retry-After` values: sane, huge, signed, dated, and junk (printable ASCII only: a header
/// value cannot carry a line break).
fn retry_after() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        any::<u64>().prop_map(|n| Some(n.to_string())),
        (0u64..400).prop_map(|n| Some(n.to_string())),
        "[0-9]{20,40}".prop_map(Some),
        "[+-][0-9]{1,25}".prop_map(Some),
        (0u64..=253_402_300_799).prop_map(|secs| Some(httpdate::fmt_http_date(
            SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
        ))),
        "[ -~]{0,30}".prop_map(Some),
    ]
}

fn answer() -> impl Strategy<Value = (u16, Option<String>)> {
    (
        prop::sample::select(vec![200u16, 429, 429, 503, 503, 504, 500, 404]),
        retry_after(),
    )
}

#[test]
fn every_call_ends_within_its_budgets() {
    let tokio = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let policy = RetryPolicy::default();
    let mut runner = TestRunner::new(config());
    runner
        .run(&prop::collection::vec(answer(), 1..8), |answers| {
            let (outcome, sent, waits) = tokio.block_on(call_against(answers.clone()));
            // Attempts: the first send plus at most the policy's retries.
            prop_assert!(sent <= policy.retries() as usize + 1, "{sent} sends");
            prop_assert!(
                waits.iter().sum::<Duration>() <= policy.total_wait_budget(),
                "waits {waits:?}"
            );
            prop_assert_eq!(waits.len() + 1, sent);
            // The outcome is the last answer the server gave.
            let (last_status, _) = &answers.get(sent - 1).cloned().unwrap_or((200, None));
            match outcome {
                Ok(()) => prop_assert_eq!(*last_status, 200),
                Err(status) => prop_assert_eq!(Some(*last_status), status),
            }
            Ok(())
        })
        .unwrap();
}

/// One presence read against a server giving `answers` in turn (then 200): the outcome, how
/// many requests arrived, and the waits the client asked for (recorded, not slept).
async fn call_against(
    answers: Vec<(u16, Option<String>)>,
) -> (Result<(), Option<u16>>, usize, Vec<Duration>) {
    let server = Server::start(move |n, _| match answers.get(n) {
        Some((200, _)) | None => Reply::json(200, presence_json("u1", "Busy")),
        Some((status, header)) => {
            let reply = Reply::status(*status);
            match header {
                Some(value) => reply.header("Retry-After", value),
                None => reply,
            }
        }
    })
    .await;
    let waits = Waits::default();
    let client = waits.install(server.builder()).build().unwrap();
    let outcome = client
        .v1_0()
        .user("u1")
        .presence()
        .get()
        .await
        .map(|_| ())
        .map_err(|e| e.status());
    (outcome, server.requests().len(), waits.all())
}
