//! load: YAML text → `openapiv3::OpenAPI`. Nothing after this module sees YAML.

use crate::error::{Error, ErrorKind, Result};
use crate::yaml;

mod limits;
mod openapi31;
mod refs;
mod shape;
mod walk;

/// Largest spec accepted, so a runaway input fails fast instead of exhausting memory.
pub const MAX_SPEC_BYTES: usize = 64 * 1024 * 1024;

/// Deepest nesting of mappings and sequences accepted. Published Graph documents stay under 30;
/// the limit keeps the typed parse, which recurses once per level, far from the stack's end.
pub const MAX_NESTING: usize = 64;

/// Longest key, operationId, parameter name or enum value accepted: each becomes a Rust
/// identifier, and a megabyte-long identifier is a mistake, not an API.
pub const MAX_NAME_BYTES: usize = 1024;

/// Parses `source` (named `file` in errors) as an OpenAPI 3.0.x or 3.1.x document.
#[cfg(test)]
pub fn load(file: &str, source: &str) -> Result<openapiv3::OpenAPI> {
    load_with_warnings(file, source).map(|(doc, _)| doc)
}

/// Parses `source` (named `file` in errors) as an OpenAPI 3.0.x or 3.1.x document (3.1 is
/// rewritten into 3.0 first, see [`openapi31`]); also returns what loading dropped, as
/// warnings whose pointers name nodes of `source`.
pub fn load_with_warnings(
    file: &str,
    source: &str,
) -> Result<(openapiv3::OpenAPI, Vec<crate::ir::Warning>)> {
    if source.len() > MAX_SPEC_BYTES {
        return Err(syntax(
            file,
            None,
            format!(
                "the document is {} bytes; the limit is {MAX_SPEC_BYTES}",
                source.len()
            ),
        ));
    }
    // The untyped parse comes first: it reports YAML errors with their position, and its
    // value is checked for shapes the typed parse would choke on (depth, giant names).
    let mut value = match yaml::from_str::<crate::yaml::Value>(source) {
        Ok(value) => value,
        Err(yaml_err) => return Err(yaml_err.located(file, source, "not valid YAML")),
    };
    if value.is_null() {
        return Err(syntax(file, None, "the document is empty"));
    }
    limits::check(&value).map_err(|e| e.in_file(file, source))?;
    shape::check(&value).map_err(|e| e.in_file(file, source))?;
    // References are checked on the document as written, before any 3.1 rewrite.
    refs::check(&value).map_err(|e| e.in_file(file, source))?;
    let is_31 = openapi31::is_31(&value);
    let warnings = if is_31 {
        openapi31::convert(&mut value).map_err(|e| e.in_file(file, source))?
    } else {
        Vec::new()
    };
    // The typed value comes from the tree already parsed (scanning 40 MB of YAML twice was
    // half the load time); only a failure parses the text again, for the error's position.
    // A rewritten 3.1 document has no text of its own, so its fallback is the tree's text.
    let typed = yaml::from_value::<openapiv3::OpenAPI>(&value).or_else(|_| {
        if is_31 {
            let text = yaml::to_string(&value).unwrap_or_default();
            yaml::from_str::<openapiv3::OpenAPI>(&text).map_err(|mut e| {
                // Positions in the rewritten text mean nothing to the user: the pointer is
                // located in the original instead.
                e.line = None;
                e.column = None;
                e
            })
        } else {
            yaml::from_str::<openapiv3::OpenAPI>(source)
        }
    });
    match typed {
        Ok(doc) => {
            check_version(&doc.openapi).map_err(|e| e.in_file(file, source))?;
            Ok((doc, warnings))
        }
        Err(err) if is_31 => Err(diagnose(file, source, &value, err).in_file(file, source)),
        Err(err) => Err(diagnose(file, source, &value, err)),
    }
}

