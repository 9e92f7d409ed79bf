//! Decides which structs derive `Default`, which use the runtime's JSON impls, and which
//! constructor arguments take `impl Into<T>`.
//!
//! `Default` only where every field is optional: a default for a required field would send a
//! made-up value (`"sessionId": ""`). Structs with a required field get `new` instead.
//! The same all-optional structs read and write JSON through the runtime's shared
//! `object_impls!` ([`Wire::Runtime`]): every field is an `Option` left out when `None`, which
//! is all that reader and writer need; structs with a required field keep serde's derives,
//! which report a missing field.

use crate::ir::{Derive, TypeDef, TypeKind, TypeRef, Wire};
use std::collections::{BTreeMap, BTreeSet};

/// Adds `Default` to the derives of every struct without a required field, and moves its
/// JSON impls from serde's derives to the runtime's.
pub fn mark_defaults(types: &mut BTreeMap<String, TypeDef>) {
    for def in types.values_mut() {
        if let TypeKind::Struct {
            fields,
            derives,
            wire,
            ..
        } = &mut def.kind
            && fields.iter().all(|f| !f.required)
        {
            derives.retain(|d| !matches!(d, Derive::Serialize | Derive::Deserialize));
            *wire = Wire::Runtime;
        }
        if let TypeKind::Struct {
            fields, derives, ..
        } = &mut def.kind
            && fields.iter().all(|f| !f.required)
            && !derives.contains(&Derive::Default)
        {
            // Right after `PartialEq`, where a reader expects it among the std derives.
            let at = derives
                .iter()
                .position(|d| *d > Derive::Default)
                .unwrap_or(derives.len());
            derives.insert(at, Derive::Default);
        }
    }
}

/// Marks the fields whose constructor argument and setter take `impl Into<T>`: strings and
/// string enums, so `"id"` and `Availability::Busy` both work without `.into()`.
pub fn mark_takes_into(types: &mut BTreeMap<String, TypeDef>) {
    let enums: BTreeSet<String> = types
        .iter()
        .filter(|(_, def)| matches!(def.kind, TypeKind::Enum { .. }))
        .map(|(name, _)| name.clone())
        .collect();
    for def in types.values_mut() {
        if let TypeKind::Struct { fields, .. } = &mut def.kind {
            for field in fields {
                field.takes_into = match &field.ty {
                    TypeRef::String => true,
                    TypeRef::Named(name) => enums.contains(name),
                    _ => false,
                };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, Ident};

    fn field(name: &str, ty: TypeRef, required: bool) -> Field {
        Field {
            name: Ident::plain(name),
            wire_name: name.into(),
            docs: String::new(),
            ty,
            required,
            nullable: false,
            read_only: false,
            deprecated: false,
            takes_into: false,
            setter: None,
        }
    }

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        let def = TypeDef {
            name: Ident::plain(name),
            source: String::new(),
            docs: String::new(),
            kind,
        };
        (name.to_owned(), def)
    }

    fn strukt(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        let derives = vec![Derive::Debug, Derive::PartialEq, Derive::Serialize];
        let kind = TypeKind::Struct {
            fields,
            extras_field: Ident::plain("x"),
            derives,
            constructor: false,
            wire: Wire::Derive,
        };
        def(name, kind)
    }

    fn types() -> BTreeMap<String, TypeDef> {
        [
            strukt("Optional", vec![field("a", TypeRef::String, false)]),
            strukt(
                "Required",
                vec![
                    field("session_id", TypeRef::String, true),
                    field("level", TypeRef::Named("Level".into()), false),
                    field("other", TypeRef::Named("Optional".into()), false),
                    field("count", TypeRef::I32, false),
                ],
            ),
            def(
                "Level",
                TypeKind::Enum {
                    variants: vec![],
                    fallback: Ident::plain("Other"),
                },
            ),
        ]
        .into_iter()
        .collect()
    }

    fn derives(def: &TypeDef) -> &[Derive] {
        match &def.kind {
            TypeKind::Struct { derives, .. } => derives,
            _ => panic!(),
        }
    }

    fn wire(def: &TypeDef) -> Wire {
        match &def.kind {
            TypeKind::Struct { wire, .. } => *wire,
            _ => panic!(),
        }
    }

    #[test]
    fn only_structs_without_required_fields_derive_default_in_std_order() {
        let mut types = types();
        mark_defaults(&mut types);
        assert_eq!(
            derives(&types["Optional"]),
            [Derive::Debug, Derive::PartialEq, Derive::Default]
        );
        assert!(!derives(&types["Required"]).contains(&Derive::Default));
    }

    #[test]
    fn all_optional_structs_use_the_runtime_impls_and_required_ones_serde_derives() {
        let mut types = types();
        mark_defaults(&mut types);
        assert_eq!(wire(&types["Optional"]), Wire::Runtime);
        assert!(!derives(&types["Optional"]).contains(&Derive::Serialize));
        assert_eq!(wire(&types["Required"]), Wire::Derive);
        assert!(derives(&types["Required"]).contains(&Derive::Serialize));
    }

    #[test]
    fn strings_and_enums_are_taken_as_into() {
        let mut types = types();
        mark_takes_into(&mut types);
        let TypeKind::Struct { fields, .. } = &types["Required"].kind else {
            panic!()
        };
        let into: Vec<bool> = fields.iter().map(|f| f.takes_into).collect();
        assert_eq!(into, [true, true, false, false]);
    }
}
