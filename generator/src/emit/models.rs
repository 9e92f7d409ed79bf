//! Emits `models.rs`: one Rust item per named type of the IR.

use super::tokens::{docs, docs_or, ident, rust_type};
use crate::ir::{Api, EnumVariant, Field, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(api: &Api) -> TokenStream {
    let items = api.types.iter().map(emit_type);
    let params = api
        .operations
        .iter()
        .filter_map(super::params::emit_params_struct);
    let module_docs = format!(
        " Request and response types of the Microsoft Graph {} API.",
        api.version
    );
    quote! {
        #![doc = #module_docs]
        #( #items )*
        #( #params )*
    }
}

fn emit_type(def: &TypeDef) -> TokenStream {
    let fallback = format!("`{}` from the API description.", def.source);
    let doc = docs_or(def.docs.as_deref(), &fallback);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct {
            fields,
            extras_field,
            default,
        } => emit_struct(&doc, &name, fields, extras_field, *default),
        TypeKind::Enum { variants, fallback } => emit_enum(&doc, &name, variants, fallback),
        TypeKind::Alias { target } => {
            let target = rust_type(target);
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn emit_struct(
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extras: &str,
    default: bool,
) -> TokenStream {
    let fields = fields.iter().map(emit_field);
    let extras = ident(extras);
    let default = default.then(|| quote!(Default,));
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #( #fields )*
            /// Properties the API description does not list, kept so a round trip loses nothing.
            #[serde(flatten)]
            pub #extras: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }
    }
}

fn emit_field(field: &Field) -> TokenStream {
    let mut text = field
        .docs
        .clone()
        .unwrap_or_else(|| format!("The `{}` property.", field.wire_name));
    if field.read_only {
        text.push_str("\n\nRead-only: set by the service, ignored in requests.");
    }
    let doc = docs(&text);
    let name = ident(&field.name);
    let wire = &field.wire_name;
    let inner = rust_type(&field.ty);
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    if field.required && !field.nullable {
        quote! {
            #doc
            #deprecated
            #[serde(rename = #wire)]
            pub #name: #inner,
        }
    } else if field.required {
        // Required but nullable: always sent, as `null` when `None`.
        quote! {
            #doc
            #deprecated
            #[serde(rename = #wire, default)]
            pub #name: ::std::option::Option<#inner>,
        }
    } else {
        quote! {
            #doc
            #deprecated
            #[serde(rename = #wire, default, skip_serializing_if = "Option::is_none")]
            pub #name: ::std::option::Option<#inner>,
        }
    }
}

fn emit_enum(
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    variants: &[EnumVariant],
    fallback: &str,
) -> TokenStream {
    let fallback = ident(fallback);
    let names: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    let variant_docs = values.iter().map(|v| docs(&format!("`{v}`")));
    quote! {
        #doc
        ///
        /// Values the service adds later, or spells differently, are kept verbatim in the
        /// fallback variant, so reading and writing them back never loses anything.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #variant_docs #names, )*
            /// A value not known when this crate was generated, kept exactly as received.
            #fallback(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#names => #values, )*
                    Self::#fallback(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#names, )*
                    other => Self::#fallback(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::from(value.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }

        impl runtime::ParamValue for #name {
            fn param_value(&self) -> ::std::string::String {
                self.as_str().to_owned()
            }
        }
    }
}
