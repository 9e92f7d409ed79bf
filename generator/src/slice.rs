//! slice: cuts the presence fragment out of a full Microsoft Graph OpenAPI document.
//!
//! Works on `serde_yaml::Value`, not on `openapiv3` types, so constructs this crate does not
//! model (vendor extensions, `x-ms-*`, odd schema keywords) pass through untouched.
//!
//! What is kept:
//! - every path with a presence segment (`presence`, `presences`, or `getPresencesByUserId`
//!   with or without the `microsoft.graph.` prefix);
//! - the transitive closure of the components those paths reach through `$ref`, wherever the
//!   reference sits (`allOf`, `items`, `additionalProperties`, responses, parameters, ...);
//! - every top-level field except `paths`, `components` and `tags`; `tags` keeps the ones the
//!   kept operations use; `components.securitySchemes` is kept whole (it is tiny and named by
//!   `security`, not by `$ref`).
//!
//! Discriminator mappings name subtypes by reference without `$ref`; following them would pull
//! in most of Graph (`microsoft.graph.entity` maps every entity), so mapping entries whose target
//! is not in the slice are dropped instead.
//!
//! Order is deterministic and diff-friendly: paths and components already in the existing
//! fragment keep its order, new ones follow sorted by name. Without an existing fragment
//! everything is sorted.
//!
//! The project's own extensions (`x-graph-permissions`, `x-graph-clouds`) are copied from the
//! existing fragment onto the matching upstream operation (same method, same path once the
//! `microsoft.graph.` prefix is removed) when upstream lacks them.

