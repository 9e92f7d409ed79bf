//! Emits the command line's generated modules from the plan ([`crate::ir::cli`]): per version,
//! the clap builder of every subcommand and the function that runs it through the typed client.
//!
//! The generated code names two crates and one module: `::clap`, the client crate (the plan's
//! `client_crate`) and the command line's hand-written `crate::support` (flag builders, value
//! checks, binding selection, body assembly), so what it emits stays a readable list. Every name
//! it writes comes from the plan.

use super::tokens::{crate_path, ident, ir_ident};
use crate::ir::Ident;
use crate::ir::cli::{CliApi, CliCommand, CliField, CliGroup, CliTarget, FlagKind};
use proc_macro2::TokenStream;
use quote::quote;

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
    let client_crate = crate_path(&api.client_crate);
    let module = ident(&api.module);
    let builders: Vec<_> = api.commands.iter().map(builder_fns).collect();
    let runners: Vec<_> = api.commands.iter().map(runner_fn).collect();
    let tables: Vec<_> = api.commands.iter().map(targets_table).collect();
    let table_idents: Vec<_> = api.commands.iter().map(targets_const).collect();
    let groups: Vec<_> = api.groups.iter().map(group_fn).collect();
    // Commands and groups, sorted by name as `--help` lists them.
    let mut entries: Vec<(&str, TokenStream)> = api
        .commands
        .iter()
        .map(|c| (c.name.as_str(), full_command(c)))
        .chain(api.groups.iter().map(|g| {
            let group = group_ident(g);
            (g.name.as_str(), quote!(#group()))
        }))
        .collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let entries = entries.into_iter().map(|(_, tokens)| tokens);
    let names: Vec<_> = api.commands.iter().map(|c| c.name.as_str()).collect();
    let runner_idents: Vec<_> = api.commands.iter().map(runner_ident).collect();
    let group_arms = api.groups.iter().map(|g| {
        let name = &g.name;
        let members = g.members.iter().map(|m| {
            let command = &m.command;
            let runner = ir_ident(&m.fns.runner);
            let target = m.target;
            quote!(#command => #runner(version, matches, ::std::option::Option::Some(#target)).await,)
        });
        quote! {
            #name => {
                let ::std::option::Option::Some((command, matches)) = matches.subcommand() else {
                    return ::std::option::Option::Some(::std::result::Result::Err(support::no_command(#name)));
                };
                match command {
                    #( #members )*
                    _ => return ::std::option::Option::None,
                }
            }
        }
    });
    let group_tables = api.groups.iter().map(|g| {
        let name = &g.name;
        let members = g.members.iter().map(|m| {
            let command = &m.command;
            let target = m.target;
            quote!((#command, #target))
        });
        quote!(#name => &[ #( #members ),* ],)
    });
    // A version without groups (the directory has no `/me` bindings) answers empty for every
    // name; a `match` with only the wildcard arm would be a clippy warning in the output.
    let group_members_body = if api.groups.is_empty() {
        quote! {
            let _ = group;
            &[]
        }
    } else {
        quote! {
            match group {
                #( #group_tables )*
                _ => &[],
            }
        }
    };
    let module_doc = format!(
        " The commands of the {} API: one per operation, built with clap and run through \
         `client.{}()`.",
        api.version, api.module
    );
    quote! {
        #![doc = #module_doc]
        use #client_crate::#module as api;
        use crate::support;

        /// Every command and command group of this version, sorted by name.
        pub fn commands() -> ::std::vec::Vec<::clap::Command> {
            ::std::vec![ #( #entries ),* ]
        }

        /// Runs the command `name` with its parsed flags; `None` when this version has no such
        /// command.
        pub async fn run(
            client: &#client_crate::Client,
            name: &str,
            matches: &::clap::ArgMatches,
        ) -> ::std::option::Option<support::Outcome> {
            let version = client.#module();
            let outcome = match name {
                #( #names => #runner_idents(version, matches, ::std::option::Option::None).await, )*
                #( #group_arms )*
                _ => return ::std::option::Option::None,
            };
            ::std::option::Option::Some(outcome)
        }

        /// The bindings of command `name` (empty for none), for the tests that walk the
        /// spec's operations and the command tree side by side.
        #[cfg(test)]
        pub fn targets(name: &str) -> &'static [support::Target] {
            match name {
                #( #names => #table_idents, )*
                _ => &[],
            }
        }

        /// The members of command group `group` (empty for none): each command's name and the
        /// binding (index into its targets) the group runs.
        #[cfg(test)]
        pub fn group_members(group: &str) -> &'static [(&'static str, usize)] {
            #group_members_body
        }

        #( #groups )*
        #( #builders )*
        #( #tables )*
        #( #runners )*
    }
}

fn builder_ident(command: &CliCommand) -> proc_macro2::Ident {
    ir_ident(&command.fns.builder)
}

fn targets_ident(command: &CliCommand) -> proc_macro2::Ident {
    ir_ident(&command.fns.add_targets)
}

fn runner_ident(command: &CliCommand) -> proc_macro2::Ident {
    ir_ident(&command.fns.runner)
}

fn group_ident(group: &CliGroup) -> proc_macro2::Ident {
    ir_ident(&group.builder_fn)
}

/// The top-level command: with its target flags when it has any.
fn full_command(command: &CliCommand) -> TokenStream {
    let builder = builder_ident(command);
    if command.target_flags.is_empty() {
        quote!(#builder())
    } else {
        let targets = targets_ident(command);
        quote!(#targets(#builder()))
    }
}

/// `me`: the commands with a `/me` target, without target flags.
fn group_fn(group: &CliGroup) -> TokenStream {
    let fn_name = group_ident(group);
    let name = &group.name;
    let about = &group.about;
    let members = group.members.iter().map(|m| {
        let builder = ir_ident(&m.fns.builder);
        let long_about = &m.long_about;
        quote!(.subcommand(#builder().long_about(#long_about)))
    });
    let doc = format!(" `{name}`: {about}");
    quote! {
        #[doc = #doc]
        fn #fn_name() -> ::clap::Command {
            ::clap::Command::new(#name)
                .about(#about)
                .subcommand_required(true)
                .arg_required_else_help(true)
                #( #members )*
        }
    }
}

/// The command without target flags, and (when it has any) the function adding them.
fn builder_fns(command: &CliCommand) -> TokenStream {
    let name = &command.name;
    let about = &command.about;
    let long_about = &command.long_about;
    let alias = command.alias.as_ref().map(|a| quote!(.visible_alias(#a)));
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
    let paging = command
        .targets
        .iter()
        .any(|t| t.stream.is_some())
        .then(|| quote!(.args(support::paging_args())));
    let fn_name = builder_ident(command);
    let doc = format!(" `{name}`: {about}");
    let targets = (!command.target_flags.is_empty()).then(|| {
        let args = command.target_flags.iter().map(|f| {
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
        let targets_fn = targets_ident(command);
        let doc = format!(" The flags that pick the binding `{name}` calls.");
        quote! {
            #[doc = #doc]
            fn #targets_fn(command: ::clap::Command) -> ::clap::Command {
                command #( #args )*
            }
        }
    });
    quote! {
        #[doc = #doc]
        fn #fn_name() -> ::clap::Command {
            ::clap::Command::new(#name)
                #alias
                .about(#about)
                .long_about(#long_about)
                #( #fields )*
                #body
                #paging
        }
        #targets
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
        let ty = ir_ident(&p.type_name);
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
    let arms = command.targets.iter().enumerate().map(|(i, t)| {
        let call = call_tokens(command, t, &t.method, None);
        match &t.stream {
            Some(stream) => {
                let max_items = quote!(max_items);
                let pages = call_tokens(command, t, stream, Some(&max_items));
                quote! {
                    #i => match support::paging(matches) {
                        ::std::option::Option::Some(#max_items) => support::finish_stream(#pages).await,
                        ::std::option::Option::None => support::finish(#call.await),
                    },
                }
            }
            None => quote!(#i => support::finish(#call.await),),
        }
    });
    let targets = targets_const(command);
    let doc = format!(
        " Runs `{}` on the binding `target` names, or the one its flags pick.",
        command.name
    );
    quote! {
        #[doc = #doc]
        async fn #fn_name(
            version: api::Client<'_>,
            matches: &::clap::ArgMatches,
            target: ::std::option::Option<usize>,
        ) -> support::Outcome {
            #body
            #params
            match support::pick(matches, #targets, target)? {
                #( #arms )*
                other => ::std::result::Result::Err(support::no_such_target(other)),
            }
        }
    }
}

fn targets_const(command: &CliCommand) -> proc_macro2::Ident {
    ir_ident(&command.fns.targets_table)
}

/// `const SET_PRESENCE_TARGETS`: the flags that pick each binding, and its path.
fn targets_table(command: &CliCommand) -> TokenStream {
    let name = targets_const(command);
    let targets = command.targets.iter().map(|t| {
        let flags = &t.flags;
        let default = t.default;
        let path = &t.path;
        quote!(support::Target { flags: &[ #( #flags ),* ], default: #default, path: #path })
    });
    let doc = format!(" The bindings of `{}`, in runner order.", command.name);
    quote! {
        #[doc = #doc]
        const #name: &[support::Target] = &[ #( #targets ),* ];
    }
}

/// `version.user(support::id(matches, "user")?).presence().set_presence(&body)`: `method` on
/// the target's builder, with `last` as a final argument (the paging method's `max_items`).
fn call_tokens(
    command: &CliCommand,
    target: &CliTarget,
    method: &Ident,
    last: Option<&TokenStream>,
) -> TokenStream {
    let id = |flag: &String| quote!(support::id(matches, #flag)?);
    let steps = target.chain.iter().map(|(accessor, ids)| {
        let accessor = ir_ident(accessor);
        let ids = ids.iter().map(id);
        quote!(.#accessor( #( #ids ),* ))
    });
    let method = ir_ident(method);
    let mut args: Vec<TokenStream> = target.method_args.iter().map(id).collect();
    if command.params.is_some() {
        args.push(quote!(&params));
    }
    if command.body.is_some() {
        args.push(quote!(&body));
    }
    args.extend(last.cloned());
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