fn check_version(version: &str) -> Result<()> {
    if version.starts_with("3.0.") || version == "3.0" {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::Unsupported,
            "/openapi",
            format!(
                "OpenAPI version {version:?} is not supported; only 3.0.x and 3.1.x documents are read"
            ),
        ))
    }
}

/// Turns a failed typed parse into the most useful message: an outright YAML error, a document
/// that is not OpenAPI at all, a different OpenAPI version, or a field of the wrong shape.
fn diagnose(file: &str, source: &str, value: &crate::yaml::Value, err: yaml::YamlError) -> Error {
    let Some(map) = value.as_mapping() else {
        return syntax(
            file,
            Some((Some(1), None)),
            "the document is not a mapping, so it is not an OpenAPI document",
        );
    };
    let version = map.get("openapi").or_else(|| map.get("swagger"));
    match version {
        None => {
            return syntax(
                file,
                Some((Some(1), None)),
                "no `openapi` field: this is not an OpenAPI 3.0 document",
            );
        }
        Some(v) => {
            let text = match v {
                crate::yaml::Value::String(s) => s.clone(),
                crate::yaml::Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            if map.contains_key("swagger") || !(text.starts_with("3.0") || text.starts_with("3.1"))
            {
                let key = if map.contains_key("swagger") {
                    "/swagger"
                } else {
                    "/openapi"
                };
                return check_version(&text)
                    .map_err(|e| e.with_pointer(key))
                    .err()
                    .unwrap_or_else(|| {
                        Error::new(
                            ErrorKind::Syntax,
                            "/openapi",
                            "`openapi` must be a version string like 3.0.3",
                        )
                    })
                    .in_file(file, source);
            }
        }
    }
    for required in ["info", "paths"] {
        if !map.contains_key(required) {
            return syntax(
                file,
                Some((Some(1), None)),
                format!("required field `{required}` is missing from the top level"),
            );
        }
    }
    // The YAML library prefixes the message with the dotted path of the field (`info: invalid
    // type ...`); turned into a JSON pointer, it joins the location instead.
    let (pointer, message) = err
        .message
        .split_once(": ")
        .and_then(|(path, rest)| Some((dotted_path_to_pointer(value, path)?, rest)))
        .unwrap_or((String::new(), err.message.as_str()));
    syntax(
        file,
        Some((err.line, err.column)),
        format!("not a valid OpenAPI 3.0 document: {message}"),
    )
    .with_pointer(pointer)
}

/// Resolves serde's `a.b[0].c` path against the document, so keys that contain dots
/// (`microsoft.graph.presence`) are matched as whole keys; `None` if it does not resolve.
fn dotted_path_to_pointer(root: &crate::yaml::Value, path: &str) -> Option<String> {
    let mut node = root;
    let mut rest = path;
    let mut pointer = String::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let (index, tail) = after.split_once(']')?;
            node = node.as_sequence()?.get(index.parse::<usize>().ok()?)?;
            pointer = crate::error::pointer_join(&pointer, index);
            rest = tail;
            continue;
        }
        rest = rest.strip_prefix('.').unwrap_or(rest);
        // The longest key of this mapping that the path continues with.
        let (key, child) = node
            .as_mapping()?
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, v)))
            .filter(|(k, _)| {
                rest.strip_prefix(k)
                    .is_some_and(|t| t.is_empty() || t.starts_with(['.', '[']))
            })
            .max_by_key(|(k, _)| k.len())?;
        pointer = crate::error::pointer_join(&pointer, key);
        node = child;
        rest = &rest[key.len()..];
    }
    (!pointer.is_empty()).then_some(pointer)
}

