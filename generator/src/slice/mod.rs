//! slice: cuts the presence fragment out of Microsoft's published Graph OpenAPI documents and
//! applies the project's overlay to it.
//!
//! Works on `crate::yaml::Value`, not on `openapiv3` types, so constructs this crate does not
//! model (vendor extensions, `x-ms-*`, odd schema keywords) pass through untouched.
//!
//! What is kept is data, not code: a [`Selection`] of include/exclude path patterns (the
//! project's own are `spec/<version>/slice.yaml`; see [`selection`] and [`pattern`]). A slice
//! takes any number of sources and merges what the selection keeps of each:
//! - every operation whose path and method an include pattern matches and no exclude does,
//!   under the path written without the `microsoft.graph.` action prefix (Graph accepts both
//!   spellings; the fragment uses the docs' one). The same path in two sources must be defined
//!   identically;
//! - the transitive closure of the components those paths reach through `$ref`, wherever the
//!   reference sits; a component defined differently by two sources is an error naming both;
//! - the top-level fields of the first source (except `paths`, `components`, `tags`), the tags
//!   the kept operations use, and `components.securitySchemes` whole (named by `security`).
//!
//! Then the overlay runs (see [`crate::overlay`]): every correction the project makes lives
//! there, with its reason. Last, components nothing references any more (for example those of
//! operations the overlay removed) are pruned, so the fragment holds only what it uses.
//!
//! Discriminator mappings name subtypes by reference without `$ref`; following them would pull
//! in most of Graph (`microsoft.graph.entity` maps every entity), so mapping entries whose target
//! is not in the slice are dropped instead.
//!
//! The output depends on the sources, the selection and the overlay only: paths come out in the
//! selection's `order` of first segments, then by name; components sorted by name, then the
//! overlay's additions in overlay order.

mod coverage;
pub mod pattern;
mod prune;
mod refs;
pub mod selection;

pub use pattern::Pattern;
pub use selection::{SELECTION_FILE, Selection, is_selection_file};

use crate::error::Error;
use crate::overlay::{self, Overlay, Stale};
use crate::warning::Warning;
use crate::yaml;
use crate::yaml::{Mapping, Value};
use prune::{order_paths, prune, webhook_payload_roots};
use refs::{closure, component_pointer, pointer_token};
use std::collections::BTreeMap;

/// Operation keys of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The result of [`slice`].
#[derive(Debug, Clone)]
pub struct Slice {
    /// The fragment as YAML text.
    pub yaml: String,
    /// Paths of the fragment, in output order.
    pub paths: Vec<String>,
    /// Components of the fragment, as `<kind>/<name>` (e.g. `schemas/microsoft.graph.presence`).
    pub components: Vec<String>,
    /// Overlay actions that changed nothing.
    pub stale: Vec<Stale>,
    /// Components the sources provided that nothing referenced after the overlay.
    pub pruned: Vec<String>,
    /// Selection patterns that keep nothing once the excludes apply.
    pub warnings: Vec<Warning>,
}

/// One source document: its name in errors (a file name) and its text.
pub type Source<'a> = (&'a str, &'a str);

/// A path with every `microsoft.graph.` segment prefix removed: the docs' spelling, used for
/// the fragment and for matching the same path across sources.
pub fn normalize_path(path: &str) -> String {
    normalize_actions(path, |_| false)
}

