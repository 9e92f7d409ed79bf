//! The GitHub workflow cannot run on this machine, so its YAML is checked here: it parses, runs
//! `.ci/run` on pushes and pull requests, and on pull requests calls `cargo xtask pr-report`
//! with a base and flags the xtask really has, from a clone deep enough to hold the base.

use serde_yaml::Value;
use std::path::Path;
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn workflow() -> Value {
    let path = repo().join(".github/workflows/ci.yml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn steps(workflow: &Value) -> Vec<&Value> {
    let jobs = workflow["jobs"].as_mapping().expect("a `jobs` mapping");
    jobs.values()
        .flat_map(|job| job["steps"].as_sequence().expect("each job has steps"))
        .collect()
}

fn run_of(step: &Value) -> &str {
    step["run"].as_str().unwrap_or("")
}

fn condition_of(step: &Value) -> &str {
    step["if"].as_str().unwrap_or("")
}

/// The one step whose `run` contains `needle`.
fn step_running<'a>(steps: &[&'a Value], needle: &str) -> &'a Value {
    let found: Vec<&Value> = steps
        .iter()
        .copied()
        .filter(|s| run_of(s).contains(needle))
        .collect();
    assert_eq!(found.len(), 1, "steps running {needle:?}: {found:?}");
    found[0]
}

#[test]
fn it_runs_on_pushes_and_pull_requests_including_label_changes() {
    let workflow = workflow();
    let on = &workflow["on"];
    let events = on.as_mapping().expect("`on` is a mapping of events");
    assert!(events.contains_key("push"), "{on:?}");
    let types: Vec<&str> = on["pull_request"]["types"]
        .as_sequence()
        .expect("pull_request types")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for wanted in ["opened", "synchronize", "labeled", "unlabeled"] {
        assert!(
            types.contains(&wanted),
            "pull_request types lack {wanted}: {types:?}"
        );
    }
}

#[test]
fn every_event_runs_the_ci_script_which_exists() {
    let workflow = workflow();
    let steps = steps(&workflow);
    let ci = step_running(&steps, ".ci/run");
    assert_eq!(run_of(ci).trim(), ".ci/run");
    assert!(
        !condition_of(ci).contains("pull_request"),
        ".ci/run must run on pushes too: {}",
        condition_of(ci)
    );
    assert!(repo().join(".ci/run").is_file());
}

#[test]
fn the_clone_holds_the_merge_base() {
    let workflow = workflow();
    let steps = steps(&workflow);
    let checkout = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/checkout@"))
        })
        .expect("a checkout step");
    assert_eq!(checkout["with"]["fetch-depth"].as_u64(), Some(0));
}

#[test]
fn pull_requests_get_the_report_in_the_summary_and_the_gate_with_their_labels() {
    let workflow = workflow();
    let steps = steps(&workflow);
    let report = step_running(&steps, "cargo xtask pr-report");
    let run = run_of(report);
    assert!(condition_of(report).contains("github.event_name == 'pull_request'"));
    assert!(run.contains(r#"--base "$BASE_SHA""#), "{run}");
    assert!(run.contains(r#"--labels "$LABELS""#), "{run}");
    assert!(run.contains("--fail-on-breaking"), "{run}");
    assert!(
        run.trim_end().ends_with(r#">> "$GITHUB_STEP_SUMMARY""#),
        "{run}"
    );
    let env = &report["env"];
    assert_eq!(
        env["BASE_SHA"].as_str(),
        Some("${{ github.event.pull_request.base.sha }}")
    );
    // Comma-joined, as `--labels` splits them.
    assert_eq!(
        env["LABELS"].as_str(),
        Some("${{ join(github.event.pull_request.labels.*.name, ',') }}")
    );
}

#[test]
fn every_flag_the_workflow_passes_to_the_xtask_exists() {
    let workflow = workflow();
    let steps = steps(&workflow);
    let run = run_of(step_running(&steps, "cargo xtask pr-report"));
    let help = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(repo())
        .args(["pr-report", "--help"])
        .output()
        .unwrap();
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    let flags: Vec<&str> = run
        .split_whitespace()
        .filter(|word| word.starts_with("--"))
        .collect();
    assert!(flags.len() >= 3, "{run}");
    for flag in flags {
        assert!(help.contains(flag), "the xtask has no {flag}:\n{help}");
    }
}
