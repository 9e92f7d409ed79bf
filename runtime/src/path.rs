//! Filling path templates, so an argument can never change which path is called.

use crate::Error;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters is encoded: `/`, `?`, `#`, `%` and spaces in an
/// id stay inside its segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Fills the `{parameters}` of `template` with `args`, in order, percent-encoding each.
///
/// Empty values and the dot segments `.` and `..` are refused: URL normalisation would turn them
/// into a different path (`/users/../presence` is `/presence`), even when percent-encoded. A
/// parameter between single quotes (`name='{value}'`, an OData string literal in a function
/// call) has its own quotes doubled, as OData escapes them, and may be empty.
pub(crate) fn expand(template: &'static str, args: &[&str]) -> Result<String, Error> {
    let mut path = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (literal, after) = rest.split_at(open);
        let close = after.find('}').ok_or_else(|| malformed(template))?;
        let name = &after[1..close];
        let value = args.next().ok_or_else(|| {
            Error::InvalidInput(format!(
                "no value for path parameter `{name}` of {template}"
            ))
        })?;
        rest = &after[close + 1..];
        path.push_str(literal);
        if literal.ends_with('\'') && rest.starts_with('\'') {
            path.extend(utf8_percent_encode(&value.replace('\'', "''"), SEGMENT));
            continue;
        }
        if value.is_empty() {
            return Err(Error::InvalidInput(format!(
                "path parameter `{name}` is empty"
            )));
        }
        if *value == "." || *value == ".." {
            return Err(Error::InvalidInput(format!(
                "path parameter `{name}` cannot be {value:?}"
            )));
        }
        path.extend(utf8_percent_encode(value, SEGMENT));
    }
    if args.next().is_some() {
        return Err(Error::InvalidInput(format!(
            "more values than path parameters for {template}"
        )));
    }
    path.push_str(rest);
    Ok(path)
}

fn malformed(template: &str) -> Error {
    Error::InvalidInput(format!("unclosed '{{' in path template {template}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(id: &str) -> Result<String, Error> {
        expand("/users/{user-id}/presence", &[id])
    }

    #[test]
    fn encodes_everything_that_could_escape_the_segment() {
        assert_eq!(build("../me").unwrap(), "/users/..%2Fme/presence");
        assert_eq!(build("a?b#c").unwrap(), "/users/a%3Fb%23c/presence");
        assert_eq!(build("%2F").unwrap(), "/users/%252F/presence");
        assert_eq!(build("ü ser").unwrap(), "/users/%C3%BC%20ser/presence");
        assert_eq!(
            build("fa8bf3dc-eca7-46b7-bad1-db199b62afc3").unwrap(),
            "/users/fa8bf3dc-eca7-46b7-bad1-db199b62afc3/presence"
        );
    }

    #[test]
    fn fills_several_parameters_in_order() {
        assert_eq!(
            expand("/a/{x}/b/{y}", &["1", "2/3"]).unwrap(),
            "/a/1/b/2%2F3"
        );
        assert_eq!(expand("/me/presence", &[]).unwrap(), "/me/presence");
        assert!(expand("/a/{x}/b/{y}", &["1"]).is_err());
        assert!(expand("/a/{x}", &["1", "2"]).is_err());
    }

    #[test]
    fn quoted_parameters_double_their_quotes_before_encoding() {
        let build = |value| expand("/me/microsoft.graph.f(name='{name}')", &[value]);
        assert_eq!(
            build("O'Brien").unwrap(),
            "/me/microsoft.graph.f(name='O%27%27Brien')"
        );
        assert_eq!(build("a/b").unwrap(), "/me/microsoft.graph.f(name='a%2Fb')");
        // Inside quotes an empty value is the empty literal, not a vanished segment.
        assert_eq!(build("").unwrap(), "/me/microsoft.graph.f(name='')");
    }

    #[test]
    fn refuses_empty_and_dot_segments() {
        assert!(matches!(build(""), Err(Error::InvalidInput(m)) if m.contains("user-id")));
        assert!(build("..").is_err());
        assert!(build(".").is_err());
    }
}
