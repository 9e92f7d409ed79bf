//! Heuristics that read Graph's spelling of a schema: which objects are structs, which
//! `additionalProperties` are only markers, which alternatives only add `null`.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

/// Graph's `{type: object, nullable: true}` alternative that only makes a reference nullable.
pub fn is_bare_nullable_object(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable && matches!(&s.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.is_empty()))
}

/// `anyOf`/`oneOf` with a bare nullable object among the alternatives: the value may be `null`.
pub fn is_nullable_alternatives(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::AnyOf { any_of: alts } | SchemaKind::OneOf { one_of: alts } => {
            alts.iter().any(is_bare_nullable_object)
        }
        _ => false,
    }
}

/// `{type: object}` with no properties and no `additionalProperties`.
pub fn is_empty_object(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() && o.additional_properties.is_none())
}

/// `additionalProperties: {type: object}` (or `true`, or nothing): Graph writes it on every
/// object, and it says nothing about the values, so it does not make the object a map.
pub fn is_graph_object_marker(additional: Option<&AdditionalProperties>) -> bool {
    match additional {
        Some(AdditionalProperties::Any(_)) | None => true,
        Some(AdditionalProperties::Schema(s)) => {
            matches!(s.as_ref(), ReferenceOr::Item(inner) if is_empty_object(inner))
        }
    }
}

/// Whether a schema with a name of its own is a struct (properties, `allOf`, or an object that
/// is not a map); anything else becomes an alias of its type.
pub fn is_struct(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            !o.properties.is_empty() || is_graph_object_marker(o.additional_properties.as_ref())
        }
        SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => !any.properties.is_empty() || !any.all_of.is_empty(),
        _ => false,
    }
}

/// Objects (with or without properties) and `allOf`s other than a decorated `$ref`: what a
/// body gets a struct of its own for.
pub fn is_object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => {
            !matches!(all_of.as_slice(), [ReferenceOr::Reference { .. }])
        }
        _ => is_struct(schema),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::schema;
    use super::*;

    #[test]
    fn graphs_object_marker_is_not_a_map() {
        let marker = schema("{type: object, additionalProperties: {type: object}}");
        assert!(is_struct(&marker));
        let map = schema("{type: object, additionalProperties: {type: string}}");
        assert!(!is_struct(&map));
        assert!(!is_object_like(&map));
    }

    #[test]
    fn a_bare_nullable_object_only_adds_null() {
        let nullable = schema("{anyOf: [{$ref: '#/x'}, {type: object, nullable: true}]}");
        assert!(is_nullable_alternatives(&nullable));
        let plain = schema("{anyOf: [{$ref: '#/x'}, {type: string}]}");
        assert!(!is_nullable_alternatives(&plain));
    }

    #[test]
    fn an_all_of_that_only_decorates_a_reference_is_not_a_new_body_type() {
        assert!(!is_object_like(&schema("{allOf: [{$ref: '#/x'}]}")));
        assert!(is_object_like(&schema(
            "{allOf: [{$ref: '#/x'}, {type: object}]}"
        )));
        assert!(is_object_like(&schema("{type: object}")));
        assert!(!is_object_like(&schema("{type: string}")));
    }
}