/// A syntax error in `file` at `position` (line, column), when one is known.
fn syntax(
    file: &str,
    position: Option<(Option<usize>, Option<usize>)>,
    message: impl Into<String>,
) -> Error {
    let (line, column) = position.unwrap_or((None, None));
    Error::syntax(message).with_file(file).at(line, column)
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_typed_document_comes_from_the_parsed_tree() {
        // Unquoted status codes are where a tree and a text deserializer could disagree; the
        // tree must give the same document as the text.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: v1}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        200: {description: ok}\n";
        let value: crate::yaml::Value = crate::yaml::from_str(text).unwrap();
        let from_tree: openapiv3::OpenAPI = crate::yaml::from_value(&value).unwrap();
        let from_text: openapiv3::OpenAPI = crate::yaml::from_str(text).unwrap();
        assert_eq!(from_tree, from_text);
    }

    #[test]
    fn scalars_only_the_text_reads_as_strings_still_load() {
        // `version: 1.0` is a float in the tree but a string to the text deserializer: the
        // tree is tried first and the text is the fallback, so the document still loads.
        let text = "openapi: 3.0.3\ninfo: {title: t, version: 1.0}\npaths: {}\n";
        let doc = load("a.yaml", text).unwrap();
        assert_eq!(doc.info.version, "1.0");
    }
    use super::*;

    #[test]
    fn rejects_other_openapi_versions() {
        let err = load(
            "a.yaml",
            "openapi: 3.2.0\ninfo: {title: t, version: v}\npaths: {}\n",
        )
        .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Unsupported);
        assert!(err.message.contains("3.2.0"), "{err}");
        assert_eq!(err.location.line, Some(1));
        let err = load(
            "a.yaml",
            "swagger: '2.0'\ninfo: {title: t, version: v}\npaths: {}\n",
        )
        .unwrap_err();
        assert!(err.message.contains("2.0"), "{err}");
    }

    #[test]
    fn reports_yaml_position() {
        let err = load("a.yaml", "openapi: 3.0.3\ninfo: [\n").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Syntax);
        assert_eq!(err.location.file, "a.yaml");
        assert!(err.location.line.is_some(), "{err}");
    }

    #[test]
    fn serde_paths_become_pointers_even_with_dotted_keys() {
        let doc: crate::yaml::Value = crate::yaml::from_str(
            "components:\n  schemas:\n    microsoft.graph.presence:\n      allOf: [{}, {x: 1}]\n",
        )
        .unwrap();
        assert_eq!(
            dotted_path_to_pointer(
                &doc,
                "components.schemas.microsoft.graph.presence.allOf[1].x"
            )
            .as_deref(),
            Some("/components/schemas/microsoft.graph.presence/allOf/1/x")
        );
        assert_eq!(dotted_path_to_pointer(&doc, "components.nope"), None);
        assert_eq!(dotted_path_to_pointer(&doc, "invalid type"), None);
    }

    /// Microsoft's modules (up to 4 MB; not in this repository) must still load, with every
    /// `$ref` checked. Run with `PRESENCE_UPSTREAM_DIR=<dir> cargo test -p presence-generator
    /// --lib -- --ignored microsofts_modules_load`.
    #[test]
    #[ignore = "needs Microsoft's modules in $PRESENCE_UPSTREAM_DIR"]
    fn microsofts_modules_load() {
        let dir = std::env::var("PRESENCE_UPSTREAM_DIR").expect("PRESENCE_UPSTREAM_DIR is set");
        for module in [
            "v1.0-CloudCommunications.yml",
            "v1.0-Users.yml",
            "v1.0-Groups.yml",
        ] {
            let path = std::path::Path::new(&dir).join(module);
            let source = std::fs::read_to_string(&path).expect("the module is readable");
            let started = std::time::Instant::now();
            let loaded = load_with_warnings(module, &source);
            assert!(loaded.is_ok(), "{module}: {}", loaded.unwrap_err());
            eprintln!(
                "{module}: {} bytes in {:?}",
                source.len(),
                started.elapsed()
            );
        }
    }

    #[test]
    fn names_missing_top_level_fields() {
        let err = load("a.yaml", "openapi: 3.0.3\ninfo: {title: t, version: v}\n").unwrap_err();
        assert!(err.message.contains("`paths`"), "{err}");
    }
}
