//! slice: cuts the presence fragment out of Microsoft's published Graph OpenAPI documents and
//! applies the project's overlay to it.
//!
//! Works on `crate::yaml::Value`, not on `openapiv3` types, so constructs this crate does not
//! model (vendor extensions, `x-ms-*`, odd schema keywords) pass through untouched.
//!
//! Graph's presence API is spread over several of Microsoft's modules (`CloudCommunications`
//! has `/communications/presences/...`, `Users.Actions` the `/users/{user-id}/presence/...`
//! actions), so a slice takes any number of sources and merges their presence parts:
//! - every path with a presence segment (`presence`, `presences`, or `getPresencesByUserId`),
//!   and every path under `/subscriptions` (Graph's change-notification subscriptions, which
//!   is how presence changes are pushed; `ChangeNotifications` module), written without the `microsoft.graph.` action prefix (Graph accepts both spellings; the
//!   fragment uses the docs' one). The same path in two sources must be defined identically;
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
//! The output depends on the sources and the overlay only: paths come out ordered by binding
//! (`/me`, `/users`, `/communications`, others) then by name; components sorted by name, then
//! the overlay's additions in overlay order.

mod prune;
mod refs;

use crate::error::Error;
use crate::overlay::{self, Overlay, Stale};
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
}

/// One source document: its name in errors (a file name) and its text.
pub type Source<'a> = (&'a str, &'a str);

/// Whether `path` is part of the presence API.
pub fn is_presence_path(path: &str) -> bool {
    path.split('/').any(|segment| {
        let segment = segment.strip_prefix("microsoft.graph.").unwrap_or(segment);
        // A segment may carry OData key syntax, e.g. `presences(id)`.
        let name = segment.split('(').next().unwrap_or(segment);
        matches!(name, "presence" | "presences" | "getPresencesByUserId")
    })
}

/// Whether `path` is a change-notification subscription path: its first segment is
/// `subscriptions` (the collection, one subscription, and its actions such as `reauthorize`).
/// Presence changes are pushed through these, so the fragment carries them.
pub fn is_subscription_path(path: &str) -> bool {
    let mut segments = path.split('/');
    segments.next() == Some("") && segments.next() == Some("subscriptions")
}

/// Whether the slice keeps `path`: a presence path or a subscription path.
pub fn is_kept_path(path: &str) -> bool {
    is_presence_path(path) || is_subscription_path(path)
}

/// A path with every `microsoft.graph.` segment prefix removed: the docs' spelling, used for
/// the fragment and for matching the same path across sources.
pub fn normalize_path(path: &str) -> String {
    path.split('/')
        .map(|s| s.strip_prefix("microsoft.graph.").unwrap_or(s))
        .collect::<Vec<_>>()
        .join("/")
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

/// Cuts the presence fragment out of `sources` and applies `overlay`, if given.
pub fn slice(sources: &[Source<'_>], overlay: Option<&Overlay>) -> Result<Slice, Error> {
    let Some(&(first_label, _)) = sources.first() else {
        return Err(Error::invalid("", "no source document to slice"));
    };
    let docs = sources
        .iter()
        .map(|(label, text)| parse(label, text).map(|doc| (*label, doc)))
        .collect::<Result<Vec<Doc<'_>>, _>>()?;
    let kept = kept_paths(&docs, first_label)?;
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
    order_paths(&mut document);
    let (paths, components) = summary(&document);
    let yaml = crate::yaml::to_string(&document)
        .map_err(|e| Error::internal(format!("serializing the slice: {e}")))?;
    Ok(Slice {
        yaml,
        paths,
        components,
        stale,
        pruned,
    })
}

/// Step 1: the presence paths of every source, under their docs-style name; a path two
/// sources define differently is an error.
fn kept_paths<'a>(docs: &[Doc<'a>], first_label: &str) -> Result<KeptPaths<'a>, Error> {
    let mut kept = KeptPaths::new();
    for (label, doc) in docs {
        let paths = doc
            .get("paths")
            .and_then(Value::as_mapping)
            .ok_or_else(|| in_file(label, Error::invalid("/paths", "no `paths` mapping")))?;
        for (k, v) in paths {
            let Some(p) = k.as_str().filter(|p| is_kept_path(p)) else {
                continue;
            };
            let normalized = normalize_path(p);
            match kept.get(&normalized) {
                Some((other, other_label, other_path)) if other != v => {
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
                    kept.insert(normalized, (v.clone(), label, p.to_owned()));
                }
            }
        }
    }
    if kept.is_empty() {
        return Err(in_file(
            first_label,
            Error::invalid(
                "/paths",
                "no source has a path with a presence segment (`/presence`, `/presences`, `getPresencesByUserId`)",
            ),
        ));
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
    fn subscription_paths_are_kept() {
        assert!(is_subscription_path("/subscriptions"));
        assert!(is_subscription_path("/subscriptions/{subscription-id}"));
        assert!(is_subscription_path(
            "/subscriptions/{subscription-id}/microsoft.graph.reauthorize"
        ));
        assert!(!is_subscription_path("/subscriptionsX"));
        assert!(!is_subscription_path("/me/subscriptions"));
        assert!(!is_subscription_path("subscriptions"));
        assert!(is_kept_path("/subscriptions"));
        assert!(is_kept_path("/me/presence"));
        assert!(!is_kept_path("/me/messages"));
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
    fn paths_are_ordered_by_binding_then_name() {
        let mut doc: Value = crate::yaml::from_str(
            "paths:\n  /communications/presences/{id}: 1\n  /users/{id}/presence/x: 2\n  /me/presence/x: 3\n  /users/{id}/presence: 4\n  /other: 5\n",
        )
        .unwrap();
        order_paths(&mut doc);
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
