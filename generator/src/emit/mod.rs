//! emit: IR → token streams, one per output file. A pure function of the IR.

mod client;
mod models;
mod operations;
mod params;
mod tokens;

use crate::ir::Api;
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust files of one version module, as (file name, tokens).
pub fn emit(api: &Api) -> Vec<(&'static str, TokenStream)> {
    vec![
        ("mod.rs", emit_mod(api)),
        ("models.rs", models::emit(api)),
        ("client.rs", client::emit(api)),
        ("operations.rs", operations::emit(api)),
    ]
}

fn emit_mod(api: &Api) -> TokenStream {
    let target = (!api.targets.is_empty()).then(|| {
        quote!(
            pub use client::Target;
        )
    });
    quote! {
        #![doc = include_str!("README.md")]
        mod client;
        pub mod models;
        pub mod operations;
        pub use client::Client;
        #target
    }
}
