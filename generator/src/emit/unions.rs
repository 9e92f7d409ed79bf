//! Emits a union (`ir::TypeKind::Union`): an enum with one newtype variant per alternative,
//! written as serde's untagged form and read by a `Deserialize` that first looks at the tag, the
//! key or the JSON kind `lower` chose, then decodes only that alternative (why: see
//! `lower/schemas/unions.rs`). A raw union is a newtype over the JSON value with one
//! `as_<alternative>()` accessor per alternative.

use super::tokens::{docs_markdown, rust_type};
use crate::ir::{JsonKind, UnionRule, UnionVariant, VariantTest};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub fn emit_union(
    doc: &TokenStream,
    name: &Ident,
    rule: &UnionRule,
    variants: &[UnionVariant],
) -> TokenStream {
    if *rule == UnionRule::Raw {
        return emit_raw(doc, name, variants);
    }
    let names: Vec<Ident> = variants
        .iter()
        .map(|v| super::tokens::ir_ident(&v.name))
        .collect();
    let docs = variants.iter().map(|v| docs_markdown(&v.docs));
    let types = variants.iter().map(|v| rust_type(&v.ty));
    let body = match rule {
        UnionRule::InternallyTagged { tag } => read_by_tag(tag, variants, &names),
        _ => read_by_shape(variants, &names),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #docs #names(#types), )*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: ::serde::Deserializer<'de>,
            {
                use ::serde::de::Error as _;
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #body
            }
        }
    }
}

/// The tag's value picks the alternative; a missing, non-string or unknown tag names the tag.
fn read_by_tag(tag: &str, variants: &[UnionVariant], names: &[Ident]) -> TokenStream {
    let values: Vec<&str> = variants
        .iter()
        .map(|v| match &v.test {
            VariantTest::Tag(value) => value.as_str(),
            _ => "",
        })
        .collect();
    let expected = values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let not_string = format!("field `{tag}`: expected a string");
    let unknown = format!("field `{tag}`: unknown value {{:?}}, expected one of {expected}");
    let labels = values.iter().map(|v| format!("`{tag}` = `{v}`: {{}}"));
    quote! {
        let tag = match value.get(#tag) {
            ::std::option::Option::Some(::serde_json::Value::String(tag)) => tag.clone(),
            ::std::option::Option::Some(_) => return ::std::result::Result::Err(D::Error::custom(#not_string)),
            ::std::option::Option::None => return ::std::result::Result::Err(D::Error::missing_field(#tag)),
        };
        match tag.as_str() {
            #( #values => ::serde_json::from_value(value)
                .map(Self::#names)
                .map_err(|e| D::Error::custom(::std::format_args!(#labels, e))), )*
            other => ::std::result::Result::Err(D::Error::custom(::std::format_args!(#unknown, other))),
        }
    }
}

/// The first alternative whose key is present, or whose JSON kind the value has, is decoded.
fn read_by_shape(variants: &[UnionVariant], names: &[Ident]) -> TokenStream {
    // Keys first: an object with its own key must not be taken by an `object` kind test.
    let mut order: Vec<usize> = (0..variants.len()).collect();
    order.sort_by_key(|&i| !matches!(variants[i].test, VariantTest::Key(_)));
    let mut expected = Vec::new();
    let checks = order
        .iter()
        .map(|&i| {
            let (test, label) = match &variants[i].test {
                VariantTest::Key(key) => (
                    quote!(value.get(#key).is_some()),
                    format!("an object with field `{key}`"),
                ),
                VariantTest::Kind(kind) => {
                    let is = format_ident!("is_{}", kind_method(*kind));
                    (quote!(value.#is()), format!("a JSON {}", kind.as_str()))
                }
                VariantTest::Tag(_) | VariantTest::None => (quote!(false), String::new()),
            };
            let context = format!("{label}: {{}}");
            expected.push(label);
            let variant = &names[i];
            quote! {
                if #test {
                    return ::serde_json::from_value(value)
                        .map(Self::#variant)
                        .map_err(|e| D::Error::custom(::std::format_args!(#context, e)));
                }
            }
        })
        .collect::<Vec<_>>();
    let message = format!("expected {}", expected.join(" or "));
    quote! {
        #( #checks )*
        ::std::result::Result::Err(D::Error::custom(#message))
    }
}

/// `serde_json::Value`'s `is_*` method for a kind.
fn kind_method(kind: JsonKind) -> &'static str {
    match kind {
        JsonKind::String => "string",
        JsonKind::Number => "number",
        JsonKind::Boolean => "boolean",
        JsonKind::Array => "array",
        JsonKind::Object => "object",
    }
}

fn emit_raw(doc: &TokenStream, name: &Ident, variants: &[UnionVariant]) -> TokenStream {
    let accessors = variants.iter().map(|v| {
        let accessor = super::tokens::ir_ident(&v.accessor);
        let ty = rust_type(&v.ty);
        let doc = docs_markdown(&format!(
            "Decodes the value as alternative `{}` ({}); the JSON cannot tell which alternative was meant, so more than one may succeed.",
            v.name, v.docs
        ));
        quote! {
            #doc
            pub fn #accessor(&self) -> ::std::result::Result<#ty, ::serde_json::Error> {
                ::serde_json::from_value(self.0.clone())
            }
        }
    });
    quote! {
        #doc
        ///
        /// Its alternatives cannot be told apart from the JSON alone, so the value is kept as
        /// received; read it with the `as_*` methods.
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(
            /// The value as received.
            pub ::serde_json::Value,
        );

        impl #name {
            #( #accessors )*
        }
    }
}
