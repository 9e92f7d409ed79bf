//! Keys the typed parse would drop without a word, and required fields it would report
//! without saying where.
//!
//! openapiv3 keeps only `/`-prefixed keys of `paths`, only the known fields (plus `x-`
//! extensions) of a path item, and only well-formed status codes of `responses`; anything else
//! vanishes during deserialization. A path written without its leading slash, a method spelled
//! `GET`, or a status `20x` would silently lose operations or responses, so such keys are
//! refused here, where they can still be seen. Its errors for a missing `responses` or a
//! parameter's missing `in` name no location inside `paths`, so those are checked here too.

use crate::error::{Error, Result, pointer_join};
use crate::yaml::Value;

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
        check_parameters(
            item.get("parameters"),
            &pointer_join(&path_ptr, "parameters"),
        )?;
        for (method, operation) in item {
            let Some(method) = method.as_str().filter(|m| HTTP_METHODS.contains(m)) else {
                continue;
            };
            check_operation(operation, &pointer_join(&path_ptr, method))?;
        }
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

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn check_operation(operation: &Value, pointer: &str) -> Result<()> {
    let Some(operation) = operation.as_mapping() else {
        return Ok(());
    };
    check_parameters(
        operation.get("parameters"),
        &pointer_join(pointer, "parameters"),
    )?;
    let Some(responses) = operation.get("responses") else {
        return Err(Error::invalid(
            pointer,
            "operation has no `responses`; OpenAPI requires at least one",
        ));
    };
    let responses_ptr = pointer_join(pointer, "responses");
    for code in responses.as_mapping().into_iter().flat_map(|m| m.keys()) {
        let text = match code {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            other => describe(other),
        };
        if !is_status_key(&text) {
            return Err(Error::invalid(
                pointer_join(&responses_ptr, &text),
                format!(
                    "{text:?} is not a response key; expected a status code like 200, a range like 2XX, or `default`"
                ),
            ));
        }
    }
    Ok(())
}

/// `default`, `x-` extensions, a three-digit code from 100 to 599, or a range `1XX`-`5XX`.
fn is_status_key(key: &str) -> bool {
    if key == "default" || key.starts_with("x-") {
        return true;
    }
    let bytes = key.as_bytes();
    if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
        return false;
    }
    let range = bytes[1..].eq_ignore_ascii_case(b"xx");
    range || bytes[1..].iter().all(u8::is_ascii_digit)
}

/// Every inline parameter has a `name` and an `in` the spec allows.
fn check_parameters(parameters: Option<&Value>, pointer: &str) -> Result<()> {
    let Some(Value::Sequence(items)) = parameters else {
        return Ok(());
    };
    for (index, item) in items.iter().enumerate() {
        let at = pointer_join(pointer, &index.to_string());
        let Some(map) = item.as_mapping() else {
            continue;
        };
        if map.contains_key("$ref") {
            continue;
        }
        if !map.get("name").is_some_and(Value::is_string) {
            return Err(Error::invalid(&at, "parameter has no `name`"));
        }
        match map.get("in").and_then(Value::as_str) {
            Some("query" | "header" | "path" | "cookie") => {}
            Some(other) => {
                return Err(Error::invalid(
                    pointer_join(&at, "in"),
                    format!(
                        "parameter location {other:?} is not one of query, header, path, cookie"
                    ),
                ));
            }
            None => {
                return Err(Error::invalid(
                    &at,
                    "parameter has no `in` (query, header, path or cookie)",
                ));
            }
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
        crate::yaml::from_str(text).unwrap()
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
                "paths:\n  /me:\n    get: {responses: {}}\n    x-a: 1\n  x-b: 2\n"
            ))
            .is_ok()
        );
    }

    #[test]
    fn status_keys() {
        for ok in ["200", "2XX", "2xx", "default", "x-foo", "599", "101"] {
            assert!(is_status_key(ok), "{ok}");
        }
        for bad in ["20x", "600", "099", "2X", "ok", "", "2000"] {
            assert!(!is_status_key(bad), "{bad}");
        }
    }

    #[test]
    fn parameters_need_a_name_and_a_known_location() {
        let doc = "paths:\n  /me:\n    parameters:\n      - {name: a, in: body}\n";
        let err = check(&value(doc)).unwrap_err();
        assert_eq!(err.location.pointer, "/paths/~1me/parameters/0/in");
        let doc =
            "paths:\n  /me:\n    get:\n      responses: {}\n      parameters: [{in: query}]\n";
        let err = check(&value(doc)).unwrap_err();
        assert_eq!(err.location.pointer, "/paths/~1me/get/parameters/0");
        let doc = "paths:\n  /me:\n    get:\n      responses: {}\n      parameters: [{$ref: x}]\n";
        assert!(check(&value(doc)).is_ok());
    }
}