/// [`normalize_path`], except for type casts: a segment naming a type (`is_type` says which
/// `microsoft.graph.<name>` are types) keeps its prefix, because Graph accepts an action
/// without its namespace but a cast (`/groups/{id}/members/microsoft.graph.user`) only with it.
pub fn normalize_actions(path: &str, is_type: impl Fn(&str) -> bool) -> String {
    path.split('/')
        .map(|s| {
            if is_type(s) {
                s
            } else {
                s.strip_prefix("microsoft.graph.").unwrap_or(s)
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The names of the component schemas of every source: a path segment spelling one is a cast.
fn schema_names(docs: &[Doc<'_>]) -> std::collections::BTreeSet<String> {
    docs.iter()
        .filter_map(|(_, doc)| doc.get("components")?.get("schemas")?.as_mapping())
        .flat_map(|schemas| schemas.keys().filter_map(Value::as_str).map(str::to_owned))
        .collect()
}

fn parse(label: &str, text: &str) -> Result<Mapping, Error> {
    let value: Value =
        yaml::from_str(text).map_err(|e| e.located(label, text, "not valid YAML"))?;
    match value {
        Value::Mapping(m) => Ok(m),
        _ => Err(in_file(
            label,
            Error::invalid("", "the document is not a mapping, so it is not OpenAPI"),
        )),
    }
}

fn in_file(label: &str, err: Error) -> Error {
    err.with_file(label)
}

fn key(s: &str) -> Value {
    Value::String(s.to_owned())
}

/// A parsed source: its label and its top-level mapping.
type Doc<'a> = (&'a str, Mapping);

/// A kept path item under its docs-style name: (item, label of its source, path as written).
type KeptPaths<'a> = BTreeMap<String, (Value, &'a str, String)>;

/// Cuts what `selection` keeps out of `sources` and applies `overlay`, if given.
pub fn slice(
    sources: &[Source<'_>],
    selection: &Selection,
    overlay: Option<&Overlay>,
) -> Result<Slice, Error> {
    let Some(&(first_label, _)) = sources.first() else {
        return Err(Error::invalid("", "no source document to slice"));
    };
    let docs = sources
        .iter()
        .map(|(label, text)| parse(label, text).map(|doc| (*label, doc)))
        .collect::<Result<Vec<Doc<'_>>, _>>()?;
    let warnings = check_selection(&docs, selection)?;
    let kept = kept_paths(&docs, selection)?;
    let needed = needed_components(&docs, &kept, first_label)?;
    let mut document = assemble(&docs, &kept, needed);

    // The project's corrections.
    let stale = match overlay {
        Some(overlay) => overlay::apply(&mut document, overlay)?,
        None => Vec::new(),
    };
    let owner = overlay.map_or(first_label, |o| o.label.as_str());

    // Keep only what the final paths use, in the canonical order.
    let pruned = prune(&mut document, &all_tags(&docs), owner)?;
    order_paths(&mut document, selection);
    let (paths, components) = summary(&document);
    let yaml = crate::yaml::to_string(&document)
        .map_err(|e| Error::internal(format!("serializing the slice: {e}")))?;
    Ok(Slice {
        yaml,
        paths,
        components,
        stale,
        pruned,
        warnings,
    })
}

/// Step 0: every pattern of the selection matches something in some source.
fn check_selection(docs: &[Doc<'_>], selection: &Selection) -> Result<Vec<Warning>, Error> {
    let mut paths = Vec::new();
    for (label, doc) in docs {
        for (k, v) in source_paths(label, doc)? {
            if let Some(p) = k.as_str() {
                let methods = operations(v).map(str::to_owned).collect();
                paths.push((p.to_owned(), methods));
            }
        }
    }
    let names = docs.iter().map(|(l, _)| *l).collect::<Vec<_>>().join(", ");
    coverage::check(selection, &paths, &names)
}

fn source_paths<'d>(label: &str, doc: &'d Mapping) -> Result<&'d Mapping, Error> {
    doc.get("paths")
        .and_then(Value::as_mapping)
        .ok_or_else(|| in_file(label, Error::invalid("/paths", "no `paths` mapping")))
}

/// The operation keys of a path item, in document order.
fn operations(item: &Value) -> impl Iterator<Item = &str> {
    item.as_mapping()
        .into_iter()
        .flat_map(|m| m.keys())
        .filter_map(Value::as_str)
        .filter(|k| METHODS.contains(k))
}

/// `item` with only the operations `selection` keeps, or `None` when it keeps none.
fn selected(selection: &Selection, path: &str, item: &Value) -> Option<Value> {
    let methods: Vec<&str> = operations(item).collect();
    let kept = selection.kept_methods(path, &methods)?;
    if kept.len() == methods.len() {
        return Some(item.clone());
    }
    let mut item = item.clone();
    if let Value::Mapping(m) = &mut item {
        m.retain(|k, _| {
            k.as_str()
                .is_none_or(|k| !METHODS.contains(&k) || kept.contains(&k))
        });
    }
    Some(item)
}

/// Step 1: what the selection keeps of every source's paths, under their docs-style name; a
/// path two sources define differently is an error.
fn kept_paths<'a>(docs: &[Doc<'a>], selection: &Selection) -> Result<KeptPaths<'a>, Error> {
    let mut kept = KeptPaths::new();
    let types = schema_names(docs);
    for (label, doc) in docs {
        for (k, v) in source_paths(label, doc)? {
            let Some(p) = k.as_str() else { continue };
            let Some(item) = selected(selection, p, v) else {
                continue;
            };
            let normalized = normalize_actions(p, |segment| types.contains(segment));
            match kept.get(&normalized) {
                Some((other, other_label, other_path)) if *other != item => {
                    return Err(in_file(
                        label,
                        Error::invalid(
                            format!("/paths/{}", pointer_token(p)),
                            format!(
                                "`{p}` is defined differently in {other_label} (as `{other_path}`); the sources disagree, so slice them from one snapshot"
                            ),
                        ),
                    ));
                }
                Some(_) => {}
                None => {
                    kept.insert(normalized, (item, label, p.to_owned()));
                }
            }
        }
    }
    if kept.is_empty() {
        return Err(Error::invalid(
            "/exclude",
            "the excludes remove every operation the includes match; nothing is left to slice",
        )
        .with_file(selection.label.clone()));
    }
    Ok(kept)
}

