//! The comparison itself: walks both IRs and records every difference with its rule.

use super::rules::{self, Rule};
use super::{Area, Change};
use crate::ir::{
    Api, Binding, Field, Operation, RequestBody, SuccessBody, TypeDef, TypeKind, TypeRef,
};
use std::collections::{BTreeMap, BTreeSet};

struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, area: Area, item: impl Into<String>, what: impl Into<String>, rule: Rule) {
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

fn compare_operations(old: &Api, new: &Api, out: &mut Changes) {
    let old_ops: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.method_name.as_str(), o))
        .collect();
    let new_ops: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.method_name.as_str(), o))
        .collect();
    for (name, o) in &old_ops {
        if !new_ops.contains_key(name) {
            out.push(
                Area::Operation,
                *name,
                format!(
                    "operation removed (`{} {}`)",
                    o.http_method.as_str(),
                    o.action
                ),
                rules::REMOVED,
            );
        }
    }
    for (name, n) in &new_ops {
        match old_ops.get(name) {
            None => out.push(
                Area::Operation,
                *name,
                format!(
                    "operation added (`{} {}`)",
                    n.http_method.as_str(),
                    n.action
                ),
                rules::ADDED,
            ),
            Some(o) => compare_operation(name, o, n, out),
        }
    }
}

fn body_type(body: &Option<RequestBody>) -> String {
    match body {
        None => "none".into(),
        Some(b) if b.encoding == crate::ir::BodyEncoding::EmptyObject => "none (sends `{}`)".into(),
        Some(b) => format!("`&{}`", rust_type(&b.ty)),
    }
}

fn success_type(body: &SuccessBody) -> String {
    match body {
        SuccessBody::Empty => "`()`".into(),
        SuccessBody::Json(t) => format!("`{}`", rust_type(t)),
        SuccessBody::Text => "`String`".into(),
        SuccessBody::Integer => "`i64`".into(),
        SuccessBody::Binary => "`Bytes`".into(),
    }
}

fn compare_operation(name: &str, o: &Operation, n: &Operation, out: &mut Changes) {
    let item = name.to_owned();
    if o.body.as_ref().map(|b| &b.ty) != n.body.as_ref().map(|b| &b.ty) {
        out.push(
            Area::Operation,
            &item,
            format!(
                "request body {} → {}",
                body_type(&o.body),
                body_type(&n.body)
            ),
            rules::SIGNATURE_CHANGED,
        );
    }
    if o.success.body != n.success.body {
        out.push(
            Area::Operation,
            &item,
            format!(
                "returns {} → {}",
                success_type(&o.success.body),
                success_type(&n.success.body)
            ),
            rules::SIGNATURE_CHANGED,
        );
    }
    compare_params(&item, o, n, out);
    compare_bindings(&item, &o.bindings, &n.bindings, out);
    if o.error_statuses != n.error_statuses {
        out.push(
            Area::Operation,
            &item,
            format!(
                "documented error statuses [{}] → [{}]",
                o.error_statuses.join(", "),
                n.error_statuses.join(", ")
            ),
            rules::DOCS_ONLY,
        );
    }
    if o.deprecated != n.deprecated {
        let what = if n.deprecated {
            "now deprecated"
        } else {
            "no longer deprecated"
        };
        out.push(Area::Operation, &item, what, rules::DOCS_ONLY);
    }
}

fn compare_params(item: &str, o: &Operation, n: &Operation, out: &mut Changes) {
    for p in &o.params {
        match n.params.iter().find(|q| q.wire_name == p.wire_name) {
            None => out.push(
                Area::Operation,
                item,
                format!("parameter `{}` removed", p.name),
                rules::SIGNATURE_CHANGED,
            ),
            Some(q) if q.ty != p.ty || q.required != p.required || q.name != p.name => out.push(
                Area::Operation,
                item,
                format!(
                    "parameter `{}: {}`{} → `{}: {}`{}",
                    p.name,
                    rust_type(&p.ty),
                    if p.required { "" } else { " (optional)" },
                    q.name,
                    rust_type(&q.ty),
                    if q.required { "" } else { " (optional)" },
                ),
                rules::SIGNATURE_CHANGED,
            ),
            Some(_) => {}
        }
    }
    for q in &n.params {
        if !o.params.iter().any(|p| p.wire_name == q.wire_name) {
            out.push(
                Area::Operation,
                item,
                format!(
                    "{} parameter `{}: {}` added",
                    if q.required { "required" } else { "optional" },
                    q.name,
                    rust_type(&q.ty)
                ),
                rules::INPUT_FIELD_ADDED,
            );
        }
    }
}

