//! Which operations page: those whose success body is a collection, an object with a `value`
//! array and an `@odata.nextLink` string. Each such binding gets a `*_stream` method beside its
//! one-page method.
//!
//! The shape decides, not `x-ms-pageable`: Microsoft's documents mark some collections and not
//! others, and a collection with a next link pages whether or not it is marked. The rule reads
//! the lowered struct, so `allOf` bases (upstream's `BaseCollectionPaginationCountResponse`
//! carries the next link) count like properties written in place.

use crate::ir::{Paging, SuccessBody, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// How many aliases are followed before giving up; a cycle of aliases is not a collection.
const MAX_ALIASES: usize = 16;

/// The paging of an operation returning `body`, given the types lowered so far.
pub(super) fn paging_of(body: &SuccessBody, types: &BTreeMap<String, TypeDef>) -> Option<Paging> {
    let SuccessBody::Json(TypeRef::Named(mut name)) = body.clone() else {
        return None;
    };
    for _ in 0..MAX_ALIASES {
        let def = types.get(&name)?;
        match &def.kind {
            TypeKind::Alias {
                target: TypeRef::Named(target),
            } => name = target.clone(),
            TypeKind::Struct { fields, .. } => {
                let field = |wire: &str| fields.iter().find(|f| f.wire_name == wire);
                let TypeRef::Vec(item) = &field("value")?.ty else {
                    return None;
                };
                if field("@odata.nextLink")?.ty != TypeRef::String {
                    return None;
                }
                return Some(Paging {
                    collection: name,
                    item: (**item).clone(),
                });
            }
            _ => return None,
        }
    }
    None
}
