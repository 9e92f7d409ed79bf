//! `cargo xtask pr-report --base <rev>`: what a pull request changes, as one Markdown document
//! for its job summary: the API change per version (the `diff` task's classification), the
//! spec files and overlay actions that changed, the generated files with line counts, and
//! pending snapshots. With `--fail-on-breaking` a breaking change fails (exit status 3)
//! unless `--labels` holds `breaking`.
//!
//! [`tree`] reads the two sides, [`compare`] is the pure comparison the tests drive with
//! fixtures, [`render`] writes the Markdown.

mod overlays;
mod render;
mod tree;

pub use overlays::ActionEdit;
pub use tree::Tree;

use crate::diff::lower;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;

/// Exit status of a breaking change without the `breaking` label.
pub const EXIT_BREAKING: u8 = 3;

/// The label that acknowledges a breaking change.
pub const BREAKING_LABEL: &str = "breaking";

/// Lines of the report printed to stderr when it fails the run.
const FIRST_LINES: usize = 20;

/// Summarise what the working tree changes against a git revision, for a pull request.
#[derive(clap::Args, Debug, Clone)]
pub struct PrReportArgs {
    /// The revision to compare with, e.g. the pull request's target branch; the report
    /// starts from its merge base with HEAD, as `git diff REV...` does.
    #[arg(long, value_name = "REV")]
    pub base: String,
    /// Exit with status 3 (and the report's first lines on stderr) when a change is breaking,
    /// unless --labels names `breaking`.
    #[arg(long)]
    pub fail_on_breaking: bool,
    /// The pull request's labels, comma-separated (e.g. from the workflow's event).
    #[arg(long, value_name = "A,B", default_value = "")]
    pub labels: String,
}

/// How one file differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub status: &'static str,
    pub removed: usize,
    pub added: usize,
}

/// What happened to one API version.
#[derive(Debug, Clone)]
pub enum VersionChange {
    Compared(generator::diff::Report),
    Added { operations: usize, types: usize },
    Removed,
}

/// Everything the report says.
#[derive(Debug, Clone)]
pub struct PrReport {
    pub base: String,
    pub head: String,
    /// Per version directory name (`v1.0`), sorted.
    pub versions: Vec<(String, VersionChange)>,
    pub spec_files: Vec<FileChange>,
    /// Per overlay file that changed, its action edits.
    pub overlays: Vec<(String, Vec<ActionEdit>)>,
    pub generated: Vec<FileChange>,
    pub pending: Vec<String>,
}

impl PrReport {
    /// Breaking changes per version, only versions with some; a removed version counts once.
    pub fn breaking(&self) -> Vec<(&str, usize)> {
        self.versions
            .iter()
            .filter_map(|(version, change)| {
                let n = match change {
                    VersionChange::Compared(report) => report.breaking().count(),
                    VersionChange::Added { .. } => 0,
                    VersionChange::Removed => 1,
                };
                (n > 0).then_some((version.as_str(), n))
            })
            .collect()
    }

    pub fn markdown(&self) -> String {
        render::markdown(self)
    }
}

/// `spec/<version>/<document>` of every version in `tree` (overlays are not documents).
fn documents(tree: &Tree) -> Vec<(String, &str)> {
    tree.keys()
        .filter_map(|path| {
            let mut parts = path.split('/');
            let (Some("spec"), Some(version), Some(file), None) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return None;
            };
            let is_document = [".yaml", ".yml", ".json"].iter().any(|e| file.ends_with(e))
                && !generator::is_spec_companion(std::path::Path::new(file));
            is_document.then(|| (version.to_owned(), path.as_str()))
        })
        .collect()
}

fn file_changes(old: &Tree, new: &Tree, filter: impl Fn(&str) -> bool) -> Vec<FileChange> {
    let paths: BTreeSet<&String> = old.keys().chain(new.keys()).filter(|p| filter(p)).collect();
    paths
        .into_iter()
        .filter_map(|path| {
            let (status, before, after) = match (old.get(path), new.get(path)) {
                (Some(a), Some(b)) if a == b => return None,
                (Some(a), Some(b)) => ("modified", a.as_str(), b.as_str()),
                (Some(a), None) => ("removed", a.as_str(), ""),
                (None, Some(b)) => ("added", "", b.as_str()),
                (None, None) => return None,
            };
            let (removed, added) = tree::line_counts(before, after);
            Some(FileChange {
                path: path.clone(),
                status,
                removed,
                added,
            })
        })
        .collect()
}

