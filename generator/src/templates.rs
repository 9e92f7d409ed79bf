//! Non-Rust output rendered with askama: each version module's README (its rustdoc page).

use crate::ir::{Api, Binding};
use askama::Template;

#[derive(Template)]
#[template(path = "version_readme.md", escape = "none")]
struct VersionReadme<'a> {
    header: &'a str,
    version: &'a str,
    base_path: &'a str,
    operation_count: usize,
    rows: Vec<Row>,
}

struct Row {
    method: String,
    http: &'static str,
    action: String,
    paths: String,
    permissions: String,
    clouds: String,
}

/// Joins the distinct values of `f` over the bindings, in first-seen order.
fn distinct(bindings: &[Binding], f: impl Fn(&Binding) -> String) -> String {
    let mut seen: Vec<String> = Vec::new();
    for b in bindings {
        let v = f(b);
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    seen.join("; ")
}

pub fn version_readme(api: &Api, header: &str) -> Result<String, askama::Error> {
    let rows = api
        .operations
        .iter()
        .map(|op| Row {
            method: op.method_name.trim_start_matches("r#").to_owned(),
            http: op.http_method.as_str(),
            action: op.action.clone(),
            paths: op
                .bindings
                .iter()
                .map(|b| format!("`{}`", b.path))
                .collect::<Vec<_>>()
                .join("<br>"),
            permissions: distinct(&op.bindings, |b| {
                if b.permissions.is_empty() {
                    "not stated".to_owned()
                } else {
                    b.permissions
                        .iter()
                        .map(|p| format!("{}: `{}`", p.kind.label(), p.least))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            }),
            clouds: distinct(&op.bindings, |b| match &b.clouds {
                None => "not stated".to_owned(),
                Some(c) if c.is_empty() => "none".to_owned(),
                Some(c) => c.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
            }),
        })
        .collect();
    VersionReadme {
        header,
        version: &api.version,
        base_path: &api.base_path,
        operation_count: api.operations.len(),
        rows,
    }
    .render()
}
