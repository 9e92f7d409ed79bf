//! Emits the command line's generated modules from the plan in `lower::cli`: per version, the
//! clap builder of every subcommand and the function that runs it through the typed client.
//!
//! The generated code names two crates and one module: `::clap`, the client crate
//! (`::msgraph_presence`) and the command line's hand-written `crate::support` (flag builders,
//! value checks, binding selection, body assembly), so what it emits stays a readable list.

use super::tokens::{ident, ir_ident};
use crate::lower::cli::{CliApi, CliCommand, CliField, CliTarget, FlagKind};
use proc_macro2::TokenStream;
use quote::quote;

/// The client crate the generated commands call.
const CLIENT_CRATE: &str = "msgraph_presence";

/// `mod.rs`: the version modules.
pub fn emit_mod(apis: &[CliApi]) -> TokenStream {
    let mods = apis.iter().map(|api| {
        let module = ident(&api.module);
        let doc = format!(" The commands of the {} API.", api.version);
        quote! { #[doc = #doc] pub mod #module; }
    });
    quote! {
        //! The command tree of every API version, generated from the same IR as the client.
        #( #mods )*
    }
}

/// `<module>.rs`: one version's commands.
pub fn emit_version(api: &CliApi) -> TokenStream {
    let client_crate = ident(CLIENT_CRATE);
    let module = ident(&api.module);
    let builders: Vec<_> = api.commands.iter().map(builder_fn).collect();
    let runners: Vec<_> = api.commands.iter().map(runner_fn).collect();
    let names: Vec<_> = api.commands.iter().map(|c| c.name.as_str()).collect();
    let builder_idents: Vec<_> = api.commands.iter().map(|c| builder_ident(c)).collect();
    let runner_idents: Vec<_> = api.commands.iter().map(|c| runner_ident(c)).collect();
    let module_doc = format!(
        " The commands of the {} API: one per operation, built with clap and run through \
         `client.{}()`.",
        api.version, api.module
    );
    quote! {
        #![doc = #module_doc]
        use ::#client_crate::#module as api;
        use crate::support;

        /// Every command of this version, sorted by name.
        pub fn commands() -> ::std::vec::Vec<::clap::Command> {
            ::std::vec![ #( #builder_idents() ),* ]
        }

        /// Runs the command `name` with its parsed flags; `None` when this version has no such
        /// command.
        pub async fn run(
            client: &::#client_crate::Client,
            name: &str,
            matches: &::clap::ArgMatches,
        ) -> ::std::option::Option<support::Outcome> {
            let version = client.#module();
            let outcome = match name {
                #( #names => #runner_idents(version, matches).await, )*
                _ => return ::std::option::Option::None,
            };
            ::std::option::Option::Some(outcome)
        }

        #( #builders )*
        #( #runners )*
    }
}

fn builder_ident(command: &CliCommand) -> proc_macro2::Ident {
    ident(&format!("{}_command", command.name.replace('-', "_")))
}

fn runner_ident(command: &CliCommand) -> proc_macro2::Ident {
    ident(&format!("run_{}", command.name.replace('-', "_")))
}

fn builder_fn(command: &CliCommand) -> TokenStream {
    let name = &command.name;
    let about = &command.about;
    let long_about = &command.long_about;
    let alias = command.alias.as_ref().map(|a| quote!(.visible_alias(#a)));
    let targets = command.target_flags.iter().map(|f| {
        let flag = &f.flag;
        let help = &f.help;
        match &f.value_name {
            Some(value_name) => {
                let required = f.required;
                quote!(.arg(support::id_arg(#flag, #value_name, #help, #required)))
            }
            None => quote!(.arg(support::switch_arg(#flag, #help))),
        }
    });
    let fields = value_fields(command).map(|f| {
        let flag = &f.flag;
        let help = &f.help;
        let kind = kind_tokens(&f.kind);
        quote!(.arg(support::value_arg(#flag, #help, &#kind)))
    });
    let body = command
        .body
        .as_ref()
        .map(|_| quote!(.arg(support::body_arg())));
    let fn_name = builder_ident(command);
    let doc = format!(" `{name}`: {about}");
    quote! {
        #[doc = #doc]
        fn #fn_name() -> ::clap::Command {
            ::clap::Command::new(#name)
                #alias
                .about(#about)
                .long_about(#long_about)
                #( #targets )*
                #( #fields )*
                #body
        }
    }
}

fn value_fields(command: &CliCommand) -> impl Iterator<Item = &CliField> {
    command
        .params
        .iter()
        .flat_map(|p| p.fields.iter().map(|(_, f)| f))
        .chain(command.body.iter().flat_map(|b| b.fields.iter()))
}

fn runner_fn(command: &CliCommand) -> TokenStream {
    let fn_name = runner_ident(command);
    let body = command.body.as_ref().map(|b| {
        let fields = b.fields.iter().map(|f| {
            let flag = &f.flag;
            let wire = &f.wire_name;
            let kind = kind_tokens(&f.kind);
            quote!((#flag, #wire, &#kind))
        });
        quote! { let body = support::body(matches, &[ #( #fields ),* ])?; }
    });
    let params = command.params.as_ref().map(|p| {
        let ty = ident(&p.type_name);
        let fields = p.fields.iter().map(|(name, f)| {
            let name = ir_ident(name);
            let flag = &f.flag;
            let kind = kind_tokens(&f.kind);
            if f.required {
                quote!(#name: support::required_param(matches, #flag, &#kind)?)
            } else {
                quote!(#name: support::param(matches, #flag, &#kind)?)
            }
        });
        quote! { let params = api::models::#ty { #( #fields ),* }; }
    });
    let selectors = command.targets.iter().map(|t| {
        let flags = &t.flags;
        let default = t.default;
        quote!(support::Target { flags: &[ #( #flags ),* ], default: #default })
    });
    let arms = command.targets.iter().enumerate().map(|(i, t)| {
        let call = call_tokens(command, t);
        quote!(#i => support::finish(#call.await),)
    });
    let doc = format!(" Runs `{}`.", command.name);
    quote! {
        #[doc = #doc]
        async fn #fn_name(version: api::Client<'_>, matches: &::clap::ArgMatches) -> support::Outcome {
            #body
            #params
            match support::target(matches, &[ #( #selectors ),* ])? {
                #( #arms )*
                other => ::std::result::Result::Err(support::no_such_target(other)),
            }
        }
    }
}

/// `version.user(support::id(matches, "user")?).presence().set_presence(&body)`.
fn call_tokens(command: &CliCommand, target: &CliTarget) -> TokenStream {
    let id = |flag: &String| quote!(support::id(matches, #flag)?);
    let steps = target.chain.iter().map(|(accessor, ids)| {
        let accessor = ir_ident(accessor);
        let ids = ids.iter().map(id);
        quote!(.#accessor( #( #ids ),* ))
    });
    let method = ir_ident(&target.method);
    let mut args: Vec<TokenStream> = target.method_args.iter().map(id).collect();
    if command.params.is_some() {
        args.push(quote!(&params));
    }
    if command.body.is_some() {
        args.push(quote!(&body));
    }
    quote!(version #( #steps )* .#method( #( #args ),* ))
}

/// `support::Kind::Enum(&["Available", "Busy"])`.
fn kind_tokens(kind: &FlagKind) -> TokenStream {
    match kind {
        FlagKind::String => quote!(support::Kind::String),
        FlagKind::Bool => quote!(support::Kind::Bool),
        FlagKind::Integer => quote!(support::Kind::Integer),
        FlagKind::Number => quote!(support::Kind::Number),
        FlagKind::DateTime => quote!(support::Kind::DateTime),
        FlagKind::Date => quote!(support::Kind::Date),
        FlagKind::Duration => quote!(support::Kind::Duration),
        FlagKind::Enum(values) => quote!(support::Kind::Enum(&[ #( #values ),* ])),
        FlagKind::Json => quote!(support::Kind::Json),
        FlagKind::List(inner) => {
            let inner = kind_tokens(inner);
            quote!(support::Kind::List(&#inner))
        }
    }
}
