//! The report as Markdown for a pull-request comment, rendered with askama.

use super::{Change, Report, rules};
use askama::Template;

#[derive(Template)]
#[template(path = "api_diff.md", escape = "none")]
struct DiffReport<'a> {
    old: &'a str,
    new: &'a str,
    breaking: Vec<Row>,
    non_breaking: Vec<Row>,
    rules: Vec<RuleRow>,
}

struct Row {
    area: &'static str,
    item: String,
    what: String,
    why: String,
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

fn row(c: &Change) -> Row {
    Row {
        area: c.area.label(),
        item: cell(&c.item),
        what: cell(&c.what),
        why: cell(c.why),
    }
}

/// Renders `report` as Markdown.
pub fn markdown(report: &Report) -> Result<String, askama::Error> {
    DiffReport {
        old: &report.old_label,
        new: &report.new_label,
        breaking: report.breaking().map(row).collect(),
        non_breaking: report.non_breaking().map(row).collect(),
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
