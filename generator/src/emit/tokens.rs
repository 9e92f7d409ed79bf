//! Small token helpers shared by the emitters.

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::markdown::escape_prose;

/// An identifier from an IR name; `r#type` becomes a raw identifier.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The token for an identifier `lower` chose; raw-ness was decided there.
pub fn ir_ident(id: &crate::ir::Ident) -> Ident {
    if id.raw {
        Ident::new_raw(&id.name, Span::call_site())
    } else {
        Ident::new(&id.name, Span::call_site())
    }
}

/// A crate path `lower` checked (`::msgraph_presence_runtime`), written segment by segment.
pub fn crate_path(path: &crate::ir::CratePath) -> TokenStream {
    let colons = path.leading_colons.then(|| quote!(::));
    let segments = path.segments.iter().map(ir_ident);
    quote!(#colons #( #segments )::*)
}

/// `#[doc]` attributes for a text, one per line.
///
/// Spec text is prose, not Rust or rustdoc markdown: lines are unindented, code fences
/// neutralised so rustdoc never mistakes a description for a doctest, and, outside code spans,
/// `<` escaped (`<date>` is not an HTML tag), bare URLs wrapped in `<...>` and `[` escaped unless
/// it opens a markdown link, so a description can never break `cargo doc -D warnings`.
pub fn docs(text: &str) -> TokenStream {
    doc_lines(text, escape_prose)
}

/// Like [`docs`], for markdown the generator writes itself, so intra-doc links such as
/// ``[`Availability`]`` stay links.
pub fn docs_markdown(text: &str) -> TokenStream {
    doc_lines(text, str::to_owned)
}

fn doc_lines(text: &str, transform: fn(&str) -> String) -> TokenStream {
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|line| format!(" {}", transform(&line.trim().replace("```", "'''"))))
        .collect();
    quote! { #( #[doc = #lines] )* }
}

/// The identifier of a generated type; type names are never raw (see [`TypeRef::Named`]).
fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The Rust type for a type reference, as seen from inside a version's `models` module.
pub fn rust_type(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(runtime::DateTime),
        TypeRef::Date => quote!(runtime::Date),
        TypeRef::Duration => quote!(runtime::Duration),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Named(name) => {
            let name = type_ident(name);
            quote!(#name)
        }
        TypeRef::Boxed(name) => {
            let name = type_ident(name);
            quote!(::std::boxed::Box<#name>)
        }
        TypeRef::Vec(inner) => {
            let inner = rust_type(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
    }
}

/// Like [`rust_type`], for code outside the `models` module.
pub fn rust_type_outside(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = type_ident(name);
            quote!(super::models::#name)
        }
        TypeRef::Vec(inner) => {
            let inner = rust_type_outside(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type_outside(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Boxed(name) => {
            let name = type_ident(name);
            quote!(::std::boxed::Box<super::models::#name>)
        }
        other => rust_type(other),
    }
}
