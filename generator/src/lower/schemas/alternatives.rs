//! `oneOf`/`anyOf`, the plain cases first: one meaningful alternative (the others only add
//! `null`) is that alternative; a `discriminator`, or scalars of distinct JSON kinds, stay a JSON
//! value the caller can inspect (as before unions existed, so Graph's output is unchanged).
//! Everything else becomes a named union enum by the rules of [`super::unions`].

use super::shapes::is_bare_nullable_object;
use super::{Context, TypeBuilder};
use crate::error::{Result, pointer_join};
use crate::ir::TypeRef;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// How a string-valued alternative constrains its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StringShape {
    Plain,
    Enum,
}

impl TypeBuilder<'_> {
    pub(super) fn alternatives(
        &mut self,
        schema: &Schema,
        alts: &[ReferenceOr<Schema>],
        pointer: &str,
        context: &Context,
        depth: usize,
    ) -> Result<TypeRef> {
        if let Some(ty) = self.plain_alternatives(schema, alts, pointer, context, depth)? {
            return Ok(ty);
        }
        self.new_named(context, pointer, schema, |b, name| {
            b.union_kind(name, alts, pointer, depth)
        })
    }

    /// The type of alternatives that need no union of their own, or `None`.
    pub(super) fn plain_alternatives(
        &mut self,
        schema: &Schema,
        alts: &[ReferenceOr<Schema>],
        pointer: &str,
        context: &Context,
        depth: usize,
    ) -> Result<Option<TypeRef>> {
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> = alts
            .iter()
            .enumerate()
            .filter(|(_, alt)| !is_bare_nullable_object(alt))
            .collect();
        if let [(index, only)] = meaningful.as_slice() {
            let at = pointer_join(pointer, &index.to_string());
            return match only {
                ReferenceOr::Reference { reference } => self.reference(reference, &at),
                ReferenceOr::Item(s) => self.inline(s, &at, context, depth + 1),
            }
            .map(Some);
        }
        // Graph spells a double that may arrive as text (`"NaN"`, `"INF"`, or a number in
        // IEEE754Compatible mode) as `oneOf: [number, string, $ref ReferenceNumeric]`, the last
        // being an enum of strings. Any string enum is a subset of a plain `string` alternative,
        // so it adds no JSON kind of its own: drop it before checking that the kinds differ.
        let has_plain_string = meaningful
            .iter()
            .any(|(_, alt)| self.string_shape(alt) == Some(StringShape::Plain));
        let kinds: Vec<Option<&'static str>> = meaningful
            .iter()
            .filter(|(_, alt)| {
                !(has_plain_string && self.string_shape(alt) == Some(StringShape::Enum))
            })
            .map(|(_, alt)| self.json_kind(alt))
            .collect();
        let distinct = kinds.iter().all(Option::is_some)
            && kinds
                .iter()
                .enumerate()
                .all(|(i, k)| !kinds[..i].contains(k));
        if schema.schema_data.discriminator.is_some() || distinct {
            return Ok(Some(TypeRef::Json));
        }
        Ok(None)
    }

    /// Whether a schema (following references) is any string or a closed set of strings.
    fn string_shape(&self, schema: &ReferenceOr<Schema>) -> Option<StringShape> {
        let schema = self.resolved(schema)?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.is_empty() => {
                Some(StringShape::Plain)
            }
            SchemaKind::Type(Type::String(_)) => Some(StringShape::Enum),
            // An enum without `type` (Graph's `ReferenceNumeric`) whose values are all strings.
            SchemaKind::Any(any)
                if any.typ.is_none()
                    && !any.enumeration.is_empty()
                    && any.enumeration.iter().all(serde_json::Value::is_string) =>
            {
                Some(StringShape::Enum)
            }
            _ => None,
        }
    }

    /// The JSON kind a schema validates, following references, when it is a single one.
    fn json_kind(&self, schema: &ReferenceOr<Schema>) -> Option<&'static str> {
        let schema = self.resolved(schema)?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => Some("string"),
            SchemaKind::Type(Type::Number(_)) | SchemaKind::Type(Type::Integer(_)) => {
                Some("number")
            }
            SchemaKind::Type(Type::Boolean(_)) => Some("boolean"),
            SchemaKind::Type(Type::Array(_)) => Some("array"),
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => Some("object"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, schema};
    use super::*;

    const SCHEMAS: &str = "item: {type: object}\nReferenceNumeric: {enum: [NaN, INF]}";

    fn lower(yaml: &str) -> Result<TypeRef> {
        let doc = doc(SCHEMAS);
        let mut types = TypeBuilder::new(&doc, &[]);
        let context = Context::property("Owner", "prop");
        types.inline(&schema(yaml), "/p", &context, 0)
    }

    #[test]
    fn a_reference_or_null_is_the_reference() {
        let ty =
            lower("{anyOf: [{$ref: '#/components/schemas/item'}, {type: object, nullable: true}]}");
        assert_eq!(ty.unwrap(), TypeRef::Named("Item".into()));
    }

    #[test]
    fn graphs_number_or_text_double_is_a_json_value() {
        let ty = lower(
            "{oneOf: [{type: number}, {type: string}, {$ref: '#/components/schemas/ReferenceNumeric'}]}",
        );
        assert_eq!(ty.unwrap(), TypeRef::Json);
    }

    #[test]
    fn alternatives_of_one_kind_are_a_raw_union_with_a_warning_naming_the_place() {
        let doc = doc(SCHEMAS);
        let mut types = TypeBuilder::new(&doc, &[]);
        let context = Context::property("Owner", "prop");
        let yaml = "{oneOf: [{type: string}, {type: string, format: date}]}";
        let ty = types.inline(&schema(yaml), "/p", &context, 0).unwrap();
        assert_eq!(ty, TypeRef::Named("OwnerProp".into()));
        let crate::ir::TypeKind::Union { rule, variants } = &types.types["OwnerProp"].kind else {
            panic!("not a union");
        };
        assert_eq!(*rule, crate::ir::UnionRule::Raw);
        assert_eq!(variants.len(), 2);
        assert_eq!(types.warnings.len(), 1);
        assert_eq!(types.warnings[0].pointer, "/p/oneOf");
        assert!(types.warnings[0].message.contains("cannot be told apart"));
    }
}
