//! Checks a selection against the sources before slicing: a pattern that matches nothing is
//! almost always a typo (`/user/...` for `/users/...`), so it is an error; an include whose every
//! operation the excludes remove is legal but surprising, so it is a warning.

use super::selection::{Rule, Selection};
use crate::error::Error;
use crate::warning::Warning;

/// A path of a source and the operations (methods, lower case) its item has.
pub(super) type SourcePath = (String, Vec<String>);

/// Errors for patterns matching nothing in `paths`; warnings for emptied includes.
pub(super) fn check(
    selection: &Selection,
    paths: &[SourcePath],
    source_names: &str,
) -> Result<Vec<Warning>, Error> {
    for rule in selection.include.iter().chain(&selection.exclude) {
        if !paths
            .iter()
            .any(|(path, methods)| hits(rule, path, methods))
        {
            return Err(located(
                rule,
                format!(
                    "`{}` matches no path in {source_names}; check the spelling against the source's paths",
                    rule.pattern.text
                ),
            ));
        }
    }
    let mut warnings = Vec::new();
    for include in &selection.include {
        let mut matched = false;
        let mut removed_by: Option<&Rule> = None;
        let mut survives = false;
        for (path, methods) in paths {
            if !include.pattern.matches(path) {
                continue;
            }
            let operations: Vec<&str> = if methods.is_empty() {
                vec![""]
            } else {
                methods.iter().map(String::as_str).collect()
            };
            for method in operations.into_iter().filter(|m| covers(include, m)) {
                matched = true;
                match selection
                    .exclude
                    .iter()
                    .find(|e| e.pattern.matches(path) && covers(e, method))
                {
                    Some(exclude) => removed_by = removed_by.or(Some(exclude)),
                    None => survives = true,
                }
            }
        }
        if let (true, false, Some(exclude)) = (matched, survives, removed_by) {
            warnings.push(Warning {
                location: include.location.clone(),
                message: format!(
                    "the excludes remove every operation `{}` matches (`{}` among them), so it keeps nothing",
                    include.pattern.text, exclude.pattern.text
                ),
                also_at: Some(exclude.location.clone()),
            });
        }
    }
    Ok(warnings)
}

/// Whether `rule` matches `path` and one of its operations (or the path, if it has none).
fn hits(rule: &Rule, path: &str, methods: &[String]) -> bool {
    rule.pattern.matches(path)
        && (methods.is_empty() || methods.iter().any(|m| rule.pattern.covers_method(m)))
}

/// A method filter applies to operations only; an item with none is matched by path alone.
fn covers(rule: &Rule, method: &str) -> bool {
    method.is_empty() || rule.pattern.covers_method(method)
}

fn located(rule: &Rule, message: String) -> Error {
    Error::invalid(rule.location.pointer.clone(), message)
        .with_file(rule.location.file.clone())
        .at(rule.location.line, rule.location.column)
}