fn permissions_text(b: &Binding) -> String {
    b.permissions
        .iter()
        .map(|p| format!("{}: {}", p.kind.key(), p.least))
        .collect::<Vec<_>>()
        .join(", ")
}

fn compare_bindings(item: &str, old: &[Binding], new: &[Binding], out: &mut Changes) {
    for b in old {
        match new.iter().find(|c| c.path == b.path) {
            None => out.push(
                Area::Operation,
                item,
                format!("binding `{}` removed (`{}`)", b.path, b.call),
                rules::BINDING_REMOVED,
            ),
            Some(c) => {
                if b.call != c.call {
                    out.push(
                        Area::Operation,
                        item,
                        format!(
                            "`{}` is now called as `{}` (was `{}`)",
                            b.path, c.call, b.call
                        ),
                        rules::SIGNATURE_CHANGED,
                    );
                }
                if permissions_text(b) != permissions_text(c) {
                    out.push(
                        Area::Operation,
                        item,
                        format!(
                            "`{}` least-privileged permissions [{}] → [{}]",
                            b.path,
                            permissions_text(b),
                            permissions_text(c)
                        ),
                        rules::DOCS_ONLY,
                    );
                }
            }
        }
    }
    compare_clouds(item, old, new, out);
    for c in new {
        if !old.iter().any(|b| b.path == c.path) {
            out.push(
                Area::Operation,
                item,
                format!("binding `{}` added (`{}`)", c.path, c.call),
                rules::BINDING_ADDED,
            );
        }
    }
}

/// Cloud availability, one line per binding, or one for the method when every binding it
/// keeps changed the same way (the usual case: clouds are decided per action).
fn compare_clouds(item: &str, old: &[Binding], new: &[Binding], out: &mut Changes) {
    let mut per_binding: Vec<(&str, Vec<&'static str>, Vec<&'static str>)> = Vec::new();
    for b in old {
        let Some(c) = new.iter().find(|c| c.path == b.path) else {
            continue;
        };
        let (Some(bc), Some(cc)) = (&b.clouds, &c.clouds) else {
            continue;
        };
        let removed = bc.iter().filter(|x| !cc.contains(x)).map(|x| x.label());
        let added = cc.iter().filter(|x| !bc.contains(x)).map(|x| x.label());
        per_binding.push((&b.path, removed.collect(), added.collect()));
    }
    let uniform = per_binding.len() > 1
        && per_binding
            .iter()
            .all(|(_, r, a)| *r == per_binding[0].1 && *a == per_binding[0].2);
    let lines: Vec<(String, &Vec<&str>, &Vec<&str>)> = if uniform {
        let (_, r, a) = &per_binding[0];
        vec![("every binding".to_owned(), r, a)]
    } else {
        per_binding
            .iter()
            .map(|(p, r, a)| (format!("`{p}`"), r, a))
            .collect()
    };
    for (scope, removed, added) in lines {
        if !removed.is_empty() {
            out.push(
                Area::Operation,
                item,
                format!("{scope}: no longer available in {}", removed.join(", ")),
                rules::CLOUD_REMOVED,
            );
        }
        if !added.is_empty() {
            out.push(
                Area::Operation,
                item,
                format!("{scope}: now available in {}", added.join(", ")),
                rules::CLOUD_ADDED,
            );
        }
    }
}

/// Builders are compared by how a caller reaches them (`user(user_id).presence()`).
fn compare_builders(old: &Api, new: &Api, out: &mut Changes) {
    let calls = |api: &Api| -> BTreeMap<String, String> {
        api.nodes
            .iter()
            .skip(1)
            .map(|n| (n.call.clone(), n.path.clone()))
            .collect()
    };
    let (old_calls, new_calls) = (calls(old), calls(new));
    for (call, path) in &old_calls {
        if !new_calls.contains_key(call) {
            out.push(
                Area::Builder,
                format!("`{call}`"),
                format!("builder for `{path}` removed"),
                rules::REMOVED,
            );
        }
    }
    for (call, path) in &new_calls {
        if !old_calls.contains_key(call) {
            out.push(
                Area::Builder,
                format!("`{call}`"),
                format!("builder for `{path}` added"),
                rules::ADDED,
            );
        }
    }
}
fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Alias { .. } => "type alias",
    }
}

