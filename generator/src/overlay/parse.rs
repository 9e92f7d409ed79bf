//! Reading an overlay document: shape checks that run before anything is applied, so a bad
//! overlay fails as a whole and names the action, its line and its target.

use crate::error::Error;
use crate::yaml;
use crate::yaml::{Mapping, Value};
use serde_json_path::JsonPath;

/// The overlay versions this engine implements.
const SUPPORTED_VERSIONS: &[&str] = &["1.0.0"];

/// A parsed, validated overlay document.
#[derive(Debug, Clone)]
pub struct Overlay {
    /// Name of the overlay in errors (usually its path, e.g. `spec/v1.0/overlay.yaml`).
    pub label: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// The actions, in document order.
    pub actions: Vec<Action>,
}

/// One overlay action.
#[derive(Debug, Clone)]
pub struct Action {
    /// 0-based position in `actions`.
    pub index: usize,
    /// 1-based line of the action in the overlay file, when it could be found.
    pub line: Option<usize>,
    /// The JSONPath expression as written.
    pub target: String,
    /// The parsed target.
    pub path: JsonPath,
    /// Why the action exists (required by this project's conventions, optional in the spec).
    pub description: Option<String>,
    /// What the action does to each matched node.
    pub change: Change,
}

/// What an action does.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Merge this value into each matched node.
    Update(Value),
    /// Delete each matched node from its parent.
    Remove,
}

impl Action {
    /// An error about this action, located at its line in `overlay_label`.
    pub(crate) fn error(&self, overlay_label: &str, message: impl std::fmt::Display) -> Error {
        Error::invalid(
            format!("/actions/{}", self.index),
            format!(
                "action {} (target `{}`): {message}",
                self.index, self.target
            ),
        )
        .with_file(overlay_label)
        .at(self.line, None)
    }
}

impl Overlay {
    /// Parses and validates an overlay document; `label` names it in errors.
    pub fn parse(label: &str, text: &str) -> Result<Overlay, Error> {
        let value: Value = yaml::from_str(text)
            .map_err(|e| e.located(label, text, "the overlay is not valid YAML"))?;
        let at =
            |pointer: &str, message: String| Error::invalid(pointer, message).in_file(label, text);
        let Value::Mapping(root) = value else {
            return Err(at(
                "",
                "the overlay is not a mapping, so it is not an Overlay document".into(),
            ));
        };
        let version = match root.get("overlay") {
            Some(Value::String(v)) => v.clone(),
            Some(other) => {
                return Err(at(
                    "/overlay",
                    format!(
                        "`overlay` must be a version string such as \"1.0.0\", found {}",
                        kind(other)
                    ),
                ));
            }
            None => {
                return Err(at(
                    "",
                    "no `overlay` field: an Overlay document starts with `overlay: 1.0.0`".into(),
                ));
            }
        };
        if !SUPPORTED_VERSIONS.contains(&version.as_str()) {
            return Err(at(
                "/overlay",
                format!(
                    "overlay version {version:?} is not supported; this engine implements {}",
                    SUPPORTED_VERSIONS.join(", ")
                ),
            ));
        }
        let info = match root.get("info") {
            Some(Value::Mapping(info)) => info,
            Some(other) => {
                return Err(at(
                    "/info",
                    format!("`info` must be a mapping, found {}", kind(other)),
                ));
            }
            None => {
                return Err(at(
                    "",
                    "no `info` mapping (with `title` and `version`)".into(),
                ));
            }
        };
        let title = required_string(info, "title").map_err(|m| at("/info", m))?;
        let info_version = required_string(info, "version").map_err(|m| at("/info", m))?;
        let actions = match root.get("actions") {
            Some(Value::Sequence(actions)) if !actions.is_empty() => actions,
            Some(Value::Sequence(_)) => return Err(at("/actions", "`actions` is empty".into())),
            Some(other) => {
                return Err(at(
                    "/actions",
                    format!("`actions` must be a sequence, found {}", kind(other)),
                ));
            }
            None => return Err(at("", "no `actions` sequence".into())),
        };
        let actions = actions
            .iter()
            .enumerate()
            .map(|(index, value)| parse_action(label, text, index, value))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Overlay {
            label: label.to_owned(),
            title,
            version: info_version,
            actions,
        })
    }
}

