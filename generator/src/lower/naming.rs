//! Rust names from API names: case conversion, illegal characters, keywords and collisions.
//!
//! Every rule is deterministic: the same input always gives the same name, so regenerating never
//! renames anything by accident.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::{BTreeSet, HashMap};

/// Words that cannot be plain identifiers in Rust 2024 (strict and reserved keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot even be raw identifiers (`r#self` is rejected by the compiler).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Replaces everything that cannot appear in an identifier with word breaks, and spells
/// non-ASCII characters as their code point so the result stays ASCII and unambiguous.
fn words(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if ch.is_ascii() {
            out.push(' ');
        } else {
            out.push_str(&format!(" u{:04x} ", ch as u32));
        }
    }
    out
}

/// A legal snake_case identifier for `name` (fields, methods, parameters, modules).
pub fn snake(name: &str) -> String {
    let mut s = words(name).to_snake_case();
    if s.is_empty() {
        s.push_str("value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    escape_keyword(s)
}

/// A legal UpperCamelCase identifier for `name` (types, enum variants).
pub fn pascal(name: &str) -> String {
    let mut s = words(name).to_upper_camel_case();
    if s.is_empty() {
        s.push_str("Value");
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'N');
    }
    escape_keyword(s)
}

/// Keywords become raw identifiers (`r#type`); those that cannot be raw get a trailing `_`.
fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The [`Ident`](crate::ir::Ident) for a name [`snake`], [`pascal`] or [`NameSet::claim`] made:
/// the `r#` they write for a keyword becomes the identifier's `raw` flag.
pub fn to_ident(name: &str) -> crate::ir::Ident {
    match name.strip_prefix("r#") {
        Some(keyword) => crate::ir::Ident::raw(keyword),
        None => crate::ir::Ident::plain(name),
    }
}

/// The name without a raw-identifier prefix, for building derived names.
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// Rust names of component schemas: the part after the namespace (`microsoft.graph.presence`
/// → `Presence`), made longer only when two schemas would otherwise share it. Counts every
/// candidate name once, so naming n schemas costs O(n) instead of comparing each key with
/// every other key.
pub struct SchemaNames {
    /// How many keys give `name` when their last `take` segments are used: (take, name) → count.
    counts: HashMap<(usize, String), usize>,
}

impl SchemaNames {
    pub fn new(all_keys: &[&str]) -> Self {
        let mut counts = HashMap::new();
        for key in all_keys {
            let segments: Vec<&str> = key.split('.').collect();
            for take in 1..=segments.len() {
                let candidate = pascal(&segments[segments.len() - take..].join(" "));
                *counts.entry((take, candidate)).or_insert(0) += 1;
            }
        }
        SchemaNames { counts }
    }

    /// The shortest suffix name of `key` that no other key shares; `key` must be one of the
    /// keys given to [`SchemaNames::new`] (another key would be counted as clashing with itself).
    pub fn name(&self, key: &str) -> String {
        let segments: Vec<&str> = key.split('.').collect();
        for take in 1..=segments.len() {
            let slot = (take, pascal(&segments[segments.len() - take..].join(" ")));
            // The key itself accounts for one; any more is another schema wanting the name.
            if self.counts.get(&slot).copied().unwrap_or(0) <= 1 {
                return slot.1;
            }
        }
        pascal(key)
    }
}

/// Hands out names, suffixing `2`, `3`, ... when a name is already taken.
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    taken: BTreeSet<String>,
}

impl NameSet {
    pub fn new() -> Self {
        NameSet::default()
    }

