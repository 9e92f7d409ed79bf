//! The report on fixtures (a changed field, a removed operation, a new version, overlay and
//! generated-file edits), the breaking-change gate, and the v1.0 → beta report as a snapshot.

use super::*;

const FIXTURE: &str = include_str!("../../tests/fixtures/pr_report/presence.yaml");
const OVERLAY: &str = include_str!("../../tests/fixtures/pr_report/overlay.yaml");
const V1: &str = "spec/v1.0/presence.yaml";

/// `text` with `from` replaced by `to`; fails if `from` is not there, so a fixture edit that
/// silently did nothing cannot make a test pass.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the fixture has no {from:?}");
    text.replacen(from, to, 1)
}

fn tree(files: &[(&str, &str)]) -> Tree {
    files
        .iter()
        .map(|(path, text)| (path.to_string(), text.to_string()))
        .collect()
}

fn report(old: &Tree, new: &Tree) -> PrReport {
    compare("main", old, "head", new, Vec::new()).unwrap()
}

fn args(fail_on_breaking: bool, labels: &str) -> PrReportArgs {
    PrReportArgs {
        base: "main".into(),
        fail_on_breaking,
        labels: labels.into(),
    }
}

#[test]
fn an_unchanged_tree_reports_nothing_to_review() {
    let old = tree(&[(V1, FIXTURE)]);
    let report = report(&old, &old);
    assert!(report.breaking().is_empty());
    let markdown = report.markdown();
    assert!(markdown.contains("**No breaking change**"), "{markdown}");
    assert!(markdown.contains("**v1.0**: no change."), "{markdown}");
    assert!(
        markdown.contains("No file under `spec/` changed."),
        "{markdown}"
    );
    assert!(
        markdown.contains("No generated file changed."),
        "{markdown}"
    );
}

#[test]
fn a_changed_field_type_is_breaking_and_named() {
    let old = tree(&[(V1, FIXTURE)]);
    let changed = edit(
        FIXTURE,
        "        activity:\n          type: string",
        "        activity:\n          type: integer",
    );
    let new = tree(&[(V1, &changed)]);
    let report = report(&old, &new);
    assert_eq!(report.breaking(), [("v1.0", 1)]);
    let markdown = report.markdown();
    assert!(
        markdown.starts_with("## Pull request report: `main` → `head`\n\n**1 breaking change** to the generated Rust API (v1.0: 1)."),
        "{markdown}"
    );
    assert!(markdown.contains("| type | `Presence` | field `activity: Option<String>` (optional) → `activity: Option<i64>`"), "{markdown}");
    assert!(
        markdown.contains("| `spec/v1.0/presence.yaml` | modified | −1 +1 |"),
        "{markdown}"
    );
}

#[test]
fn a_removed_operation_is_breaking_and_named() {
    let old = tree(&[(V1, FIXTURE)]);
    let start = FIXTURE.find("  /me/presence/setPresence:").unwrap();
    let end = FIXTURE.find("components:").unwrap();
    let without = format!("{}{}", &FIXTURE[..start], &FIXTURE[end..]);
    let new = tree(&[(V1, &without)]);
    let report = report(&old, &new);
    let markdown = report.markdown();
    assert!(!report.breaking().is_empty(), "{markdown}");
    assert!(
        markdown.contains("| operation | `set_presence` | operation removed"),
        "{markdown}"
    );
}

#[test]
fn a_new_version_is_counted_and_not_breaking() {
    let old = tree(&[(V1, FIXTURE)]);
    let new = tree(&[(V1, FIXTURE), ("spec/beta/presence.yaml", FIXTURE)]);
    let report = report(&old, &new);
    assert!(report.breaking().is_empty());
    let markdown = report.markdown();
    assert!(
        markdown.contains("**beta**: new version, 2 operations and 2 types."),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `spec/beta/presence.yaml` | added | −0 +"),
        "{markdown}"
    );
}

#[test]
fn a_removed_version_is_breaking() {
    let old = tree(&[(V1, FIXTURE), ("spec/beta/presence.yaml", FIXTURE)]);
    let new = tree(&[(V1, FIXTURE)]);
    let report = report(&old, &new);
    assert_eq!(report.breaking(), [("beta", 1)]);
    assert!(report.markdown().contains("**beta**: removed"));
}

