//! The pipeline's stages one by one, for benchmarks (`generator/benches/`, `cargo xtask bench`).
//!
//! Not part of the supported API: [`crate::Generator`] is. These wrappers exist so each stage can
//! be timed alone, with exactly the calls `Generator::generate` makes.

use crate::error::{Error, ErrorKind};
use crate::{GeneratedFile, emit, format, ir, load, lower, templates};
use proc_macro2::TokenStream;
use std::path::PathBuf;

pub use crate::header;

/// load: YAML text → `openapiv3::OpenAPI`, with the generator's checks and diagnostics.
pub fn load(file: &str, source: &str) -> Result<openapiv3::OpenAPI, Error> {
    load::load(file, source)
}

/// The floor the generator is compared with: the bare `serde_yaml` + `openapiv3` parse.
pub fn parse_floor(source: &str) -> Result<openapiv3::OpenAPI, serde_yaml::Error> {
    serde_yaml::from_str(source)
}

/// lower: document → IR, as `Generator::lower` does it (runtime crate `crate`).
pub fn lower(doc: &openapiv3::OpenAPI, module: &str) -> Result<ir::Api, Error> {
    lower::lower(doc, module)
}

/// emit: IR → one token stream per Rust file.
pub fn emit(api: &ir::Api) -> Vec<(&'static str, TokenStream)> {
    emit::emit(api)
}

/// format: token streams → formatted files, plus the askama-rendered README of the module.
pub fn format(
    api: &ir::Api,
    tokens: Vec<(&'static str, TokenStream)>,
    header: &str,
) -> Result<Vec<GeneratedFile>, Error> {
    let dir = PathBuf::from(&api.module);
    let mut files = Vec::with_capacity(tokens.len() + 1);
    for (name, tokens) in tokens {
        files.push(GeneratedFile {
            path: dir.join(name),
            contents: format::rust_file(tokens, header, name)?,
        });
    }
    let readme = templates::version_readme(api, header)
        .map_err(|e| Error::new(ErrorKind::Invalid, "", format!("rendering README.md: {e}")))?;
    files.push(GeneratedFile {
        path: dir.join("README.md"),
        contents: readme,
    });
    Ok(files)
}

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
fn suffix_last_literal(path: &str, suffix: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = include_str!("../../spec/v1.0/presence.yaml");

    #[test]
    fn one_copy_generates_what_the_fragment_generates() {
        let single = replicate(SPEC, 1).unwrap();
        let a = lower(&load("a", SPEC).unwrap(), "v1_0").unwrap();
        let b = lower(&load("a", &single).unwrap(), "v1_0").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn copies_multiply_operations_and_types() {
        let base = lower(&load("a", SPEC).unwrap(), "v1_0").unwrap();
        let tripled = lower(&load("a", &replicate(SPEC, 3).unwrap()).unwrap(), "v1_0").unwrap();
        assert_eq!(tripled.operations.len(), 3 * base.operations.len());
        assert_eq!(tripled.types.len(), 3 * base.types.len());
        assert!(tripled.nodes.len() > base.nodes.len());
        let names: Vec<&str> = tripled
            .operations
            .iter()
            .map(|o| o.method_name.as_str())
            .collect();
        assert!(names.contains(&"set_presence_c3"), "{names:?}");
    }

    #[test]
    fn staged_pipeline_matches_generate() {
        let api = lower(&load("spec/v1.0/presence.yaml", SPEC).unwrap(), "v1_0").unwrap();
        let staged = format(&api, emit(&api), &header("spec/v1.0/presence.yaml")).unwrap();
        let whole = crate::Generator::new()
            .spec("v1_0", "spec/v1.0/presence.yaml", SPEC)
            .generate()
            .unwrap();
        assert_eq!(staged, whole);
    }

    #[test]
    fn suffix_goes_on_the_last_literal_segment() {
        assert_eq!(
            suffix_last_literal("/communications/presences/{presence-id}", "C2"),
            "/communications/presencesC2/{presence-id}"
        );
        assert_eq!(suffix_last_literal("/me/presence", "C2"), "/me/presenceC2");
    }
}
