//! Emits `models.rs`: one Rust item per named type of the IR.

use super::tokens::{docs, docs_markdown, docs_or, ident, prose, rust_type};
use crate::ir::{Api, EnumVariant, Field, TypeDef, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn emit(api: &Api) -> TokenStream {
    let items = api.types.iter().map(|def| emit_type(api, def));
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

fn emit_type(api: &Api, def: &TypeDef) -> TokenStream {
    let fallback = format!("`{}` from the API description.", def.source);
    let doc = docs_or(def.docs.as_deref(), &fallback);
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct {
            fields,
            extras_field,
            default,
        } => {
            let item = emit_struct(&doc, &name, fields, extras_field, *default);
            let constructors = emit_constructors(api, def, fields, extras_field);
            quote! { #item #constructors }
        }
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
    // Spec text is escaped; the sentences added here are markdown with intra-doc links.
    let mut text = match &field.docs {
        Some(spec) => prose(spec),
        None => match model_named(&field.ty) {
            Some(model) => format!("See [`{model}`]."),
            None => format!("The `{}` property.", field.wire_name),
        },
    };
    if field.read_only {
        text.push_str("\n\nRead-only: set by the service, ignored in requests.");
    }
    let doc = docs_markdown(&text);
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

/// The model type a field's type names, also through a list or map, for a "See ..." link.
fn model_named(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(name) | TypeRef::Boxed(name) => Some(name.trim_start_matches("r#")),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => model_named(inner),
        _ => None,
    }
}

/// `new` taking the required fields, and a `with_*` setter per optional field, for structs that
/// cannot derive `Default` because some field is required: a literal would have to spell out
/// every optional field and the catch-all map.
fn emit_constructors(api: &Api, def: &TypeDef, fields: &[Field], extras: &str) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        return TokenStream::new();
    }
    let name = ident(&def.name);
    let extras = ident(extras);
    let params = required.iter().map(|f| {
        let arg = ident(&f.name);
        let ty = argument_type(api, f);
        quote!(#arg: #ty)
    });
    let inits = fields.iter().map(|f| {
        let field = ident(&f.name);
        match (f.required, f.nullable, takes_into(api, &f.ty)) {
            (true, false, true) => quote!(#field: #field.into()),
            (true, _, _) => quote!(#field),
            (false, _, _) => quote!(#field: ::std::option::Option::None),
        }
    });
    let listed = required
        .iter()
        .map(|f| format!("`{}`", f.wire_name))
        .collect::<Vec<_>>()
        .join(", ");
    let new_doc = docs_markdown(&format!(
        "Builds a [`{}`] from its required properties ({listed}).\n\n\
         Every optional property is `None` and [`{}`](Self::{}) is empty.",
        def.name.trim_start_matches("r#"),
        extras.to_string().trim_start_matches("r#"),
        extras.to_string().trim_start_matches("r#"),
    ));
    let allow_deprecated = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    // One argument per required property is the point, however many the schema has.
    let allow_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = fields
        .iter()
        .filter(|f| !f.required && !f.deprecated)
        .map(|f| emit_setter(api, f));
    quote! {
        impl #name {
            #new_doc
            #allow_deprecated
            #allow_many
            pub fn new( #( #params ),* ) -> Self {
                Self {
                    #( #inits, )*
                    #extras: ::serde_json::Map::new(),
                }
            }
            #( #setters )*
        }
    }
}

fn emit_setter(api: &Api, field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let bare = field.name.trim_start_matches("r#");
    let setter = format_ident!("with_{}", bare);
    // A keyword field (`r#type`) cannot be the target of an intra-doc link.
    let target = if field.name.starts_with("r#") {
        format!("`{bare}`")
    } else {
        format!("[`{bare}`](Self::{bare})")
    };
    let doc = docs_markdown(&format!("Sets {target} (`{}`).", field.wire_name));
    let inner = rust_type(&field.ty);
    let (param, value) = if takes_into(api, &field.ty) {
        (
            quote!(impl ::std::convert::Into<#inner>),
            quote!(value.into()),
        )
    } else {
        (inner, quote!(value))
    };
    quote! {
        #doc
        #[must_use]
        pub fn #setter(mut self, value: #param) -> Self {
            self.#name = ::std::option::Option::Some(#value);
            self
        }
    }
}

/// The parameter type of a required field in `new`.
fn argument_type(api: &Api, field: &Field) -> TokenStream {
    let inner = rust_type(&field.ty);
    if field.nullable {
        quote!(::std::option::Option<#inner>)
    } else if takes_into(api, &field.ty) {
        quote!(impl ::std::convert::Into<#inner>)
    } else {
        inner
    }
}

/// Strings and string enums are taken as `impl Into<T>`, so `"id"` and `Availability::Busy` both
/// work without `.into()` at the call site.
fn takes_into(api: &Api, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String => true,
        TypeRef::Named(name) => api
            .types
            .iter()
            .any(|t| t.name == *name && matches!(t.kind, TypeKind::Enum { .. })),
        _ => false,
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