    /// Marks `name` as taken without handing it out (for fixed names like `Client`).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(bare(name).to_owned());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(bare(name))
    }

    /// Returns `name` if free, else the first free `name_2`-style variant (snake) or `Name2`
    /// (Pascal), and marks it taken.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(bare(&name).to_owned()) {
            return name;
        }
        let snake = name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            || name.starts_with("r#");
        let base = bare(&name).to_owned();
        (2..)
            .map(|n| {
                // `self_` (a keyword made legal) continues as `self_2`, not `self__2`.
                // `Self_` continues as `Self2`, which the upper-camel-case lint accepts.
                if snake && !base.ends_with('_') {
                    format!("{base}_{n}")
                } else if snake {
                    format!("{base}{n}")
                } else {
                    format!("{}{n}", base.trim_end_matches('_'))
                }
            })
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_type_name(key: &str, all_keys: &[&str]) -> String {
        SchemaNames::new(all_keys).name(key)
    }

    #[test]
    fn snake_case_handles_graph_names() {
        assert_eq!(snake("sessionId"), "session_id");
        assert_eq!(snake("@odata.nextLink"), "odata_next_link");
        assert_eq!(snake("@odata.type"), "odata_type");
        assert_eq!(snake("request-id"), "request_id");
        assert_eq!(snake("x-ms-foo"), "x_ms_foo");
        assert_eq!(snake("$select"), "select");
        assert_eq!(snake("getPresencesByUserId"), "get_presences_by_user_id");
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("ref"), "r#ref");
        assert_eq!(snake("self"), "self_");
        assert_eq!(pascal("Self"), "Self_");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(snake("async"), "r#async");
    }

    #[test]
    fn digits_and_symbols_and_non_ascii() {
        assert_eq!(snake("1stPlace"), "_1st_place");
        assert_eq!(pascal("1stPlace"), "N1stPlace");
        assert_eq!(snake(""), "value");
        assert_eq!(pascal("@@"), "Value");
        assert_eq!(snake("größe"), "gr_u00f6_u00df_e");
        assert_eq!(pascal("café"), "CafU00e9");
    }

    #[test]
    fn type_names_are_never_raw() {
        for keyword in KEYWORDS.iter().chain(NOT_RAW) {
            assert!(!pascal(keyword).starts_with("r#"), "{keyword}");
        }
    }

    #[test]
    fn keywords_become_raw_idents_and_others_plain_ones() {
        assert_eq!(to_ident(&snake("type")), crate::ir::Ident::raw("type"));
        assert_eq!(to_ident(&snake("self")), crate::ir::Ident::plain("self_"));
        assert_eq!(to_ident(&pascal("busy")), crate::ir::Ident::plain("Busy"));
    }

    #[test]
    fn schema_names_strip_namespaces_unless_they_clash() {
        let keys = [
            "microsoft.graph.presence",
            "ODataErrors.ODataError",
            "microsoft.graph.security.alert",
            "microsoft.graph.alert",
        ];
        assert_eq!(
            schema_type_name("microsoft.graph.presence", &keys),
            "Presence"
        );
        assert_eq!(
            schema_type_name("ODataErrors.ODataError", &keys),
            "ODataError"
        );
        assert_eq!(
            schema_type_name("microsoft.graph.security.alert", &keys),
            "SecurityAlert"
        );
        assert_eq!(
            schema_type_name("microsoft.graph.alert", &keys),
            "GraphAlert"
        );
    }

    #[test]
    fn name_set_suffixes_collisions_deterministically() {
        let mut names = NameSet::new();
        assert_eq!(names.claim("foo_bar".into()), "foo_bar");
        assert_eq!(names.claim("foo_bar".into()), "foo_bar_2");
        assert_eq!(names.claim("foo_bar".into()), "foo_bar_3");
        assert_eq!(names.claim("Presence".into()), "Presence");
        assert_eq!(names.claim("Presence".into()), "Presence2");
        names.reserve("r#type");
        assert_eq!(names.claim("r#type".into()), "type_2");
        assert_eq!(names.claim("self_".into()), "self_");
        assert_eq!(names.claim("self_".into()), "self_2");
        assert_eq!(names.claim("Self_".into()), "Self_");
        assert_eq!(names.claim("Self_".into()), "Self2");
    }
}
