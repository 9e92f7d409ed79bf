//! Emits `client.rs`: the version's `Client` with one async method per operation, and the
//! `Target` enum naming the resource of operations bound to several paths.

use super::tokens::{const_name, docs, ident, rust_type_outside};
use crate::ir::{Api, Binding, BodyEncoding, Operation, PathSegment, SuccessBody};
use proc_macro2::TokenStream;
use quote::quote;

pub fn emit(api: &Api) -> TokenStream {
    let target = emit_target(api);
    let methods = api.operations.iter().map(|op| emit_method(api, op));
    let client_doc = docs(&format!(
        "Client of the Microsoft Graph {} API (paths under `{}`).\n\nGet one from the crate's `Client`; it is cheap to copy.",
        api.version, api.base_path
    ));
    quote! {
        //! The operations of this API version.
        #target

        #client_doc
        #[derive(Debug, Clone, Copy)]
        pub struct Client<'a> {
            runtime: &'a runtime::Runtime,
            options: ::std::option::Option<&'a runtime::RequestOptions>,
        }

        impl<'a> Client<'a> {
            /// A client that sends its requests through `runtime`.
            pub fn new(runtime: &'a runtime::Runtime) -> Self {
                Self { runtime, options: ::std::option::Option::None }
            }

            /// The same client, sending every call with `options` (timeout, extra headers,
            /// retry policy) instead of the runtime's defaults.
            pub fn with_options(self, options: &'a runtime::RequestOptions) -> Self {
                Self { options: ::std::option::Option::Some(options), ..self }
            }

            /// The runtime requests go through.
            pub fn runtime(&self) -> &'a runtime::Runtime {
                self.runtime
            }

            /// The per-call options given to [`Self::with_options`], if any.
            pub fn options(&self) -> ::std::option::Option<&'a runtime::RequestOptions> {
                self.options
            }

            #( #methods )*
        }
    }
}

fn target_has_lifetime(api: &Api) -> bool {
    api.targets.iter().any(|v| !v.fields.is_empty())
}

