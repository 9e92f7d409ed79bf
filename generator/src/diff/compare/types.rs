//! Differences of types: kinds, fields, and whether a change breaks callers who build the type
//! (input types) or only read it.

use super::{Changes, rust_type};
use crate::diff::Area;
use crate::diff::rules;
use crate::ir::{Api, Field, TypeDef, TypeKind};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Alias { .. } => "type alias",
        TypeKind::Union { .. } => "union enum",
    }
}

pub(super) fn compare_types(old: &Api, new: &Api, inputs: &BTreeSet<String>, out: &mut Changes) {
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
pub(super) fn field_type(f: &Field) -> String {
    let ty = rust_type(&f.ty);
    if f.required && !f.nullable {
        ty
    } else {
        format!("Option<{ty}>")
    }
}

pub(super) fn presence(f: &Field) -> &'static str {
    if f.required { "required" } else { "optional" }
}

pub(super) fn compare_fields(
    item: &str,
    old: &[Field],
    new: &[Field],
    input: bool,
    out: &mut Changes,
) {
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
