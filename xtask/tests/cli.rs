//! The xtask binary as a user runs it: which workspace it works on, its `--help`, and what
//! `codegen` refuses to write.
//!
//! The workspace bug this guards against: one xtask binary (shared through a common target
//! directory) used the workspace it was compiled in, so running it in a second checkout read
//! and rewrote the first checkout's files. Here one binary runs in several temporary
//! workspaces and must touch only the one it runs in.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The real workspace, where the fixtures are copied from.
fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// What `codegen` reads besides `spec/`: the test-output crate's inputs.
const INPUTS: &[&str] = &[
    "generator/tests/fixtures/graph-upstream-style.yaml",
    "generator/tests/fixtures/graph-real-world-constructs.yaml",
    "generator/tests/good_specs/keywords.yaml",
    "generator/tests/good_specs/collisions.yaml",
    "generator/tests/good_specs/recursive.yaml",
    "generator/tests/fixtures/directory-paging.yaml",
    "generator/tests/openapi31/status-3.1.yaml",
    "generator/tests/good_specs/unions.yaml",
    "generator/tests/good_specs/loose_responses.yaml",
];

/// A minimal workspace in a fresh temporary directory: a `[workspace]` manifest, the real
/// specs with `edit` applied to v1.0, and the test-output inputs.
fn workspace(name: &str, edit: impl Fn(String) -> String) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    let copy = |relative: &str, contents: String| {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    };
    copy("Cargo.toml", "[workspace]\nmembers = []\n".to_owned());
    let read = |relative: &str| std::fs::read_to_string(repo().join(relative)).unwrap();
    copy(
        "spec/v1.0/presence.yaml",
        edit(read("spec/v1.0/presence.yaml")),
    );
    copy("spec/beta/presence.yaml", read("spec/beta/presence.yaml"));
    for input in INPUTS {
        copy(input, read(input));
    }
    dir
}

fn xtask(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SUMMARY: &str = "Read the presence of several users in one call";

fn summary_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("generated/src/v1_0/client.rs")).unwrap()
}

#[test]
fn one_binary_in_two_checkouts_reads_and_writes_each_ones_own_files() {
    let a = workspace("checkout-a", |spec| {
        spec.replace(SUMMARY, "Checkout A summary")
    });
    let b = workspace("checkout-b", |spec| {
        spec.replace(SUMMARY, "Checkout B summary")
    });

    // From a subdirectory, as a user in `spec/` would run it.
    for dir in [&a, &b] {
        let out = xtask(&dir.join("spec/v1.0"), &["codegen"]);
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    assert!(summary_of(&a).contains("Checkout A summary"));
    assert!(!summary_of(&a).contains("Checkout B summary"));
    assert!(summary_of(&b).contains("Checkout B summary"));
    assert!(!summary_of(&b).contains("Checkout A summary"));
    assert!(
        !summary_of(repo()).contains("Checkout"),
        "the workspace the binary was built in was written to"
    );

    // A change in one checkout makes only that checkout stale.
    let spec = a.join("spec/v1.0/presence.yaml");
    let changed = std::fs::read_to_string(&spec)
        .unwrap()
        .replace("Checkout A summary", "Checkout A, changed");
    std::fs::write(&spec, changed).unwrap();
    let stale = xtask(&a, &["codegen", "--check"]);
    assert!(!stale.status.success());
    assert!(
        text(&stale.stderr).contains("stale:   v1_0/client.rs"),
        "{}",
        text(&stale.stderr)
    );
    let fresh = xtask(&b, &["codegen", "--check"]);
    assert!(fresh.status.success(), "{}", text(&fresh.stderr));
}

#[test]
fn codegen_refuses_a_spec_the_batch_helper_cannot_use_and_writes_nothing() {
    let dir = workspace("optional-ids", |spec| {
        let without = spec.replacen("              required:\n              - ids\n", "", 1);
        assert_ne!(without, spec, "the fixture edit no longer applies");
        without
    });
    let out = xtask(&dir, &["codegen"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("spec/v1.0/presence.yaml: `getPresencesByUserId` request body"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`ids` must be a required, non-nullable array of strings for the batch helper (generated/src/batch.rs); add it to the overlay"),
        "{stderr}"
    );
    assert!(!dir.join("generated").exists(), "something was written");
    assert!(
        !dir.join("spec/manifest.json").exists(),
        "the manifest was written"
    );
}

#[test]
fn outside_a_workspace_the_xtask_says_so() {
    let dir = std::env::temp_dir().join(format!("xtask-no-workspace-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = xtask(&dir, &["codegen", "--check"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: no Cargo workspace at or above "),
        "{stderr}"
    );
}

#[test]
fn every_task_answers_help_with_its_own_usage() {
    for (task, usage) in [
        ("codegen", "Usage: cargo xtask codegen [OPTIONS]"),
        ("slice", "Usage: cargo xtask slice"),
        ("diff", "Usage: cargo xtask diff [OPTIONS]"),
        (
            "pr-report",
            "Usage: cargo xtask pr-report [OPTIONS] --base <REV>",
        ),
        ("bench", "Usage: cargo xtask bench [OPTIONS]"),
    ] {
        let out = xtask(repo(), &[task, "--help"]);
        let stdout = text(&out.stdout);
        assert!(out.status.success(), "{task} --help: {}", text(&out.stderr));
        assert!(stdout.contains(usage), "{task} --help:\n{stdout}");
    }
    let out = xtask(repo(), &["--help"]);
    assert!(out.status.success());
    for task in ["codegen", "slice", "diff", "pr-report", "bench"] {
        assert!(text(&out.stdout).contains(task), "{}", text(&out.stdout));
    }
}

#[test]
fn a_wrong_invocation_fails_with_the_usage() {
    let out = xtask(repo(), &["codegen", "--chek"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("unexpected argument '--chek'"), "{stderr}");
    assert!(stderr.contains("Usage: cargo xtask codegen"), "{stderr}");
}
