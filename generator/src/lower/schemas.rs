//! Schemas → Rust types.
//!
//! Rules, in the order they are tried (each explained where it is applied):
//! - `$ref` to a component → that component's named type; any other `$ref` is an error.
//! - strings with `enum` → an open enum (unknown values are kept, Graph adds values over time);
//!   `format: date-time` / `date` / `duration` → jiff types; every other string → `String`.
//! - `type: number` with `format: int32`/`int64` (newer Graph documents) → `i32`/`i64`.
//! - objects with properties and `allOf` → one flattened struct (Graph's entity inheritance);
//!   objects with only `additionalProperties: <schema>` → a map; an empty inline object → JSON.
//! - `anyOf`/`oneOf` of one schema and a bare nullable object → that schema, nullable (Graph's
//!   spelling of a nullable reference); alternatives of distinct JSON kinds → any JSON value;
//!   anything else → unsupported, because the variants cannot be told apart.

use super::naming::{self, NameSet};
use crate::error::{Error, Result, pointer_join};
use crate::ir::{EnumVariant, Field, TypeDef, TypeKind, TypeRef};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeMap;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Deepest nesting of inline schemas followed before giving up (stack safety).
const MAX_DEPTH: usize = 64;

/// The parts of an object schema `collect_props` reads: properties, required names, `allOf`.
type ObjectParts<'a> = (
    Option<&'a IndexMap<String, ReferenceOr<Box<Schema>>>>,
    &'a [String],
    &'a [ReferenceOr<Schema>],
);

/// Builds named types, handing out unique names.
pub struct TypeBuilder<'a> {
    doc: &'a OpenAPI,
    /// Component key → Rust name.
    component_names: IndexMap<String, String>,
    pub names: NameSet,
    pub types: BTreeMap<String, TypeDef>,
}

/// A property collected from a schema (and the schemas it extends), before naming.
struct Prop<'a> {
    wire_name: String,
    schema: &'a ReferenceOr<Box<Schema>>,
    pointer: String,
    required: bool,
}

impl<'a> TypeBuilder<'a> {
    pub fn new(doc: &'a OpenAPI, reserved: &[&str]) -> Self {
        let mut names = NameSet::new();
        for name in reserved {
            names.reserve(name);
        }
        let keys: Vec<&str> = doc
            .components
            .as_ref()
            .map(|c| c.schemas.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut component_names = IndexMap::new();
        let schema_names = naming::SchemaNames::new(&keys);
        for key in &keys {
            let name = names.claim(schema_names.name(key));
            component_names.insert((*key).to_owned(), name);
        }
        TypeBuilder {
            doc,
            component_names,
            names,
            types: BTreeMap::new(),
        }
    }

    /// Lowers every component schema into a named type.
    pub fn lower_components(&mut self) -> Result<()> {
        let Some(components) = &self.doc.components else {
            return Ok(());
        };
        for (key, schema) in &components.schemas {
            let name = self.component_names[key].clone();
            let pointer = pointer_join("/components/schemas", key);
            let def = match schema {
                ReferenceOr::Reference { reference } => TypeDef {
                    name: name.clone(),
                    source: format!("{COMPONENT_PREFIX}{key}"),
                    docs: None,
                    kind: TypeKind::Alias {
                        target: self.reference(reference, &pointer)?,
                    },
                },
                ReferenceOr::Item(schema) => {
                    let kind = self.named_kind(&name, schema, &pointer, 0)?;
                    TypeDef {
                        name: name.clone(),
                        source: format!("{COMPONENT_PREFIX}{key}"),
                        docs: docs_of(schema),
                        kind,
                    }
                }
            };
            self.types.insert(name, def);
        }
        Ok(())
    }

    /// Resolves a `#/components/schemas/...` reference to its named type.
    pub fn reference(&self, reference: &str, pointer: &str) -> Result<TypeRef> {
        let key = self.component_key(reference, pointer)?;
        Ok(TypeRef::Named(self.component_names[&key].clone()))
    }

    /// The component name a `#/components/schemas/...` reference points to, unescaped.
    fn component_key(&self, reference: &str, pointer: &str) -> Result<String> {
        let Some(key) = reference.strip_prefix(COMPONENT_PREFIX) else {
            if !reference.starts_with('#') {
                return Err(Error::unsupported(
                    pointer,
                    format!(
                        "remote $ref {reference:?}: only references inside the document (#/components/schemas/...) are supported"
                    ),
                ));
            }
            return Err(Error::invalid(
                pointer,
                format!("$ref {reference:?} does not point into #/components/schemas"),
            ));
        };
        // The pointer token is escaped (RFC 6901); the map is keyed by the schema's real name.
        let key = key.replace("~1", "/").replace("~0", "~");
        if !self.component_names.contains_key(&key) {
            return Err(Error::invalid(
                pointer,
                format!("$ref {reference:?} points to a schema that does not exist"),
            ));
        }
        Ok(key)
    }

    fn component_schema(&self, reference: &str, pointer: &str) -> Result<&'a ReferenceOr<Schema>> {
        let key = self.component_key(reference, pointer)?;
        Ok(&self
            .doc
            .components
            .as_ref()
            .expect("component exists")
            .schemas[&key])
    }

