//! Decides which structs can derive `Default`: those whose required fields all have defaults.
//! Optional fields are `Option`s, so only required fields matter; enums have no natural default.

use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

fn has_default(ty: &TypeRef, defaults: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(n) | TypeRef::Boxed(n) => defaults.contains(n),
        TypeRef::Date => false,
        _ => true,
    }
}

/// Sets `default` on every struct that can derive `Default`, to a fixed point.
pub fn mark_defaults(types: &mut BTreeMap<String, TypeDef>) {
    let mut defaults: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = defaults.len();
        for (name, def) in types.iter() {
            let ok = match &def.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .all(|f| !f.required || f.nullable || has_default(&f.ty, &defaults)),
                TypeKind::Alias { target } => has_default(target, &defaults),
                TypeKind::Enum { .. } => false,
            };
            if ok {
                defaults.insert(name.clone());
            }
        }
        if defaults.len() == before {
            break;
        }
    }
    for (name, def) in types.iter_mut() {
        if let TypeKind::Struct { default, .. } = &mut def.kind {
            *default = defaults.contains(name);
        }
    }
}
