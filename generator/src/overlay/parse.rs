//! Reading an overlay document: shape checks that run before anything is applied, so a bad
//! overlay fails as a whole and names the action, its line and its target.

use crate::error::Error;
use crate::yaml;
use crate::yaml::{Mapping, Value};
use serde_json_path::JsonPath;

/// The overlay versions this engine implements, as the error lists them.
const SUPPORTED_VERSIONS: &[&str] = &["1.0.0", "1.1.x"];

/// Whether `version` is one this engine implements: 1.0.0 exactly (as before 1.1 existed), or
/// any 1.1 patch release (the spec says patch versions change no feature).
fn is_supported(version: &str) -> bool {
    version == "1.0.0"
        || version
            .strip_prefix("1.1.")
            .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether an overlay version has Overlay 1.1's features (`copy`, primitive targets).
fn is_11(version: &str) -> bool {
    version.starts_with("1.1.")
}

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
    /// Whether the document is Overlay 1.1 (`overlay: 1.1.x`): `copy` actions, and updates
    /// that replace a primitive target.
    pub v1_1: bool,
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
    /// Overlay 1.1: merge the one node `from` selects (in the document as the earlier actions
    /// left it) into each matched node, as an update would.
    Copy {
        /// The JSONPath expression as written.
        from: String,
        /// The parsed source path.
        path: JsonPath,
    },
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
        if !is_supported(&version) {
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
            .map(|(index, value)| parse_action(label, text, index, value, is_11(&version)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Overlay {
            label: label.to_owned(),
            title,
            version: info_version,
            actions,
            v1_1: is_11(&version),
        })
    }
}

fn parse_action(
    label: &str,
    text: &str,
    index: usize,
    value: &Value,
    v1_1: bool,
) -> Result<Action, Error> {
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
    let copy = match action.get("copy") {
        None => None,
        Some(_) if !v1_1 => {
            return Err(fail(
                &target,
                "`copy` is an Overlay 1.1 action; this overlay says it is 1.0.0 (write `overlay: 1.1.0`)".into(),
            ));
        }
        Some(Value::String(from)) => Some(Change::Copy {
            path: JsonPath::parse(from).map_err(|e| {
                fail(
                    &target,
                    format!("`copy` is not a valid JSONPath (RFC 9535): {e}"),
                )
            })?,
            from: from.clone(),
        }),
        Some(other) => {
            return Err(fail(
                &target,
                format!("`copy` must be a JSONPath string, found {}", kind(other)),
            ));
        }
    };
    // The spec lets `remove` win over `update`, and both over `copy`; an action that says two
    // of them is almost surely a mistake, so it is refused rather than half applied.
    let change = match (action.get("update"), remove, copy) {
        (Some(_), true, _) => {
            return Err(fail(
                &target,
                "has both `update` and `remove: true`; an action does one of them".into(),
            ));
        }
        (Some(_), false, Some(_)) | (None, true, Some(_)) => {
            let other = if remove { "`remove: true`" } else { "`update`" };
            return Err(fail(
                &target,
                format!("has both `copy` and {other}; an action does one of them"),
            ));
        }
        (Some(update), false, None) => Change::Update(update.clone()),
        (None, true, None) => Change::Remove,
        (None, false, Some(copy)) => copy,
        (None, false, None) if v1_1 => {
            return Err(fail(
                &target,
                "has none of `update`, `copy` or `remove: true`, so it does nothing".into(),
            ));
        }
        (None, false, None) => {
            return Err(fail(
                &target,
                "has neither `update` nor `remove: true`, so it does nothing".into(),
            ));
        }
    };
    // `copy` in a 1.0 overlay was refused above, with its own message.
    let fields = ["target", "description", "update", "remove", "copy"];
    if let Some(unknown) = action
        .keys()
        .filter_map(Value::as_str)
        .find(|k| !fields.contains(k) && !k.starts_with("x-"))
    {
        let listed = if v1_1 {
            "target, description, update, remove, copy"
        } else {
            "target, description, update, remove"
        };
        return Err(fail(
            &target,
            format!("unknown field `{unknown}` (an action has {listed})"),
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
    fn overlay_11_reads_copy_and_10_refuses_it() {
        let actions = "  - target: $.paths['/b']\n    copy: $.paths['/a']\n";
        let text = format!("{}{actions}", HEAD.replace("1.0.0", "1.1.0"));
        let overlay = Overlay::parse("o.yaml", &text).unwrap();
        assert!(overlay.v1_1);
        assert!(
            matches!(&overlay.actions[0].change, Change::Copy { from, .. } if from == "$.paths['/a']")
        );
        let err = Overlay::parse("o.yaml", &format!("{HEAD}{actions}")).unwrap_err();
        assert!(
            err.message.contains("`copy` is an Overlay 1.1 action"),
            "{err}"
        );
        for version in ["1.1.7", "1.0.0"] {
            let text = format!(
                "{}  - target: $.info\n    remove: true\n",
                HEAD.replace("1.0.0", version)
            );
            assert!(Overlay::parse("o.yaml", &text).is_ok(), "{version}");
        }
        for version in ["1.1", "1.1.x", "1.2.0"] {
            let text = format!(
                "{}  - target: $.info\n    remove: true\n",
                HEAD.replace("1.0.0", version)
            );
            assert!(Overlay::parse("o.yaml", &text).is_err(), "{version}");
        }
    }

    #[test]
    fn copy_with_another_change_is_refused() {
        let head = HEAD.replace("1.0.0", "1.1.0");
        let text = format!("{head}  - target: $.info\n    copy: $.x\n    update: {{}}\n");
        let err = Overlay::parse("o.yaml", &text).unwrap_err();
        assert!(
            err.message.contains("has both `copy` and `update`"),
            "{err}"
        );
        let text = format!("{head}  - target: $.info\n    copy: '$['\n");
        let err = Overlay::parse("o.yaml", &text).unwrap_err();
        assert!(
            err.message.contains("`copy` is not a valid JSONPath"),
            "{err}"
        );
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