    /// The type of a schema used somewhere (a property, an item, a body); `hint` names any
    /// inline struct or enum it needs.
    pub fn type_of(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, pointer, hint, 0),
        }
    }

    /// Like [`Self::type_of`], for boxed schemas (properties and items).
    fn type_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, pointer, hint, depth),
        }
    }

    /// The type of a request or response body: empty objects become a struct so `{}` is sent.
    pub fn body_type(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        hint: &str,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Item(s) if is_object_like(s) => {
                let name = self.names.claim(naming::pascal(hint));
                let kind = self.named_kind(&name, s, pointer, 0)?;
                self.types.insert(
                    name.clone(),
                    TypeDef {
                        name: name.clone(),
                        source: pointer.to_owned(),
                        docs: docs_of(s),
                        kind,
                    },
                );
                Ok(TypeRef::Named(name))
            }
            _ => self.type_of(schema, pointer, hint),
        }
    }

    fn inline(
        &mut self,
        schema: &Schema,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef> {
        check_depth(depth, pointer, "schemas nested")?;
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                if !values.is_empty() {
                    return self.new_named(hint, pointer, schema, |_, _| Ok(enum_kind(&values)));
                }
                Ok(string_type(&s.format))
            }
            SchemaKind::Type(Type::Integer(i)) => Ok(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Ok(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                // Newer Graph documents write Edm.Int32/Int64 as `type: number` with an integer
                // format; the values are whole numbers, and an `f64` would print `3.0`.
                VariantOrUnknownOrEmpty::Unknown(f) if f == "int32" => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "int64" => TypeRef::I64,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                let item = match &a.items {
                    Some(items) => self.type_of_boxed(
                        items,
                        &pointer_join(pointer, "items"),
                        &format!("{hint} item"),
                        depth + 1,
                    )?,
                    None => TypeRef::Json,
                };
                Ok(TypeRef::Vec(Box::new(item)))
            }
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map_or_json(o.additional_properties.as_ref(), pointer, hint, depth)
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
                let name_hint = hint.to_owned();
                self.new_named(&name_hint, pointer, schema, |b, name| {
                    b.named_kind(name, schema, pointer, depth + 1)
                })
            }
            SchemaKind::OneOf { one_of: alts } | SchemaKind::AnyOf { any_of: alts } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.alternatives(schema, alts, &pointer_join(pointer, key), hint, depth)
            }
            SchemaKind::Not { .. } => Err(Error::unsupported(
                pointer,
                "`not` schemas cannot be expressed as a Rust type",
            )),
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || !any.all_of.is_empty() {
                    return self.new_named(hint, pointer, schema, |b, name| {
                        b.named_kind(name, schema, pointer, depth + 1)
                    });
                }
                if !any.one_of.is_empty() || !any.any_of.is_empty() {
                    let (key, alts) = if any.one_of.is_empty() {
                        ("anyOf", &any.any_of)
                    } else {
                        ("oneOf", &any.one_of)
                    };
                    return self.alternatives(
                        schema,
                        alts,
                        &pointer_join(pointer, key),
                        hint,
                        depth,
                    );
                }
                if let Some(items) = &any.items {
                    let item = self.type_of_boxed(
                        items,
                        &pointer_join(pointer, "items"),
                        &format!("{hint} item"),
                        depth + 1,
                    )?;
                    return Ok(TypeRef::Vec(Box::new(item)));
                }
                match any.typ.as_deref() {
                    Some("string") => Ok(match any.format.as_deref() {
                        Some("date-time") => TypeRef::DateTime,
                        Some("date") => TypeRef::Date,
                        Some("duration") => TypeRef::Duration,
                        _ => TypeRef::String,
                    }),
                    Some("integer") => Ok(if any.format.as_deref() == Some("int32") {
                        TypeRef::I32
                    } else {
                        TypeRef::I64
                    }),
                    Some("number") => Ok(match any.format.as_deref() {
                        Some("int32") => TypeRef::I32,
                        Some("int64") => TypeRef::I64,
                        _ => TypeRef::F64,
                    }),
                    Some("boolean") => Ok(TypeRef::Bool),
                    Some("object") | None => {
                        self.map_or_json(any.additional_properties.as_ref(), pointer, hint, depth)
                    }
                    Some(other) => Err(Error::unsupported(
                        pointer,
                        format!("schema type {other:?}"),
                    )),
                }
            }
        }
    }

    fn map_or_json(
        &mut self,
        additional: Option<&AdditionalProperties>,
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef> {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let value_ptr = pointer_join(pointer, "additionalProperties");
                // Graph writes `additionalProperties: {type: object}` on every object; that says
                // nothing about the values, so it stays a JSON object rather than a map of maps.
                if let ReferenceOr::Item(inner) = s.as_ref()
                    && matches!(&inner.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() && o.additional_properties.is_none())
                {
                    return Ok(TypeRef::Json);
                }
                let value = match s.as_ref() {
                    ReferenceOr::Reference { reference } => {
                        self.reference(reference, &value_ptr)?
                    }
                    ReferenceOr::Item(inner) => {
                        self.inline(inner, &value_ptr, &format!("{hint} value"), depth + 1)?
                    }
                };
                Ok(TypeRef::Map(Box::new(value)))
            }
            _ => Ok(TypeRef::Json),
        }
    }

    fn alternatives(
        &mut self,
        schema: &Schema,
        alts: &[ReferenceOr<Schema>],
        pointer: &str,
        hint: &str,
        depth: usize,
    ) -> Result<TypeRef> {
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> = alts
            .iter()
            .enumerate()
            .filter(|(_, alt)| !is_bare_nullable_object(alt))
            .collect();
        if let [(index, only)] = meaningful.as_slice() {
            let at = pointer_join(pointer, &index.to_string());
            return match only {
                ReferenceOr::Reference { reference } => self.reference(reference, &at),
                ReferenceOr::Item(s) => self.inline(s, &at, hint, depth + 1),
            };
        }
        // Graph spells a double that may arrive as text (`"NaN"`, `"INF"`, or a number in
        // IEEE754Compatible mode) as `oneOf: [number, string, $ref ReferenceNumeric]`, the last
        // being an enum of strings. Any string enum is a subset of a plain `string` alternative,
        // so it adds no JSON kind of its own: drop it before checking that the kinds differ.
        let has_plain_string = meaningful
            .iter()
            .any(|(_, alt)| self.string_shape(alt) == Some(StringShape::Plain));
        let meaningful: Vec<(usize, &ReferenceOr<Schema>)> = meaningful
            .into_iter()
            .filter(|(_, alt)| {
                !(has_plain_string && self.string_shape(alt) == Some(StringShape::Enum))
            })
            .collect();
        let kinds: Vec<Option<&'static str>> = meaningful
            .iter()
            .map(|(_, alt)| self.json_kind(alt))
            .collect();
        let distinct = kinds.iter().all(Option::is_some)
            && kinds
                .iter()
                .enumerate()
                .all(|(i, k)| !kinds[..i].contains(k));
        if schema.schema_data.discriminator.is_some() || distinct {
            return Ok(TypeRef::Json);
        }
        Err(Error::unsupported(
            pointer,
            "oneOf/anyOf alternatives that cannot be told apart (same JSON kind and no discriminator)",
        ))
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

    /// The schema itself, or the component a local reference names.
    fn resolved<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Reference { reference } => match self.component_schema(reference, "") {
                Ok(ReferenceOr::Item(s)) => Some(s),
                _ => None,
            },
            ReferenceOr::Item(s) => Some(s),
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

    /// Claims a name from `hint`, builds the kind, and registers the type.
    fn new_named(
        &mut self,
        hint: &str,
        pointer: &str,
        schema: &Schema,
        build: impl FnOnce(&mut Self, &str) -> Result<TypeKind>,
    ) -> Result<TypeRef> {
        let name = self.names.claim(naming::pascal(hint));
        let kind = build(self, &name)?;
        self.types.insert(
            name.clone(),
            TypeDef {
                name: name.clone(),
                source: pointer.to_owned(),
                docs: docs_of(schema),
                kind,
            },
        );
        Ok(TypeRef::Named(name))
    }

    /// The kind of a type that has a name (a component or an inline object/enum).
    fn named_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        pointer: &str,
        depth: usize,
    ) -> Result<TypeKind> {
        check_depth(depth, pointer, "schemas nested")?;
        if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
            let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
            if !values.is_empty() {
                return Ok(enum_kind(&values));
            }
        }
        if let SchemaKind::Any(any) = &schema.schema_kind
            && any.typ.as_deref().is_none_or(|t| t == "string")
            && !any.enumeration.is_empty()
            && any.enumeration.iter().all(|v| v.is_string() || v.is_null())
        {
            let values: Vec<&str> = any.enumeration.iter().filter_map(|v| v.as_str()).collect();
            return Ok(enum_kind(&values));
        }
        let is_struct = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                !o.properties.is_empty()
                    || o.additional_properties.is_none()
                    || is_graph_object_marker(o.additional_properties.as_ref())
            }
            SchemaKind::AllOf { .. } => true,
            SchemaKind::Any(any) => !any.properties.is_empty() || !any.all_of.is_empty(),
            _ => false,
        };
        if !is_struct {
            let target = self.inline(schema, pointer, &format!("{name} value"), depth + 1)?;
            return Ok(TypeKind::Alias { target });
        }
        let mut props = Vec::new();
        let mut seen = Vec::new();
        self.collect_props(schema, pointer, &mut props, &mut seen, depth)?;
        let mut field_names = NameSet::new();
        let mut fields = Vec::with_capacity(props.len());
        for prop in props {
            let field_name = field_names.claim(naming::snake(&prop.wire_name));
            let hint = format!("{name} {}", prop.wire_name);
            let ty = self.type_of_boxed(prop.schema, &prop.pointer, &hint, depth + 1)?;
            let (docs, nullable, read_only, deprecated) = match prop.schema {
                ReferenceOr::Item(s) => (
                    docs_of(s),
                    s.schema_data.nullable || is_nullable_alternatives(s),
                    s.schema_data.read_only,
                    s.schema_data.deprecated,
                ),
                ReferenceOr::Reference { .. } => (None, false, false, false),
            };
            let docs = docs.or_else(|| self.referenced_docs(prop.schema));
            fields.push(Field {
                name: field_name,
                wire_name: prop.wire_name,
                docs,
                ty,
                required: prop.required,
                nullable,
                read_only,
                deprecated,
            });
        }
        let extras_field = field_names.claim("additional_properties".to_owned());
        Ok(TypeKind::Struct {
            fields,
            extras_field,
            default: false,
        })
    }

    /// The description of the component a property refers to (a bare `$ref`, or the single
    /// `$ref` among `allOf`/`anyOf`/`oneOf` alternatives): openapiv3 drops a `$ref`'s sibling
    /// keys, so the component's own text is the best such a property has.
    fn referenced_docs<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &ReferenceOr<S>,
    ) -> Option<String> {
        let reference = match schema {
            ReferenceOr::Reference { reference } => reference,
            ReferenceOr::Item(s) => match &s.borrow().schema_kind {
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
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
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

/// Refuses recursion past [`MAX_DEPTH`], so a hostile document cannot overflow the stack.
fn check_depth(depth: usize, pointer: &str, what: &str) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::unsupported(
            pointer,
            format!("{what} deeper than {MAX_DEPTH} levels"),
        ));
    }
    Ok(())
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "duration" => TypeRef::Duration,
        _ => TypeRef::String,
    }
}

