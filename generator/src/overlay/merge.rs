//! The Overlay update semantics on YAML values: mappings merge key by key (recursively),
//! sequences get the update's items appended, scalars are replaced.
//!
//! One deliberate refinement of "append": an item already present in the sequence is not
//! appended again. Overlay actions add things like `required: [ids]` or an enum value; when
//! Microsoft's document later says the same, appending would duplicate it, whereas skipping
//! makes the action change nothing, which is exactly what stale detection looks for.

use super::parse::kind;
use crate::yaml::Value;

/// Merges `update` into `target`; returns whether `target` changed. A type mismatch (a mapping
/// onto a scalar or a sequence, a sequence onto a mapping, a scalar onto a mapping) is an error
/// naming the JSON pointer below `pointer` where it happened.
pub(crate) fn merge(target: &mut Value, update: &Value, pointer: &str) -> Result<bool, String> {
    match (target, update) {
        (Value::Mapping(target), Value::Mapping(update)) => {
            let mut changed = false;
            for (key, value) in update {
                let child = format!("{pointer}/{}", token(key));
                match target.get_mut(key) {
                    Some(existing) => changed |= merge(existing, value, &child)?,
                    None => {
                        target.insert(key.clone(), value.clone());
                        changed = true;
                    }
                }
            }
            Ok(changed)
        }
        (Value::Sequence(target), Value::Sequence(update)) => {
            let mut changed = false;
            for item in update {
                if !target.contains(item) {
                    target.push(item.clone());
                    changed = true;
                }
            }
            Ok(changed)
        }
        (target @ (Value::Mapping(_) | Value::Sequence(_)), update)
        | (target, update @ (Value::Mapping(_) | Value::Sequence(_))) => Err(format!(
            "cannot merge {} into {} at {}",
            kind(update),
            kind(target),
            if pointer.is_empty() {
                "the target"
            } else {
                pointer
            }
        )),
        (target, update) => {
            if target == update {
                Ok(false)
            } else {
                *target = update.clone();
                Ok(true)
            }
        }
    }
}

/// A mapping key as a JSON pointer token.
fn token(key: &Value) -> String {
    let text = match key {
        Value::String(s) => s.clone(),
        other => crate::yaml::to_string(other)
            .unwrap_or_default()
            .trim_end()
            .to_owned(),
    };
    text.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        crate::yaml::from_str(text).unwrap()
    }

    #[test]
    fn mappings_merge_and_scalars_replace() {
        let mut target = yaml("a: 1\nb: {c: 2, d: 3}");
        let changed = merge(&mut target, &yaml("b: {c: 5}\ne: x"), "").unwrap();
        assert!(changed);
        assert_eq!(target, yaml("a: 1\nb: {c: 5, d: 3}\ne: x"));
    }

    #[test]
    fn sequences_append_only_new_items() {
        let mut target = yaml("required: [a]");
        assert!(merge(&mut target, &yaml("required: [a, b]"), "").unwrap());
        assert_eq!(target, yaml("required: [a, b]"));
        assert!(!merge(&mut target, &yaml("required: [b]"), "").unwrap());
    }

    #[test]
    fn the_same_value_is_no_change() {
        let mut target = yaml("a: {b: [1], c: x}");
        assert!(!merge(&mut target, &yaml("a: {b: [1], c: x}"), "").unwrap());
    }

    #[test]
    fn type_mismatches_name_the_place() {
        let mut target = yaml("a: {b: 1}");
        let err = merge(&mut target, &yaml("a: {b: {c: 2}}"), "/x").unwrap_err();
        assert_eq!(err, "cannot merge a mapping into a number at /x/a/b");
        let err = merge(&mut target, &yaml("a: [1]"), "").unwrap_err();
        assert_eq!(err, "cannot merge a sequence into a mapping at /a");
        let err = merge(&mut target, &yaml("a: text"), "").unwrap_err();
        assert_eq!(err, "cannot merge a string into a mapping at /a");
    }
}
