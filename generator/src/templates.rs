//! Non-Rust output rendered with askama: each version module's README (its rustdoc page).

use crate::ir::{Api, Binding};
use askama::Template;

#[derive(Template)]
#[template(path = "version_readme.md", escape = "none")]
struct VersionReadme<'a> {
    header: &'a str,
    version: &'a str,
    /// What the API is about: `presence`, `directory`.
    subject: &'a str,
    /// The sentence showing a path and the builder call it reads as.
    example: String,
    base_path: &'a str,
    operation_count: usize,
    rows: Vec<Row>,
}

struct Row {
    call: String,
    /// Intra-doc link to the method, e.g. `UserPresence::set_presence`.
    link: String,
    http: &'static str,
    path: String,
    permissions: String,
    clouds: String,
}

pub fn version_readme(api: &Api, header: &str) -> Result<String, askama::Error> {
    let mut rows: Vec<Row> = api
        .operations
        .iter()
        .flat_map(|op| {
            op.bindings.iter().map(move |b| Row {
                call: b.call.clone(),
                link: format!(
                    "{}::{}",
                    api.nodes[b.node].type_name.name,
                    b.method.to_source()
                ),
                http: op.http_method.as_str(),
                path: b.path.clone(),
                permissions: permissions(b),
                clouds: match &b.clouds {
                    None => "not stated".to_owned(),
                    Some(c) if c.is_empty() => "none".to_owned(),
                    Some(c) => c.iter().map(|c| c.label()).collect::<Vec<_>>().join(", "),
                },
            })
        })
        .collect();
    rows.sort_by(|a, b| a.call.cmp(&b.call));
    let subject = subject(&api.title);
    VersionReadme {
        header,
        version: &api.version,
        subject,
        example: example(subject, &rows),
        base_path: &api.base_path,
        operation_count: api.operations.len(),
        rows,
    }
    .render()
}

/// `Microsoft Graph directory` → `directory`. Any other title keeps the wording every module had
/// before there was more than presence, so their READMEs do not change.
fn subject(title: &str) -> &str {
    title
        .strip_prefix("Microsoft Graph ")
        .filter(|rest| !rest.is_empty())
        .unwrap_or("presence")
}

/// The presence example, or for another subject the first call with a path parameter.
fn example(subject: &str, rows: &[Row]) -> String {
    const PRESENCE: &str = "`/users/{user-id}/presence` is\n`user(user_id).presence()`";
    if subject == "presence" {
        return PRESENCE.to_owned();
    }
    rows.iter().find(|row| row.path.contains('{')).map_or_else(
        || PRESENCE.to_owned(),
        |row| {
            let call = row.call.split("(&").next().unwrap_or(&row.call);
            let call = if call.ends_with(')') {
                call.to_owned()
            } else {
                format!("{call}(..)")
            };
            format!("`{}` is\n`{call}`", row.path)
        },
    )
}

fn permissions(b: &Binding) -> String {
    if b.permissions.is_empty() {
        return "not stated".to_owned();
    }
    b.permissions
        .iter()
        .map(|p| format!("{}: `{}`", p.kind.label(), p.least))
        .collect::<Vec<_>>()
        .join(", ")
}
