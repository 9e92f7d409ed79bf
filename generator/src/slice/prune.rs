//! Tidying the sliced document: dropping what nothing reaches, ordering paths by binding.

use super::refs::{closure, pointer_token};
use super::selection::Selection;
use super::{METHODS, key};
use crate::error::Error;
use crate::yaml::{Mapping, Value};
use std::collections::BTreeSet;

/// Drops components (other than security schemes) and tags nothing in `paths` reaches, and
/// discriminator mapping entries pointing outside the fragment. Returns the dropped components.
pub(super) fn prune(
    document: &mut Value,
    all_tags: &[Value],
    owner: &str,
) -> Result<Vec<String>, Error> {
    let Value::Mapping(doc) = document else {
        return Ok(Vec::new());
    };
    let paths = doc.get("paths").cloned().unwrap_or(Value::Null);
    let components = doc
        .get("components")
        .and_then(Value::as_mapping)
        .cloned()
        .unwrap_or_default();
    let payloads = webhook_payload_roots(&components);
    let needed = closure([&paths, &payloads], owner, |kind, name| {
        Ok(components.get(kind).and_then(|m| m.get(name)).cloned())
    })
    .map_err(|mut e| {
        e.message.push_str(
            " once the overlay is applied; define it in the overlay or fix the reference",
        );
        e
    })?;
    let kept_refs: BTreeSet<String> = needed
        .keys()
        .map(|(k, n)| format!("#/components/{}/{}", pointer_token(k), pointer_token(n)))
        .collect();
    let mut pruned = Vec::new();
    let mut out_components = Mapping::new();
    for (kind, entries) in &components {
        let Some(kind_name) = kind.as_str() else {
            continue;
        };
        if kind_name == "securitySchemes" {
            out_components.insert(kind.clone(), entries.clone());
            continue;
        }
        let mut kept = Mapping::new();
        for (name, value) in entries.as_mapping().into_iter().flatten() {
            let Some(name) = name.as_str() else { continue };
            if needed.contains_key(&(kind_name.to_owned(), name.to_owned())) {
                let mut value = value.clone();
                prune_discriminators(&mut value, &kept_refs);
                kept.insert(key(name), value);
            } else {
                pruned.push(format!("{kind_name}/{name}"));
            }
        }
        if !kept.is_empty() {
            out_components.insert(kind.clone(), Value::Mapping(kept));
        }
    }
    if out_components.is_empty() {
        doc.remove("components");
    } else {
        doc.insert(key("components"), Value::Mapping(out_components));
    }
    // Tags: those the operations use, described by their first definition in the sources or
    // the overlay's own `tags` list.
    let own_tags: Vec<Value> = doc
        .get("tags")
        .and_then(Value::as_sequence)
        .cloned()
        .unwrap_or_default();
    let used = used_tags(&paths);
    let mut tags: Vec<Value> = Vec::new();
    let mut seen = BTreeSet::new();
    for tag in own_tags.iter().chain(all_tags) {
        if let Some(name) = tag.get("name").and_then(Value::as_str)
            && used.contains(name)
            && seen.insert(name.to_owned())
        {
            tags.push(tag.clone());
        }
    }
    if tags.is_empty() {
        doc.remove("tags");
    } else if doc.contains_key("tags") {
        doc.insert(key("tags"), Value::Sequence(tags));
    } else {
        // New key: place it before `paths`, where OpenAPI documents usually list it.
        let mut reordered = Mapping::new();
        for (k, v) in std::mem::take(doc) {
            if k.as_str() == Some("paths") {
                reordered.insert(key("tags"), Value::Sequence(tags.clone()));
            }
            reordered.insert(k, v);
        }
        *doc = reordered;
    }
    Ok(pruned)
}

/// Marks a schema Graph sends to the application's webhook rather than returns from a path
/// (`changeNotificationCollection`, ...): nothing in `paths` references it, yet the client
/// needs its type, so pruning keeps it and what it references.
pub const WEBHOOK_PAYLOAD: &str = "x-graph-webhook-payload";

/// `$ref`s to every component schema marked [`WEBHOOK_PAYLOAD`]`: true`, as extra roots for
/// pruning.
pub(super) fn webhook_payload_roots(components: &Mapping) -> Value {
    let refs = components
        .get("schemas")
        .and_then(Value::as_mapping)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| schema.get(WEBHOOK_PAYLOAD).and_then(Value::as_bool) == Some(true))
        .filter_map(|(name, _)| name.as_str())
        .map(|name| {
            let mut m = Mapping::new();
            m.insert(
                key("$ref"),
                Value::String(format!("#/components/schemas/{}", pointer_token(name))),
            );
            Value::Mapping(m)
        })
        .collect();
    Value::Sequence(refs)
}

/// Orders paths by the selection's first-segment `order` (for presence: `/me`, `/users`,
/// `/communications`, others), then by name, so the bindings of one action always come in the
/// same order whatever the sources' and the overlay's order (the generator lists an action's
/// bindings in document order).
pub(super) fn order_paths(document: &mut Value, selection: &Selection) {
    let Some(Value::Mapping(paths)) = document.get_mut("paths") else {
        return;
    };
    let mut entries: Vec<(Value, Value)> = std::mem::take(paths).into_iter().collect();
    entries.sort_by(|(a, _), (b, _)| {
        let a = a.as_str().unwrap_or_default();
        let b = b.as_str().unwrap_or_default();
        (selection.rank(a), a).cmp(&(selection.rank(b), b))
    });
    paths.extend(entries);
}

pub(super) fn used_tags(paths: &Value) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for item in paths.as_mapping().into_iter().flat_map(|m| m.values()) {
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
pub(super) fn prune_discriminators(value: &mut Value, kept: &BTreeSet<String>) {
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
