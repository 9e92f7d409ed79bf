//! The report as Markdown: a verdict line first (the lines CI prints when it fails), then one
//! short section per concern; anything longer than a few rows folds into `<details>`.

use super::overlays::Edit;
use super::{BREAKING_LABEL, FileChange, PrReport, VersionChange};
use generator::diff::Change;
use std::fmt::Write;

/// Rows shown before a table folds away.
const FOLD_AFTER: usize = 5;

/// Longest overlay description quoted.
const DESCRIPTION_CHARS: usize = 120;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(DESCRIPTION_CHARS) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Wraps `body` in `<details>` when it has more than [`FOLD_AFTER`] rows.
fn fold(out: &mut String, rows: usize, summary: &str, body: &str) {
    if rows > FOLD_AFTER {
        let _ = write!(out, "<details><summary>{summary}</summary>\n\n{body}\n</details>\n\n");
    } else {
        let _ = write!(out, "{body}\n");
    }
}

fn change_table(changes: &[&Change]) -> String {
    let mut table = String::from("| Kind | Item | Change | Why |\n|---|---|---|---|\n");
    for c in changes {
        let _ = writeln!(
            table,
            "| {} | `{}` | {} | {} |",
            c.area.label(),
            cell(&c.item),
            cell(&c.what),
            cell(c.why)
        );
    }
    table
}

fn file_table(files: &[FileChange]) -> String {
    let mut table = String::from("| File | Change | Lines |\n|---|---|---|\n");
    for f in files {
        let _ = writeln!(table, "| `{}` | {} | −{} +{} |", f.path, f.status, f.removed, f.added);
    }
    table
}

fn verdict(out: &mut String, report: &PrReport) {
    let breaking = report.breaking();
    if breaking.is_empty() {
        out.push_str("**No breaking change** to the generated Rust API.\n\n");
        return;
    }
    let total: usize = breaking.iter().map(|(_, n)| n).sum();
    let per_version: Vec<String> = breaking
        .iter()
        .map(|(version, n)| format!("{version}: {n}"))
        .collect();
    let _ = write!(
        out,
        "**{}** to the generated Rust API ({}). A pull request with breaking changes needs the `{BREAKING_LABEL}` label.\n\n",
        plural(total, "breaking change", "breaking changes"),
        per_version.join(", ")
    );
}

fn api(out: &mut String, report: &PrReport) {
    out.push_str("### API changes\n\n");
    for (version, change) in &report.versions {
        match change {
            VersionChange::Added { operations, types } => {
                let _ = write!(
                    out,
                    "**{version}**: new version, {} and {}.\n\n",
                    plural(*operations, "operation", "operations"),
                    plural(*types, "type", "types")
                );
            }
            VersionChange::Removed => {
                let _ = write!(out, "**{version}**: removed, with every call in it (breaking).\n\n");
            }
            VersionChange::Compared(diff) => {
                let breaking: Vec<&Change> = diff.breaking().collect();
                let non_breaking: Vec<&Change> = diff.non_breaking().collect();
                if breaking.is_empty() && non_breaking.is_empty() {
                    let _ = write!(out, "**{version}**: no change.\n\n");
                    continue;
                }
                let _ = write!(
                    out,
                    "**{version}**: {} breaking, {} non-breaking.\n\n",
                    breaking.len(),
                    non_breaking.len()
                );
                if !breaking.is_empty() {
                    fold(
                        out,
                        breaking.len(),
                        &format!("{version}: {}", plural(breaking.len(), "breaking change", "breaking changes")),
                        &change_table(&breaking),
                    );
                }
                if !non_breaking.is_empty() {
                    // Non-breaking changes never need action: always folded.
                    let _ = write!(
                        out,
                        "<details><summary>{version}: {}</summary>\n\n{}\n</details>\n\n",
                        plural(non_breaking.len(), "non-breaking change", "non-breaking changes"),
                        change_table(&non_breaking)
                    );
                }
            }
        }
    }
}

fn spec(out: &mut String, report: &PrReport) {
    out.push_str("### Spec\n\n");
    if report.spec_files.is_empty() {
        out.push_str("No file under `spec/` changed.\n\n");
        return;
    }
    fold(
        out,
        report.spec_files.len(),
        &plural(report.spec_files.len(), "spec file", "spec files"),
        &file_table(&report.spec_files),
    );
    for (path, edits) in &report.overlays {
        if edits.is_empty() {
            let _ = write!(out, "`{path}`: no action changed (comments or layout only).\n\n");
            continue;
        }
        let mut list = String::new();
        for e in edits {
            let verb = match e.edit {
                Edit::Added => "added",
                Edit::Removed => "removed",
                Edit::Changed => "changed",
            };
            let _ = writeln!(
                list,
                "- {verb} `{}` ({}): {}",
                e.target,
                e.kind,
                shorten(&e.description)
            );
        }
        let summary = format!("`{path}`: {}", plural(edits.len(), "action", "actions"));
        if edits.len() > FOLD_AFTER {
            let _ = write!(out, "<details><summary>{summary}</summary>\n\n{list}\n</details>\n\n");
        } else {
            let _ = write!(out, "{summary}\n\n{list}\n");
        }
    }
}

fn generated(out: &mut String, report: &PrReport) {
    out.push_str("### Generated code\n\n");
    if report.generated.is_empty() {
        out.push_str("No generated file changed.\n\n");
        return;
    }
    let removed: usize = report.generated.iter().map(|f| f.removed).sum();
    let added: usize = report.generated.iter().map(|f| f.added).sum();
    let summary = format!(
        "{}, −{removed} +{added} lines",
        plural(report.generated.len(), "generated file", "generated files")
    );
    // Generated code is reviewed through the API changes above; its diff is for reference.
    let _ = write!(
        out,
        "<details><summary>{summary}</summary>\n\n{}\n</details>\n\n",
        file_table(&report.generated)
    );
}

fn pending(out: &mut String, report: &PrReport) {
    out.push_str("### Pending snapshots\n\n");
    if report.pending.is_empty() {
        out.push_str("None.\n");
        return;
    }
    let _ = write!(
        out,
        "{} (review, accept or delete before merging):\n\n",
        plural(report.pending.len(), "pending snapshot", "pending snapshots")
    );
    for path in &report.pending {
        let _ = writeln!(out, "- `{path}`");
    }
}

pub fn markdown(report: &PrReport) -> String {
    let mut out = format!("## Pull request report: `{}` → {}\n\n", report.base, report.head);
    verdict(&mut out, report);
    api(&mut out, report);
    spec(&mut out, report);
    generated(&mut out, report);
    pending(&mut out, report);
    out
}
