//! Schemas → Rust types.
//!
//! Rules, in the order they are tried (each explained in the file that applies it):
//! - `$ref` to a component → that component's named type; any other `$ref` is an error
//!   ([`refs`]).
//! - strings with `enum` → an open enum (unknown values are kept, Graph adds values over time)
//!   ([`enums`]); `format: date-time` / `date` / `duration` → jiff types; every other string →
//!   `String`; `type: number` with `format: int32`/`int64` (newer Graph documents) → `i32`/`i64`
//!   ([`inline`]).
//! - objects with properties and `allOf` → one flattened struct (Graph's entity inheritance)
//!   ([`objects`]); objects with only `additionalProperties: <schema>` → a map; an empty inline
//!   object → JSON ([`shapes`]).
//! - `anyOf`/`oneOf` of one schema and a bare nullable object → that schema, nullable (Graph's
//!   spelling of a nullable reference); a `discriminator` or alternatives of distinct JSON kinds
//!   → any JSON value ([`alternatives`]); anything else → a union enum, internally tagged,
//!   externally tagged, untagged, or raw JSON with typed accessors, tried in that order
//!   ([`unions`]). A valid document is never refused for its unions.
//! - every type and field is documented in words: the spec's text, or a sentence saying what it
//!   is for ([`docs`]).

mod alternatives;
mod docs;
mod enums;
mod inline;
mod objects;
mod refs;
mod shapes;
mod unions;

use super::naming::{self, NameSet};
use crate::error::{Error, Result, pointer_join};
use crate::ir::{TypeDef, TypeRef};
use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema};
use std::collections::BTreeMap;

pub use docs::Context;
pub use shapes::is_empty_object;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Deepest nesting of inline schemas followed before giving up (stack safety).
const MAX_DEPTH: usize = 64;

/// Builds named types, handing out unique names.
pub struct TypeBuilder<'a> {
    doc: &'a OpenAPI,
    /// Component key → Rust name.
    component_names: IndexMap<String, String>,
    pub names: NameSet,
    pub types: BTreeMap<String, TypeDef>,
    /// Problems worked around while lowering schemas (unions that keep raw JSON).
    pub warnings: Vec<crate::ir::Warning>,
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
            warnings: Vec::new(),
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
            let context = Context::component(key);
            let def = match schema {
                ReferenceOr::Reference { reference } => TypeDef {
                    name: naming::to_ident(&name),
                    source: format!("{COMPONENT_PREFIX}{key}"),
                    docs: context.docs.clone(),
                    kind: crate::ir::TypeKind::Alias {
                        target: self.reference(reference, &pointer)?,
                    },
                },
                ReferenceOr::Item(schema) => {
                    let kind = self.named_kind(&name, schema, &pointer, 0)?;
                    TypeDef {
                        name: naming::to_ident(&name),
                        source: format!("{COMPONENT_PREFIX}{key}"),
                        docs: docs::type_docs(schema, &context),
                        kind,
                    }
                }
            };
            self.types.insert(name, def);
        }
        Ok(())
    }

    /// The type of a schema used somewhere (a parameter, a body); `context` names and documents
    /// any inline struct or enum it needs.
    pub fn type_of(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        context: &Context,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, pointer, context, 0),
        }
    }

    /// Like [`Self::type_of`], for boxed schemas (properties and items).
    fn type_of_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        pointer: &str,
        context: &Context,
        depth: usize,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, pointer, context, depth),
        }
    }

    /// The type of a request or response body: objects (even empty ones) become a struct of
    /// their own, named and documented after the operation.
    pub fn body_type(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        context: &Context,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Item(s) if shapes::is_object_like(s) => {
                self.new_named(context, pointer, s, |b, name| {
                    b.named_kind(name, s, pointer, 0)
                })
            }
            _ => self.type_of(schema, pointer, context),
        }
    }

    /// Claims a name from `context`, builds the kind, and registers the type.
    fn new_named(
        &mut self,
        context: &Context,
        pointer: &str,
        schema: &Schema,
        build: impl FnOnce(&mut Self, &str) -> Result<crate::ir::TypeKind>,
    ) -> Result<TypeRef> {
        let name = self.names.claim(naming::pascal(&context.name));
        let kind = build(self, &name)?;
        self.types.insert(
            name.clone(),
            TypeDef {
                name: naming::to_ident(&name),
                source: pointer.to_owned(),
                docs: docs::type_docs(schema, context),
                kind,
            },
        );
        Ok(TypeRef::Named(name))
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

/// Small hand-built documents for the unit tests of each rule.
#[cfg(test)]
mod test_support {
    use openapiv3::OpenAPI;

    /// A document whose `components.schemas` is `schemas` (YAML).
    pub fn doc(schemas: &str) -> OpenAPI {
        let indented: String = schemas.lines().map(|l| format!("    {l}\n")).collect();
        let text = format!(
            "openapi: 3.0.1\ninfo: {{title: t, version: v1.0}}\npaths: {{}}\ncomponents:\n  schemas:\n{indented}"
        );
        crate::yaml::from_str(&text).expect("test document parses")
    }

    /// One inline schema (YAML).
    pub fn schema(yaml: &str) -> openapiv3::Schema {
        crate::yaml::from_str(yaml).expect("test schema parses")
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{doc, schema};
    use super::*;
    use crate::ir::TypeKind;

    #[test]
    fn components_are_named_after_their_last_segment_avoiding_reserved_names() {
        let doc = doc("g.presence: {type: object}\ng.Result: {type: object}");
        let mut types = TypeBuilder::new(&doc, &["Result"]);
        types.lower_components().unwrap();
        let names: Vec<&String> = types.types.keys().collect();
        assert_eq!(names, ["Presence", "Result2"]);
        assert_eq!(
            types.types["Presence"].source,
            "#/components/schemas/g.presence"
        );
    }

    #[test]
    fn a_component_that_is_only_a_reference_is_an_alias() {
        let doc = doc("a: {type: object}\nb: {$ref: '#/components/schemas/a'}");
        let mut types = TypeBuilder::new(&doc, &[]);
        types.lower_components().unwrap();
        let target = TypeRef::Named("A".into());
        assert_eq!(types.types["B"].kind, TypeKind::Alias { target });
    }

    #[test]
    fn a_body_object_gets_a_struct_named_and_documented_after_its_operation() {
        let doc = doc("a: {type: object}");
        let mut types = TypeBuilder::new(&doc, &[]);
        let context = Context::body("SetPresence", "request", "setPresence", Some("Set it."));
        let body = ReferenceOr::Item(schema("{type: object, properties: {x: {type: string}}}"));
        let ty = types.body_type(&body, "/paths/x", &context).unwrap();
        assert_eq!(ty, TypeRef::Named("SetPresenceRequest".into()));
        let def = &types.types["SetPresenceRequest"];
        assert_eq!(def.docs, "The request body of `setPresence`: Set it.");
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_refused_not_a_stack_overflow() {
        let mut yaml = "{type: string}".to_owned();
        for _ in 0..=MAX_DEPTH + 1 {
            yaml = format!("{{type: array, items: {yaml}}}");
        }
        let doc = doc("a: {type: object}");
        let mut types = TypeBuilder::new(&doc, &[]);
        let context = Context::parameter("Op", "p");
        let err = types
            .type_of(&ReferenceOr::Item(schema(&yaml)), "/p", &context)
            .unwrap_err()
            .to_string();
        assert!(err.contains("deeper than"), "{err}");
    }
}
