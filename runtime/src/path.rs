//! Building request paths from templates, so an argument can never change which path is called.

use crate::Error;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but RFC 3986 unreserved characters is encoded: `/`, `?`, `#`, `%` and spaces in an
/// id stay inside its segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One piece of a path template.
#[derive(Debug, Clone, Copy)]
pub enum PathPart<'a> {
    /// Text from the API description, sent as is.
    Literal(&'static str),
    /// A caller-supplied parameter: (its name in the template, its value).
    Param(&'static str, &'a str),
    /// A caller-supplied parameter inside an OData string literal (`name='{value}'` in a
    /// function call): its single quotes are doubled, as OData escapes them, then it is
    /// percent-encoded. An empty value is a valid (empty) literal here.
    QuotedParam(&'static str, &'a str),
}

/// Joins `parts`, percent-encoding every parameter.
///
/// Empty values and the dot segments `.` and `..` are refused: URL normalisation would turn them
/// into a different path (`/users/../presence` is `/presence`), even when percent-encoded.
pub fn build_path(parts: &[PathPart<'_>]) -> Result<String, Error> {
    let mut path = String::new();
    for part in parts {
        match part {
            PathPart::Literal(text) => path.push_str(text),
            PathPart::Param(name, value) => {
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
            PathPart::QuotedParam(_, value) => {
                let escaped = value.replace('\'', "''");
                path.extend(utf8_percent_encode(&escaped, SEGMENT));
            }
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(id: &str) -> Result<String, Error> {
        build_path(&[
            PathPart::Literal("/users/"),
            PathPart::Param("user-id", id),
            PathPart::Literal("/presence"),
        ])
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
    fn quoted_parameters_double_their_quotes_before_encoding() {
        let build = |value| {
            build_path(&[
                PathPart::Literal("/me/microsoft.graph.f(name='"),
                PathPart::QuotedParam("name", value),
                PathPart::Literal("')"),
            ])
        };
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
