//! `$ref`s: only local references to `#/components/schemas/...` are followed; each names the
//! component's type. Remote references and references elsewhere in the document are errors.

use super::{COMPONENT_PREFIX, TypeBuilder};
use crate::error::{Error, Result};
use crate::ir::TypeRef;
use openapiv3::{ReferenceOr, Schema};

impl<'a> TypeBuilder<'a> {
    /// Resolves a `#/components/schemas/...` reference to its named type.
    pub fn reference(&self, reference: &str, pointer: &str) -> Result<TypeRef> {
        let key = self.component_key(reference, pointer)?;
        Ok(TypeRef::Named(self.component_names[&key].clone()))
    }

    /// The component name a `#/components/schemas/...` reference points to, unescaped.
    pub(super) fn component_key(&self, reference: &str, pointer: &str) -> Result<String> {
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

    /// The component schema a reference names.
    pub(super) fn component_schema(
        &self,
        reference: &str,
        pointer: &str,
    ) -> Result<&'a ReferenceOr<Schema>> {
        let key = self.component_key(reference, pointer)?;
        let components = self.doc.components.as_ref();
        // `component_key` only returns keys of `components.schemas`, so both lookups succeed.
        components
            .and_then(|c| c.schemas.get(&key))
            .ok_or_else(|| Error::invalid(pointer, format!("$ref {reference:?} has no target")))
    }

    /// The schema itself, or the component a local reference names.
    pub(super) fn resolved<'s>(&'s self, schema: &'s ReferenceOr<Schema>) -> Option<&'s Schema> {
        match schema {
            ReferenceOr::Reference { reference } => match self.component_schema(reference, "") {
                Ok(ReferenceOr::Item(s)) => Some(s),
                _ => None,
            },
            ReferenceOr::Item(s) => Some(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::doc;
    use super::*;

    const SCHEMAS: &str = "microsoft.graph.presence: {type: object}\na/b: {type: string}";

    #[test]
    fn a_component_reference_names_the_components_type() {
        let doc = doc(SCHEMAS);
        let types = TypeBuilder::new(&doc, &[]);
        let ty = types.reference("#/components/schemas/microsoft.graph.presence", "/p");
        assert_eq!(ty.unwrap(), TypeRef::Named("Presence".into()));
    }

    #[test]
    fn escaped_pointer_tokens_are_unescaped_before_lookup() {
        let doc = doc(SCHEMAS);
        let types = TypeBuilder::new(&doc, &[]);
        assert_eq!(
            types
                .component_key("#/components/schemas/a~1b", "/p")
                .unwrap(),
            "a/b"
        );
    }

    #[test]
    fn remote_missing_and_foreign_references_are_errors_naming_the_place() {
        let doc = doc(SCHEMAS);
        let types = TypeBuilder::new(&doc, &[]);
        for (reference, words) in [
            ("other.yaml#/x", "remote $ref"),
            ("#/components/schemas/nope", "does not exist"),
            ("#/components/responses/x", "does not point into"),
        ] {
            let err = types
                .reference(reference, "/at/here")
                .unwrap_err()
                .to_string();
            assert!(err.contains(words), "{err}");
            assert!(err.contains("/at/here"), "{err}");
        }
    }
}
