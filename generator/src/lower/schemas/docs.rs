//! Docs of types and fields, decided here so every generated item is documented in words.
//!
//! The spec's description comes first (escaped for rustdoc); where the spec says nothing, a
//! sentence says what the item is for, from where it is used: "The request body of
//! `setPresence`: ...", "The `message` property of [`PresenceStatusMessage`].". Never a JSON
//! pointer, which tells a reader of the Rust docs nothing.

use crate::ir::TypeRef;
use crate::markdown::prose;
use openapiv3::Schema;

/// What an inline schema is for: the stem of its type's name, and the sentence documenting the
/// type when the spec has no description of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// Words the type name is made from (`SetPresence request`).
    pub name: String,
    /// Rustdoc markdown for the type.
    pub docs: String,
    /// The sentence comes before the spec's text instead of standing in for it: a body type's
    /// name alone does not say which operation it belongs to.
    pub leads: bool,
}

impl Context {
    /// A component schema (`microsoft.graph.presence`).
    pub fn component(key: &str) -> Self {
        Context {
            name: key.to_owned(),
            docs: format!("The `{key}` type of the API."),
            leads: false,
        }
    }

    /// The JSON body an operation sends (`request`) or answers with (`response`).
    pub fn body(stem: &str, direction: &str, action: &str, summary: Option<&str>) -> Self {
        let summary = summary.map(str::trim).filter(|s| !s.is_empty());
        let docs = match summary {
            Some(summary) => {
                let stop = if summary.ends_with(['.', '!', '?']) {
                    ""
                } else {
                    "."
                };
                format!(
                    "The {direction} body of `{action}`: {}{stop}",
                    prose(summary)
                )
            }
            None => format!("The {direction} body of `{action}`."),
        };
        Context {
            name: format!("{stem} {direction}"),
            docs,
            leads: true,
        }
    }

    /// A query or header parameter of the operation whose type names start with `stem`.
    pub fn parameter(stem: &str, wire_name: &str) -> Self {
        Context {
            name: format!("{stem} {wire_name}"),
            docs: format!("The `{wire_name}` parameter."),
            leads: false,
        }
    }

    /// A property of the struct `owner`.
    pub fn property(owner: &str, wire_name: &str) -> Self {
        Context {
            name: format!("{owner} {wire_name}"),
            docs: format!("The `{wire_name}` property of [`{owner}`]."),
            leads: false,
        }
    }

    /// The alternative `label` of the union `owner`.
    pub fn alternative(owner: &str, label: &str) -> Self {
        Context {
            name: format!("{owner} {label}"),
            docs: format!("The `{label}` alternative of [`{owner}`]."),
            leads: false,
        }
    }

    /// The items of an array described by `self`.
    pub fn item(&self) -> Self {
        Context {
            name: format!("{} item", self.name),
            docs: format!("An item of {}", lower_first(&self.docs)),
            leads: false,
        }
    }

    /// The values of a map, or what an alias names, described by `self`.
    pub fn value(&self) -> Self {
        Context {
            name: format!("{} value", self.name),
            docs: format!("A value of {}", lower_first(&self.docs)),
            leads: false,
        }
    }
}

/// `The x` → `the x`, so a context's sentence can continue another one.
fn lower_first(text: &str) -> String {
    match text.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => text.to_owned(),
    }
}