/// An open enum: one variant per known value (names made unique) and a fallback that keeps
/// any other value verbatim.
pub fn enum_kind(values: &[&str]) -> TypeKind {
    let mut names = NameSet::new();
    let mut variants = Vec::with_capacity(values.len());
    for value in values {
        if variants
            .iter()
            .any(|v: &EnumVariant| v.wire_value == *value)
        {
            continue;
        }
        let name = if value.is_empty() {
            "Empty".to_owned()
        } else if *value == "*" {
            // OData's `$expand=*` / `$select=*`: "everything", which `pascal` alone would turn
            // into the meaningless `Value`.
            "All".to_owned()
        } else {
            naming::pascal(value)
        };
        variants.push(EnumVariant {
            name: names.claim(name),
            wire_value: (*value).to_owned(),
        });
    }
    let fallback = ["Other", "Unrecognized"]
        .into_iter()
        .find(|n| !names.contains(n))
        .map(str::to_owned)
        .unwrap_or_else(|| names.claim("Other".to_owned()));
    TypeKind::Enum { variants, fallback }
}

pub fn docs_of(schema: &Schema) -> Option<String> {
    schema
        .schema_data
        .description
        .as_ref()
        .or(schema.schema_data.title.as_ref())
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
}

/// Graph's `{type: object, nullable: true}` alternative that only makes a reference nullable.
/// How a string-valued alternative constrains its values (see `alternatives`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum StringShape {
    Plain,
    Enum,
}

