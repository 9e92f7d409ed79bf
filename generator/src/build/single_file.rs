//! One self-contained Rust file from a version module's files.
//!
//! The generator writes a version as a directory (`mod.rs` declaring `mod client;` and
//! including its `README.md` as docs). A build script cannot point `#[path]` at `OUT_DIR`
//! (the attribute takes only a literal), so this folds the directory into one inline
//! module: every `mod x;` gets the items and inner attributes (`//!` docs) of `x.rs`, and every
//! `#![doc = include_str!("F")]` gets the text of `F` as a literal. The code is otherwise
//! untouched, token for token (`generator/tests/single_file.rs` proves it against the
//! committed multi-file output).

use crate::GeneratedFile;
use crate::error::Error;
use quote::quote;
use std::path::Path;

/// Folds the files of `module` (paths `module/...`) into `pub mod module { ... }`, formatted,
/// starting with the `//` comment `header`. Only the directory's own files are read.
pub fn single_file(module: &str, files: &[GeneratedFile], header: &str) -> Result<String, Error> {
    let dir = Path::new(module);
    let root = parse(files, &dir.join("mod.rs"))?;
    let ident = syn::parse_str::<syn::Ident>(module)
        .map_err(|_| bug(format!("module name {module:?} is not a Rust identifier")))?;
    let attrs = inline_docs(root.attrs, files, dir)?;
    let items = inline_items(root.items, files, dir)?;
    let tokens = quote! {
        pub mod #ident {
            #(#attrs)*
            #(#items)*
        }
    };
    let file: syn::File =
        syn::parse2(tokens).map_err(|e| bug(format!("the folded module does not parse: {e}")))?;
    Ok(format!("// {header}\n\n{}", prettyplease::unparse(&file)))
}

/// An error that can only come from the generator's own output.
fn bug(message: String) -> Error {
    Error::internal(message)
}

fn find<'f>(files: &'f [GeneratedFile], path: &Path) -> Result<&'f str, Error> {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
        .ok_or_else(|| bug(format!("{} was not generated", path.display())))
}

fn parse(files: &[GeneratedFile], path: &Path) -> Result<syn::File, Error> {
    syn::parse_file(find(files, path)?)
        .map_err(|e| bug(format!("{} does not parse: {e}", path.display())))
}

/// Replaces `#![doc = include_str!("F")]` with the text of `dir/F`; other attributes stay.
fn inline_docs(
    attrs: Vec<syn::Attribute>,
    files: &[GeneratedFile],
    dir: &Path,
) -> Result<Vec<syn::Attribute>, Error> {
    attrs
        .into_iter()
        .map(|attr| {
            let Some(included) = included_file(&attr) else {
                return Ok(attr);
            };
            let text = find(files, &dir.join(&included))?;
            let literal = syn::LitStr::new(text, proc_macro2::Span::call_site());
            let mut replaced = attr;
            if let syn::Meta::NameValue(nv) = &mut replaced.meta {
                nv.value = syn::parse_quote!(#literal);
            }
            Ok(replaced)
        })
        .collect()
}

/// The file named by `#[doc = include_str!("F")]`, if that is what `attr` is.
fn included_file(attr: &syn::Attribute) -> Option<String> {
    let syn::Meta::NameValue(nv) = &attr.meta else {
        return None;
    };
    if !nv.path.is_ident("doc") {
        return None;
    }
    let syn::Expr::Macro(call) = &nv.value else {
        return None;
    };
    if !call.mac.path.is_ident("include_str") {
        return None;
    }
    call.mac
        .parse_body::<syn::LitStr>()
        .ok()
        .map(|lit| lit.value())
}

/// Gives every `mod x;` among `items` the contents of `dir/x.rs` (recursively, for
/// `dir/x/mod.rs` trees the generator may write later).
fn inline_items(
    items: Vec<syn::Item>,
    files: &[GeneratedFile],
    dir: &Path,
) -> Result<Vec<syn::Item>, Error> {
    items
        .into_iter()
        .map(|item| match item {
            syn::Item::Mod(mut m) if m.content.is_none() => {
                let name = m.ident.to_string();
                let child_dir = dir.join(&name);
                let flat = dir.join(format!("{name}.rs"));
                let nested = child_dir.join("mod.rs");
                let Some(file) = [flat, nested]
                    .into_iter()
                    .find(|path| files.iter().any(|f| &f.path == path))
                else {
                    return Err(bug(format!(
                        "`mod {name};` in {} has no file: neither {}/{name}.rs nor {}/{name}/mod.rs was generated",
                        dir.display(),
                        dir.display(),
                        dir.display()
                    )));
                };
                let parsed = parse(files, &file)?;
                m.attrs.extend(inline_docs(parsed.attrs, files, &child_dir)?);
                m.content = Some((
                    syn::token::Brace::default(),
                    inline_items(parsed.items, files, &child_dir)?,
                ));
                m.semi = None;
                Ok(syn::Item::Mod(m))
            }
            other => Ok(other),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.to_owned(),
        }
    }

    #[test]
    fn folds_modules_and_included_docs() {
        let files = [
            file(
                "v9/mod.rs",
                "#![doc = include_str!(\"README.md\")]\nmod client;\npub mod models;\npub use client::Client;\n",
            ),
            file("v9/README.md", "The **v9** API.\n"),
            file("v9/client.rs", "//! Calls.\npub struct Client;\n"),
            file(
                "v9/models.rs",
                "//! Types.\npub struct Presence { pub id: String }\n",
            ),
        ];
        let text = single_file("v9", &files, "@generated test").unwrap();
        assert_eq!(
            text,
            "// @generated test\n\npub mod v9 {\n    /*!The **v9** API.\n*/\n    mod client {\n        //! Calls.\n        pub struct Client;\n    }\n    pub mod models {\n        //! Types.\n        pub struct Presence {\n            pub id: String,\n        }\n    }\n    pub use client::Client;\n}\n"
        );
    }

    #[test]
    fn a_missing_file_is_named() {
        let files = [file("v9/mod.rs", "mod client;\n")];
        let err = single_file("v9", &files, "h").unwrap_err();
        assert!(
            err.message
                .contains("neither v9/client.rs nor v9/client/mod.rs was generated"),
            "{err}"
        );
    }
}