/// The spec's description of a schema (or its title), trimmed, when it has one.
pub fn spec_text(schema: &Schema) -> Option<&str> {
    schema
        .schema_data
        .description
        .as_deref()
        .or(schema.schema_data.title.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
}

/// Docs of a named type. A body type always says which operation it belongs to (its name alone
/// does not), followed by the spec's description; other types use the spec's description and
/// fall back to the context's sentence.
pub fn type_docs(schema: &Schema, context: &Context) -> String {
    match spec_text(schema) {
        Some(text) if context.leads => format!("{}\n\n{}", context.docs, prose(text)),
        Some(text) => prose(text),
        None => context.docs.clone(),
    }
}

/// Docs of a struct field: the spec's description, else the description of the component it
/// refers to, else a pointer to the type it holds; read-only fields say the service sets them.
pub fn field_docs(
    own: Option<&str>,
    referenced: Option<&str>,
    wire_name: &str,
    ty: &TypeRef,
    read_only: bool,
) -> String {
    let mut text = match own.or(referenced) {
        Some(spec) => prose(spec),
        None => match model_named(ty) {
            Some(model) => format!("The `{wire_name}` property: see [`{model}`]."),
            None => format!("The `{wire_name}` property."),
        },
    };
    // Graph's descriptions often end in "Read-only." already; say it once, in full.
    if read_only {
        let trimmed = text.trim_end_matches(|c: char| c.is_whitespace());
        if let Some(stripped) = trimmed.strip_suffix("Read-only.") {
            text = stripped.trim_end().to_owned();
        }
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("Read-only: set by the service, ignored in requests.");
    }
    text
}

/// The model type a field's type names, also through a list or map, for a "see ..." link.
fn model_named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) | TypeRef::Boxed(name) => Some(name),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => model_named(inner),
        _ => None,
    }
}

/// Docs of an enum variant, only when its wire value says more than its name: the name shows
/// `UnknownFutureValue`, not that the service spells it `unknownFutureValue`.
pub fn variant_docs(name: &str, wire_value: &str) -> Option<String> {
    (name != wire_value).then(|| format!("Sent as `{wire_value}`."))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::schema;
    use super::*;

    #[test]
    fn a_body_says_which_operation_it_belongs_to_before_the_spec_text() {
        let context = Context::body(
            "ClearPresence",
            "request",
            "clearPresence",
            Some("Clear it"),
        );
        assert_eq!(context.name, "ClearPresence request");
        let docs = type_docs(
            &schema("{type: object, description: Keeps <it>.}"),
            &context,
        );
        assert_eq!(
            docs,
            "The request body of `clearPresence`: Clear it.\n\nKeeps &lt;it>."
        );
    }

    #[test]
    fn an_undocumented_type_is_described_by_where_it_is_used_never_by_a_pointer() {
        let context = Context::property("Presence", "tags").item();
        assert_eq!(context.name, "Presence tags item");
        let docs = type_docs(&schema("{type: object}"), &context);
        assert_eq!(docs, "An item of the `tags` property of [`Presence`].");
        assert!(!docs.contains("~1"));
        let component = type_docs(&schema("{type: object}"), &Context::component("a.b"));
        assert_eq!(component, "The `a.b` type of the API.");
    }

    #[test]
    fn items_of_a_parameter_read_as_a_sentence() {
        let context = Context::parameter("GetPresence", "$select").item();
        assert_eq!(context.name, "GetPresence $select item");
        assert_eq!(context.docs, "An item of the `$select` parameter.");
    }

    #[test]
    fn a_documented_type_keeps_the_spec_text_escaped() {
        let docs = type_docs(
            &schema("{type: object, description: ' A [b] '}"),
            &Context::component("a"),
        );
        assert_eq!(docs, "A \\[b]");
    }

    #[test]
    fn field_docs_fall_back_from_spec_to_reference_to_a_link() {
        let named = TypeRef::Vec(Box::new(TypeRef::Named("Item".into())));
        assert_eq!(
            field_docs(Some("Own."), Some("Ref."), "x", &named, false),
            "Own."
        );
        assert_eq!(field_docs(None, Some("Ref."), "x", &named, false), "Ref.");
        assert_eq!(
            field_docs(None, None, "x", &named, false),
            "The `x` property: see [`Item`]."
        );
        assert_eq!(
            field_docs(None, None, "id", &TypeRef::String, true),
            "The `id` property.\n\nRead-only: set by the service, ignored in requests."
        );
    }

    #[test]
    fn a_read_only_note_is_written_once() {
        assert_eq!(
            field_docs(
                Some("When it was published. Read-only."),
                None,
                "x",
                &TypeRef::String,
                true
            ),
            "When it was published.\n\nRead-only: set by the service, ignored in requests."
        );
    }

    #[test]
    fn variants_are_documented_only_when_the_wire_spelling_differs() {
        assert_eq!(variant_docs("Busy", "Busy"), None);
        assert_eq!(
            variant_docs("UnknownFutureValue", "unknownFutureValue").as_deref(),
            Some("Sent as `unknownFutureValue`.")
        );
    }
}
