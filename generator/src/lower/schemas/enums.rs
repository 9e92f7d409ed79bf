//! String enums: every enum is open (Graph adds values over time), so besides one variant per
//! known value it has a fallback variant that keeps any other value verbatim.

use super::docs::variant_docs;
use crate::ir::{EnumVariant, TypeKind};
use crate::lower::naming::{self, NameSet};
use openapiv3::{Schema, SchemaKind, Type};

/// The known values of a string enum schema, or `None` when the schema is not one: `type:
/// string` with `enum`, or an `enum` without `type` whose values are all strings (a `null`
/// among them only says the property is nullable).
pub fn enum_values(schema: &Schema) -> Option<Vec<&str>> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            let values: Vec<&str> = s.enumeration.iter().flatten().map(String::as_str).collect();
            (!values.is_empty()).then_some(values)
        }
        SchemaKind::Any(any)
            if any.typ.as_deref().is_none_or(|t| t == "string")
                && !any.enumeration.is_empty()
                && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            Some(any.enumeration.iter().filter_map(|v| v.as_str()).collect())
        }
        _ => None,
    }
}

/// An open enum: one variant per distinct known value (names made unique) and a fallback that
/// keeps any other value verbatim.
pub fn enum_kind(values: &[&str]) -> TypeKind {
    let mut names = NameSet::new();
    let mut variants: Vec<EnumVariant> = Vec::with_capacity(values.len());
    for value in values {
        if variants.iter().any(|v| v.wire_value == *value) {
            continue;
        }
        let name = names.claim(variant_name(value));
        variants.push(EnumVariant {
            docs: variant_docs(&name, value),
            name: naming::to_ident(&name),
            wire_value: (*value).to_owned(),
        });
    }
    let fallback = ["Other", "Unrecognized"]
        .into_iter()
        .find(|n| !names.contains(n))
        .map(str::to_owned)
        .unwrap_or_else(|| names.claim("Other".to_owned()));
    TypeKind::Enum {
        variants,
        fallback: naming::to_ident(&fallback),
    }
}

fn variant_name(value: &str) -> String {
    match value {
        "" => "Empty".to_owned(),
        // OData's `$expand=*` / `$select=*`: "everything", which `pascal` alone would turn into
        // the meaningless `Value`.
        "*" => "All".to_owned(),
        _ => naming::pascal(value),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::schema;
    use super::*;
    use crate::ir::Ident;

    fn variants(kind: TypeKind) -> (Vec<(String, String, Option<String>)>, Ident) {
        let TypeKind::Enum { variants, fallback } = kind else {
            panic!("not an enum: {kind:?}")
        };
        let listed = variants
            .iter()
            .map(|v| (v.name.name.clone(), v.wire_value.clone(), v.docs.clone()))
            .collect();
        (listed, fallback.clone())
    }

    #[test]
    fn values_become_pascal_variants_documented_only_when_spelled_differently() {
        let (listed, fallback) = variants(enum_kind(&["Busy", "unknownFutureValue", "*", ""]));
        assert_eq!(
            listed,
            [
                ("Busy".into(), "Busy".into(), None),
                (
                    "UnknownFutureValue".into(),
                    "unknownFutureValue".into(),
                    Some("Sent as `unknownFutureValue`.".into())
                ),
                ("All".into(), "*".into(), Some("Sent as `*`.".into())),
                ("Empty".into(), "".into(), Some("Sent as ``.".into())),
            ]
        );
        assert_eq!(fallback, Ident::plain("Other"));
    }

    #[test]
    fn duplicate_values_are_dropped_and_clashing_names_suffixed() {
        let (listed, _) = variants(enum_kind(&["a-b", "a_b", "a-b"]));
        let names: Vec<&str> = listed.iter().map(|v| v.0.as_str()).collect();
        assert_eq!(names, ["AB", "AB2"]);
    }

    #[test]
    fn the_fallback_avoids_a_known_value_named_other() {
        let (_, fallback) = variants(enum_kind(&["other"]));
        assert_eq!(fallback, Ident::plain("Unrecognized"));
        let (_, fallback) = variants(enum_kind(&["other", "unrecognized"]));
        assert_eq!(fallback, Ident::plain("Other2"));
    }

    #[test]
    fn string_enums_with_or_without_type_are_recognised() {
        assert_eq!(
            enum_values(&schema("{type: string, enum: [a, b]}")),
            Some(vec!["a", "b"])
        );
        assert_eq!(enum_values(&schema("{enum: [a, null]}")), Some(vec!["a"]));
        assert_eq!(enum_values(&schema("{type: string}")), None);
        assert_eq!(enum_values(&schema("{enum: [1, 2]}")), None);
    }
}