fn is_bare_nullable_object(schema: &ReferenceOr<Schema>) -> bool {
    matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable && matches!(&s.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.is_empty()))
}

fn is_nullable_alternatives(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::AnyOf { any_of: alts } | SchemaKind::OneOf { one_of: alts } => {
            alts.iter().any(is_bare_nullable_object)
        }
        _ => false,
    }
}

/// `additionalProperties: {type: object}` with nothing else: Graph's marker, not a value schema.
fn is_graph_object_marker(additional: Option<&AdditionalProperties>) -> bool {
    match additional {
        Some(AdditionalProperties::Any(_)) => true,
        Some(AdditionalProperties::Schema(s)) => {
            matches!(s.as_ref(), ReferenceOr::Item(inner) if matches!(&inner.schema_kind, SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() && o.additional_properties.is_none()))
        }
        None => true,
    }
}

/// Objects (with or without properties) and `allOf`s: what a body should be a struct for.
fn is_object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => {
            !o.properties.is_empty() || is_graph_object_marker(o.additional_properties.as_ref())
        }
        SchemaKind::AllOf { all_of } => {
            !matches!(all_of.as_slice(), [ReferenceOr::Reference { .. }])
        }
        SchemaKind::Any(any) => !any.properties.is_empty() || !any.all_of.is_empty(),
        _ => false,
    }
}
