//! What each node of an OpenAPI document is, judged from where it sits.
//!
//! The checks and conversions of `load` run on the untyped tree, before openapiv3 reads it, so
//! they need to know which mappings are schemas (where `const` or `type: [..]` mean something),
//! which hold a `$ref` that is a reference, and which are literal data (`example`, `default`,
//! `enum`: a `$ref` key inside them is just data). One table, [`child`], answers that for
//! every (parent kind, key) pair, so the reference check and the 3.1 conversion agree.

use crate::error::pointer_join;
use crate::yaml::Value;

/// The kind of an OpenAPI object, by its position in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Document,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    MediaType,
    Encoding,
    Header,
    Example,
    Link,
    Callback,
    Schema,
}

impl Kind {
    /// How an error names an object of this kind (`points to a {noun} that does not exist`).
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Components => "components object",
            Kind::PathItem => "path item",
            Kind::Operation => "operation",
            Kind::Parameter => "parameter",
            Kind::RequestBody => "request body",
            Kind::Response => "response",
            Kind::MediaType => "media type",
            Kind::Encoding => "encoding",
            Kind::Header => "header",
            Kind::Example => "example",
            Kind::Link => "link",
            Kind::Callback => "callback",
            Kind::Schema => "schema",
        }
    }

    /// The `components` section whose entries are of this kind (`schemas`, `responses`, ...).
    pub fn section(self) -> Option<&'static str> {
        Some(match self {
            Kind::Schema => "schemas",
            Kind::Response => "responses",
            Kind::Parameter => "parameters",
            Kind::Example => "examples",
            Kind::RequestBody => "requestBodies",
            Kind::Header => "headers",
            Kind::Link => "links",
            Kind::Callback => "callbacks",
            Kind::PathItem => "pathItems",
            _ => return None,
        })
    }

    /// Whether a `$ref` in a mapping of this kind is a Reference Object.
    pub fn may_be_reference(self) -> bool {
        !matches!(
            self,
            Kind::Document | Kind::Components | Kind::Operation | Kind::MediaType | Kind::Encoding
        )
    }
}

/// What a child value is: one object, a mapping of named objects, or a sequence of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    One(Kind),
    Named(Kind),
    List(Kind),
}

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What the value under `key` in an object of kind `parent` is; `None` for anything that holds
/// no OpenAPI objects (literal data, extensions, strings).
pub fn child(parent: Kind, key: &str) -> Option<Child> {
    use Child::{List, Named, One};
    // `$ref` is the reference itself; `x-` extensions are free-form.
    if key.starts_with("x-") || key == "$ref" {
        return None;
    }
    Some(match (parent, key) {
        (Kind::Document, "paths") => Named(Kind::PathItem),
        (Kind::Document, "components") => One(Kind::Components),
        (Kind::Components, section) => Named(match section {
            "schemas" => Kind::Schema,
            "responses" => Kind::Response,
            "parameters" => Kind::Parameter,
            "examples" => Kind::Example,
            "requestBodies" => Kind::RequestBody,
            "headers" => Kind::Header,
            "links" => Kind::Link,
            "callbacks" => Kind::Callback,
            "pathItems" => Kind::PathItem,
            _ => return None,
        }),
        (Kind::PathItem, "parameters") | (Kind::Operation, "parameters") => List(Kind::Parameter),
        (Kind::PathItem, method) if HTTP_METHODS.contains(&method) => One(Kind::Operation),
        (Kind::Operation, "requestBody") => One(Kind::RequestBody),
        (Kind::Operation, "responses") => Named(Kind::Response),
        (Kind::Operation, "callbacks") => Named(Kind::Callback),
        (Kind::Callback, _) => One(Kind::PathItem),
        (Kind::Parameter | Kind::Header, "schema") => One(Kind::Schema),
        (Kind::Parameter | Kind::Header | Kind::RequestBody | Kind::Response, "content") => {
            Named(Kind::MediaType)
        }
        (Kind::Parameter | Kind::Header | Kind::MediaType, "examples") => Named(Kind::Example),
        (Kind::Response, "headers") | (Kind::Encoding, "headers") => Named(Kind::Header),
        (Kind::Response, "links") => Named(Kind::Link),
        (Kind::MediaType, "schema") => One(Kind::Schema),
        (Kind::MediaType, "encoding") => Named(Kind::Encoding),
        (Kind::Schema, key) => return schema_child(key),
        _ => return None,
    })
}

