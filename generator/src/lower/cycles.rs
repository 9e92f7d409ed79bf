//! Boxes the fields that make a type contain itself, so recursive schemas still have a size.

use crate::error::{Error, pointer_join};
use crate::ir::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

/// Named types a type holds by value (not behind a `Vec` or map, which already allocate).
fn direct_refs(ty: &TypeRef, out: &mut Vec<String>) {
    if let TypeRef::Named(n) = ty {
        out.push(n.clone());
    }
}

fn edges(def: &TypeDef) -> Vec<String> {
    let mut out = Vec::new();
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| direct_refs(&f.ty, &mut out)),
        TypeKind::Alias { target } => direct_refs(target, &mut out),
        TypeKind::Enum { .. } => {}
        TypeKind::Union { variants, .. } => {
            variants.iter().for_each(|v| direct_refs(&v.ty, &mut out))
        }
    }
    out
}

/// The JSON pointer of a type's source: component sources are `#/components/schemas/<key>`
/// with the key unescaped, inline ones are already pointers.
fn source_pointer(source: &str) -> String {
    match source.strip_prefix("#/components/schemas/") {
        Some(key) => pointer_join("/components/schemas", key),
        None => source.to_owned(),
    }
}

fn reaches(graph: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if seen.insert(node.clone())
            && let Some(next) = graph.get(&node)
        {
            stack.extend(next.iter().cloned());
        }
    }
    false
}

/// Replaces `Named(t)` by `Boxed(t)` in every struct field through which `t` leads back to the
/// struct; returns an error for an alias cycle, which no box can fix.
pub fn box_cycles(types: &mut BTreeMap<String, TypeDef>) -> Result<(), Error> {
    let graph: BTreeMap<String, Vec<String>> =
        types.iter().map(|(n, d)| (n.clone(), edges(d))).collect();
    for (name, def) in types.iter_mut() {
        match &mut def.kind {
            TypeKind::Struct { fields, .. } => {
                for field in fields {
                    if let TypeRef::Named(target) = &field.ty
                        && reaches(&graph, target, name)
                    {
                        field.ty = TypeRef::Boxed(target.clone());
                    }
                }
            }
            TypeKind::Union { variants, .. } => {
                for variant in variants {
                    if let TypeRef::Named(target) = &variant.ty
                        && reaches(&graph, target, name)
                    {
                        variant.ty = TypeRef::Boxed(target.clone());
                    }
                }
            }
            TypeKind::Alias {
                target: TypeRef::Named(target),
            } if reaches(&graph, target, name) => {
                return Err(Error::invalid(
                    source_pointer(&def.source),
                    format!(
                        "schema {:?} is only a $ref leading back to itself; a type cannot be just an alias of itself (give it properties to make it a recursive struct)",
                        def.source
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Field;

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: crate::ir::Ident::plain(name),
            wire_name: name.into(),
            docs: String::new(),
            ty,
            required: false,
            nullable: false,
            read_only: false,
            deprecated: false,
            takes_into: false,
            setter: None,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> (String, TypeDef) {
        (
            name.into(),
            TypeDef {
                name: crate::ir::Ident::plain(name),
                source: String::new(),
                docs: String::new(),
                kind: TypeKind::Struct {
                    fields,
                    extras_field: crate::ir::Ident::plain("x"),
                    derives: Vec::new(),
                    constructor: false,
                    wire: crate::ir::Wire::Derive,
                },
            },
        )
    }

    #[test]
    fn boxes_self_and_mutual_recursion_but_not_vectors() {
        let mut types: BTreeMap<_, _> = [
            strukt(
                "Node",
                vec![
                    field("next", TypeRef::Named("Node".into())),
                    field(
                        "kids",
                        TypeRef::Vec(Box::new(TypeRef::Named("Node".into()))),
                    ),
                ],
            ),
            strukt("A", vec![field("b", TypeRef::Named("B".into()))]),
            strukt("B", vec![field("a", TypeRef::Named("A".into()))]),
            strukt("Leaf", vec![field("a", TypeRef::Named("A".into()))]),
        ]
        .into_iter()
        .collect();
        box_cycles(&mut types).unwrap();
        let TypeKind::Struct { fields, .. } = &types["Node"].kind else {
            panic!()
        };
        assert_eq!(fields[0].ty, TypeRef::Boxed("Node".into()));
        assert!(matches!(fields[1].ty, TypeRef::Vec(_)));
        let TypeKind::Struct { fields, .. } = &types["A"].kind else {
            panic!()
        };
        assert_eq!(fields[0].ty, TypeRef::Boxed("B".into()));
        let TypeKind::Struct { fields, .. } = &types["Leaf"].kind else {
            panic!()
        };
        assert_eq!(fields[0].ty, TypeRef::Named("A".into()));
    }
}
