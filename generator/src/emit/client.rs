//! Emits `client.rs`: the version's `Client` and one builder per node of the navigation tree,
//! each with its accessors and the methods bound to its path.

use super::tokens::{docs, docs_markdown, ident, ir_ident, rust_type_outside};
use crate::ir::{Api, Binding, BodyEncoding, CLIENT_OWN_METHODS, NavNode, Operation, SuccessBody};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

// Paths to std items are written in full (`::std::option::Option`), because a spec may name a
// type `Option` or `Result`; derive names stay short, as derive macros live in the macro
// namespace, which spec-named types cannot shadow.
pub fn emit(api: &Api) -> TokenStream {
    let client_doc = docs(&format!(
        "Client of the Microsoft Graph {} API (paths under `{}`).\n\nGet one from the crate's `Client`; it is cheap to copy. Its accessors read like the API's paths: `/users/{{user-id}}/presence` is `user(user_id).presence()`.",
        api.version, api.base_path
    ));
    let [new, with_options, runtime, options, send] =
        CLIENT_OWN_METHODS.map(|n| format_ident!("{n}"));
    let root = emit_members(api, &api.nodes[0], true);
    let builders = api.nodes.iter().skip(1).map(|node| emit_builder(api, node));
    quote! {
        //! The operations of this API version, reached through builders that mirror its paths.

        #client_doc
        #[derive(Debug, Clone, Copy)]
        pub struct Client<'a> {
            runtime: &'a runtime::Runtime,
            options: ::std::option::Option<&'a runtime::RequestOptions>,
        }

        impl<'a> Client<'a> {
            /// A client that sends its requests through `runtime`.
            pub fn #new(runtime: &'a runtime::Runtime) -> Self {
                Self { runtime, options: ::std::option::Option::None }
            }

            /// The same client, sending every call with `options` (timeout, extra headers,
            /// retry policy) instead of the runtime's defaults.
            pub fn #with_options(self, options: &'a runtime::RequestOptions) -> Self {
                Self { options: ::std::option::Option::Some(options), ..self }
            }

            /// The runtime requests go through.
            pub fn #runtime(&self) -> &'a runtime::Runtime {
                self.runtime
            }

            /// The per-call options given to [`Self::with_options`], if any.
            pub fn #options(&self) -> ::std::option::Option<&'a runtime::RequestOptions> {
                self.options
            }

            /// Sends `request` with this client's options: the one line every method ends with.
            async fn #send(self, request: runtime::Request) -> runtime::Result<runtime::Response> {
                self.runtime.send_with_options(request, self.options).await
            }

            #root
        }

        #( #builders )*
    }
}

fn emit_builder(api: &Api, node: &NavNode) -> TokenStream {
    let name = ir_ident(&node.type_name);
    let doc = docs(&format!(
        "The resource at `{}`, reached with `{}`.",
        node.path, node.call
    ));
    let fields = node.fields.iter().map(ir_ident);
    let members = emit_members(api, node, false);
    quote! {
        #doc
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            client: Client<'a>,
            #( #fields: &'a str, )*
        }

        impl<'a> #name<'a> {
            #members
        }
    }
}

/// The accessors and methods of one node; `root` is the version `Client` itself.
fn emit_members(api: &Api, node: &NavNode, root: bool) -> TokenStream {
    let client = if root {
        quote!(self)
    } else {
        quote!(self.client)
    };
    let own: Vec<_> = node.fields.iter().map(ir_ident).collect();
    let accessors = node.children.iter().map(|child| {
        let target = &api.nodes[child.node];
        let ty = ir_ident(&target.type_name);
        let accessor = ir_ident(&child.accessor);
        let params: Vec<_> = child.params.iter().map(|p| ir_ident(&p.name)).collect();
        let doc = docs(&child.docs);
        quote! {
            #doc
            pub fn #accessor(self, #( #params: &'a str ),*) -> #ty<'a> {
                #ty { client: #client, #( #own: self.#own, )* #( #params, )* }
            }
        }
    });
    let methods = node.methods.iter().map(|&(o, b)| {
        let op = &api.operations[o];
        emit_method(op, &op.bindings[b], &client, &own)
    });
    quote! { #( #accessors )* #( #methods )* }
}