fn compare_types(old: &Api, new: &Api, inputs: &BTreeSet<String>, out: &mut Changes) {
    let old_types: BTreeMap<&str, &TypeDef> = old
        .types
        .iter()
        .map(|t| (t.name.name.as_str(), t))
        .collect();
    let new_types: BTreeMap<&str, &TypeDef> = new
        .types
        .iter()
        .map(|t| (t.name.name.as_str(), t))
        .collect();
    for (name, t) in &old_types {
        if !new_types.contains_key(name) {
            out.push(
                Area::Type,
                *name,
                format!("{} removed", kind_name(&t.kind)),
                rules::REMOVED,
            );
        }
    }
    for (name, u) in &new_types {
        let Some(t) = old_types.get(name) else {
            out.push(
                Area::Type,
                *name,
                format!("{} added", kind_name(&u.kind)),
                rules::ADDED,
            );
            continue;
        };
        match (&t.kind, &u.kind) {
            (TypeKind::Struct { fields: a, .. }, TypeKind::Struct { fields: b, .. }) => {
                compare_fields(name, a, b, inputs.contains(*name), out)
            }
            (
                TypeKind::Enum {
                    variants: a,
                    fallback: fa,
                },
                TypeKind::Enum {
                    variants: b,
                    fallback: fb,
                },
            ) => {
                for v in a.iter().filter(|v| !b.iter().any(|w| w.name == v.name)) {
                    out.push(
                        Area::Type,
                        *name,
                        format!("variant `{}` (`{}`) removed", v.name, v.wire_value),
                        rules::REMOVED,
                    );
                }
                for w in b.iter().filter(|w| !a.iter().any(|v| v.name == w.name)) {
                    out.push(
                        Area::Type,
                        *name,
                        format!("variant `{}` (`{}`) added", w.name, w.wire_value),
                        rules::ENUM_VARIANT_ADDED,
                    );
                }
                if fa != fb {
                    out.push(
                        Area::Type,
                        *name,
                        format!("fallback variant `{fa}` renamed `{fb}`"),
                        rules::REMOVED,
                    );
                }
            }
            (TypeKind::Alias { target: a }, TypeKind::Alias { target: b }) if a != b => out.push(
                Area::Type,
                *name,
                format!("alias of `{}` → `{}`", rust_type(a), rust_type(b)),
                rules::TYPE_CHANGED,
            ),
            (a, b) if kind_name(a) != kind_name(b) => out.push(
                Area::Type,
                *name,
                format!("{} → {}", kind_name(a), kind_name(b)),
                rules::TYPE_CHANGED,
            ),
            _ => {}
        }
    }
}

/// The field's Rust type after optionality: `Option<T>` unless required and not nullable.
fn field_type(f: &Field) -> String {
    let ty = rust_type(&f.ty);
    if f.required && !f.nullable {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

fn presence(f: &Field) -> &'static str {
    if f.required { "required" } else { "optional" }
}

fn compare_fields(item: &str, old: &[Field], new: &[Field], input: bool, out: &mut Changes) {
    for f in old {
        let Some(g) = new.iter().find(|g| g.wire_name == f.wire_name) else {
            out.push(
                Area::Type,
                item,
                format!("field `{}: {}` removed", f.name, field_type(f)),
                rules::REMOVED,
            );
            continue;
        };
        if f.name != g.name || field_type(f) != field_type(g) {
            out.push(
                Area::Type,
                item,
                format!(
                    "field `{}: {}` ({}) → `{}: {}` ({})",
                    f.name,
                    field_type(f),
                    presence(f),
                    g.name,
                    field_type(g),
                    presence(g)
                ),
                rules::TYPE_CHANGED,
            );
        } else if f.required != g.required {
            out.push(
                Area::Type,
                item,
                format!("field `{}` {} → {}", f.name, presence(f), presence(g)),
                rules::OPTIONALITY_WIRE_ONLY,
            );
        }
        if f.deprecated != g.deprecated {
            let what = if g.deprecated {
                "now deprecated"
            } else {
                "no longer deprecated"
            };
            out.push(
                Area::Type,
                item,
                format!("field `{}` {what}", g.name),
                rules::DOCS_ONLY,
            );
        }
    }
    for g in new {
        if !old.iter().any(|f| f.wire_name == g.wire_name) {
            out.push(
                Area::Type,
                item,
                format!(
                    "{} field `{}: {}` added",
                    presence(g),
                    g.name,
                    field_type(g)
                ),
                if input {
                    rules::INPUT_FIELD_ADDED
                } else {
                    rules::OUTPUT_FIELD_ADDED
                },
            );
        }
    }
}
