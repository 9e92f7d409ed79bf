//! `cargo xtask pr-report` as CI runs it: in a git repository, against a base commit, with the
//! pull request's labels. Each test builds its own small repository in a temporary directory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = include_str!("fixtures/pr_report/presence.yaml");

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        // No user configuration is assumed: identity and signing are set per call.
        .args([
            "-c",
            "user.name=pr-report test",
            "-c",
            "user.email=pr-report@example.invalid",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, relative: &str, contents: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

/// A repository whose one commit (`main`) holds the fixture spec, one generated file and one
/// hand-written file in the generated crate.
fn repository(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pr-report-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    write(&dir, "Cargo.toml", "[workspace]\nmembers = []\n");
    write(&dir, "spec/v1.0/presence.yaml", FIXTURE);
    write(&dir, "generated/src/v1_0/mod.rs", "// @generated\nmod a;\n");
    write(&dir, "generated/src/lib.rs", "//! Hand-written.\n");
    git(&dir, &["init", "--quiet", "--initial-branch=main"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "--quiet", "-m", "base"]);
    dir
}

/// Makes `activity` an integer in the working tree: a breaking change of `Presence`.
fn break_the_api(dir: &Path) {
    let changed = FIXTURE.replacen(
        "        activity:\n          type: string",
        "        activity:\n          type: integer",
        1,
    );
    assert_ne!(changed, FIXTURE, "the fixture edit no longer applies");
    write(dir, "spec/v1.0/presence.yaml", &changed);
    write(
        dir,
        "generated/src/v1_0/mod.rs",
        "// @generated\nmod a;\nmod b;\n",
    );
    write(dir, "generated/src/lib.rs", "//! Hand-written, changed.\n");
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

#[test]
fn an_unlabelled_breaking_change_fails_with_the_reports_first_lines() {
    let dir = repository("unlabelled");
    break_the_api(&dir);
    let out = xtask(
        &dir,
        &[
            "pr-report",
            "--base",
            "main",
            "--fail-on-breaking",
            "--labels",
            "docs,ci",
        ],
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("has no `breaking` label"), "{stderr}");
    assert!(stderr.contains("**1 breaking change**"), "{stderr}");
    // The whole report still goes to stdout, for the job summary.
    assert!(
        stdout.starts_with("## Pull request report: `main` → `working tree`"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| `generated/src/v1_0/mod.rs` | modified | −0 +1 |"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("generated/src/lib.rs"),
        "hand-written file listed:\n{stdout}"
    );
}

#[test]
fn a_labelled_breaking_change_passes_and_still_reports() {
    let dir = repository("labelled");
    break_the_api(&dir);
    let out = xtask(
        &dir,
        &[
            "pr-report",
            "--base",
            "main",
            "--fail-on-breaking",
            "--labels",
            "docs,breaking",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("**1 breaking change**"));
}

#[test]
fn a_compatible_change_passes_the_gate() {
    let dir = repository("compatible");
    let out = xtask(&dir, &["pr-report", "--base", "main", "--fail-on-breaking"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("**No breaking change**"));
}

#[test]
fn an_unknown_base_is_a_clear_error() {
    let dir = repository("unknown-base");
    let out = xtask(&dir, &["pr-report", "--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: --base no-such-branch: no such commit in "),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "a report was printed for an unknown base"
    );
}

#[test]
fn the_report_starts_from_the_merge_base_not_the_bases_newer_commits() {
    let dir = repository("merge-base");
    git(&dir, &["checkout", "--quiet", "-b", "feature"]);
    git(&dir, &["checkout", "--quiet", "main"]);
    // `main` moves on after the branch left it: a new version the branch does not have.
    write(&dir, "spec/beta/presence.yaml", FIXTURE);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "--quiet", "-m", "beta on main"]);
    git(&dir, &["checkout", "--quiet", "feature"]);

    let out = xtask(&dir, &["pr-report", "--base", "main", "--fail-on-breaking"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        stdout.starts_with("## Pull request report: `main (merge base "),
        "{stdout}"
    );
    assert!(
        !stdout.contains("beta"),
        "main's newer commit shows as reverted:\n{stdout}"
    );
}
