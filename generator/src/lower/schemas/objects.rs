//! Named types from object schemas: Graph's entity inheritance (`allOf: [$ref base, {own
//! properties}]`) is flattened into one struct, with the base's properties first; a property a
//! derived schema redefines replaces the base's in place. Every struct keeps unknown properties
//! in a catch-all field, because Graph adds properties over time.

use super::docs::{Context, field_docs, spec_text};
use super::enums::{enum_kind, enum_values};
use super::shapes::{is_nullable_alternatives, is_struct};
use super::{TypeBuilder, check_depth};
use crate::error::{Error, Result, pointer_join};
use crate::ir::{Derive, Field, TypeKind};
use crate::lower::naming::{self, NameSet};
use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// What every struct derives; `Default` is added later, where every field may be left out
/// (see `lower::defaults`).
const STRUCT_DERIVES: [Derive; 5] = [
    Derive::Debug,
    Derive::Clone,
    Derive::PartialEq,
    Derive::Serialize,
    Derive::Deserialize,
];

/// The parts of an object schema `collect_props` reads: properties, required names, `allOf`.
type ObjectParts<'a> = (
    Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    &'a [String],
    &'a [ReferenceOr<Schema>],
);

/// The pointer (`<pointer>/oneOf`) and alternatives of a `oneOf`/`anyOf` schema.
fn alternatives_of<'s>(
    schema: &'s Schema,
    pointer: &str,
) -> Option<(String, &'s [ReferenceOr<Schema>])> {
    let (key, alts) = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => ("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
        SchemaKind::Any(any) if any.properties.is_empty() && any.all_of.is_empty() => {
            if !any.one_of.is_empty() {
                ("oneOf", &any.one_of)
            } else if !any.any_of.is_empty() {
                ("anyOf", &any.any_of)
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some((pointer_join(pointer, key), alts))
}

/// A property collected from a schema (and the schemas it extends), before naming.
struct Prop<'a> {
    wire_name: String,
    schema: &'a ReferenceOr<Box<Schema>>,
    pointer: String,
    required: bool,
}

impl<'a> TypeBuilder<'a> {
    /// The kind of a type that has a name (a component or an inline object/enum).
    pub(super) fn named_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeKind> {
        check_depth(depth, pointer, "schemas nested")?;
        if let Some(values) = enum_values(schema) {
            return Ok(enum_kind(&values));
        }
        if let Some(alts) = alternatives_of(schema, pointer) {
            // A named `oneOf`/`anyOf` is the union itself, not an alias of one named elsewhere.
            let context = Context::component(name).value();
            return Ok(
                match self.plain_alternatives(schema, alts.1, &alts.0, &context, depth + 1)? {
                    Some(target) => TypeKind::Alias { target },
                    None => self.union_kind(name, alts.1, &alts.0, depth + 1)?,
                },
            );
        }
        if !is_struct(schema) {
            let context = Context::component(name).value();
            let target = self.inline(schema, pointer, &context, depth + 1)?;
            return Ok(TypeKind::Alias { target });
        }
        let mut props = Vec::new();
        let mut seen = Vec::new();
        self.collect_props(schema, pointer, &mut props, &mut seen, depth)?;
        let mut field_names = NameSet::new();
        let mut fields = Vec::with_capacity(props.len());
        for prop in props {
            let field_name = field_names.claim(naming::snake(&prop.wire_name));
            let context = Context::property(name, &prop.wire_name);
            let ty = self.type_of_boxed(prop.schema, &prop.pointer, &context, depth + 1)?;
            let (own_docs, nullable, read_only, deprecated) = match prop.schema {
                ReferenceOr::Item(s) => (
                    spec_text(s),
                    s.schema_data.nullable || is_nullable_alternatives(s),
                    s.schema_data.read_only,
                    s.schema_data.deprecated,
                ),
                ReferenceOr::Reference { .. } => (None, false, false, false),
            };
            let referenced = self.referenced_docs(prop.schema);
            fields.push(Field {
                name: naming::to_ident(&field_name),
                docs: field_docs(own_docs, referenced, &prop.wire_name, &ty, read_only),
                wire_name: prop.wire_name,
                ty,
                required: prop.required,
                nullable,
                read_only,
                deprecated,
                takes_into: false,
                setter: None,
            });
        }
        let extras_field = field_names.claim("additional_properties".to_owned());
        let constructor = fields.iter().any(|f| f.required);
        if constructor {
            // Literals would have to spell out every optional field and the catch-all map, so
            // structs built with `new` get a setter per optional field (not deprecated ones).
            for field in fields.iter_mut().filter(|f| !f.required && !f.deprecated) {
                field.setter = Some(crate::ir::Ident::plain(format!("with_{}", field.name.name)));
            }
        }
        Ok(TypeKind::Struct {
            fields,
            extras_field: naming::to_ident(&extras_field),
            derives: STRUCT_DERIVES.to_vec(),
            constructor,
            // `lower::defaults` moves the all-optional structs to the runtime's impls.
            wire: crate::ir::Wire::Derive,
        })
    }

    /// The description of the component a property refers to (a bare `$ref`, or the single
    /// `$ref` among `allOf`/`anyOf`/`oneOf` alternatives): openapiv3 drops a `$ref`'s sibling
    /// keys, so the component's own text is the best such a property has.
    fn referenced_docs(&self, schema: &ReferenceOr<Box<Schema>>) -> Option<&'a str> {
        let reference = match schema {
            ReferenceOr::Reference { reference } => reference,
            ReferenceOr::Item(s) => match &s.schema_kind {
                SchemaKind::AllOf { all_of: alts }
                | SchemaKind::AnyOf { any_of: alts }
                | SchemaKind::OneOf { one_of: alts } => {
                    let mut refs = alts.iter().filter_map(|alt| match alt {
                        ReferenceOr::Reference { reference } => Some(reference),
                        ReferenceOr::Item(_) => None,
                    });
                    match (refs.next(), refs.next()) {
                        (Some(only), None) => only,
                        _ => return None,
                    }
                }
                _ => return None,
            },
        };
        match self.component_schema(reference, "").ok()? {
            ReferenceOr::Item(target) => target
                .schema_data
                .description
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty()),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// Gathers properties of a schema and of everything it extends through `allOf`, in order;
    /// a property redefined later replaces the earlier one in place.
    fn collect_props(
        &self,
        schema: &'a Schema,
        pointer: &str,
        props: &mut Vec<Prop<'a>>,
        seen: &mut Vec<String>,
        depth: usize,
    ) -> Result<()> {
        check_depth(depth, pointer, "allOf chains")?;
        let (properties, required, all_of): ObjectParts<'a> = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (Some(&o.properties), &o.required, &[]),
            SchemaKind::AllOf { all_of } => (None, &[], all_of),
            SchemaKind::Any(any) => (Some(&any.properties), &any.required, &any.all_of),
            _ => (None, &[], &[]),
        };
        for (index, part) in all_of.iter().enumerate() {
            let part_ptr = pointer_join(&pointer_join(pointer, "allOf"), &index.to_string());
            match part {
                ReferenceOr::Reference { reference } => {
                    let key = self.component_key(reference, &part_ptr)?;
                    if seen.contains(&key) {
                        return Err(Error::invalid(
                            &part_ptr,
                            format!("allOf cycle through {reference:?}"),
                        ));
                    }
                    seen.push(key.clone());
                    let target = self.component_schema(reference, &part_ptr)?;
                    let target_ptr = pointer_join("/components/schemas", &key);
                    match target {
                        ReferenceOr::Item(s) => {
                            self.collect_props(s, &target_ptr, props, seen, depth + 1)?
                        }
                        ReferenceOr::Reference { .. } => {
                            return Err(Error::unsupported(
                                &part_ptr,
                                "allOf of a schema that is itself only a $ref",
                            ));
                        }
                    }
                    seen.pop();
                }
                ReferenceOr::Item(s) => self.collect_props(s, &part_ptr, props, seen, depth + 1)?,
            }
        }
        if let Some(properties) = properties {
            let props_ptr = pointer_join(pointer, "properties");
            for (wire_name, schema) in properties {
                let prop = Prop {
                    wire_name: wire_name.clone(),
                    schema,
                    pointer: pointer_join(&props_ptr, wire_name),
                    required: required.contains(wire_name),
                };
                match props.iter_mut().find(|p| p.wire_name == *wire_name) {
                    Some(existing) => *existing = prop,
                    None => props.push(prop),
                }
            }
            for name in required {
                if let Some(p) = props.iter_mut().find(|p| p.wire_name == *name) {
                    p.required = true;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::doc;
    use super::*;
    use crate::ir::{Ident, TypeDef, TypeRef};

    fn lowered(schemas: &str) -> std::collections::BTreeMap<String, TypeDef> {
        let doc = doc(schemas);
        let mut types = TypeBuilder::new(&doc, &[]);
        types.lower_components().unwrap();
        types.types
    }

    fn fields(def: &TypeDef) -> &[Field] {
        match &def.kind {
            TypeKind::Struct { fields, .. } => fields,
            other => panic!("not a struct: {other:?}"),
        }
    }

    const ENTITY: &str = "
g.entity: {type: object, description: Base., properties: {id: {type: string, readOnly: true}}}
g.presence:
  allOf:
    - $ref: '#/components/schemas/g.entity'
    - type: object
      required: [type]
      properties:
        type: {type: string}
        id: {type: string, description: Redefined.}
        base: {$ref: '#/components/schemas/g.entity'}
";

    #[test]
    fn all_of_inheritance_flattens_base_first_and_redefinitions_replace_in_place() {
        let types = lowered(ENTITY);
        let names: Vec<&str> = fields(&types["Presence"])
            .iter()
            .map(|f| f.wire_name.as_str())
            .collect();
        assert_eq!(names, ["id", "type", "base"]);
        assert_eq!(fields(&types["Presence"])[0].docs, "Redefined.");
    }

    #[test]
    fn keyword_fields_are_raw_idents_and_required_ones_get_a_constructor() {
        let types = lowered(ENTITY);
        let presence = &types["Presence"];
        let TypeKind::Struct {
            fields,
            extras_field,
            derives,
            constructor,
            ..
        } = &presence.kind
        else {
            panic!()
        };
        assert_eq!(fields[1].name, Ident::raw("type"));
        assert!(fields[1].required);
        assert!(*constructor);
        assert!(!derives.contains(&Derive::Default));
        assert_eq!(extras_field, &Ident::plain("additional_properties"));
        assert_eq!(fields[2].setter, Some(Ident::plain("with_base")));
        assert_eq!(fields[1].setter, None);
    }

    #[test]
    fn a_reference_property_borrows_the_components_description() {
        let types = lowered(ENTITY);
        assert_eq!(fields(&types["Presence"])[2].docs, "Base.");
        let entity = &fields(&types["Entity"])[0];
        assert!(
            entity
                .docs
                .ends_with("Read-only: set by the service, ignored in requests.")
        );
        assert_eq!(entity.ty, TypeRef::String);
    }

    #[test]
    fn an_extras_field_never_takes_a_propertys_name() {
        let types =
            lowered("a: {type: object, properties: {additionalProperties: {type: string}}}");
        let TypeKind::Struct { extras_field, .. } = &types["A"].kind else {
            panic!()
        };
        assert_eq!(extras_field, &Ident::plain("additional_properties_2"));
    }

    #[test]
    fn all_of_cycles_are_errors_at_the_offending_part() {
        let doc = doc(
            "a: {allOf: [{$ref: '#/components/schemas/b'}]}\nb: {allOf: [{$ref: '#/components/schemas/a'}]}",
        );
        let mut types = TypeBuilder::new(&doc, &[]);
        let err = types.lower_components().unwrap_err().to_string();
        assert!(err.contains("allOf cycle"), "{err}");
    }
}
