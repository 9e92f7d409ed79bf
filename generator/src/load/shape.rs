//! Keys the typed parse would drop without a word.
//!
//! openapiv3 keeps only `/`-prefixed keys of `paths` and only the known fields (plus `x-`
//! extensions) of a path item; anything else vanishes during deserialization. A path written
//! without its leading slash, or a method spelled `GET` or `psot`, would silently lose
//! operations, so such keys are refused here, where they can still be seen.

use crate::error::{Error, Result, pointer_join};
use serde_yaml::Value;

/// The fields of an OpenAPI 3.0 Path Item Object.
const PATH_ITEM_FIELDS: &[&str] = &[
    "$ref",
    "summary",
    "description",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "servers",
    "parameters",
];

pub fn check(root: &Value) -> Result<()> {
    let Some(paths) = root.get("paths").and_then(Value::as_mapping) else {
        return Ok(());
    };
    for (key, item) in paths {
        let Some(path) = key.as_str() else {
            return Err(Error::invalid(
                "/paths",
                format!("path keys are strings; found {}", describe(key)),
            ));
        };
        let path_ptr = pointer_join("/paths", path);
        if path.starts_with("x-") {
            continue;
        }
        if !path.starts_with('/') {
            return Err(Error::invalid(
                path_ptr,
                format!("path {path:?} must start with '/'"),
            ));
        }
        let Some(item) = item.as_mapping() else {
            continue;
        };
        for field in item.keys() {
            let name = field.as_str().unwrap_or_default();
            if name.starts_with("x-") || PATH_ITEM_FIELDS.contains(&name) {
                continue;
            }
            let hint = if PATH_ITEM_FIELDS.contains(&name.to_ascii_lowercase().as_str()) {
                format!(
                    " (HTTP methods are lower case: `{}`)",
                    name.to_ascii_lowercase()
                )
            } else {
                String::new()
            };
            return Err(Error::invalid(
                pointer_join(&path_ptr, name),
                format!(
                    "{} is not a field of a path item{hint}; expected an HTTP method, `parameters`, `summary`, `description`, `servers` or an `x-` extension",
                    describe(field)
                ),
            ));
        }
    }
    Ok(())
}

fn describe(key: &Value) -> String {
    match key {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Null => "null".to_owned(),
        _ => "a structured key".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        serde_yaml::from_str(text).unwrap()
    }

    #[test]
    fn refuses_paths_without_slash_and_unknown_path_item_fields() {
        let err = check(&value("paths:\n  me: {}\n")).unwrap_err();
        assert_eq!(err.location.pointer, "/paths/me");
        let err = check(&value("paths:\n  /me:\n    GET: {}\n")).unwrap_err();
        assert_eq!(err.location.pointer, "/paths/~1me/GET");
        assert!(err.message.contains("`get`"), "{err}");
        assert!(
            check(&value(
                "paths:\n  /me:\n    get: {}\n    x-a: 1\n  x-b: 2\n"
            ))
            .is_ok()
        );
    }
}
