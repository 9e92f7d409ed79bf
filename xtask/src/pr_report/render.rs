//! The report as Markdown: a verdict line first (the lines CI prints when it fails), then one
//! short section per concern. Breaking changes stay in view; everything a reviewer reads only
//! for reference (non-breaking changes, long lists, generated files) folds into `<details>`.

use super::overlays::Edit;
use super::{BREAKING_LABEL, FileChange, PrReport, VersionChange};
use generator::diff::{Change, table};
use std::fmt::Write;

/// Rows of a reference list (spec files, overlay actions) shown before it folds away.
const FOLD_AFTER: usize = 5;

/// Rows of a breaking-change table shown before it folds away: these need a decision, so
/// more of them stay in view.
const FOLD_BREAKING_AFTER: usize = 10;

/// Longest overlay description quoted, in characters.
const DESCRIPTION_CHARS: usize = 100;

/// The first clause of an overlay description (up to `;`), whitespace collapsed, cut at a
/// word boundary when still longer than [`DESCRIPTION_CHARS`]; `…` marks a cut.
fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let (clause, cut) = match text.split_once("; ") {
        Some((first, _)) => (first, true),
        None => (text.as_str(), false),
    };
    match clause.char_indices().nth(DESCRIPTION_CHARS) {
        Some((at, _)) => {
            let head = &clause[..at];
            let head = head.rsplit_once(' ').map_or(head, |(words, _)| words);
            format!("{}…", head.trim_end_matches([',', ':', ' ']))
        }
        None if cut => format!("{clause}…"),
        None => clause.to_owned(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `<details>` with `summary` (HTML: Markdown is not rendered inside `<summary>`) around `body`.
fn folded(out: &mut String, summary: &str, body: &str) {
    let _ = write!(
        out,
        "<details><summary>{summary}</summary>\n\n{body}\n</details>\n\n"
    );
}

/// `body` as it is, or folded when it has more than `limit` rows.
fn fold(out: &mut String, rows: usize, limit: usize, summary: &str, body: &str) {
    if rows > limit {
        folded(out, summary, body);
    } else {
        let _ = writeln!(out, "{body}");
    }
}

fn file_table(files: &[FileChange]) -> String {
    let mut table = String::from("| File | Change | Lines |\n|---|---|---|\n");
    for f in files {
        let _ = writeln!(
            table,
            "| `{}` | {} | −{} +{} |",
            f.path, f.status, f.removed, f.added
        );
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
        "**{}** to the generated Rust API ({}). A pull request with breaking changes needs \
         the `{BREAKING_LABEL}` label.\n\n",
        plural(total, "breaking change", "breaking changes"),
        per_version.join(", ")
    );
}

fn compared(out: &mut String, version: &str, breaking: &[&Change], non_breaking: &[&Change]) {
    if breaking.is_empty() && non_breaking.is_empty() {
        let _ = write!(out, "**{version}**: no change.\n\n");
        return;
    }
    let _ = write!(
        out,
        "**{version}**: {} breaking, {} non-breaking.\n\n",
        breaking.len(),
        non_breaking.len()
    );
    if !breaking.is_empty() {
        let summary = format!(
            "{version}: {}",
            plural(breaking.len(), "breaking change", "breaking changes")
        );
        let body = table(breaking.iter().copied());
        fold(out, breaking.len(), FOLD_BREAKING_AFTER, &summary, &body);
    }
    if !non_breaking.is_empty() {
        // Non-breaking changes need no decision: always folded.
        let summary = format!(
            "{version}: {}",
            plural(
                non_breaking.len(),
                "non-breaking change",
                "non-breaking changes"
            )
        );
        folded(out, &summary, &table(non_breaking.iter().copied()));
    }
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
                let _ = write!(
                    out,
                    "**{version}**: removed, with every call in it (breaking).\n\n"
                );
            }
            VersionChange::Compared(diff) => {
                let breaking: Vec<&Change> = diff.breaking().collect();
                let non_breaking: Vec<&Change> = diff.non_breaking().collect();
                compared(out, version, &breaking, &non_breaking);
            }
        }
    }
}

fn overlay_edits(out: &mut String, path: &str, edits: &[super::ActionEdit]) {
    if edits.is_empty() {
        let _ = write!(
            out,
            "`{path}`: no action changed (comments or layout only).\n\n"
        );
        return;
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
    let count = plural(edits.len(), "overlay action", "overlay actions");
    if edits.len() > FOLD_AFTER {
        folded(out, &format!("<code>{path}</code>: {count}"), &list);
    } else {
        let _ = write!(out, "`{path}`: {count}\n\n{list}\n");
    }
}

fn spec(out: &mut String, report: &PrReport) {
    out.push_str("### Spec\n\n");
    if report.spec_files.is_empty() {
        out.push_str("No file under `spec/` changed.\n\n");
        return;
    }
    let count = report.spec_files.len();
    fold(
        out,
        count,
        FOLD_AFTER,
        &plural(count, "spec file", "spec files"),
        &file_table(&report.spec_files),
    );
    for (path, edits) in &report.overlays {
        overlay_edits(out, path, edits);
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
    folded(out, &summary, &file_table(&report.generated));
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
        plural(
            report.pending.len(),
            "pending snapshot",
            "pending snapshots"
        )
    );
    for path in &report.pending {
        let _ = writeln!(out, "- `{path}`");
    }
}

pub fn markdown(report: &PrReport) -> String {
    let mut out = format!(
        "## Pull request report: `{}` → `{}`\n\n",
        report.base, report.head
    );
    verdict(&mut out, report);
    api(&mut out, report);
    spec(&mut out, report);
    generated(&mut out, report);
    pending(&mut out, report);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_keep_their_first_clause() {
        assert_eq!(shorten("Short.\n  Two lines."), "Short. Two lines.");
        assert_eq!(shorten("First clause; second clause."), "First clause…");
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        let long = format!("{} tail", "word ".repeat(30));
        let short = shorten(&long);
        assert!(short.ends_with("word…"), "{short}");
        assert!(short.chars().count() <= DESCRIPTION_CHARS + 1, "{short}");
    }

    #[test]
    fn long_lists_fold_and_short_ones_do_not() {
        let mut out = String::new();
        fold(&mut out, 2, FOLD_AFTER, "two rows", "| a |\n| b |\n");
        assert_eq!(out, "| a |\n| b |\n\n");
        out.clear();
        fold(&mut out, 6, FOLD_AFTER, "six rows", "rows\n");
        assert_eq!(
            out,
            "<details><summary>six rows</summary>\n\nrows\n\n</details>\n\n"
        );
    }
}