#[test]
fn overlay_actions_generated_files_and_pending_snapshots_are_listed() {
    let generated_before = "// @generated\nfn a() {}\nfn b() {}\n";
    let generated_after = "// @generated\nfn a() {}\nfn c() {}\nfn d() {}\n";
    let old = tree(&[
        (V1, FIXTURE),
        ("generated/src/v1_0/client.rs", generated_before),
    ]);
    let new = tree(&[
        (V1, FIXTURE),
        ("spec/v1.0/overlay.yaml", OVERLAY),
        ("generated/src/v1_0/client.rs", generated_after),
    ]);
    let pending = vec!["generator/tests/snapshots/diff__x.snap.new".to_owned()];
    let report = compare("main", &old, "head", &new, pending).unwrap();
    let markdown = report.markdown();
    assert!(
        markdown.contains(
            "- added `$.components.schemas['microsoft.graph.presence'].properties.activity` \
             (update): The fixture's reason for documenting activity."
        ),
        "{markdown}"
    );
    assert!(
        markdown.contains("| `generated/src/v1_0/client.rs` | modified | −1 +2 |"),
        "{markdown}"
    );
    assert!(
        markdown.contains("1 generated file, −1 +2 lines"),
        "{markdown}"
    );
    assert!(
        markdown.contains("- `generator/tests/snapshots/diff__x.snap.new`"),
        "{markdown}"
    );
}

#[test]
fn a_spec_that_does_not_lower_is_an_error_naming_the_file_and_revision() {
    let old = tree(&[(V1, "openapi: 3.0.3\npaths: [")]);
    let new = tree(&[(V1, FIXTURE)]);
    let err = compare("main", &old, "head", &new, Vec::new()).unwrap_err();
    assert!(err.contains("spec/v1.0/presence.yaml @ main"), "{err}");
}

fn breaking_report() -> PrReport {
    let old = tree(&[(V1, FIXTURE)]);
    let changed = edit(
        FIXTURE,
        "          type: string\n    setPresenceRequest",
        "          type: integer\n    setPresenceRequest",
    );
    report(&old, &tree(&[(V1, &changed)]))
}

#[test]
fn the_gate_fails_an_unlabelled_breaking_change_with_the_reports_first_lines() {
    let report = breaking_report();
    let markdown = report.markdown();
    let why = gate(&report, &markdown, &args(true, "docs")).unwrap();
    assert!(why.contains("no `breaking` label"), "{why}");
    assert!(why.contains("**1 breaking change**"), "{why}");
    assert!(why.lines().count() <= FIRST_LINES + 2, "{why}");
}

#[test]
fn the_gate_passes_a_labelled_or_unchecked_or_compatible_change() {
    let report = breaking_report();
    let markdown = report.markdown();
    assert_eq!(
        gate(&report, &markdown, &args(true, "docs, Breaking")),
        None
    );
    assert_eq!(gate(&report, &markdown, &args(false, "")), None);
    let same = tree(&[(V1, FIXTURE)]);
    let compatible = report_of(&same, &same);
    assert_eq!(
        gate(&compatible, &compatible.markdown(), &args(true, "")),
        None
    );
}

fn report_of(old: &Tree, new: &Tree) -> PrReport {
    report(old, new)
}

#[test]
fn labels_are_matched_whole_and_case_blind() {
    assert!(has_breaking_label("breaking"));
    assert!(has_breaking_label("docs, BREAKING "));
    assert!(!has_breaking_label("non-breaking"));
    assert!(!has_breaking_label(""));
}

/// The workspace's own files, read where the test runs.
fn workspace_file(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The workspace's spec and generated files of `version` (module `module`), filed under
/// beta's paths: v1.0 is the base that beta changes, as if beta were a pull request on v1.0.
fn filed_as_beta(version: &str, module: &str) -> Tree {
    let mut tree = Tree::new();
    for file in ["presence.yaml", "overlay.yaml"] {
        tree.insert(
            format!("spec/beta/{file}"),
            workspace_file(&format!("spec/{version}/{file}")),
        );
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../generated/src")
        .join(module);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let text = workspace_file(&format!("generated/src/{module}/{name}"));
        tree.insert(format!("generated/src/beta/{name}"), text);
    }
    tree
}

#[test]
fn v1_0_to_beta_report() {
    let report = compare(
        "v1.0",
        &filed_as_beta("v1.0", "v1_0"),
        "beta",
        &filed_as_beta("beta", "beta"),
        Vec::new(),
    )
    .unwrap();
    insta::assert_snapshot!("v1_0_to_beta", report.markdown());
}