use crate::error::{Error, ErrorKind};
use crate::yaml;
use serde_yaml::{Mapping, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Extensions this project adds that Microsoft's documents do not carry.
pub const PROJECT_EXTENSIONS: &[&str] = &["x-graph-permissions", "x-graph-clouds"];

/// Operation keys of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The result of [`slice`].
#[derive(Debug, Clone)]
pub struct Slice {
    /// The fragment as YAML text.
    pub yaml: String,
    /// Kept paths, in output order.
    pub paths: Vec<String>,
    /// Kept components, as `<kind>/<name>` (e.g. `schemas/microsoft.graph.presence`).
    pub components: Vec<String>,
    /// `(method, path, extension)` copied from the existing fragment.
    pub carried_extensions: Vec<(String, String, String)>,
}

/// Whether `path` is part of the presence API.
pub fn is_presence_path(path: &str) -> bool {
    path.split('/').any(|segment| {
        let segment = segment.strip_prefix("microsoft.graph.").unwrap_or(segment);
        // A segment may carry OData key syntax, e.g. `presences(id)`.
        let name = segment.split('(').next().unwrap_or(segment);
        matches!(name, "presence" | "presences" | "getPresencesByUserId")
    })
}

/// A path with every `microsoft.graph.` segment prefix removed, for matching upstream paths
/// with the docs-style paths of our fragments.
pub fn normalize_path(path: &str) -> String {
    path.split('/')
        .map(|s| s.strip_prefix("microsoft.graph.").unwrap_or(s))
        .collect::<Vec<_>>()
        .join("/")
}

fn parse(label: &str, text: &str) -> Result<Mapping, Error> {
    let value: Value = yaml::from_str(text).map_err(|e| {
        let mut err = Error::new(
            ErrorKind::Syntax,
            "",
            format!("not valid YAML: {}", e.message),
        );
        err.location.file = label.to_owned();
        err.location.line = e.line;
        err.location.column = e.column;
        err
    })?;
    match value {
        Value::Mapping(m) => Ok(m),
        _ => Err(in_file(
            label,
            Error::invalid("", "the document is not a mapping, so it is not OpenAPI"),
        )),
    }
}

fn in_file(label: &str, mut err: Error) -> Error {
    err.location.file = label.to_owned();
    err
}

fn key(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// Escapes a name for a JSON pointer token.
fn pointer_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Splits `#/components/<kind>/<name>` into its kind and unescaped name.
fn component_ref(reference: &str) -> Option<(String, String)> {
    let rest = reference.strip_prefix("#/components/")?;
    let (kind, name) = rest.split_once('/')?;
    let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
    Some((unescape(kind), unescape(name)))
}

/// Every `$ref` string anywhere inside `value`.
fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Mapping(m) => {
            for (k, v) in m {
                if k.as_str() == Some("$ref")
                    && let Value::String(r) = v
                {
                    out.push(r.clone());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Sequence(s) => s.iter().for_each(|v| collect_refs(v, out)),
        Value::Tagged(t) => collect_refs(&t.value, out),
        _ => {}
    }
}

/// Cuts the presence fragment out of `upstream` (named `upstream_label` in errors), carrying
/// the project's extensions over from `existing` (the current fragment), if given.
pub fn slice(
    upstream_label: &str,
    upstream: &str,
    existing: Option<(&str, &str)>,
) -> Result<Slice, Error> {
    let doc = parse(upstream_label, upstream)?;
    let existing = existing
        .map(|(label, text)| parse(label, text))
        .transpose()?;
    let empty = Mapping::new();
    let paths = doc
        .get("paths")
        .and_then(Value::as_mapping)
        .ok_or_else(|| {
            in_file(
                upstream_label,
                Error::invalid("/paths", "no `paths` mapping"),
            )
        })?;
    let components = doc
        .get("components")
        .and_then(Value::as_mapping)
        .unwrap_or(&empty);

    // 1. Presence paths, in output order.
    let mut kept: BTreeMap<String, Value> = BTreeMap::new();
    for (k, v) in paths {
        if let Some(p) = k.as_str()
            && is_presence_path(p)
        {
            kept.insert(p.to_owned(), v.clone());
        }
    }
    if kept.is_empty() {
        return Err(in_file(
            upstream_label,
            Error::invalid(
                "/paths",
                "no path has a presence segment (`/presence`, `/presences`, `getPresencesByUserId`)",
            ),
        ));
    }
    let existing_paths = existing
        .as_ref()
        .and_then(|e| e.get("paths"))
        .and_then(Value::as_mapping);
    let path_order: Vec<String> = order_like(
        kept.keys().cloned().collect(),
        existing_paths
            .map(|m| {
                m.keys()
                    .filter_map(Value::as_str)
                    .map(normalize_path)
                    .collect()
            })
            .unwrap_or_default(),
        normalize_path,
    );

    // 2. Carry the project's extensions over where upstream lacks them.
    let mut carried = Vec::new();
    if let Some(existing_paths) = existing_paths {
        let by_normalized: BTreeMap<String, &Value> = existing_paths
            .iter()
            .filter_map(|(k, v)| Some((normalize_path(k.as_str()?), v)))
            .collect();
        for (path, item) in kept.iter_mut() {
            let Some(old_item) = by_normalized.get(&normalize_path(path)) else {
                continue;
            };
            let Some(item) = item.as_mapping_mut() else {
                continue;
            };
            for method in METHODS {
                let (Some(Value::Mapping(op)), Some(Value::Mapping(old_op))) =
                    (item.get_mut(*method), old_item.get(*method))
                else {
                    continue;
                };
                for ext in PROJECT_EXTENSIONS {
                    if !op.contains_key(*ext)
                        && let Some(v) = old_op.get(*ext)
                    {
                        op.insert(key(ext), v.clone());
                        carried.push((method.to_string(), path.clone(), ext.to_string()));
                    }
                }
            }
        }
    }

    // 3. Transitive closure of referenced components.
    let mut needed: BTreeSet<(String, String)> = BTreeSet::new();
    let mut queue: Vec<(String, String)> = Vec::new();
    let mut refs = Vec::new();
    for item in kept.values() {
        collect_refs(item, &mut refs);
    }
    let mut from = "paths".to_owned();
    loop {
        for r in refs.drain(..) {
            let Some((kind, name)) = component_ref(&r) else {
                continue; // external or non-component reference: left as written
            };
            let defined = components
                .get(kind.as_str())
                .and_then(Value::as_mapping)
                .is_some_and(|m| m.contains_key(name.as_str()));
            if !defined {
                return Err(in_file(
                    upstream_label,
                    Error::invalid(
                        format!(
                            "/components/{}/{}",
                            pointer_token(&kind),
                            pointer_token(&name)
                        ),
                        format!("`{r}` (referenced from {from}) is not defined"),
                    ),
                ));
            }
            if needed.insert((kind.clone(), name.clone())) {
                queue.push((kind, name));
            }
        }
        let Some((kind, name)) = queue.pop() else {
            break;
        };
        from = format!("#/components/{kind}/{name}");
        let value = &components[kind.as_str()][name.as_str()];
        collect_refs(value, &mut refs);
    }

    // 4. Assemble the fragment.
    let mut out = Mapping::new();
    for (k, v) in &doc {
        match k.as_str() {
            Some("paths") => {
                let mut m = Mapping::new();
                for p in &path_order {
                    m.insert(key(p), kept[p].clone());
                }
                out.insert(k.clone(), Value::Mapping(m));
            }
            Some("components") => {} // placed below, after paths
            Some("tags") => {
                let used = used_tags(&kept);
                let tags: Vec<Value> = v
                    .as_sequence()
                    .map(|s| {
                        s.iter()
                            .filter(|t| {
                                t.get("name")
                                    .and_then(Value::as_str)
                                    .is_some_and(|n| used.contains(n))
                            })
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                if !tags.is_empty() {
                    out.insert(k.clone(), Value::Sequence(tags));
                }
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    let existing_components = existing
        .as_ref()
        .and_then(|e| e.get("components"))
        .and_then(Value::as_mapping);
    let mut out_components = Mapping::new();
    let mut component_list = Vec::new();
    let kinds: BTreeSet<&String> = needed.iter().map(|(k, _)| k).collect();
    let kinds = order_like(
        kinds.into_iter().cloned().collect(),
        existing_components
            .map(|m| {
                m.keys()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        |k| k.to_owned(),
    );
    let kept_names: BTreeSet<String> = needed
        .iter()
        .map(|(k, n)| format!("#/components/{}/{}", pointer_token(k), pointer_token(n)))
        .collect();
    for kind in kinds {
        let names: Vec<String> = needed
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, n)| n.clone())
            .collect();
        let old_names: Vec<String> = existing_components
            .and_then(|m| m.get(kind.as_str()))
            .and_then(Value::as_mapping)
            .map(|m| {
                m.keys()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let mut m = Mapping::new();
        for name in order_like(names, old_names, |n| n.to_owned()) {
            let mut value = components[kind.as_str()][name.as_str()].clone();
            prune_discriminators(&mut value, &kept_names);
            m.insert(key(&name), value);
            component_list.push(format!("{kind}/{name}"));
        }
        out_components.insert(key(&kind), Value::Mapping(m));
    }
    if let Some(schemes) = components.get("securitySchemes") {
        out_components.insert(key("securitySchemes"), schemes.clone());
    }
    if !out_components.is_empty() {
        out.insert(key("components"), Value::Mapping(out_components));
    }

    let yaml = serde_yaml::to_string(&Value::Mapping(out)).map_err(|e| {
        Error::new(
            ErrorKind::Invalid,
            "",
            format!("serializing the slice: {e}"),
        )
    })?;
    Ok(Slice {
        yaml,
        paths: path_order,
        components: component_list,
        carried_extensions: carried,
    })
}

/// Orders `items` as their keys appear in `previous`; the rest follow, sorted.
fn order_like(
    mut items: Vec<String>,
    previous: Vec<String>,
    key_of: impl Fn(&str) -> String,
) -> Vec<String> {
    items.sort();
    let position = |item: &String| {
        let k = key_of(item);
        previous.iter().position(|p| *p == k).unwrap_or(usize::MAX)
    };
    // Stable sort: items unknown to `previous` keep their sorted order at the end.
    items.sort_by_key(position);
    items
}

fn used_tags(paths: &BTreeMap<String, Value>) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for item in paths.values() {
        for method in METHODS {
            if let Some(tags) = item
                .get(*method)
                .and_then(|op| op.get("tags"))
                .and_then(Value::as_sequence)
            {
                used.extend(tags.iter().filter_map(Value::as_str).map(str::to_owned));
            }
        }
    }
    used
}

/// Drops discriminator mapping entries that point outside the slice.
fn prune_discriminators(value: &mut Value, kept: &BTreeSet<String>) {
    match value {
        Value::Mapping(m) => {
            for (k, v) in m.iter_mut() {
                if k.as_str() == Some("discriminator")
                    && let Some(Value::Mapping(mapping)) = v.get_mut("mapping")
                {
                    mapping.retain(|_, target| target.as_str().is_none_or(|t| kept.contains(t)));
                } else {
                    prune_discriminators(v, kept);
                }
            }
        }
        Value::Sequence(s) => s.iter_mut().for_each(|v| prune_discriminators(v, kept)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_segments() {
        assert!(is_presence_path("/me/presence"));
        assert!(is_presence_path("/communications/presences/{presence-id}"));
        assert!(is_presence_path("/communications/getPresencesByUserId"));
        assert!(is_presence_path(
            "/communications/microsoft.graph.getPresencesByUserId"
        ));
        assert!(is_presence_path(
            "/users/{user-id}/presence/microsoft.graph.setPresence"
        ));
        assert!(!is_presence_path("/me/presenceSettings"));
        assert!(!is_presence_path("/me/messages"));
    }

    #[test]
    fn normalizes_prefixed_actions() {
        assert_eq!(
            normalize_path("/me/presence/microsoft.graph.clearPresence"),
            "/me/presence/clearPresence"
        );
    }

    #[test]
    fn component_refs_unescape() {
        assert_eq!(
            component_ref("#/components/schemas/a~1b~0c"),
            Some(("schemas".into(), "a/b~c".into()))
        );
        assert_eq!(component_ref("other.yaml#/x"), None);
    }

    #[test]
    fn order_follows_previous_then_sorted() {
        let out = order_like(
            vec!["b".into(), "z".into(), "a".into(), "c".into()],
            vec!["c".into(), "a".into()],
            |s| s.to_owned(),
        );
        assert_eq!(out, ["c", "a", "b", "z"]);
    }
}
