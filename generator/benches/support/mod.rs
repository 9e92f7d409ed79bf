//! Synthetic documents for the scaling benchmark: N copies of a fragment under new names.
//!
//! Shared by `benches/generation.rs` and `tests/replicate.rs` (which checks it), and kept out of
//! the generator's library: it builds test data, it is not a stage of the pipeline.

/// A synthetic document `times` as large as `source`: every path, operation and component is
/// repeated with a copy suffix (`C2`, `C3`, ...) on its last literal path segment, its
/// operationId and its component name, and `$ref`s point into the same copy. Copy 1 is `source`
/// unchanged, so each copy lowers to the same methods and types under new names. Deterministic.
pub fn replicate(source: &str, times: usize) -> Result<String, serde_yaml::Error> {
    use serde_yaml::{Mapping, Value};
    let doc: Value = serde_yaml::from_str(source)?;
    let mut out = doc.clone();
    let mut paths = Mapping::new();
    let mut components = Mapping::new();
    for copy in 1..=times.max(1) {
        let suffix = if copy == 1 {
            String::new()
        } else {
            format!("C{copy}")
        };
        if let Some(Value::Mapping(src)) = doc.get("paths") {
            for (path, item) in src {
                let path = path.as_str().unwrap_or_default();
                let mut item = item.clone();
                rename_copy(&mut item, &suffix);
                paths.insert(Value::from(suffix_last_literal(path, &suffix)), item);
            }
        }
        if let Some(Value::Mapping(src)) = doc.get("components") {
            for (section, entries) in src {
                let Value::Mapping(entries) = entries else {
                    continue;
                };
                let target = components
                    .entry(section.clone())
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
                let Value::Mapping(target) = target else {
                    continue;
                };
                for (name, value) in entries {
                    let mut value = value.clone();
                    rename_copy(&mut value, &suffix);
                    let name = format!("{}{suffix}", name.as_str().unwrap_or_default());
                    target.insert(Value::from(name), value);
                }
            }
        }
    }
    out["paths"] = Value::Mapping(paths);
    if !components.is_empty() {
        out["components"] = Value::Mapping(components);
    }
    serde_yaml::to_string(&out)
}

/// `/users/{user-id}/presence/setPresence` + `C2` → `/users/{user-id}/presence/setPresenceC2`.
pub fn suffix_last_literal(path: &str, suffix: &str) -> String {
    let mut segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    if let Some(last) = segments
        .iter_mut()
        .rev()
        .find(|s| !s.is_empty() && !s.starts_with('{'))
    {
        last.push_str(suffix);
    }
    segments.join("/")
}

/// Appends `suffix` to every operationId and every local `$ref` target inside `value`.
fn rename_copy(value: &mut serde_yaml::Value, suffix: &str) {
    use serde_yaml::Value;
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                match (key.as_str(), child) {
                    (Some("operationId" | "$ref"), Value::String(s)) => s.push_str(suffix),
                    (_, child) => rename_copy(child, suffix),
                }
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|v| rename_copy(v, suffix)),
        _ => {}
    }
}
