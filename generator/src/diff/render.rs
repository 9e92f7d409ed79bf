//! The report as Markdown for a pull-request comment, rendered with askama. [`table`] is public
//! so that other reports (the xtask's pull-request report) show changes in the same table.

use super::{Change, Report, rules};
use askama::Template;
use std::fmt::Write;

#[derive(Template)]
#[template(path = "api_diff.md", escape = "none")]
struct DiffReport<'a> {
    old: &'a str,
    new: &'a str,
    breaking: usize,
    non_breaking: usize,
    breaking_table: String,
    non_breaking_table: String,
    rules: Vec<RuleRow>,
}

struct RuleRow {
    name: &'static str,
    breaking: bool,
    why: &'static str,
}

/// Makes text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `changes` as a Markdown table (kind, item, change, why), each line ending in a newline.
pub fn table<'a>(changes: impl IntoIterator<Item = &'a Change>) -> String {
    let mut out = String::from("| Kind | Item | Change | Why |\n|---|---|---|---|\n");
    for c in changes {
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} |",
            c.area.label(),
            cell(&c.item),
            cell(&c.what),
            cell(c.why)
        );
    }
    out
}

/// Renders `report` as Markdown.
pub fn markdown(report: &Report) -> Result<String, askama::Error> {
    DiffReport {
        old: &report.old_label,
        new: &report.new_label,
        breaking: report.breaking().count(),
        non_breaking: report.non_breaking().count(),
        breaking_table: table(report.breaking()),
        non_breaking_table: table(report.non_breaking()),
        rules: rules::RULES
            .iter()
            .map(|(name, (severity, why))| RuleRow {
                name,
                breaking: *severity == super::Severity::Breaking,
                why,
            })
            .collect(),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{Area, Severity};

    #[test]
    fn table_cells_escape_pipes_and_newlines() {
        let change = Change {
            severity: Severity::Breaking,
            area: Area::Type,
            item: "A|B".into(),
            what: "two\nlines".into(),
            why: "because",
        };
        assert_eq!(
            table([&change]),
            "| Kind | Item | Change | Why |\n|---|---|---|---|\n| type | `A\\|B` | two lines | because |\n"
        );
    }
}
