//! Schemas written in place (a property, an item, a parameter): scalars map to Rust types,
//! inline enums and objects get a named type of their own, maps and free objects become
//! `BTreeMap`s and JSON values.

use super::enums::{enum_kind, enum_values};
use super::{Context, TypeBuilder, check_depth, shapes};
use crate::error::{Error, Result, pointer_join};
use crate::ir::TypeRef;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

impl TypeBuilder<'_> {
    pub(super) fn inline(
        &mut self,
        schema: &Schema,
        pointer: &str,
        context: &Context,
        depth: usize,
    ) -> Result<TypeRef> {
        check_depth(depth, pointer, "schemas nested")?;
        if let Some(values) = enum_values(schema)
            && matches!(schema.schema_kind, SchemaKind::Type(Type::String(_)))
        {
            return self.new_named(context, pointer, schema, |_, _| Ok(enum_kind(&values)));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Ok(string_type(&s.format)),
            SchemaKind::Type(Type::Integer(i)) => Ok(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Ok(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                VariantOrUnknownOrEmpty::Unknown(f) => number_type(Some(f)),
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.type_of_boxed(
                        items,
                        &pointer_join(pointer, "items"),
                        &context.item(),
                        depth + 1,
                    )?,
                    None => TypeRef::Json,
                };
                Ok(TypeRef::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map_or_json(o.additional_properties.as_ref(), pointer, context, depth)
            }
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => {
                if let SchemaKind::AllOf { all_of } = &schema.schema_kind
                    && let [ReferenceOr::Reference { reference }] = all_of.as_slice()
                {
                    // `allOf: [$ref]` only decorates a reference (adds a description).
                    return self.reference(
                        reference,
                        &pointer_join(&pointer_join(pointer, "allOf"), "0"),
                    );
                }
                self.new_named(context, pointer, schema, |b, name| {
                    b.named_kind(name, schema, pointer, depth + 1)
                })
            }
            SchemaKind::OneOf { one_of: alts } => self.alternatives(
                schema,
                alts,
                &pointer_join(pointer, "oneOf"),
                context,
                depth,
            ),
            SchemaKind::AnyOf { any_of: alts } => self.alternatives(
                schema,
                alts,
                &pointer_join(pointer, "anyOf"),
                context,
                depth,
            ),
            SchemaKind::Not { .. } => Err(Error::unsupported(
                pointer,
                "`not` schemas cannot be expressed as a Rust type",
            )),
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || !any.all_of.is_empty() {
                    return self.new_named(context, pointer, schema, |b, name| {
                        b.named_kind(name, schema, pointer, depth + 1)
                    });
                }
                if !any.one_of.is_empty() || !any.any_of.is_empty() {
                    let (key, alts) = if any.one_of.is_empty() {
                        ("anyOf", &any.any_of)
                    } else {
                        ("oneOf", &any.one_of)
                    };
                    let at = pointer_join(pointer, key);
                    return self.alternatives(schema, alts, &at, context, depth);
                }
                if let Some(items) = &any.items {
                    let at = pointer_join(pointer, "items");
                    let item = self.type_of_boxed(items, &at, &context.item(), depth + 1)?;
                    return Ok(TypeRef::Vec(Box::new(item)));
                }
                let format = any.format.as_deref();
                match any.typ.as_deref() {
                    Some("string") => Ok(match format {
                        Some("date-time") => TypeRef::DateTime,
                        Some("date") => TypeRef::Date,
                        Some("duration") => TypeRef::Duration,
                        _ => TypeRef::String,
                    }),
                    Some("integer") if format == Some("int32") => Ok(TypeRef::I32),
                    Some("integer") => Ok(TypeRef::I64),
                    Some("number") => Ok(number_type(format)),
                    Some("boolean") => Ok(TypeRef::Bool),
                    Some("object") | None => self.map_or_json(
                        any.additional_properties.as_ref(),
                        pointer,
                        context,
                        depth,
                    ),
                    Some(other) => Err(Error::unsupported(
                        pointer,
                        format!("schema type {other:?}"),
                    )),
                }
            }
        }
    }

    /// An object without properties: a map when `additionalProperties` describes the values,
    /// otherwise any JSON value.
    fn map_or_json(
        &mut self,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        context: &Context,
        depth: usize,
    ) -> Result<TypeRef> {
        let Some(AdditionalProperties::Schema(s)) = additional else {
            return Ok(TypeRef::Json);
        };
        // Graph writes `additionalProperties: {type: object}` on every object; that says nothing
        // about the values, so it stays a JSON object rather than a map of maps.
        if shapes::is_graph_object_marker(additional) {
            return Ok(TypeRef::Json);
        }
        let value_ptr = pointer_join(pointer, "additionalProperties");
        let value = match s.as_ref() {
            ReferenceOr::Reference { reference } => self.reference(reference, &value_ptr)?,
            ReferenceOr::Item(inner) => {
                self.inline(inner, &value_ptr, &context.value(), depth + 1)?
            }
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// Whether a schema (following a local reference) is a whole number: Graph's `$count`
    /// answers `text/plain` with `ODataCountResponse`, an integer.
    pub fn is_integer(&self, schema: &ReferenceOr<Schema>) -> bool {
        match self.resolved(schema).map(|s| &s.schema_kind) {
            Some(SchemaKind::Type(Type::Integer(_))) => true,
            Some(SchemaKind::Type(Type::Number(n))) => matches!(
                &n.format,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "int32" || f == "int64"
            ),
            _ => false,
        }
    }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "duration" => TypeRef::Duration,
        _ => TypeRef::String,
    }
}

