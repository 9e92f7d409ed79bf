//! `oneOf`/`anyOf` whose alternatives are not one type plus `null` and not scalars of distinct
//! JSON kinds (those stay in [`super::alternatives`]): a union enum, never a refusal.
//!
//! Rules, most specific first; the first that fits every alternative wins:
//! 1. **internally tagged**: one property holds a different single-value string `enum` (3.1's
//!    `const` arrives as one) in every alternative, e.g. `kind: {enum: [circle]}` and
//!    `kind: {enum: [square]}`: the tag's value picks the alternative.
//! 2. **externally tagged**: every alternative is an object with exactly one required property
//!    and no two share it, e.g. `{required: [email]}` and `{required: [phone]}`: the property
//!    present picks the alternative.
//! 3. **untagged**: each alternative has a JSON kind no other has (string, number, boolean,
//!    array, object) or, among objects, a required property no other alternative lists.
//! 4. **raw**: nothing above fits: the type keeps the JSON value as received, offers a typed
//!    `as_<alternative>()` accessor per alternative, and a warning names the place.
//!
//! Rules 1 to 3 share one generated `Deserialize` (emit/models.rs): read a `serde_json::Value`,
//! look at the tag, key or kind, then decode only the chosen alternative. serde's own
//! `#[serde(tag)]` would strip the tag before the alternative's struct sees it (the structs keep
//! their tag field, as the spec lists it), and `#[serde(untagged)]` reports a mismatch as "did
//! not match any variant", naming no field; looking first lets the error name the tag or the
//! field the chosen alternative lacks. Writing is serde's untagged form: each alternative's
//! struct already writes its tag or key.

use super::{Context, TypeBuilder};
use crate::error::{Result, pointer_join};
use crate::ir::{JsonKind, TypeKind, TypeRef, UnionRule, UnionVariant, VariantTest, Warning};
use crate::lower::naming::{self, NameSet};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// Deepest `allOf` followed when collecting an alternative's properties.
const MAX_ALL_OF: usize = 16;

/// What the rules read of one alternative.
struct Alt<'s> {
    schema: &'s ReferenceOr<Schema>,
    pointer: String,
    kind: Option<JsonKind>,
    /// Property names with, for each, the single string value it is constrained to (if so).
    properties: Vec<(String, Option<String>)>,
    required: Vec<String>,
}

impl<'a> TypeBuilder<'a> {
    /// The union kind of the alternatives at `pointer` (`.../oneOf`), named `name`.
    pub(super) fn union_kind(
        &mut self,
        name: &str,
        alts: &[ReferenceOr<Schema>],
        pointer: &str,
        depth: usize,
    ) -> Result<TypeKind> {
        let facts: Vec<Alt<'_>> = alts
            .iter()
            .enumerate()
            .map(|(i, alt)| self.alt_facts(alt, pointer_join(pointer, &i.to_string())))
            .collect();
        let (rule, tests) = choose_rule(&facts);
        if rule == UnionRule::Raw {
            self.warnings.push(Warning {
                pointer: pointer.to_owned(),
                message: format!(
                    "the alternatives of `{name}` cannot be told apart (no tag property, no JSON kind or required property of their own): `{name}` keeps the raw JSON, read it with its `as_<alternative>()` methods"
                ),
                also_at: None,
            });
        }
        let mut names = NameSet::new();
        let mut variants = Vec::with_capacity(facts.len());
        for (i, (alt, test)) in facts.iter().zip(tests).enumerate() {
            let label = match &test {
                VariantTest::Tag(v) | VariantTest::Key(v) => v.clone(),
                VariantTest::Kind(k) => k.as_str().to_owned(),
                VariantTest::None => alt
                    .kind
                    .map_or_else(|| format!("option {}", i + 1), |k| k.as_str().to_owned()),
            };
            let context = Context::alternative(name, &label);
            let ty = match alt.schema {
                ReferenceOr::Reference { reference } => self.reference(reference, &alt.pointer)?,
                ReferenceOr::Item(s) => self.inline(s, &alt.pointer, &context, depth + 1)?,
            };
            // A referenced type names its variant; an inline one is named by what tells it apart.
            let variant = match (&ty, &test) {
                (TypeRef::Named(n), VariantTest::Kind(_) | VariantTest::None) => n.clone(),
                _ => naming::pascal(&label),
            };
            let variant = names.claim(variant);
            let docs = match &test {
                VariantTest::Tag(v) => format!("`{}` is `{v}`.", tag_of(&rule)),
                VariantTest::Key(k) => format!("An object with the `{k}` property."),
                VariantTest::Kind(k) => format!("A JSON {}.", k.as_str()),
                VariantTest::None => format!("Alternative {} of the union.", i + 1),
            };
            variants.push(UnionVariant {
                accessor: naming::to_ident(&format!("as_{}", naming::snake(&variant))),
                name: naming::to_ident(&variant),
                ty,
                test,
                docs,
            });
        }
        Ok(TypeKind::Union { rule, variants })
    }