/// The subschemas of a schema (JSON Schema's applicators, in their 3.0 and 2020-12 spellings).
fn schema_child(key: &str) -> Option<Child> {
    use Child::{List, Named, One};
    Some(match key {
        "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
            Named(Kind::Schema)
        }
        "allOf" | "oneOf" | "anyOf" | "prefixItems" => List(Kind::Schema),
        // `items` may be a list in old drafts; the walkers accept either shape.
        "items"
        | "additionalProperties"
        | "not"
        | "contains"
        | "propertyNames"
        | "if"
        | "then"
        | "else"
        | "unevaluatedItems"
        | "unevaluatedProperties"
        | "additionalItems"
        | "contentSchema" => One(Kind::Schema),
        _ => return None,
    })
}

/// Calls `visit` on every OpenAPI object below `root` (the document), depth first, with its
/// kind and JSON pointer. Literal data and extensions are not entered.
pub fn objects<E>(
    root: &Value,
    visit: &mut impl FnMut(&Value, Kind, &str) -> Result<(), E>,
) -> Result<(), E> {
    walk(root, Kind::Document, String::new(), visit)
}

fn walk<E>(
    node: &Value,
    kind: Kind,
    pointer: String,
    visit: &mut impl FnMut(&Value, Kind, &str) -> Result<(), E>,
) -> Result<(), E> {
    let Value::Mapping(map) = node else {
        return Ok(());
    };
    visit(node, kind, &pointer)?;
    for (key, value) in map {
        let Some(key) = key_text(key) else { continue };
        let Some(shape) = child(kind, &key) else {
            continue;
        };
        let at = pointer_join(&pointer, &key);
        match (shape, value) {
            (Child::One(k) | Child::List(k), Value::Sequence(items)) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, k, pointer_join(&at, &index.to_string()), visit)?;
                }
            }
            (Child::One(k), _) => walk(value, k, at, visit)?,
            (Child::Named(k), Value::Mapping(entries)) => {
                for (name, entry) in entries {
                    let Some(name) = key_text(name) else { continue };
                    if kind != Kind::Schema && name.starts_with("x-") {
                        continue;
                    }
                    walk(entry, k, pointer_join(&at, &name), visit)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Like [`objects`], on a tree `visit` may change: each object is visited before its children,
/// so the children walked are those `visit` left.
pub fn objects_mut<E>(
    root: &mut Value,
    visit: &mut impl FnMut(&mut Value, Kind, &str) -> Result<(), E>,
) -> Result<(), E> {
    walk_mut(root, Kind::Document, String::new(), visit)
}

fn walk_mut<E>(
    node: &mut Value,
    kind: Kind,
    pointer: String,
    visit: &mut impl FnMut(&mut Value, Kind, &str) -> Result<(), E>,
) -> Result<(), E> {
    if !node.is_mapping() {
        return Ok(());
    }
    visit(node, kind, &pointer)?;
    let Value::Mapping(map) = node else {
        return Ok(());
    };
    for (key, value) in map.iter_mut() {
        let Some(key) = key_text(key) else { continue };
        let Some(shape) = child(kind, &key) else {
            continue;
        };
        let at = pointer_join(&pointer, &key);
        match (shape, value) {
            (Child::One(k) | Child::List(k), Value::Sequence(items)) => {
                for (index, item) in items.iter_mut().enumerate() {
                    walk_mut(item, k, pointer_join(&at, &index.to_string()), visit)?;
                }
            }
            (Child::One(k), value) => walk_mut(value, k, at, visit)?,
            (Child::Named(k), Value::Mapping(entries)) => {
                for (name, entry) in entries.iter_mut() {
                    let Some(name) = key_text(name) else { continue };
                    if kind != Kind::Schema && name.starts_with("x-") {
                        continue;
                    }
                    walk_mut(entry, k, pointer_join(&at, &name), visit)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// A mapping key as pointer text; YAML allows unquoted numbers as keys (`200:`).
pub fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_extensions_hold_no_objects() {
        assert_eq!(child(Kind::Schema, "example"), None);
        assert_eq!(child(Kind::Schema, "enum"), None);
        assert_eq!(child(Kind::Schema, "default"), None);
        assert_eq!(child(Kind::Example, "value"), None);
        assert_eq!(child(Kind::Operation, "x-anything"), None);
    }

    #[test]
    fn a_property_named_like_a_keyword_is_still_a_schema() {
        // Inside `properties` every key is a name, so `example` there is a schema.
        assert_eq!(
            child(Kind::Schema, "properties"),
            Some(Child::Named(Kind::Schema))
        );
        assert_eq!(
            child(Kind::Operation, "responses"),
            Some(Child::Named(Kind::Response))
        );
        assert_eq!(
            child(Kind::PathItem, "get"),
            Some(Child::One(Kind::Operation))
        );
        assert_eq!(child(Kind::PathItem, "GET"), None);
    }
}
