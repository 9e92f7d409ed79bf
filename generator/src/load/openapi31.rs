//! OpenAPI 3.1 documents rewritten into their 3.0 form, on the untyped tree, before openapiv3
//! (a 3.0 library) reads them.
//!
//! Each rewrite changes only the schema it is about, in place: no key of another node moves and
//! no sequence item shifts, so every JSON pointer the later stages report still names the same
//! node of the user's original document (a pointer to a key a rewrite added, like `nullable`,
//! is located at the schema that holds it). The rewrites, decided here:
//!
//! - `type: [T, "null"]` → `type: T` + `nullable: true`. A list of several non-null types has
//!   no 3.0 form: an error saying to split it into `oneOf`.
//! - `{type: "null"}` as an alternative of `oneOf`/`anyOf` → `{type: object, nullable: true}`,
//!   the "may be null" alternative 3.0 documents (and Microsoft Graph) use; the same index, so
//!   the other alternatives keep their pointers. A lone `type: "null"` anywhere else is an error.
//! - `const: v` → `enum: [v]`.
//! - `examples: [a, ..]` in a schema → `example: a` (3.0 has one example per schema).
//! - `$ref` with siblings (3.1 reads both) → `allOf: [{$ref}]` appended to the siblings, the
//!   3.0 spelling of "this reference, plus a description / constraints"; `lower` reads an
//!   `allOf` of one reference as that reference.
//! - numeric `exclusiveMinimum: n` → `minimum: n` + `exclusiveMinimum: true` (the stricter one
//!   wins when `minimum` is there too); the same for the maximum.
//! - `jsonSchemaDialect` and `webhooks` are dropped with a warning: a client sends requests, it
//!   receives no webhooks, and schemas are read as 3.0 schemas whatever the dialect.
//! - a missing `paths` (optional in 3.1) becomes `paths: {}`; `openapi` becomes `3.0.3`.
//!
//! JSON Schema keywords with no 3.0 form (`prefixItems`, `$dynamicRef`, `if`/`then`/`else`, ...)
//! are errors at the keyword, saying what to write instead.

use super::walk::{self, Kind};
use crate::error::{Error, Result, pointer_join};
use crate::ir::Warning;
use crate::yaml::{Mapping, Value};

/// Whether the document says it is OpenAPI 3.1.
pub fn is_31(root: &Value) -> bool {
    matches!(root.get("openapi"), Some(Value::String(v)) if v == "3.1" || v.starts_with("3.1."))
}

/// Rewrites a 3.1 document into 3.0 in place; returns what was dropped, as warnings.
pub fn convert(root: &mut Value) -> Result<Vec<Warning>> {
    let mut warnings = Vec::new();
    let Value::Mapping(top) = root else {
        return Ok(warnings);
    };
    for (key, why) in [
        (
            "jsonSchemaDialect",
            "`jsonSchemaDialect` is ignored: schemas are read as OpenAPI 3.0 schemas",
        ),
        (
            "webhooks",
            "`webhooks` are ignored: a client sends requests, it does not receive webhooks",
        ),
    ] {
        if top.shift_remove(key).is_some() {
            warnings.push(Warning {
                pointer: pointer_join("", key),
                message: why.to_owned(),
                also_at: None,
            });
        }
    }
    if !top.contains_key("paths") {
        top.insert("paths".into(), Value::Mapping(Mapping::new()));
    }
    top.insert("openapi".into(), "3.0.3".into());
    walk::objects_mut(root, &mut |node, kind, pointer| {
        if kind != Kind::Schema {
            return Ok(());
        }
        let Value::Mapping(schema) = node else {
            return Ok(());
        };
        schema_to_30(schema, pointer)
    })?;
    Ok(warnings)
}

/// Keywords with no 3.0 form, and what to write instead.
const NO_30_FORM: &[(&str, &str)] = &[
    (
        "prefixItems",
        "describe every item with one `items` schema (a tuple has no 3.0 form)",
    ),
    ("$dynamicRef", "use a plain `$ref`"),
    ("$dynamicAnchor", "use a plain `$ref` to a component"),
    (
        "if",
        "describe the cases as `oneOf` alternatives instead of `if`/`then`/`else`",
    ),
    (
        "then",
        "describe the cases as `oneOf` alternatives instead of `if`/`then`/`else`",
    ),
    (
        "else",
        "describe the cases as `oneOf` alternatives instead of `if`/`then`/`else`",
    ),
    (
        "dependentSchemas",
        "list the properties in the schema, or describe the cases as `oneOf` alternatives",
    ),
    (
        "dependentRequired",
        "list the required properties in `required`, or describe the cases as `oneOf` alternatives",
    ),
    ("contains", "describe the items with `items`"),
    (
        "patternProperties",
        "use `additionalProperties` with one schema for every extra key",
    ),
    ("propertyNames", "drop it (keys are strings in 3.0)"),
    (
        "unevaluatedProperties",
        "use `additionalProperties` on the schema that lists the properties",
    ),
    ("unevaluatedItems", "describe the items with `items`"),
];