/// `type: number`: newer Graph documents write Edm.Int32/Int64 as a number with an integer
/// format; the values are whole numbers, and an `f64` would print `3.0`.
fn number_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("int32") => TypeRef::I32,
        Some("int64") => TypeRef::I64,
        _ => TypeRef::F64,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, schema};
    use super::*;

    fn lower(yaml: &str) -> (TypeRef, Vec<String>) {
        let doc = doc("item: {type: object}");
        let mut types = TypeBuilder::new(&doc, &[]);
        let context = Context::property("Owner", "prop");
        let ty = types.inline(&schema(yaml), "/p", &context, 0).unwrap();
        (ty, types.types.keys().cloned().collect())
    }

    #[test]
    fn scalars_map_to_rust_types_by_format() {
        for (yaml, expected) in [
            ("{type: string}", TypeRef::String),
            ("{type: string, format: date-time}", TypeRef::DateTime),
            ("{type: string, format: duration}", TypeRef::Duration),
            ("{type: integer, format: int32}", TypeRef::I32),
            ("{type: integer}", TypeRef::I64),
            ("{type: number, format: int64}", TypeRef::I64),
            ("{type: number, format: float}", TypeRef::F32),
            ("{type: number, format: double}", TypeRef::F64),
            ("{type: boolean}", TypeRef::Bool),
        ] {
            assert_eq!(lower(yaml).0, expected, "{yaml}");
        }
    }

    #[test]
    fn maps_arrays_and_free_objects() {
        assert_eq!(
            lower("{type: object, additionalProperties: {type: integer}}").0,
            TypeRef::Map(Box::new(TypeRef::I64))
        );
        assert_eq!(
            lower("{type: object, additionalProperties: {type: object}}").0,
            TypeRef::Json
        );
        assert_eq!(lower("{type: object}").0, TypeRef::Json);
        assert_eq!(
            lower("{type: array, items: {$ref: '#/components/schemas/item'}}").0,
            TypeRef::Vec(Box::new(TypeRef::Named("Item".into())))
        );
    }

    #[test]
    fn inline_enums_and_objects_are_named_after_where_they_are_used() {
        let (ty, names) = lower("{type: string, enum: [a]}");
        assert_eq!(ty, TypeRef::Named("OwnerProp".into()));
        assert!(names.contains(&"OwnerProp".to_owned()));
        let (ty, _) =
            lower("{type: array, items: {type: object, properties: {x: {type: string}}}}");
        assert_eq!(
            ty,
            TypeRef::Vec(Box::new(TypeRef::Named("OwnerPropItem".into())))
        );
    }

    #[test]
    fn not_schemas_and_unknown_types_are_refused_with_the_place() {
        let doc = doc("item: {type: object}");
        let mut types = TypeBuilder::new(&doc, &[]);
        let context = Context::property("Owner", "prop");
        let err = types
            .inline(&schema("{not: {type: string}}"), "/here", &context, 0)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`not` schemas") && err.contains("/here"),
            "{err}"
        );
    }
}