fn parse_action(label: &str, text: &str, index: usize, value: &Value) -> Result<Action, Error> {
    let pointer = format!("/actions/{index}");
    let line = crate::locate::position_of_pointer(text, &pointer).map(|(line, _)| line);
    let fail = |target: &str, message: String| {
        let what = if target.is_empty() {
            format!("action {index}")
        } else {
            format!("action {index} (target `{target}`)")
        };
        Error::invalid(pointer.clone(), format!("{what}: {message}"))
            .with_file(label)
            .at(line, None)
    };
    let Value::Mapping(action) = value else {
        return Err(fail(
            "",
            format!("an action must be a mapping, found {}", kind(value)),
        ));
    };
    let target = match action.get("target") {
        Some(Value::String(t)) => t.clone(),
        Some(other) => {
            return Err(fail(
                "",
                format!("`target` must be a JSONPath string, found {}", kind(other)),
            ));
        }
        None => return Err(fail("", "no `target`".into())),
    };
    let path = JsonPath::parse(&target).map_err(|e| {
        fail(
            &target,
            format!("`target` is not a valid JSONPath (RFC 9535): {e}"),
        )
    })?;
    let description = match action.get("description") {
        None => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(other) => {
            return Err(fail(
                &target,
                format!("`description` must be a string, found {}", kind(other)),
            ));
        }
    };
    let remove = match action.get("remove") {
        None | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(other) => {
            return Err(fail(
                &target,
                format!("`remove` must be true or false, found {}", kind(other)),
            ));
        }
    };
    let change = match (action.get("update"), remove) {
        (Some(_), true) => {
            return Err(fail(
                &target,
                "has both `update` and `remove: true`; an action does one of them".into(),
            ));
        }
        (Some(update), false) => Change::Update(update.clone()),
        (None, true) => Change::Remove,
        (None, false) => {
            return Err(fail(
                &target,
                "has neither `update` nor `remove: true`, so it does nothing".into(),
            ));
        }
    };
    if let Some(unknown) = action.keys().filter_map(Value::as_str).find(|k| {
        !matches!(*k, "target" | "description" | "update" | "remove") && !k.starts_with("x-")
    }) {
        return Err(fail(
            &target,
            format!(
                "unknown field `{unknown}` (an action has target, description, update, remove)"
            ),
        ));
    }
    Ok(Action {
        index,
        line,
        target,
        path,
        description,
        change,
    })
}

fn required_string(map: &Mapping, field: &str) -> Result<String, String> {
    match map.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(format!(
            "`info.{field}` must be a string, found {}",
            kind(other)
        )),
        None => Err(format!("`info` has no `{field}`")),
    }
}

/// A short name of a YAML value's type, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a sequence",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "overlay: 1.0.0\ninfo:\n  title: t\n  version: '1'\nactions:\n";

    #[test]
    fn reads_actions_with_their_lines() {
        let text = format!(
            "{HEAD}  - target: $.info\n    description: why\n    update:\n      title: x\n  - target: $.paths['/a']\n    remove: true\n"
        );
        let overlay = Overlay::parse("o.yaml", &text).unwrap();
        assert_eq!(overlay.actions.len(), 2);
        assert_eq!(overlay.actions[0].line, Some(6));
        assert_eq!(overlay.actions[1].line, Some(10));
        assert_eq!(overlay.actions[1].change, Change::Remove);
        assert_eq!(overlay.actions[0].description.as_deref(), Some("why"));
    }

    #[test]
    fn names_the_action_and_its_target() {
        let text = format!(
            "{HEAD}  - target: $.info\n    update: {{}}\n  - target: $[\n    remove: true\n"
        );
        let err = Overlay::parse("o.yaml", &text).unwrap_err().to_string();
        assert!(err.starts_with("o.yaml:8 (at /actions/1)"), "{err}");
        assert!(err.contains("action 1 (target `$[`)"), "{err}");
    }
}
