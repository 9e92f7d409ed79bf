//! format: tokens → text. syn checks the tokens form a Rust file, prettyplease lays it out, and
//! the `@generated` header goes on top.

use crate::error::Error;
use proc_macro2::TokenStream;

/// Renders `tokens` as a formatted Rust file starting with `header` (a `//` comment line).
pub fn rust_file(tokens: TokenStream, header: &str, file: &str) -> Result<String, Error> {
    let parsed: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::internal(format!("generated code for {file} does not parse ({e})")))?;
    let body = prettyplease::unparse(&parsed);
    Ok(format!("// {header}\n\n{body}"))
}