fn schema_to_30(schema: &mut Mapping, pointer: &str) -> Result<()> {
    for (key, instead) in NO_30_FORM {
        if schema.contains_key(*key) {
            return Err(Error::unsupported(
                pointer_join(pointer, key),
                format!(
                    "`{key}` (JSON Schema 2020-12) has no OpenAPI 3.0 form, so the generator cannot read it; {instead}"
                ),
            ));
        }
    }
    nullable_type(schema, pointer)?;
    null_alternatives(schema);
    if let Some(value) = schema.shift_remove("const") {
        schema.insert("enum".into(), Value::Sequence(vec![value]));
    }
    if matches!(schema.get("examples"), Some(Value::Sequence(_)))
        && let Some(Value::Sequence(examples)) = schema.shift_remove("examples")
        && !schema.contains_key("example")
        && let Some(first) = examples.into_iter().next()
    {
        schema.insert("example".into(), first);
    }
    exclusive_bound(schema, "exclusiveMinimum", "minimum", |bound, limit| {
        bound >= limit
    });
    exclusive_bound(schema, "exclusiveMaximum", "maximum", |bound, limit| {
        bound <= limit
    });
    ref_with_siblings(schema);
    Ok(())
}

/// `type: [T, "null"]` → `type: T` + `nullable: true`.
fn nullable_type(schema: &mut Mapping, pointer: &str) -> Result<()> {
    let at = pointer_join(pointer, "type");
    let types: Vec<String> = match schema.get("type") {
        Some(Value::Sequence(items)) => items
            .iter()
            .map(|t| t.as_str().unwrap_or_default().to_owned())
            .collect(),
        Some(Value::String(t)) if t == "null" => vec![t.clone()],
        _ => return Ok(()),
    };
    let nullable = types.iter().any(|t| t == "null");
    let others: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
    match others.as_slice() {
        [only] => {
            let only = (*only).clone();
            schema.insert("type".into(), only.into());
            if nullable {
                schema.insert("nullable".into(), true.into());
            }
            Ok(())
        }
        [] if !types.is_empty() => Err(Error::unsupported(
            at,
            "`type: \"null\"` alone has no OpenAPI 3.0 form; write `type: [T, \"null\"]` on the schema that may be null, or make `{type: \"null\"}` one alternative of a `oneOf`/`anyOf`",
        )),
        [] => Err(Error::invalid(at, "`type` is an empty list")),
        several => Err(Error::unsupported(
            at,
            format!(
                "`type` lists several types ({}); OpenAPI 3.0 allows one: split the schema into `oneOf` alternatives, one per type",
                several
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// `{type: "null"}` among `oneOf`/`anyOf` alternatives → `{type: object, nullable: true}`, in
/// place (see the module docs).
fn null_alternatives(schema: &mut Mapping) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Sequence(alternatives)) = schema.get_mut(key) else {
            continue;
        };
        for alternative in alternatives.iter_mut() {
            if is_null_only(alternative) {
                let mut nullable = Mapping::new();
                nullable.insert("type".into(), "object".into());
                nullable.insert("nullable".into(), true.into());
                *alternative = Value::Mapping(nullable);
            }
        }
    }
}

/// `{type: "null"}` or `{type: ["null"]}`, perhaps with a description.
fn is_null_only(schema: &Value) -> bool {
    let Value::Mapping(map) = schema else {
        return false;
    };
    let null_type = match map.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Sequence(items)) => {
            !items.is_empty() && items.iter().all(|t| t.as_str() == Some("null"))
        }
        _ => false,
    };
    null_type
        && map.keys().all(|k| {
            matches!(
                k.as_str(),
                Some("type" | "description" | "title" | "$comment")
            )
        })
}

/// Numeric `exclusiveMinimum: n` → `minimum: n` + `exclusiveMinimum: true`; `stricter(n, m)`
/// says whether the exclusive bound `n` is at least as strict as an inclusive `m` present too.
fn exclusive_bound(
    schema: &mut Mapping,
    exclusive: &str,
    inclusive: &str,
    stricter: fn(f64, f64) -> bool,
) {
    let Some(Value::Number(bound)) = schema.get(exclusive) else {
        return;
    };
    let bound = bound.clone();
    let limit = schema
        .get(inclusive)
        .and_then(Value::as_f64)
        .filter(|limit| !stricter(bound.as_f64().unwrap_or(f64::NAN), *limit));
    if limit.is_some() {
        // The inclusive bound already excludes more: the exclusive one adds nothing.
        schema.shift_remove(exclusive);
        return;
    }
    schema.insert(inclusive.into(), Value::Number(bound));
    schema.insert(exclusive.into(), true.into());
}

