//! Emits the parameter struct of an operation that has query or header parameters.

use super::tokens::{docs, ident, ir_ident, rust_type};
use crate::ir::{Operation, ParamLocation};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit_params_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_type.as_ref()?);
    let doc = docs(&op.params_docs);
    let default = op.params_default.then(|| quote!(::std::default::Default,));
    let fields = op.params.iter().map(|p| {
        let doc = docs(&p.docs);
        let name = ir_ident(&p.name);
        let ty = rust_type(&p.ty);
        if p.required {
            quote! { #doc pub #name: #ty, }
        } else {
            quote! { #doc pub #name: ::std::option::Option<#ty>, }
        }
    });
    Some(quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #( #fields )*
        }
    })
}

/// Statements adding each parameter to `request`.
pub fn emit_apply_params(op: &Operation) -> TokenStream {
    let adds = op.params.iter().map(|p| {
        let name = ir_ident(&p.name);
        let wire = &p.wire_name;
        let call = match p.location {
            ParamLocation::Query => quote!(query),
            ParamLocation::Header => quote!(header),
        };
        if p.required {
            quote! { request = request.#call(#wire, &params.#name); }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = &params.#name {
                    request = request.#call(#wire, value);
                }
            }
        }
    });
    quote! { #( #adds )* }
}