    fn alt_facts<'s>(&self, schema: &'s ReferenceOr<Schema>, pointer: String) -> Alt<'s> {
        let mut alt = Alt {
            schema,
            pointer,
            kind: None,
            properties: Vec::new(),
            required: Vec::new(),
        };
        if let Some(resolved) = self.resolved(schema) {
            alt.kind = self.kind_of(resolved);
            self.collect_object(resolved, &mut alt, 0);
        }
        alt
    }

    /// The JSON kind a schema validates, when it names one (following `allOf` as an object).
    fn kind_of(&self, schema: &Schema) -> Option<JsonKind> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => Some(JsonKind::String),
            SchemaKind::Type(Type::Number(_) | Type::Integer(_)) => Some(JsonKind::Number),
            SchemaKind::Type(Type::Boolean(_)) => Some(JsonKind::Boolean),
            SchemaKind::Type(Type::Array(_)) => Some(JsonKind::Array),
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => Some(JsonKind::Object),
            SchemaKind::Any(any) if !any.properties.is_empty() => Some(JsonKind::Object),
            SchemaKind::Any(any) => match any.typ.as_deref() {
                Some("string") => Some(JsonKind::String),
                Some("number" | "integer") => Some(JsonKind::Number),
                Some("boolean") => Some(JsonKind::Boolean),
                Some("array") => Some(JsonKind::Array),
                Some("object") => Some(JsonKind::Object),
                _ => None,
            },
            _ => None,
        }
    }

    /// Properties and required names of an object schema, through `allOf` and references.
    fn collect_object(&self, schema: &Schema, alt: &mut Alt<'_>, depth: usize) {
        if depth > MAX_ALL_OF {
            return;
        }
        let (properties, required, all_of) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (Some(&o.properties), &o.required[..], &[][..]),
            SchemaKind::AllOf { all_of } => (None, &[][..], &all_of[..]),
            SchemaKind::Any(any) => (Some(&any.properties), &any.required[..], &any.all_of[..]),
            _ => return,
        };
        for part in all_of {
            if let Some(part) = self.resolved(part) {
                self.collect_object(part, alt, depth + 1);
            }
        }
        for (key, property) in properties.into_iter().flatten() {
            let constant = match property {
                ReferenceOr::Item(s) => single_string(s),
                ReferenceOr::Reference { reference } => self
                    .component_schema(reference, "")
                    .ok()
                    .and_then(|s| match s {
                        ReferenceOr::Item(s) => single_string(s),
                        ReferenceOr::Reference { .. } => None,
                    }),
            };
            alt.properties.retain(|(k, _)| k != key);
            alt.properties.push((key.clone(), constant));
        }
        for key in required {
            if !alt.required.contains(key) {
                alt.required.push(key.clone());
            }
        }
    }
}

/// The one string a schema allows (`enum` of one value), if so.
fn single_string(schema: &Schema) -> Option<String> {
    match super::enums::enum_values(schema)?.as_slice() {
        [only] => Some((*only).to_owned()),
        _ => None,
    }
}

fn tag_of(rule: &UnionRule) -> &str {
    match rule {
        UnionRule::InternallyTagged { tag } => tag,
        _ => "",
    }
}

