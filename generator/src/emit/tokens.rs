//! Small token helpers shared by the emitters.

use crate::ir::TypeRef;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

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

/// Spec prose made safe to embed in generated markdown (see [`docs`]), line by line.
pub fn prose(text: &str) -> String {
    text.trim()
        .lines()
        .map(|line| escape_prose(line.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn doc_lines(text: &str, transform: fn(&str) -> String) -> TokenStream {
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|line| format!(" {}", transform(&line.trim().replace("```", "'''"))))
        .collect();
    quote! { #( #[doc = #lines] )* }
}

/// Escapes one line of prose everywhere but inside its code spans.
fn escape_prose(line: &str) -> String {
    let parts: Vec<&str> = line.split('`').collect();
    let last = parts.len() - 1;
    let mut out = String::with_capacity(line.len() + 8);
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push('`');
        }
        // Odd parts sit between two backticks; a trailing unmatched backtick opens no span.
        if index % 2 == 1 && index != last {
            out.push_str(part);
        } else {
            escape_outside_code(part, &mut out);
        }
    }
    out
}

fn escape_outside_code(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some(len) = url_len(rest) {
            let (url, tail) = rest.split_at(len);
            // A markdown link's destination is already a link.
            if out.ends_with("](") {
                out.push_str(url);
            } else {
                out.push('<');
                out.push_str(url);
                out.push('>');
            }
            rest = tail;
            continue;
        }
        match c {
            '<' => match rest[1..].find('>') {
                // An autolink the author wrote: keep it.
                Some(end) if url_len(&rest[1..]) == Some(end) => {
                    out.push_str(&rest[..end + 2]);
                    rest = &rest[end + 2..];
                    continue;
                }
                _ => out.push_str("&lt;"),
            },
            '[' if !opens_link(rest) => out.push_str("\\["),
            _ => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// Whether `[` at the start of `text` opens a markdown link `[text](destination)`.
fn opens_link(text: &str) -> bool {
    match text[1..].find(['[', ']']) {
        Some(end) => text[1 + end..].starts_with("]("),
        None => false,
    }
}

/// The length of the URL `text` starts with, without trailing punctuation; parentheses are
/// part of it only when balanced, as in Wikipedia addresses.
fn url_len(text: &str) -> Option<usize> {
    if !(text.starts_with("https://") || text.starts_with("http://")) {
        return None;
    }
    let mut depth = 0usize;
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                end = i;
                break;
            }
            ')' => depth -= 1,
            c if c.is_whitespace() || matches!(c, '<' | '>' | '"') => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    (url.len() > "https://".len()).then_some(url.len())
}

/// Docs for an item, or a fallback sentence when the spec has none (every public item is
/// documented).
pub fn docs_or(text: Option<&str>, fallback: &str) -> TokenStream {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => docs(t),
        None => docs(fallback),
    }
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
            let name = ident(name);
            quote!(#name)
        }
        TypeRef::Boxed(name) => {
            let name = ident(name);
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
            let name = ident(name);
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
            let name = ident(name);
            quote!(::std::boxed::Box<super::models::#name>)
        }
        other => rust_type(other),
    }
}

#[cfg(test)]
mod tests {
    use super::escape_prose;

    #[test]
    fn prose_escapes_html_like_text_brackets_and_bare_urls() {
        assert_eq!(
            escape_prose("as <date>T<time>, see https://aka.ms/x. Or [Busy]."),
            "as &lt;date>T&lt;time>, see <https://aka.ms/x>. Or \\[Busy]."
        );
    }

    #[test]
    fn prose_keeps_code_spans_links_and_autolinks() {
        let line = "`<T>` and [docs](https://learn.microsoft.com/a_(b)) and <https://x.y/z>";
        assert_eq!(escape_prose(line), line);
    }

    #[test]
    fn an_unmatched_backtick_opens_no_code_span() {
        assert_eq!(escape_prose("a ` b <c>"), "a ` b &lt;c>");
    }
}