/// Step 2: the components the kept paths reach, looked up in every source; schemas a source
/// already marks as webhook payloads are roots too, so slicing a committed fragment is
/// idempotent.
fn needed_components(
    docs: &[Doc<'_>],
    kept: &KeptPaths<'_>,
    first_label: &str,
) -> Result<BTreeMap<(String, String), Value>, Error> {
    let payloads: Vec<Value> = docs
        .iter()
        .filter_map(|(_, doc)| doc.get("components").and_then(Value::as_mapping))
        .map(webhook_payload_roots)
        .collect();
    closure(
        kept.values().map(|(v, _, _)| v).chain(payloads.iter()),
        first_label,
        |kind, name| find_component(docs, kind, name),
    )
}

/// The one definition of `#/components/<kind>/<name>` across the sources; two different ones
/// are an error.
fn find_component(docs: &[Doc<'_>], kind: &str, name: &str) -> Result<Option<Value>, Error> {
    let mut found: Option<(&str, &Value)> = None;
    for (label, doc) in docs {
        let Some(value) = doc
            .get("components")
            .and_then(|c| c.get(kind))
            .and_then(|m| m.get(name))
        else {
            continue;
        };
        match found {
            Some((other_label, other)) if other != value => {
                return Err(in_file(
                    label,
                    Error::invalid(
                        component_pointer(kind, name),
                        format!(
                            "`#/components/{kind}/{name}` is defined differently in {other_label}; the sources disagree, so slice them from one snapshot"
                        ),
                    ),
                ));
            }
            Some(_) => {}
            None => found = Some((label, value)),
        }
    }
    Ok(found.map(|(_, v)| v.clone()))
}

/// Step 3: the document: the first source's top-level fields, the kept paths, the needed
/// components and the first source's security schemes.
fn assemble(
    docs: &[Doc<'_>],
    kept: &KeptPaths<'_>,
    needed: BTreeMap<(String, String), Value>,
) -> Value {
    let mut out = Mapping::new();
    for (k, v) in &docs[0].1 {
        match k.as_str() {
            Some("paths") => {
                let paths = kept
                    .iter()
                    .map(|(p, (item, _, _))| (key(p), item.clone()))
                    .collect();
                out.insert(k.clone(), Value::Mapping(paths));
            }
            Some("components" | "tags") => {} // placed below (tags by `prune`)
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    let mut components = Mapping::new();
    for ((kind, name), value) in needed {
        let entry = components
            .entry(key(&kind))
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if let Value::Mapping(m) = entry {
            m.insert(key(&name), value);
        }
    }
    if let Some(schemes) = docs
        .iter()
        .find_map(|(_, doc)| doc.get("components").and_then(|c| c.get("securitySchemes")))
    {
        components.insert(key("securitySchemes"), schemes.clone());
    }
    out.insert(key("components"), Value::Mapping(components));
    Value::Mapping(out)
}

/// Every source's tags, in order (`prune` keeps those the final paths use).
fn all_tags(docs: &[Doc<'_>]) -> Vec<Value> {
    docs.iter()
        .filter_map(|(_, doc)| doc.get("tags").and_then(Value::as_sequence))
        .flatten()
        .cloned()
        .collect()
}

/// The final paths, and the components as `<kind>/<name>`, for the report.
fn summary(document: &Value) -> (Vec<String>, Vec<String>) {
    let paths = document
        .get("paths")
        .and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut components = Vec::new();
    if let Some(Value::Mapping(kinds)) = document.get("components") {
        for (kind, entries) in kinds {
            if let (Some(kind), Some(entries)) = (kind.as_str(), entries.as_mapping()) {
                for name in entries.keys().filter_map(Value::as_str) {
                    components.push(format!("{kind}/{name}"));
                }
            }
        }
    }
    (paths, components)
}

#[cfg(test)]
mod tests {
    use super::prune::used_tags;
    use super::refs::component_ref;
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn keeps_the_prefix_of_a_cast() {
        let is_type = |s: &str| s == "microsoft.graph.user";
        assert_eq!(
            normalize_actions("/groups/{group-id}/members/microsoft.graph.user", is_type),
            "/groups/{group-id}/members/microsoft.graph.user"
        );
        assert_eq!(
            normalize_actions(
                "/users/{user-id}/presence/microsoft.graph.setPresence",
                is_type
            ),
            "/users/{user-id}/presence/setPresence"
        );
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
    fn paths_are_ordered_by_first_segment_then_name() {
        let mut doc: Value = crate::yaml::from_str(
            "paths:\n  /communications/presences/{id}: 1\n  /users/{id}/presence/x: 2\n  /me/presence/x: 3\n  /users/{id}/presence: 4\n  /other: 5\n",
        )
        .unwrap();
        let selection = Selection::everything("test").order(&["me", "users", "communications"]);
        order_paths(&mut doc, &selection);
        let order: Vec<&str> = doc["paths"]
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(
            order,
            [
                "/me/presence/x",
                "/users/{id}/presence",
                "/users/{id}/presence/x",
                "/communications/presences/{id}",
                "/other"
            ]
        );
    }

    #[test]
    fn webhook_payloads_survive_pruning_with_what_they_reference() {
        let mut doc: Value = crate::yaml::from_str(
            "paths: {}\ncomponents:\n  schemas:\n    a: {x-graph-webhook-payload: true, properties: {b: {$ref: '#/components/schemas/b'}}}\n    b: {type: string}\n    c: {type: string}\n    d: {x-graph-webhook-payload: false}\n",
        )
        .unwrap();
        let pruned = prune(&mut doc, &[], "test").unwrap();
        assert_eq!(pruned, ["schemas/c", "schemas/d"]);
        let kept: Vec<&str> = doc["components"]["schemas"]
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(kept, ["a", "b"]);
    }

    #[test]
    fn used_tags_come_from_operations() {
        let paths: Value = crate::yaml::from_str(
            "/a: {get: {tags: [x]}, post: {tags: [y, x]}}\n/b: {parameters: []}",
        )
        .unwrap();
        assert_eq!(
            used_tags(&paths),
            BTreeSet::from(["x".to_owned(), "y".to_owned()])
        );
    }
}
