//! Path patterns of a selection, in the conventions Kiota uses for Graph (so a Graph user can
//! copy theirs): `/users/{user-id}/presence/**`.
//!
//! - a literal segment matches itself (`microsoft.graph.` prefixes are ignored on both sides, so
//!   `/me/getMemberGroups` matches Microsoft's `/me/microsoft.graph.getMemberGroups`);
//! - `{x}` matches any parameter segment, whatever its name (`{user-id}`, `{id}`);
//! - `*` matches exactly one segment of any kind;
//! - `**` matches any number of segments, none included (`/me/**` matches `/me`);
//! - a `#GET,POST` suffix keeps only those operations of the paths it matches.

use super::METHODS;
use std::collections::BTreeSet;

/// One parsed pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern as written, for messages.
    pub text: String,
    segments: Vec<Segment>,
    /// Lower-case method names (`get`, `post`); `None` for every method.
    pub methods: Option<BTreeSet<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    /// `{x}`: any `{...}` segment.
    Parameter,
    /// `*`: any one segment.
    One,
    /// `**`: any number of segments.
    Many,
}

impl Pattern {
    /// Parses `text`; the error says what is wrong, without a location (the caller adds it).
    pub fn parse(text: &str) -> Result<Pattern, String> {
        let (path, methods) = match text.split_once('#') {
            Some((path, methods)) => (path, Some(parse_methods(methods)?)),
            None => (text, None),
        };
        let Some(rest) = path.strip_prefix('/') else {
            return Err(format!("`{text}` must start with `/`"));
        };
        let segments = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/')
                .map(parse_segment)
                .collect::<Result<_, _>>()?
        };
        Ok(Pattern {
            text: text.to_owned(),
            segments,
            methods,
        })
    }

    /// Whether the pattern matches `path` (a path key of an OpenAPI document).
    pub fn matches(&self, path: &str) -> bool {
        let Some(rest) = path.strip_prefix('/') else {
            return false;
        };
        let segments: Vec<&str> = if rest.is_empty() {
            Vec::new()
        } else {
            rest.split('/').map(unprefixed).collect()
        };
        match_segments(&self.segments, &segments)
    }

    /// Whether the pattern keeps (or removes) operation `method` (lower case).
    pub fn covers_method(&self, method: &str) -> bool {
        self.methods.as_ref().is_none_or(|m| m.contains(method))
    }
}

fn parse_methods(text: &str) -> Result<BTreeSet<String>, String> {
    let mut methods = BTreeSet::new();
    for method in text.split(',') {
        let lower = method.trim().to_ascii_lowercase();
        if !METHODS.contains(&lower.as_str()) {
            return Err(format!(
                "`{}` is not an HTTP method (expected {})",
                method.trim(),
                METHODS
                    .iter()
                    .map(|m| m.to_ascii_uppercase())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        methods.insert(lower);
    }
    Ok(methods)
}

fn parse_segment(segment: &str) -> Result<Segment, String> {
    match segment {
        "" => Err("a pattern has no empty segments (`//`, or a trailing `/`)".to_owned()),
        "**" => Ok(Segment::Many),
        "*" => Ok(Segment::One),
        s if s.starts_with('{') && s.ends_with('}') && s.len() > 2 => Ok(Segment::Parameter),
        s if s.contains('*') => Err(format!(
            "`{s}`: `*` and `**` stand for whole segments, not parts of one"
        )),
        s => Ok(Segment::Literal(unprefixed(s).to_owned())),
    }
}

/// `microsoft.graph.setPresence` → `setPresence`: Graph accepts both spellings.
fn unprefixed(segment: &str) -> &str {
    segment.strip_prefix("microsoft.graph.").unwrap_or(segment)
}

fn match_segments(pattern: &[Segment], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((Segment::Many, rest)) => {
            (0..=path.len()).any(|skip| match_segments(rest, &path[skip..]))
        }
        Some((first, rest)) => {
            let Some((segment, path_rest)) = path.split_first() else {
                return false;
            };
            let here = match first {
                Segment::Literal(literal) => literal == segment,
                Segment::Parameter => segment.starts_with('{') && segment.ends_with('}'),
                Segment::One => true,
                Segment::Many => unreachable!("handled above"),
            };
            here && match_segments(rest, path_rest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, path: &str) -> bool {
        Pattern::parse(pattern).unwrap().matches(path)
    }

    #[test]
    fn double_star_matches_any_depth_including_none() {
        assert!(matches(
            "/users/{x}/presence/**",
            "/users/{user-id}/presence"
        ));
        assert!(matches(
            "/users/{x}/presence/**",
            "/users/{user-id}/presence/microsoft.graph.setPresence"
        ));
        assert!(matches("/**", "/a/b/c"));
        assert!(matches("/a/**/d", "/a/b/c/d"));
        assert!(!matches(
            "/users/{x}/presence/**",
            "/users/{user-id}/manager"
        ));
    }

    #[test]
    fn star_is_one_segment_and_braces_any_parameter() {
        assert!(matches("/users/*/presence", "/users/{user-id}/presence"));
        assert!(matches("/users/*/presence", "/users/me/presence"));
        assert!(!matches("/users/*", "/users/{user-id}/presence"));
        assert!(matches(
            "/groups/{id}/members",
            "/groups/{group-id}/members"
        ));
        assert!(!matches("/groups/{id}/members", "/groups/all/members"));
    }

    #[test]
    fn graph_prefixes_are_ignored_on_both_sides() {
        assert!(matches(
            "/communications/getPresencesByUserId",
            "/communications/microsoft.graph.getPresencesByUserId"
        ));
        assert!(matches(
            "/communications/microsoft.graph.getPresencesByUserId",
            "/communications/getPresencesByUserId"
        ));
        assert!(!matches("/me", "/me/presence"));
        assert!(matches("/", "/"));
    }

    #[test]
    fn methods_restrict_operations() {
        let pattern = Pattern::parse("/subscriptions/**#GET,post").unwrap();
        assert!(pattern.covers_method("get"));
        assert!(pattern.covers_method("post"));
        assert!(!pattern.covers_method("delete"));
        assert!(Pattern::parse("/me").unwrap().covers_method("delete"));
    }

    #[test]
    fn malformed_patterns_say_what_is_wrong() {
        assert_eq!(
            Pattern::parse("users/**").unwrap_err(),
            "`users/**` must start with `/`"
        );
        assert!(
            Pattern::parse("/me#FETCH")
                .unwrap_err()
                .contains("`FETCH` is not an HTTP method")
        );
        assert!(
            Pattern::parse("/me/pre*")
                .unwrap_err()
                .contains("whole segments")
        );
        assert!(
            Pattern::parse("/me//x")
                .unwrap_err()
                .contains("empty segments")
        );
    }
}
