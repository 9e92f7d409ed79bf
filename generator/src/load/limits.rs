//! Size and shape limits checked on the untyped YAML value before the typed parse.
//!
//! The typed parse (openapiv3's derived deserializers) recurses once or more per nesting level
//! and would overflow a small thread stack on a deep enough document; names become Rust
//! identifiers, so a 10 MB key would become a 10 MB identifier. Both are caught here, with the
//! pointer of the offending node, by an explicit-stack walk that cannot itself overflow.

use super::{MAX_NAME_BYTES, MAX_NESTING};
use crate::error::{Error, Result, pointer_join};
use crate::yaml::Value;

/// Keys whose string values become Rust names.
const NAME_VALUED_KEYS: &[&str] = &["operationId", "name"];

/// Checks nesting depth and name lengths of the whole document.
pub fn check(root: &Value) -> Result<()> {
    // (node, its pointer, its depth, the key it sits under)
    let mut stack: Vec<(&Value, String, usize, Option<String>)> =
        vec![(root, String::new(), 0, None)];
    while let Some((node, pointer, depth, parent_key)) = stack.pop() {
        if depth > MAX_NESTING {
            return Err(Error::unsupported(
                pointer,
                format!("the document nests deeper than {MAX_NESTING} levels here"),
            ));
        }
        match node {
            Value::Mapping(map) => {
                for (key, child) in map {
                    let key = key_text(key);
                    if key.len() > MAX_NAME_BYTES {
                        return Err(too_long(&pointer, "a key", &key));
                    }
                    if let Value::String(text) = child
                        && NAME_VALUED_KEYS.contains(&key.as_str())
                        && text.len() > MAX_NAME_BYTES
                    {
                        return Err(too_long(&pointer_join(&pointer, &key), "a name", text));
                    }
                    stack.push((child, pointer_join(&pointer, &key), depth + 1, Some(key)));
                }
            }
            Value::Sequence(items) => {
                for (index, child) in items.iter().enumerate() {
                    let at = pointer_join(&pointer, &index.to_string());
                    if parent_key.as_deref() == Some("enum")
                        && let Value::String(text) = child
                        && text.len() > MAX_NAME_BYTES
                    {
                        return Err(too_long(&at, "an enum value", text));
                    }
                    stack.push((child, at, depth + 1, None));
                }
            }
            Value::Tagged(tagged) => stack.push((&tagged.value, pointer, depth, parent_key)),
            _ => {}
        }
    }
    Ok(())
}

/// A mapping key as text: YAML allows numbers and booleans as keys (`200:`).
fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_owned(),
        other => crate::yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_owned(),
    }
}

/// The error for an over-long name, quoting only its start so the message stays one line.
fn too_long(pointer: &str, what: &str, text: &str) -> Error {
    let start: String = text.chars().take(24).collect();
    Error::unsupported(
        pointer,
        format!(
            "{what} {} bytes long (starting {start:?}); names longer than {MAX_NAME_BYTES} bytes are not supported",
            text.len()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        crate::yaml::from_str(text).unwrap()
    }

    #[test]
    fn depth_is_limited_with_the_pointer_of_the_first_too_deep_node() {
        let deep = format!("a: {}1{}", "[".repeat(70), "]".repeat(70));
        let err = check(&value(&deep)).unwrap_err();
        assert!(err.location.pointer.starts_with("/a/0/0/0"), "{err}");
        assert_eq!(err.location.pointer.matches('/').count(), MAX_NESTING + 1);
        assert!(check(&value("a: [[[1]]]")).is_ok());
    }

    #[test]
    fn long_keys_names_and_enum_values_are_refused() {
        let long = "k".repeat(MAX_NAME_BYTES + 1);
        let err = check(&value(&format!("p:\n  ? {long}\n  : 1\n"))).unwrap_err();
        assert_eq!(err.location.pointer, "/p");
        let err = check(&value(&format!("op:\n  operationId: {long}\n"))).unwrap_err();
        assert_eq!(err.location.pointer, "/op/operationId");
        let err = check(&value(&format!("s:\n  enum: [a, {long}]\n"))).unwrap_err();
        assert_eq!(err.location.pointer, "/s/enum/1");
        // Long descriptions are prose, not names.
        assert!(check(&value(&format!("description: {long}\n"))).is_ok());
    }
}