fn emit_target(api: &Api) -> TokenStream {
    if api.targets.is_empty() {
        return quote!();
    }
    let lifetime = target_has_lifetime(api).then(|| quote!(<'a>));
    let impl_lifetime = target_has_lifetime(api).then(|| quote!(<'a>));
    let variants = api.targets.iter().map(|v| {
        let name = ident(&v.name);
        let doc = docs(&format!("The resource at `{}`.", v.example_path));
        if v.fields.is_empty() {
            quote! { #doc #name, }
        } else {
            let tys = v.fields.iter().map(|_| quote!(&'a str));
            quote! { #doc #name( #( #tys ),* ), }
        }
    });
    let names = api.targets.iter().map(|v| {
        let name = ident(&v.name);
        let label = &v.name;
        let pattern = if v.fields.is_empty() {
            quote!(Self::#name)
        } else {
            quote!(Self::#name(..))
        };
        quote! { #pattern => #label, }
    });
    quote! {
        /// Which resource an operation with several paths acts on.
        ///
        /// Each variant stands for one of the paths the API binds an operation to; an operation
        /// that lacks a binding for a variant returns an error before sending anything.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Target #lifetime {
            #( #variants )*
        }

        impl #impl_lifetime Target #lifetime {
            /// The variant's name, for messages.
            pub fn name(&self) -> &'static str {
                match self {
                    #( #names )*
                }
            }
        }
    }
}

fn method_docs(api: &Api, op: &Operation) -> String {
    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim_end_matches('.'));
        text.push_str(".\n\n");
    }
    if let Some(description) = &op.description
        && Some(description) != op.summary.as_ref()
    {
        text.push_str(description);
        text.push_str("\n\n");
    }
    text.push_str(&format!(
        "`{}` {} in the {} API.\n\n",
        op.http_method.as_str(),
        op.action,
        api.version
    ));
    text.push_str("# Paths\n\n");
    for binding in &op.bindings {
        match &binding.target {
            Some(target) => text.push_str(&format!("- `Target::{target}`: `{}`\n", binding.path)),
            None => text.push_str(&format!("- `{}`\n", binding.path)),
        }
    }
    text.push_str("\n# Permissions\n\n");
    text.push_str(&per_binding(op, permission_lines));
    text.push_str("\n# National clouds\n\n");
    text.push_str(&per_binding(op, cloud_lines));
    text.push_str("\n# Errors\n\n");
    text.push_str("Returns `Error::Status` for a non-success status, with the parsed OData error");
    let documented: Vec<&String> = op
        .error_statuses
        .iter()
        .filter(|s| *s != "default")
        .collect();
    if documented.is_empty() {
        text.push_str(".\n");
    } else {
        text.push_str(&format!(
            "; documented statuses: {}.\n",
            documented
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text
}

/// A docs list of what `lines` says about each binding: once for the whole operation when every
/// binding says the same (the usual case), else per binding, labelled with its target or path.
fn per_binding(op: &Operation, lines: fn(&Binding) -> Vec<String>) -> String {
    let per: Vec<Vec<String>> = op.bindings.iter().map(lines).collect();
    let mut out = String::new();
    if per.iter().all(|l| *l == per[0]) {
        for line in &per[0] {
            out.push_str(&format!("- {line}\n"));
        }
        return out;
    }
    for (binding, lines) in op.bindings.iter().zip(&per) {
        let label = match &binding.target {
            Some(target) => format!("`Target::{target}`"),
            None => format!("`{}`", binding.path),
        };
        for line in lines {
            out.push_str(&format!("- {label}: {line}\n"));
        }
    }
    out
}

fn permission_lines(binding: &Binding) -> Vec<String> {
    if binding.permissions.is_empty() {
        return vec!["not stated in the API description".to_owned()];
    }
    binding
        .permissions
        .iter()
        .map(|p| {
            let higher = if p.higher.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = p.higher.iter().map(|h| format!("`{h}`")).collect();
                format!(" (higher: {})", names.join(", "))
            };
            format!("{}: least privileged `{}`{higher}", p.kind.label(), p.least)
        })
        .collect()
}

fn cloud_lines(binding: &Binding) -> Vec<String> {
    vec![match &binding.clouds {
        Some(clouds) if clouds.is_empty() => "none".to_owned(),
        Some(clouds) => clouds
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", "),
        None => "not stated in the API description".to_owned(),
    }]
}

fn emit_method(api: &Api, op: &Operation) -> TokenStream {
    let doc = docs(&method_docs(api, op));
    let name = ident(&op.method_name);
    let info = const_name(&op.method_name);
    let deprecated = op.deprecated.then(|| quote!(#[deprecated]));
    let mut args = Vec::new();
    let resolve = if op.uses_target() {
        let lifetime = target_has_lifetime(api).then(|| quote!(<'_>));
        args.push(quote!(target: Target #lifetime));
        emit_target_match(api, op, &info)
    } else {
        let binding = &op.bindings[0];
        for p in &binding.path_params {
            let p = ident(&p.name);
            args.push(quote!(#p: &str));
        }
        let path = emit_path(binding);
        quote! {
            let binding = &super::operations::#info.bindings[0];
            let path = #path;
        }
    };
    if let Some(params_type) = &op.params_type {
        let t = ident(params_type);
        args.push(quote!(params: &super::models::#t));
    }
    let body = op.body.as_ref().map(|b| {
        let ty = rust_type_outside(&b.ty);
        match b.encoding {
            BodyEncoding::Json => {
                args.push(quote!(body: &#ty));
                quote!(let request = request.json(body)?;)
            }
            BodyEncoding::Text => {
                args.push(quote!(body: &str));
                quote!(let request = request.text(body);)
            }
            BodyEncoding::Binary => {
                args.push(quote!(body: &[u8]));
                quote!(let request = request.bytes(body);)
            }
            BodyEncoding::EmptyObject => {
                quote!(let request = request.json(&::serde_json::Map::new())?;)
            }
        }
    });
    let apply_params = if op.params.is_empty() {
        quote!()
    } else {
        let adds = super::params::emit_apply_params(op);
        quote! { let mut request = request; #adds }
    };
    let (ret, finish) = match &op.success.body {
        SuccessBody::Empty => (quote!(()), quote!(response.empty())),
        SuccessBody::Json(ty) => {
            let ty = rust_type_outside(ty);
            (quote!(#ty), quote!(response.json()))
        }
        SuccessBody::Text => (quote!(::std::string::String), quote!(response.text())),
        SuccessBody::Integer => (quote!(i64), quote!(response.integer())),
        SuccessBody::Binary => (
            quote!(::std::vec::Vec<u8>),
            quote!(Ok(response.into_bytes())),
        ),
    };
    quote! {
        #doc
        #deprecated
        pub async fn #name(&self, #( #args ),*) -> runtime::Result<#ret> {
            #resolve
            let request = runtime::Request::new(&super::operations::#info, binding, path);
            #body
            #apply_params
            let response = self.runtime.send_with_options(request, self.options).await?;
            #finish
        }
    }
}

fn emit_target_match(api: &Api, op: &Operation, info: &proc_macro2::Ident) -> TokenStream {
    let arms = op.bindings.iter().enumerate().map(|(index, binding)| {
        let variant = ident(
            binding
                .target
                .as_ref()
                .expect("bindings of a target operation have a variant"),
        );
        let path = emit_path(binding);
        let pattern = if binding.path_params.is_empty() {
            quote!(Target::#variant)
        } else {
            let fields = binding.path_params.iter().map(|p| ident(&p.name));
            quote!(Target::#variant( #( #fields ),* ))
        };
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote! { #pattern => (&super::operations::#info.bindings[#index], #path), }
    });
    let covered = op.bindings.len() == api.targets.len();
    let rest = (!covered).then(|| {
        quote! { other => return Err(runtime::Error::unsupported_target(&super::operations::#info, other.name())), }
    });
    quote! {
        let (binding, path) = match target {
            #( #arms )*
            #rest
        };
    }
}

/// An expression building the encoded path of a binding.
fn emit_path(binding: &Binding) -> TokenStream {
    if binding.path_params.is_empty() {
        let literal: String = binding
            .segments
            .iter()
            .map(|s| match s {
                PathSegment::Literal(l) => l.as_str(),
                PathSegment::Param(_) | PathSegment::QuotedParam(_) => {
                    unreachable!("no parameters")
                }
            })
            .collect();
        return quote!(::std::string::String::from(#literal));
    }
    let parts = binding.segments.iter().map(|s| match s {
        PathSegment::Literal(l) => quote!(runtime::PathPart::Literal(#l)),
        PathSegment::Param(i) => {
            let p = &binding.path_params[*i];
            let name = ident(&p.name);
            let wire = &p.wire_name;
            quote!(runtime::PathPart::Param(#wire, #name))
        }
        PathSegment::QuotedParam(i) => {
            let p = &binding.path_params[*i];
            let name = ident(&p.name);
            let wire = &p.wire_name;
            quote!(runtime::PathPart::QuotedParam(#wire, #name))
        }
    });
    quote!(runtime::build_path(&[ #( #parts ),* ])?)
}
