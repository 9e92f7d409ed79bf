//! Path templates: checking them and listing their parameters. (The runtime fills them in.)

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
