//! emit: IR → token streams, one per output file. A pure function of the IR.

pub mod cli;
mod client;
mod models;
mod operations;
mod params;
mod tokens;
mod unions;

use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// Names of the Rust files of one version module, in output order.
pub const FILES: [&str; 4] = ["mod.rs", "models.rs", "client.rs", "operations.rs"];

/// The tokens of one file of [`FILES`]; each file can be emitted (and formatted) on its own
/// thread, since they share nothing but the IR.
pub fn emit_file(api: &Api, name: &str) -> TokenStream {
    let with_prelude = |body: TokenStream| {
        let prelude = runtime_import(api);
        // Inner attributes (`//!`, `#![doc]`) must stay first, so the import goes after them.
        quote! { #body #prelude }
    };
    match name {
        "mod.rs" => emit_mod(api),
        "models.rs" => with_prelude(models::emit(api)),
        "client.rs" => with_prelude(client::emit(api)),
        "operations.rs" => with_prelude(operations::emit(api)),
        other => unreachable!("emit::FILES has no {other}"),
    }
}

/// `use <runtime crate> as runtime;`: the only place generated code names the runtime's crate,
/// so the same output works inside `msgraph-presence` and in a crate a build script writes to.
fn runtime_import(api: &Api) -> TokenStream {
    let path = tokens::crate_path(&api.runtime_crate);
    quote! {
        #[allow(unused_imports)]
        use #path as runtime;
    }
}

fn emit_mod(api: &Api) -> TokenStream {
    let builders = api.nodes.iter().map(|n| tokens::ir_ident(&n.type_name));
    quote! {
        #![doc = include_str!("README.md")]
        mod client;
        pub mod models;
        pub mod operations;
        pub use client::{ #( #builders ),* };
    }
}