fn emit_method(
    op: &Operation,
    binding: &Binding,
    client: &TokenStream,
    fields: &[proc_macro2::Ident],
) -> TokenStream {
    let doc = docs(&binding.docs);
    let name = ir_ident(&binding.method);
    let descriptor = ident(&binding.descriptor);
    let deprecated = binding.deprecated.then(|| quote!(#[deprecated]));
    let own_args: Vec<_> = binding
        .method_args
        .iter()
        .map(|a| ir_ident(&a.name))
        .collect();
    let mut args: Vec<TokenStream> = own_args.iter().map(|a| quote!(#a: &str)).collect();
    if let Some(params_type) = &op.params_type {
        let t = ident(params_type);
        args.push(quote!(params: &super::models::#t));
    }
    let path_args: Vec<TokenStream> = fields
        .iter()
        .map(|f| quote!(self.#f))
        .chain(own_args.iter().map(|a| quote!(#a)))
        .collect();
    let for_binding = quote! {
        runtime::Request::for_binding(&super::operations::#descriptor, &[ #( #path_args ),* ])
    };
    let mut request = quote!(#for_binding?);
    // The body's setter, as a method call on a request (fallible for JSON).
    let mut body_step = None;
    if let Some(b) = &op.body {
        let ty = rust_type_outside(&b.ty);
        let (arg, set, fallible) = match b.encoding {
            BodyEncoding::Json => (Some(quote!(body: &#ty)), quote!(json(body)), true),
            BodyEncoding::Text => (Some(quote!(body: &str)), quote!(text(body)), false),
            BodyEncoding::Binary => (Some(quote!(body: &[u8])), quote!(bytes(body)), false),
            // Graph wants `{}` but the caller has nothing to say: no argument, an empty object sent.
            BodyEncoding::EmptyObject => (None, quote!(empty_json_object()), false),
        };
        args.extend(arg);
        request = if fallible {
            quote!(#request.#set?)
        } else {
            quote!(#request.#set)
        };
        body_step = Some((set, fallible));
    }
    let adds = apply_params_and_headers(op);
    let build = if adds.is_empty() {
        quote! { let request = #request; }
    } else {
        quote! { let mut request = #request; #adds }
    };
    let response = quote!(#client.send(request).await?);
    let (ret, finish) = match &op.success.body {
        SuccessBody::Empty => (quote!(()), quote!(#response.empty())),
        SuccessBody::Json(ty) => {
            let ty = rust_type_outside(ty);
            (quote!(#ty), quote!(#response.json()))
        }
        SuccessBody::Text => (quote!(::std::string::String), quote!(#response.text())),
        SuccessBody::Integer => (quote!(i64), quote!(#response.integer())),
        SuccessBody::Binary => (
            quote!(::std::vec::Vec<u8>),
            quote!(::std::result::Result::Ok(#response.into_bytes())),
        ),
    };
    let one_page = quote! {
        #doc
        #deprecated
        pub async fn #name(self, #( #args ),*) -> runtime::Result<#ret> {
            #build
            #finish
        }
    };
    let (Some(paging), Some(stream)) = (&op.paging, &binding.stream) else {
        return one_page;
    };
    // The stream builds the same request as a value rather than with `?`: it is not async,
    // and a request it cannot build becomes the stream's one error.
    let mut first = for_binding;
    if let Some((set, fallible)) = body_step {
        first = if fallible {
            quote!(#first.and_then(|request| request.#set))
        } else {
            quote!(#first.map(|request| request.#set))
        };
    }
    if !adds.is_empty() {
        first = quote!(#first.map(|mut request| { #adds request }));
    }
    let stream_doc = docs_markdown(&stream.docs);
    let stream_name = ir_ident(&stream.name);
    let item = rust_type_outside(&paging.item);
    quote! {
        #one_page

        #stream_doc
        #deprecated
        pub fn #stream_name(
            self,
            #( #args, )*
            max_items: ::std::option::Option<usize>,
        ) -> impl runtime::Stream<Item = runtime::Result<#item>> + use<'a> {
            let request = #first;
            #client.runtime().stream_with_options(request, #client.options(), max_items)
        }
    }
}

/// Statements adding the parameters given and the spec's fixed headers to `request`; empty
/// when there are none.
fn apply_params_and_headers(op: &Operation) -> TokenStream {
    let mut adds = if op.params.is_empty() {
        TokenStream::new()
    } else {
        super::params::emit_apply_params(op)
    };
    for header in &op.fixed_headers {
        let (name, value) = (&header.name, &header.value);
        let set = quote! { request = request.header(#name, #value); };
        if header.when_set.is_empty() {
            adds.extend(set);
        } else {
            let given = header.when_set.iter().map(ir_ident);
            adds.extend(quote! {
                if #( params.#given.is_some() )||* { #set }
            });
        }
    }
    adds
}
