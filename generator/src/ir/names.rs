//! Names the IR carries: Rust identifiers and crate paths chosen by `lower`.

use serde::Serialize;

/// A Rust identifier chosen by `lower`.
///
/// `name` is the identifier without any `r#` prefix (what docs, derived names and messages use);
/// `raw` says whether it is a keyword and must be written `r#name`. Emitters turn it into a
/// `proc_macro2::Ident` without looking at its text, so no `r#` stripping happens outside `lower`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Ident {
    pub name: String,
    pub raw: bool,
}

impl Ident {
    /// An identifier that is not a keyword.
    pub fn plain(name: impl Into<String>) -> Self {
        Ident {
            name: name.into(),
            raw: false,
        }
    }

    /// A keyword used as an identifier, written `r#name`.
    pub fn raw(name: impl Into<String>) -> Self {
        Ident {
            name: name.into(),
            raw: true,
        }
    }

    /// The identifier as it appears in Rust source (`r#type` for a raw one).
    pub fn to_source(&self) -> String {
        if self.raw {
            format!("r#{}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// Compares the bare name, so tests and lookups can write `def.name == "Presence"`.
impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.name == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.name == *other
    }
}

impl std::fmt::Display for Ident {
    /// The bare name, for docs and messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// The path of a crate (or module) generated code names, e.g. `::msgraph_presence_runtime`:
/// checked when it is made, so emitters write its segments without parsing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CratePath {
    /// Starts with `::` (a crate from the extern prelude).
    pub leading_colons: bool,
    /// `crate`, `self` and `super` are allowed as segments; none is raw.
    pub segments: Vec<Ident>,
}

impl CratePath {
    /// Parses a Rust path with no generic arguments; `None` when `text` is not one.
    pub fn parse(text: &str) -> Option<CratePath> {
        let path: syn::Path = syn::parse_str(text).ok()?;
        let segments = path
            .segments
            .iter()
            .map(|segment| {
                matches!(segment.arguments, syn::PathArguments::None).then(|| {
                    let name = segment.ident.to_string();
                    match name.strip_prefix("r#") {
                        Some(raw) => Ident::raw(raw),
                        None => Ident::plain(name),
                    }
                })
            })
            .collect::<Option<Vec<Ident>>>()?;
        Some(CratePath {
            leading_colons: path.leading_colon.is_some(),
            segments,
        })
    }

    /// The path as Rust source (`::msgraph_presence_runtime`).
    pub fn to_source(&self) -> String {
        let joined = self
            .segments
            .iter()
            .map(Ident::to_source)
            .collect::<Vec<_>>()
            .join("::");
        if self.leading_colons {
            format!("::{joined}")
        } else {
            joined
        }
    }
}

/// Serialized as its source text, the way snapshots and messages show it.
impl Serialize for CratePath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_source())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_round_trip_through_source() {
        for text in [
            "::msgraph_presence_runtime",
            "crate",
            "crate::rt",
            "my_rt",
            "super::r#type",
        ] {
            let path = CratePath::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(path.to_source(), text);
        }
        assert!(
            CratePath::parse("::msgraph_presence_runtime")
                .unwrap()
                .leading_colons
        );
        assert!(CratePath::parse("super::r#type").unwrap().segments[1].raw);
    }

    #[test]
    fn anything_but_a_plain_path_is_refused() {
        for text in ["", "::msgraph presence", "a::<T>", "Vec<u8>", "a::b;"] {
            assert_eq!(CratePath::parse(text), None, "{text:?}");
        }
    }
}
