//! Running the actions: each target is evaluated on the document as the previous actions left
//! it, then every matched node is updated or removed.
//!
//! `serde_json_path` evaluates JSONPath on `serde_json` values, so the YAML document is mirrored
//! into JSON to find the matches (as normalized paths), and the changes are made on the YAML
//! value itself, which keeps key order and everything JSON cannot express.

use super::merge::merge;
use super::parse::{Action, Change, Overlay};
use super::report::Stale;
use crate::error::Error;
use crate::yaml::Value;
use serde_json_path::PathElement;

/// Nodes an overlay may not remove: without them the result is no OpenAPI document.
const REQUIRED: &[&[&str]] = &[
    &[],
    &["openapi"],
    &["info"],
    &["paths"],
    &["info", "title"],
    &["info", "version"],
];

/// One step of a matched node's location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Index(usize),
}

/// Applies `overlay` to `document` in place. Returns the stale actions; on error the document
/// may be partly changed, so callers apply to a copy they discard on failure.
pub fn apply(document: &mut Value, overlay: &Overlay) -> Result<Vec<Stale>, Error> {
    let mut stale = Vec::new();
    for action in &overlay.actions {
        let matches = locate(document, action, &overlay.label)?;
        match &action.change {
            Change::Remove => remove(document, action, &overlay.label, matches)?,
            Change::Update(_) | Change::Copy { .. } => {
                let update = match &action.change {
                    Change::Update(update) => update.clone(),
                    _ => copied(document, action, &overlay.label)?,
                };
                let mut changed = false;
                for location in &matches {
                    let node = node_mut(document, location)
                        .expect("a location just found in the same document exists");
                    changed |= update_node(node, &update, location, overlay.v1_1)
                        .map_err(|message| action.error(&overlay.label, message))?;
                }
                if !changed {
                    stale.push(Stale {
                        overlay: overlay.label.clone(),
                        index: action.index,
                        line: action.line,
                        target: action.target.clone(),
                    });
                }
            }
        }
    }
    Ok(stale)
}

/// The value a `copy` action merges: the one node its source path selects now, in the
/// document as the earlier actions left it. None, or several, is an error: the spec asks for a
/// single node, and guessing which one would hide a typo in the path.
fn copied(document: &Value, action: &Action, label: &str) -> Result<Value, Error> {
    let Change::Copy { from, path } = &action.change else {
        unreachable!("called for copy actions only")
    };
    let found = query(document, path, action, label)?;
    match found.as_slice() {
        [location] => Ok(node_at(document, location)
            .expect("a location just found in the same document exists")
            .clone()),
        [] => Err(action.error(
            label,
            format!("`copy` source `{from}` matches nothing in the document"),
        )),
        several => Err(action.error(
            label,
            format!(
                "`copy` source `{from}` matches {} nodes; it must select exactly one",
                several.len()
            ),
        )),
    }
}

/// The locations `action` matches, in document order; an error when there are none.
fn locate(document: &Value, action: &Action, label: &str) -> Result<Vec<Vec<Step>>, Error> {
    let matches = query(document, &action.path, action, label)?;
    if matches.is_empty() {
        return Err(action.error(
            label,
            "matches nothing in the document; fix the target, or delete the action if upstream dropped what it corrects",
        ));
    }
    Ok(matches)
}

/// The locations `path` selects in `document`, in document order.
fn query(
    document: &Value,
    path: &serde_json_path::JsonPath,
    action: &Action,
    label: &str,
) -> Result<Vec<Vec<Step>>, Error> {
    let json = serde_json::to_value(document).map_err(|e| {
        action.error(
            label,
            format!("the document cannot be searched as JSON: {e}"),
        )
    })?;
    let matches: Vec<Vec<Step>> = path
        .query_located(&json)
        .dedup()
        .iter()
        .map(|node| {
            node.location()
                .iter()
                .map(|element| match element {
                    PathElement::Name(name) => Step::Key((*name).to_owned()),
                    PathElement::Index(index) => Step::Index(*index),
                })
                .collect()
        })
        .collect();
    Ok(matches)
}

fn update_node(
    node: &mut Value,
    update: &Value,
    location: &[Step],
    v1_1: bool,
) -> Result<bool, String> {
    let pointer = pointer(location);
    match (&*node, update) {
        (Value::Mapping(_), Value::Mapping(_)) | (Value::Sequence(_), Value::Sequence(_)) => {
            // A sequence onto a sequence appends its items, as it does one level down.
            merge(node, update, &pointer)
        }
        (Value::Sequence(items), _) => {
            if items.contains(update) {
                Ok(false)
            } else if let Value::Sequence(items) = node {
                items.push(update.clone());
                Ok(true)
            } else {
                unreachable!("matched as a sequence above")
            }
        }
        (Value::Mapping(_), other) => Err(format!(
            "`update` is {} but the target {} is a mapping; an update onto a mapping must be a mapping",
            super::parse::kind(other),
            display(&pointer)
        )),
        // Overlay 1.1: a primitive replaces a primitive target.
        (scalar, Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_))
            if v1_1 && !matches!(scalar, Value::Tagged(_)) =>
        {
            if scalar == update {
                Ok(false)
            } else {
                *node = update.clone();
                Ok(true)
            }
        }
        (scalar, _) if v1_1 => Err(format!(
            "the target {} is {} and the value to merge is {}; a primitive target takes a primitive value",
            display(&pointer),
            super::parse::kind(scalar),
            super::parse::kind(update)
        )),
        (scalar, _) => Err(format!(
            "the target {} is {}; only mappings and sequences can be updated (update the parent instead)",
            display(&pointer),
            super::parse::kind(scalar)
        )),
    }
}