/// Compares two trees; `base` and `head` name them in the report.
pub fn compare(
    base: &str,
    old: &Tree,
    head: &str,
    new: &Tree,
    pending: Vec<String>,
) -> Result<PrReport, String> {
    let old_docs = documents(old);
    let new_docs = documents(new);
    let versions: BTreeSet<&String> = old_docs.iter().chain(&new_docs).map(|(v, _)| v).collect();
    let find = |docs: &[(String, &'_ str)], version: &str| {
        docs.iter()
            .find(|(v, _)| v == version)
            .map(|(_, p)| p.to_string())
    };
    let mut version_changes = Vec::new();
    for version in versions {
        let module = generator::module_name(version);
        let change = match (find(&old_docs, version), find(&new_docs, version)) {
            (Some(before), Some(after)) => {
                let old_api = lower(&module, &format!("{before} @ {base}"), &old[&before])?;
                let new_api = lower(&module, &after, &new[&after])?;
                VersionChange::Compared(generator::diff::diff(
                    &format!("{version} @ {base}"),
                    &old_api,
                    &format!("{version} @ {head}"),
                    &new_api,
                ))
            }
            (None, Some(after)) => {
                let api = lower(&module, &after, &new[&after])?;
                VersionChange::Added {
                    operations: api.operations.len(),
                    types: api.types.len(),
                }
            }
            (Some(_), None) => VersionChange::Removed,
            (None, None) => continue,
        };
        version_changes.push((version.clone(), change));
    }
    let spec_files = file_changes(old, new, |p| p.starts_with("spec/"));
    let mut overlays = Vec::new();
    for file in &spec_files {
        if file
            .path
            .ends_with(&format!("/{}", generator::overlay::OVERLAY_FILE))
        {
            let edits = overlays::compare(
                &file.path,
                old.get(&file.path).map(String::as_str),
                new.get(&file.path).map(String::as_str),
            )?;
            overlays.push((file.path.clone(), edits));
        }
    }
    Ok(PrReport {
        base: base.to_owned(),
        head: head.to_owned(),
        versions: version_changes,
        spec_files,
        overlays,
        generated: file_changes(old, new, |p| !p.starts_with("spec/")),
        pending,
    })
}

/// Runs the task in the workspace at `root`: the report on stdout; with `--fail-on-breaking`,
/// an unlabelled breaking change also prints why and the report's first lines on stderr.
pub fn run(root: &Path, args: &PrReportArgs) -> Result<ExitCode, String> {
    let base = tree::base(root, &args.base)?;
    let old = tree::at_commit(root, &base.commit)?;
    let new = tree::working(root)?;
    let report = compare(
        &base.label,
        &old,
        "working tree",
        &new,
        tree::pending_snapshots(root),
    )?;
    let markdown = report.markdown();
    print!("{markdown}");
    match gate(&report, &markdown, args) {
        None => Ok(ExitCode::SUCCESS),
        Some(why) => {
            eprintln!("{why}");
            Ok(ExitCode::from(EXIT_BREAKING))
        }
    }
}

/// Whether `labels` (comma-separated, as the workflow passes them) holds [`BREAKING_LABEL`].
fn has_breaking_label(labels: &str) -> bool {
    labels
        .split(',')
        .any(|label| label.trim().eq_ignore_ascii_case(BREAKING_LABEL))
}

/// Why the run fails, or `None` when it passes: with `--fail-on-breaking`, a breaking change
/// without the `breaking` label fails, and the message quotes the report's first lines (CI
/// logs show stderr; the full report goes to the job summary).
pub fn gate(report: &PrReport, markdown: &str, args: &PrReportArgs) -> Option<String> {
    if !args.fail_on_breaking || report.breaking().is_empty() || has_breaking_label(&args.labels) {
        return None;
    }
    let mut why = format!(
        "error: this change breaks the generated API and the pull request has no \
         `{BREAKING_LABEL}` label; add the label if the break is intended. The report begins:\n"
    );
    for line in markdown.lines().take(FIRST_LINES) {
        why.push('\n');
        why.push_str(line);
    }
    Some(why)
}

#[cfg(test)]
mod tests;
