//! Differences of operations: signatures, parameters, bindings, permissions, clouds, and the
//! navigation builders.

use super::{Changes, rust_type};
use crate::diff::Area;
use crate::diff::rules;
use crate::ir::{Api, Binding, Operation, RequestBody, SuccessBody};
use std::collections::BTreeMap;

pub(super) fn compare_operations(old: &Api, new: &Api, out: &mut Changes) {
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

pub(super) fn body_type(body: &Option<RequestBody>) -> String {
    match body {
        None => "none".into(),
        Some(b) if b.encoding == crate::ir::BodyEncoding::EmptyObject => "none (sends `{}`)".into(),
        Some(b) => format!("`&{}`", rust_type(&b.ty)),
    }
}

pub(super) fn success_type(body: &SuccessBody) -> String {
    match body {
        SuccessBody::Empty => "`()`".into(),
        SuccessBody::Json(t) => format!("`{}`", rust_type(t)),
        SuccessBody::Text => "`String`".into(),
        SuccessBody::Integer => "`i64`".into(),
        SuccessBody::Binary => "`Bytes`".into(),
    }
}

pub(super) fn compare_operation(name: &str, o: &Operation, n: &Operation, out: &mut Changes) {
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
    compare_paging(&item, o, n, out);
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

pub(super) fn compare_params(item: &str, o: &Operation, n: &Operation, out: &mut Changes) {
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

pub(super) fn permissions_text(b: &Binding) -> String {
    b.permissions
        .iter()
        .map(|p| format!("{}: {}", p.kind.key(), p.least))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn compare_bindings(item: &str, old: &[Binding], new: &[Binding], out: &mut Changes) {
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
pub(super) fn compare_clouds(item: &str, old: &[Binding], new: &[Binding], out: &mut Changes) {
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
pub(super) fn compare_builders(old: &Api, new: &Api, out: &mut Changes) {
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

/// The `*_stream` methods: gained, lost, or yielding another item type.
fn compare_paging(item: &str, o: &Operation, n: &Operation, out: &mut Changes) {
    let item_type = |op: &Operation| op.paging.as_ref().map(|p| rust_type(&p.item));
    match (item_type(o), item_type(n)) {
        (None, Some(new)) => out.push(
            Area::Operation,
            item,
            format!("now pages: a `*_stream` method yielding `{new}` added"),
            rules::ADDED,
        ),
        (Some(old), None) => out.push(
            Area::Operation,
            item,
            format!("no longer pages: its `*_stream` method (yielding `{old}`) removed"),
            rules::REMOVED,
        ),
        (Some(old), Some(new)) if old != new => out.push(
            Area::Operation,
            item,
            format!("stream items `{old}` → `{new}`"),
            rules::SIGNATURE_CHANGED,
        ),
        _ => {}
    }
}