fn remove(
    document: &mut Value,
    action: &Action,
    label: &str,
    mut matches: Vec<Vec<Step>>,
) -> Result<(), Error> {
    for location in &matches {
        let keys: Option<Vec<&str>> = location
            .iter()
            .map(|step| match step {
                Step::Key(k) => Some(k.as_str()),
                Step::Index(_) => None,
            })
            .collect();
        if let Some(keys) = keys
            && REQUIRED.contains(&keys.as_slice())
        {
            let message = if location.is_empty() {
                "removes the whole document".to_owned()
            } else {
                format!(
                    "removes {}, which every OpenAPI document needs",
                    pointer(location)
                )
            };
            return Err(action.error(label, message));
        }
    }
    // Deepest and last first, so earlier removals do not shift the locations of later ones.
    matches.sort();
    for location in matches.iter().rev() {
        let (last, parent) = location.split_last().expect("the root was refused above");
        let Some(parent) = node_mut(document, parent) else {
            continue; // inside a node this action already removed
        };
        match (parent, last) {
            (Value::Mapping(m), Step::Key(k)) => {
                let key = m.keys().find(|key| key_is(key, k)).cloned();
                if let Some(key) = key {
                    m.remove(&key);
                }
            }
            (Value::Sequence(s), Step::Index(i)) if *i < s.len() => {
                s.remove(*i);
            }
            _ => {}
        }
    }
    Ok(())
}