/// Applies the rules in order (see the module docs); returns the rule and each alternative's test.
fn choose_rule(alts: &[Alt<'_>]) -> (UnionRule, Vec<VariantTest>) {
    if let Some((tag, values)) = internal_tag(alts) {
        let tests = values.into_iter().map(VariantTest::Tag).collect();
        return (UnionRule::InternallyTagged { tag }, tests);
    }
    if let Some(keys) = external_keys(alts) {
        let tests = keys.into_iter().map(VariantTest::Key).collect();
        return (UnionRule::ExternallyTagged, tests);
    }
    if let Some(tests) = untagged_tests(alts) {
        return (UnionRule::Untagged, tests);
    }
    (
        UnionRule::Raw,
        alts.iter().map(|_| VariantTest::None).collect(),
    )
}

/// Rule 1: a property every alternative constrains to a different single string.
fn internal_tag(alts: &[Alt<'_>]) -> Option<(String, Vec<String>)> {
    let first = alts.first()?;
    'candidates: for (tag, _) in first.properties.iter().filter(|(_, c)| c.is_some()) {
        let mut values: Vec<String> = Vec::with_capacity(alts.len());
        for alt in alts {
            let value = alt
                .properties
                .iter()
                .find(|(k, _)| k == tag)
                .and_then(|(_, c)| c.clone());
            match value {
                Some(v) if !values.contains(&v) => values.push(v),
                _ => continue 'candidates,
            }
        }
        return Some((tag.clone(), values));
    }
    None
}

/// Rule 2: objects with exactly one required property each, all different.
fn external_keys(alts: &[Alt<'_>]) -> Option<Vec<String>> {
    let mut keys: Vec<String> = Vec::with_capacity(alts.len());
    for alt in alts {
        match (alt.kind, alt.required.as_slice()) {
            (Some(JsonKind::Object), [only]) if !keys.contains(only) => keys.push(only.clone()),
            _ => return None,
        }
    }
    // The key must be the alternative's own: no other alternative may even list it.
    let own = alts.iter().zip(&keys).all(|(alt, key)| {
        alts.iter()
            .filter(|other| !std::ptr::eq(*other, alt))
            .all(|other| other.properties.iter().all(|(k, _)| k != key))
    });
    own.then_some(keys)
}

/// Rule 3: a JSON kind of its own, or among objects a required property no other lists.
fn untagged_tests(alts: &[Alt<'_>]) -> Option<Vec<VariantTest>> {
    let mut tests = Vec::with_capacity(alts.len());
    for (i, alt) in alts.iter().enumerate() {
        let kind = alt.kind?;
        let others = || alts.iter().enumerate().filter(move |(j, _)| *j != i);
        if others().all(|(_, o)| o.kind != Some(kind)) {
            tests.push(VariantTest::Kind(kind));
            continue;
        }
        if kind != JsonKind::Object {
            return None;
        }
        let own = alt.required.iter().find(|key| {
            others().all(|(_, o)| {
                o.properties.iter().all(|(k, _)| k != *key) && !o.required.contains(key)
            })
        })?;
        tests.push(VariantTest::Key(own.clone()));
    }
    Some(tests)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, schema};
    use super::*;

    /// Lowers the component `u` of `schemas` and returns its rule and variant tests.
    fn rule_of(schemas: &str) -> (UnionRule, Vec<VariantTest>, usize) {
        let doc = doc(schemas);
        let mut types = TypeBuilder::new(&doc, &[]);
        types.lower_components().unwrap();
        let TypeKind::Union { rule, variants } = &types.types["U"].kind else {
            panic!("U is not a union: {:?}", types.types["U"].kind);
        };
        let tests = variants.iter().map(|v| v.test.clone()).collect();
        (rule.clone(), tests, types.warnings.len())
    }

    #[test]
    fn a_constant_property_in_every_alternative_is_the_tag() {
        let (rule, tests, warnings) = rule_of(
            "a: {type: object, required: [k], properties: {k: {type: string, enum: [x]}}}\n\
             b: {type: object, required: [j], properties: {k: {type: string, enum: [y]}}}\n\
             u: {oneOf: [{$ref: '#/components/schemas/a'}, {$ref: '#/components/schemas/b'}]}",
        );
        assert_eq!(rule, UnionRule::InternallyTagged { tag: "k".into() });
        assert_eq!(
            tests,
            [VariantTest::Tag("x".into()), VariantTest::Tag("y".into())]
        );
        assert_eq!(warnings, 0);
    }

    #[test]
    fn the_same_constant_twice_is_no_tag() {
        let (rule, _, _) = rule_of(
            "u: {oneOf: [{type: object, properties: {k: {enum: [x]}}}, {type: object, properties: {k: {enum: [x]}}}]}",
        );
        assert_eq!(rule, UnionRule::Raw);
    }

    #[test]
    fn one_required_property_of_its_own_each_is_externally_tagged() {
        let (rule, tests, _) = rule_of(
            "u: {oneOf: [{type: object, required: [a], properties: {a: {type: string}}}, {type: object, required: [b], properties: {b: {type: string}}}]}",
        );
        assert_eq!(rule, UnionRule::ExternallyTagged);
        assert_eq!(
            tests,
            [VariantTest::Key("a".into()), VariantTest::Key("b".into())]
        );
    }

    #[test]
    fn kinds_and_own_required_properties_are_untagged() {
        let (rule, tests, _) = rule_of(
            "u: {anyOf: [{type: integer}, {type: object, required: [a, c], properties: {a: {type: string}}}, {type: object, required: [b], properties: {a: {type: string}}}]}",
        );
        assert_eq!(rule, UnionRule::Untagged);
        assert_eq!(
            tests,
            [
                VariantTest::Kind(JsonKind::Number),
                VariantTest::Key("c".into()),
                VariantTest::Key("b".into())
            ]
        );
    }

    #[test]
    fn a_required_property_another_alternative_lists_tells_nothing() {
        let (rule, tests, warnings) = rule_of(
            "u: {anyOf: [{type: object, required: [a], properties: {a: {type: string}}}, {type: object, properties: {a: {type: string}, b: {type: string}}}]}",
        );
        assert_eq!(rule, UnionRule::Raw);
        assert_eq!(tests, [VariantTest::None, VariantTest::None]);
        assert_eq!(warnings, 1);
    }

    #[test]
    fn an_inline_union_is_named_after_where_it_is_used() {
        let doc = doc("a: {type: object}");
        let mut types = TypeBuilder::new(&doc, &[]);
        let context = Context::property("Owner", "pick");
        let yaml = "{oneOf: [{type: object, required: [x], properties: {x: {type: string}}}, {type: object, required: [y], properties: {y: {type: string}}}]}";
        let ty = types.inline(&schema(yaml), "/p", &context, 0).unwrap();
        assert_eq!(ty, TypeRef::Named("OwnerPick".into()));
        let names: Vec<&String> = types.types.keys().collect();
        assert_eq!(names, ["OwnerPick", "OwnerPickX", "OwnerPickY"]);
    }
}
