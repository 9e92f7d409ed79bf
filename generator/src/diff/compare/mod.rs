//! The comparison itself: walks both IRs and records every difference with its rule.

mod operations;
mod types;

use super::rules::Rule;
use super::{Area, Change};
use crate::ir::{Api, TypeDef, TypeKind, TypeRef};
use operations::{compare_builders, compare_operations};
use std::collections::{BTreeMap, BTreeSet};
use types::compare_types;

/// The differences found so far.
pub(super) struct Changes(Vec<Change>);

impl Changes {
    pub(super) fn push(
        &mut self,
        area: Area,
        item: impl Into<String>,
        what: impl Into<String>,
        rule: Rule,
    ) {
        self.0.push(Change {
            severity: rule.0,
            area,
            item: item.into(),
            what: what.into(),
            why: rule.1,
        });
    }
}

pub fn compare(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Changes(Vec::new());
    compare_operations(old, new, &mut out);
    compare_builders(old, new, &mut out);
    let mut inputs = input_types(old);
    inputs.extend(input_types(new));
    compare_types(old, new, &inputs, &mut out);
    out.0
}

/// The Rust spelling of a type, for messages.
pub fn rust_type(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F32 => "f32".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::DateTime => "Timestamp".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Duration => "Duration".into(),
        TypeRef::Bytes => "Bytes".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Named(n) => n.clone(),
        TypeRef::Boxed(n) => format!("Box<{n}>"),
        TypeRef::Vec(t) => format!("Vec<{}>", rust_type(t)),
        TypeRef::Map(t) => format!("Map<String, {}>", rust_type(t)),
    }
}

/// A type with boxing removed: boxing a field to break a cycle is still a type change in Rust,
/// but the comparison of names must see through it to match types across versions.
fn named(ty: &TypeRef, out: &mut Vec<String>) {
    match ty {
        TypeRef::Named(n) | TypeRef::Boxed(n) => out.push(n.clone()),
        TypeRef::Vec(t) | TypeRef::Map(t) => named(t, out),
        _ => {}
    }
}

/// Names of the types a caller builds: request bodies, parameters, and what they contain.
fn input_types(api: &Api) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &TypeDef> = api
        .types
        .iter()
        .map(|t| (t.name.name.as_str(), t))
        .collect();
    let mut queue = Vec::new();
    for op in &api.operations {
        if let Some(body) = &op.body {
            named(&body.ty, &mut queue);
        }
        for p in &op.params {
            named(&p.ty, &mut queue);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        match by_name.get(name.as_str()).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => {
                fields.iter().for_each(|f| named(&f.ty, &mut queue))
            }
            Some(TypeKind::Alias { target }) => named(target, &mut queue),
            _ => {}
        }
    }
    seen
}