fn node_at<'a>(mut node: &'a Value, location: &[Step]) -> Option<&'a Value> {
    for step in location {
        node = match (node, step) {
            (Value::Mapping(m), Step::Key(k)) => {
                m.iter().find(|(key, _)| key_is(key, k)).map(|(_, v)| v)?
            }
            (Value::Sequence(s), Step::Index(i)) => s.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn node_mut<'a>(mut node: &'a mut Value, location: &[Step]) -> Option<&'a mut Value> {
    for step in location {
        node = match (node, step) {
            (Value::Mapping(m), Step::Key(k)) => m
                .iter_mut()
                .find(|(key, _)| key_is(key, k))
                .map(|(_, v)| v)?,
            (Value::Sequence(s), Step::Index(i)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Whether a YAML key is the JSON member name `name` (numbers and booleans become strings in
/// the JSON mirror, e.g. an unquoted `200:` response key).
fn key_is(key: &Value, name: &str) -> bool {
    match key {
        Value::String(s) => s == name,
        Value::Number(n) => n.to_string() == name,
        Value::Bool(b) => b.to_string() == name,
        _ => false,
    }
}

fn pointer(location: &[Step]) -> String {
    location
        .iter()
        .map(|step| match step {
            Step::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn display(pointer: &str) -> String {
    if pointer.is_empty() {
        "(the document root)".to_owned()
    } else {
        format!("at {pointer}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(document: &str, actions: &str) -> Result<(Value, Vec<Stale>), String> {
        let overlay = Overlay::parse(
            "o.yaml",
            &format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}"),
        )
        .map_err(|e| e.to_string())?;
        let mut doc: Value = crate::yaml::from_str(document).unwrap();
        let stale = apply(&mut doc, &overlay).map_err(|e| e.to_string())?;
        Ok((doc, stale))
    }

    /// Like `run`, with an Overlay 1.1 document.
    fn run_11(document: &str, actions: &str) -> Result<(Value, Vec<Stale>), String> {
        let overlay = Overlay::parse(
            "o.yaml",
            &format!("overlay: 1.1.0\ninfo: {{title: t, version: '1'}}\nactions:\n{actions}"),
        )
        .map_err(|e| e.to_string())?;
        let mut doc: Value = crate::yaml::from_str(document).unwrap();
        let stale = apply(&mut doc, &overlay).map_err(|e| e.to_string())?;
        Ok((doc, stale))
    }

    #[test]
    fn copy_merges_the_source_node_into_every_target() {
        let (doc, stale) = run_11(DOC, "  - target: $.paths.*.get\n    copy: $.info\n").unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["title"], Value::from("a"));
        assert_eq!(doc["paths"]["/b"]["get"]["version"], Value::from("1"));
        // Arrays concatenate, as for an update.
        assert!(stale.is_empty());
        let (doc, _) = run_11(
            DOC,
            "  - target: $.paths['/b'].get.tags\n    copy: $.paths['/a'].get.tags\n",
        )
        .unwrap();
        assert_eq!(
            doc["paths"]["/b"]["get"]["tags"],
            crate::yaml::from_str::<Value>("[y, x]").unwrap()
        );
    }

    #[test]
    fn copy_sees_what_earlier_actions_did_and_can_move_a_node() {
        let (doc, _) = run_11(
            DOC,
            "  - target: $.paths\n    update: {'/c': {}}\n  - target: $.paths['/c']\n    copy: $.paths['/a']\n  - target: $.paths['/a']\n    remove: true\n",
        )
        .unwrap();
        assert_eq!(
            doc["paths"],
            crate::yaml::from_str::<Value>("{/b: {get: {tags: [y]}}, /c: {get: {tags: [x]}}}")
                .unwrap()
        );
    }

    #[test]
    fn a_copy_that_changes_nothing_is_stale() {
        let (_, stale) = run_11(
            DOC,
            "  - target: $.paths['/a'].get.tags\n    copy: $.paths['/a'].get.tags\n",
        )
        .unwrap();
        assert_eq!(stale.len(), 1);
    }

    #[test]
    fn a_copy_source_must_select_exactly_one_node() {
        let err = run_11(DOC, "  - target: $.info\n    copy: $.paths.*.get\n").unwrap_err();
        assert!(
            err.contains(
                "`copy` source `$.paths.*.get` matches 2 nodes; it must select exactly one"
            ),
            "{err}"
        );
        let err = run_11(DOC, "  - target: $.info\n    copy: $.nowhere\n").unwrap_err();
        assert!(err.starts_with("o.yaml:4 (at /actions/0)"), "{err}");
        assert!(err.contains("matches nothing"), "{err}");
    }

    #[test]
    fn overlay_11_replaces_primitive_targets_and_10_does_not() {
        let (doc, _) = run_11(DOC, "  - target: $.info.title\n    update: renamed\n").unwrap();
        assert_eq!(doc["info"]["title"], Value::from("renamed"));
        let err = run_11(DOC, "  - target: $.info.title\n    update: {a: 1}\n").unwrap_err();
        assert!(
            err.contains("a primitive target takes a primitive value"),
            "{err}"
        );
        let err = run(DOC, "  - target: $.info.title\n    update: renamed\n").unwrap_err();
        assert!(
            err.contains("only mappings and sequences can be updated"),
            "{err}"
        );
    }

    const DOC: &str = "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths:\n  /a: {get: {tags: [x]}}\n  /b: {get: {tags: [y]}}\n";

    #[test]
    fn update_merges_into_every_match() {
        let (doc, stale) =
            run(DOC, "  - target: $.paths.*.get\n    update: {summary: s}\n").unwrap();
        assert_eq!(doc["paths"]["/a"]["get"]["summary"], Value::from("s"));
        assert_eq!(doc["paths"]["/b"]["get"]["summary"], Value::from("s"));
        assert!(stale.is_empty());
    }

    #[test]
    fn remove_deletes_every_match_including_array_items() {
        let (doc, _) = run(
            "openapi: 3.0.3\ninfo: {title: a, version: '1'}\npaths: {}\nl: [1, 2, 3, 2]\n",
            "  - target: $.l[?@ == 2]\n    remove: true\n",
        )
        .unwrap();
        assert_eq!(doc["l"], crate::yaml::from_str::<Value>("[1, 3]").unwrap());
    }

    #[test]
    fn an_update_that_changes_nothing_is_stale() {
        let (_, stale) = run(
            DOC,
            "  - target: $.paths['/a'].get\n    update: {tags: [x]}\n",
        )
        .unwrap();
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].index, 0);
        assert_eq!(stale[0].line, Some(4));
    }

    #[test]
    fn a_sequence_target_gets_the_update_appended() {
        let (doc, _) = run(DOC, "  - target: $.paths['/b'].get.tags\n    update: z\n").unwrap();
        assert_eq!(
            doc["paths"]["/b"]["get"]["tags"],
            crate::yaml::from_str::<Value>("[y, z]").unwrap()
        );
    }

    #[test]
    fn a_sequence_onto_a_sequence_appends_its_items() {
        let (doc, _) = run(
            DOC,
            "  - target: $.paths['/b'].get.tags\n    update: [y, z, w]\n",
        )
        .unwrap();
        assert_eq!(
            doc["paths"]["/b"]["get"]["tags"],
            crate::yaml::from_str::<Value>("[y, z, w]").unwrap()
        );
    }

    #[test]
    fn refuses_to_remove_required_nodes() {
        let err = run(DOC, "  - target: $.info\n    remove: true\n").unwrap_err();
        assert!(
            err.contains("removes /info, which every OpenAPI document needs"),
            "{err}"
        );
    }

    #[test]
    fn a_target_matching_nothing_is_an_error() {
        let err = run(DOC, "  - target: $.paths['/c']\n    remove: true\n").unwrap_err();
        assert!(err.starts_with("o.yaml:4 (at /actions/0)"), "{err}");
        assert!(err.contains("matches nothing"), "{err}");
    }
}
