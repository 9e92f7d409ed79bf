//! Path templates: checking them and splitting them into literal text and parameters.

use crate::ir::{PathParam, PathSegment};

/// Refuses path templates whose literal text would change meaning once sent: a query or
/// fragment, dot segments (normalised away by URL parsers), and characters that are not
/// allowed unencoded in a URL path (spaces, controls, non-ASCII).
pub(super) fn check_path_text(path: &str) -> std::result::Result<(), String> {
    if let Some(bad) = path.chars().find(|c| matches!(c, '?' | '#')) {
        return Err(format!(
            "path {path:?} contains {bad:?}; a query or fragment belongs in `parameters`"
        ));
    }
    if let Some(bad) = path
        .chars()
        .find(|c| !c.is_ascii() || c.is_ascii_control() || *c == ' ' || *c == '\\')
    {
        return Err(format!(
            "path {path:?} contains {bad:?}, which cannot appear unencoded in a URL path"
        ));
    }
    if path
        .split('/')
        .any(|segment| segment == "." || segment == "..")
    {
        return Err(format!(
            "path {path:?} has a '.' or '..' segment, which URL normalisation would remove"
        ));
    }
    Ok(())
}

/// Names of the `{params}` of a path template, in order.
pub fn template_params(path: &str) -> std::result::Result<Vec<&str>, String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unclosed '{{' in path {path:?}"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("malformed parameter in path {path:?}"));
        }
        if names.contains(&name) {
            return Err(format!(
                "parameter {{{name}}} appears twice in path {path:?}"
            ));
        }
        names.push(name);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("unmatched '}}' in path {path:?}"));
    }
    Ok(names)
}

/// Splits a path template into literal text and parameter slots.
pub(super) fn segments_of(path: &str, params: &[PathParam]) -> Vec<PathSegment> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = open + rest[open..].find('}').expect("validated template");
        let name = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.wire_name == name)
            .expect("validated parameter");
        rest = &rest[close + 1..];
        let quoted = path[..path.len() - rest.len() - name.len() - 2].ends_with('\'')
            && rest.starts_with('\'');
        segments.push(if quoted {
            PathSegment::QuotedParam(index)
        } else {
            PathSegment::Param(index)
        });
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_params_are_checked() {
        assert_eq!(
            template_params("/users/{user-id}/presence").unwrap(),
            vec!["user-id"]
        );
        assert!(template_params("/users/{user-id/presence").is_err());
        assert!(template_params("/users/{a}/{a}").is_err());
        assert!(template_params("/users/a}").is_err());
    }
}