/// `{$ref, siblings..}` → `{siblings.., allOf: [.., {$ref}]}`.
fn ref_with_siblings(schema: &mut Mapping) {
    if schema.len() < 2 || !schema.contains_key("$ref") {
        return;
    }
    let Some(reference) = schema.shift_remove("$ref") else {
        return;
    };
    let mut only_ref = Mapping::new();
    only_ref.insert("$ref".into(), reference);
    match schema.get_mut("allOf") {
        // Appended, so the existing alternatives keep their indices (and pointers).
        Some(Value::Sequence(all_of)) => all_of.push(Value::Mapping(only_ref)),
        _ => {
            schema.insert(
                "allOf".into(),
                Value::Sequence(vec![Value::Mapping(only_ref)]),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(text: &str) -> Result<Value> {
        let mut doc: Value = crate::yaml::from_str(&format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: v}}\ncomponents:\n  schemas:\n    s: {text}\n"
        ))
        .unwrap();
        convert(&mut doc)?;
        Ok(doc["components"]["schemas"]["s"].clone())
    }

    fn yaml(text: &str) -> Value {
        crate::yaml::from_str(text).unwrap()
    }

    #[test]
    fn a_type_list_with_null_becomes_nullable() {
        assert_eq!(
            schema("{type: [string, 'null']}").unwrap(),
            yaml("{type: string, nullable: true}")
        );
        assert_eq!(
            schema("{type: [integer]}").unwrap(),
            yaml("{type: integer}")
        );
    }

    #[test]
    fn a_type_list_with_several_types_is_an_error_at_the_type() {
        let err = schema("{type: [string, integer, 'null']}").unwrap_err();
        assert_eq!(err.location.pointer, "/components/schemas/s/type");
        assert!(err.message.contains("(string, integer)"), "{err}");
        assert!(err.message.contains("`oneOf`"), "{err}");
    }

    #[test]
    fn null_alone_is_an_error_but_a_null_alternative_is_the_nullable_object() {
        let err = schema("{type: 'null'}").unwrap_err();
        assert!(
            err.message.contains("alone has no OpenAPI 3.0 form"),
            "{err}"
        );
        assert_eq!(
            schema("{oneOf: [{type: 'null'}, {$ref: '#/components/schemas/t'}]}").unwrap(),
            yaml("{oneOf: [{type: object, nullable: true}, {$ref: '#/components/schemas/t'}]}")
        );
    }

    #[test]
    fn const_becomes_a_one_value_enum() {
        assert_eq!(
            schema("{type: string, const: on}").unwrap(),
            yaml("{type: string, enum: [on]}")
        );
    }

    #[test]
    fn schema_examples_become_the_first_example() {
        assert_eq!(
            schema("{type: string, examples: [a, b]}").unwrap(),
            yaml("{type: string, example: a}")
        );
        // An `example` already there wins.
        assert_eq!(
            schema("{type: string, example: z, examples: [a]}").unwrap(),
            yaml("{type: string, example: z}")
        );
    }

    #[test]
    fn numeric_exclusive_bounds_become_boolean_ones() {
        assert_eq!(
            schema("{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10}").unwrap(),
            yaml(
                "{type: integer, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}"
            )
        );
        // The stricter bound wins.
        assert_eq!(
            schema("{type: integer, minimum: 5, exclusiveMinimum: 3}").unwrap(),
            yaml("{type: integer, minimum: 5}")
        );
        assert_eq!(
            schema("{type: integer, minimum: 3, exclusiveMinimum: 3}").unwrap(),
            yaml("{type: integer, minimum: 3, exclusiveMinimum: true}")
        );
    }

    #[test]
    fn a_ref_with_siblings_is_wrapped_in_all_of() {
        assert_eq!(
            schema("{$ref: '#/components/schemas/t', description: d}").unwrap(),
            yaml("{description: d, allOf: [{$ref: '#/components/schemas/t'}]}")
        );
        assert_eq!(
            schema("{$ref: '#/components/schemas/t'}").unwrap(),
            yaml("{$ref: '#/components/schemas/t'}")
        );
        // Existing `allOf` items keep their indices.
        assert_eq!(
            schema("{$ref: '#/x', allOf: [{type: object}]}").unwrap(),
            yaml("{allOf: [{type: object}, {$ref: '#/x'}]}")
        );
    }

    #[test]
    fn keywords_without_a_30_form_are_errors_at_the_keyword() {
        let err = schema("{type: array, prefixItems: [{type: string}]}").unwrap_err();
        assert_eq!(err.location.pointer, "/components/schemas/s/prefixItems");
        assert!(err.message.contains("`items`"), "{err}");
        let err = schema("{properties: {a: {if: {}, then: {}}}}").unwrap_err();
        assert_eq!(
            err.location.pointer,
            "/components/schemas/s/properties/a/if"
        );
    }

    #[test]
    fn webhooks_and_the_dialect_are_dropped_with_warnings() {
        let mut doc = yaml(
            "openapi: 3.1.1\ninfo: {title: t, version: v}\njsonSchemaDialect: x\nwebhooks: {a: {}}\n",
        );
        assert!(is_31(&doc));
        let warnings = convert(&mut doc).unwrap();
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(pointers, ["/jsonSchemaDialect", "/webhooks"]);
        assert_eq!(
            doc,
            yaml("openapi: 3.0.3\ninfo: {title: t, version: v}\npaths: {}\n")
        );
    }

    #[test]
    fn literal_data_is_left_alone() {
        // A `const` inside an example is data, not a keyword.
        assert_eq!(
            schema("{type: object, example: {const: 1, type: [a, b]}}").unwrap(),
            yaml("{type: object, example: {const: 1, type: [a, b]}}")
        );
    }
}
