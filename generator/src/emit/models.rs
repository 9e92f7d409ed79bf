//! Emits `models.rs`: one Rust item per named type of the IR, printed as the IR says (names,
//! derives, docs and constructors were all decided in `lower`).
//!
//! Paths rule: every std and serde item in type or value position is written fully qualified
//! (`::std::option::Option`, `::std::string::String`, `::std::option::Option::Some`,
//! `"::std::option::Option::is_none"`), never through the prelude, because the spec's types
//! live in the same module and may be called `Option`, `String` or `Result`, which would
//! shadow the prelude's names. Derive macros are the one exception (see [`derive_path`]).

use super::tokens::{docs_markdown, ir_ident, rust_type};
use crate::ir::{Api, Derive, EnumVariant, Field, Ident, TypeDef, TypeKind, Wire};
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
    let doc = docs_markdown(&def.docs);
    let name = ir_ident(&def.name);
    match &def.kind {
        TypeKind::Struct {
            fields,
            extras_field,
            derives,
            constructor,
            wire,
        } => {
            let item = emit_struct(&doc, &name, fields, extras_field, derives, *wire);
            let wire_impls =
                (*wire == Wire::Runtime).then(|| emit_object_impls(&name, fields, extras_field));
            let constructors = constructor.then(|| emit_constructors(def, fields, extras_field));
            quote! { #item #wire_impls #constructors }
        }
        TypeKind::Enum { variants, fallback } => emit_enum(&doc, &name, variants, fallback),
        TypeKind::Alias { target } => {
            let target = rust_type(target);
            quote! { #doc pub type #name = #target; }
        }
        TypeKind::Union { rule, variants } => {
            super::unions::emit_union(&doc, &name, rule, variants)
        }
    }
}

/// Derive macros live in the macro namespace, where no spec type can shadow them, so the std
/// ones keep their short names; serde's are not in the prelude and are written in full.
fn derive_path(derive: Derive) -> TokenStream {
    match derive {
        Derive::Debug => quote!(Debug),
        Derive::Clone => quote!(Clone),
        Derive::PartialEq => quote!(PartialEq),
        Derive::Default => quote!(Default),
        Derive::Serialize => quote!(::serde::Serialize),
        Derive::Deserialize => quote!(::serde::Deserialize),
    }
}

fn emit_struct(
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    extras: &Ident,
    derives: &[Derive],
    wire: Wire,
) -> TokenStream {
    let fields = fields.iter().map(|f| emit_field(f, wire));
    let extras = ir_ident(extras);
    let derives = derives.iter().map(|d| derive_path(*d));
    let flatten = (wire == Wire::Derive).then(|| quote!(#[serde(flatten)]));
    quote! {
        #doc
        #[derive( #( #derives ),* )]
        pub struct #name {
            #( #fields )*
            /// Properties the API description does not list, kept so a round trip loses nothing.
            #flatten
            pub #extras: runtime::AdditionalProperties,
        }
    }
}

/// `runtime::object_impls!(Name, extras { field: "wireName", .. });`: the runtime's JSON impls
/// of a struct whose fields are all optional.
fn emit_object_impls(name: &proc_macro2::Ident, fields: &[Field], extras: &Ident) -> TokenStream {
    let extras = ir_ident(extras);
    let entries = fields.iter().map(|f| {
        let field = ir_ident(&f.name);
        let wire = &f.wire_name;
        quote!(#field: #wire)
    });
    quote! {
        runtime::object_impls!(#name, #extras { #( #entries ),* });
    }
}

fn emit_field(field: &Field, wire_impl: Wire) -> TokenStream {
    let doc = docs_markdown(&field.docs);
    let name = ir_ident(&field.name);
    let inner = rust_type(&field.ty);
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    if wire_impl == Wire::Runtime {
        // Every field is optional; the wire names are in `object_impls!`.
        return quote! {
            #doc
            #deprecated
            pub #name: ::std::option::Option<#inner>,
        };
    }
    let wire = &field.wire_name;
    // serde already uses the field's own name; a raw one keeps the attribute to stay obvious.
    let rename =
        (field.name.raw || field.name.name != *wire).then(|| quote!(#[serde(rename = #wire)]));
    let (attrs, ty) = if field.required && !field.nullable {
        (quote!(), inner)
    } else if field.required {
        // Required but nullable: always sent, as `null` when `None`.
        (
            quote!(#[serde(default)]),
            quote!(::std::option::Option<#inner>),
        )
    } else {
        (
            quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]),
            quote!(::std::option::Option<#inner>),
        )
    };
    quote! {
        #doc
        #deprecated
        #rename
        #attrs
        pub #name: #ty,
    }
}

/// `new` taking the required fields, and the setters of the optional ones.
fn emit_constructors(def: &TypeDef, fields: &[Field], extras: &Ident) -> TokenStream {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    let name = ir_ident(&def.name);
    let extras_ident = ir_ident(extras);
    let params = required.iter().map(|f| {
        let arg = ir_ident(&f.name);
        let ty = argument_type(f);
        quote!(#arg: #ty)
    });
    let inits = fields.iter().map(|f| {
        let field = ir_ident(&f.name);
        match (f.required, f.nullable, f.takes_into) {
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
        "Builds a [`{}`] from its required properties ({listed}); the others are `None`.",
        def.name,
    ));
    let allow_deprecated = fields
        .iter()
        .any(|f| f.deprecated)
        .then(|| quote!(#[allow(deprecated)]));
    // One argument per required property is the point, however many the schema has.
    let allow_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = fields.iter().filter_map(emit_setter);
    quote! {
        impl #name {
            #new_doc
            #allow_deprecated
            #allow_many
            pub fn new( #( #params ),* ) -> Self {
                Self {
                    #( #inits, )*
                    #extras_ident: ::serde_json::Map::new(),
                }
            }
            #( #setters )*
        }
    }
}

fn emit_setter(field: &Field) -> Option<TokenStream> {
    let setter = ir_ident(field.setter.as_ref()?);
    let name = ir_ident(&field.name);
    // A keyword field (`r#type`) cannot be the target of an intra-doc link.
    let target = if field.name.raw {
        format!("`{}`", field.name)
    } else {
        format!("[`{0}`](Self::{0})", field.name)
    };
    let doc = docs_markdown(&format!("Sets {target} (`{}`).", field.wire_name));
    let inner = rust_type(&field.ty);
    let (param, value) = if field.takes_into {
        (
            quote!(impl ::std::convert::Into<#inner>),
            quote!(value.into()),
        )
    } else {
        (inner, quote!(value))
    };
    Some(quote! {
        #doc
        #[must_use]
        pub fn #setter(mut self, value: #param) -> Self {
            self.#name = ::std::option::Option::Some(#value);
            self
        }
    })
}

/// The parameter type of a required field in `new`.
fn argument_type(field: &Field) -> TokenStream {
    let inner = rust_type(&field.ty);
    if field.nullable {
        quote!(::std::option::Option<#inner>)
    } else if field.takes_into {
        quote!(impl ::std::convert::Into<#inner>)
    } else {
        inner
    }
}

/// An open enum: the variants, the two impls that list them, and the runtime's
/// `open_enum_impls!` for everything built on those two.
fn emit_enum(
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    variants: &[EnumVariant],
    fallback: &Ident,
) -> TokenStream {
    let fallback = ir_ident(fallback);
    // A variant's name is its wire value unless `lower` documented the difference; the enum's
    // docs say so once, instead of a doc per variant repeating the value.
    let allow_undocumented = variants
        .iter()
        .any(|v| v.docs.is_none())
        .then(|| quote!(#[allow(missing_docs)]));
    let docs = variants
        .iter()
        .map(|v| v.docs.as_deref().map(docs_markdown));
    let names: Vec<_> = variants.iter().map(|v| ir_ident(&v.name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.wire_value.as_str()).collect();
    quote! {
        #doc
        ///
        /// Each variant stands for the wire value of the same name. Values the service adds
        /// later, or spells differently, are kept verbatim in the fallback variant, so reading
        /// and writing them back never loses anything.
        #allow_undocumented
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #docs #names, )*
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

        runtime::open_enum_impls!(#name);
    }
}
