//! The selection: which paths and operations of the sources a slice keeps, written down as data
//! (`spec/<version>/slice.yaml`, or patterns given on a command line or in a build script).
//!
//! ```yaml
//! sources: [v1.0-CloudCommunications.yml, v1.0-ChangeNotifications.yml]
//! include:
//!   - /users/{x}/presence/**
//!   - /subscriptions/**#GET,POST
//! exclude:
//!   - /communications/presences/$count
//! order: [me, users, communications]
//! ```
//!
//! An operation is kept when an include pattern matches its path and method and no exclude
//! does. `order` ranks paths by their first segment (others come after, by name); the generator
//! lists an action's bindings in document order, so this decides which binding comes first.
//! The pattern syntax is in [`super::pattern`].

use super::pattern::Pattern;
use crate::error::{Error, Location};
use crate::yaml::{self, Mapping, Value};

/// File name of a version's selection, beside its fragment (`spec/<version>/slice.yaml`).
pub const SELECTION_FILE: &str = "slice.yaml";

/// Whether `path` is a version's selection rather than its OpenAPI fragment.
pub fn is_selection_file(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|name| name == SELECTION_FILE)
}

/// Which paths and operations a slice keeps.
#[derive(Debug, Clone)]
pub struct Selection {
    /// Where the selection came from, for messages (a file name, or `--include`).
    pub label: String,
    /// The source documents the selection names (file names), in order; may be empty when the
    /// caller gives the sources itself.
    pub sources: Vec<String>,
    pub(super) include: Vec<Rule>,
    pub(super) exclude: Vec<Rule>,
    /// First path segments in the order their paths come out.
    pub(super) order: Vec<String>,
}

/// One include or exclude pattern, with where it was written.
#[derive(Debug, Clone)]
pub(super) struct Rule {
    pub(super) pattern: Pattern,
    pub(super) location: Location,
}

impl Selection {
    /// A selection of `include` patterns minus `exclude` patterns, labelled `label` in messages
    /// (e.g. `--include`). A malformed pattern is an error naming it.
    pub fn from_patterns<I, E>(label: &str, include: I, exclude: E) -> Result<Selection, Error>
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
        E: IntoIterator,
        E::Item: AsRef<str>,
    {
        let include: Vec<String> = include.into_iter().map(|p| p.as_ref().to_owned()).collect();
        let exclude: Vec<String> = exclude.into_iter().map(|p| p.as_ref().to_owned()).collect();
        if include.is_empty() {
            return Err(Error::setting(
                label,
                "no include pattern: give at least one (`/**` keeps every path)",
            ));
        }
        Selection {
            label: label.to_owned(),
            sources: Vec::new(),
            include: Vec::new(),
            exclude: Vec::new(),
            order: Vec::new(),
        }
        .include(&as_strs(&include))?
        .exclude(&as_strs(&exclude))
    }

    /// Every path and operation of the sources.
    pub fn everything(label: &str) -> Selection {
        Selection::from_patterns(label, ["/**"], [] as [&str; 0]).expect("`/**` is a valid pattern")
    }

    /// Reads a selection file; errors name `label` and the line.
    pub fn parse(label: &str, text: &str) -> Result<Selection, Error> {
        let located = |e: Error| e.in_file(label, text);
        let value: Value =
            yaml::from_str(text).map_err(|e| e.located(label, text, "not valid YAML"))?;
        let Value::Mapping(map) = value else {
            return Err(located(Error::invalid(
                "",
                "a selection is a mapping with `include` (and optionally `sources`, `exclude`, `order`)",
            )));
        };
        for key in map.keys() {
            let name = key.as_str().unwrap_or_default();
            if !matches!(name, "sources" | "include" | "exclude" | "order") {
                return Err(located(Error::invalid(
                    crate::error::pointer_join("", name),
                    format!(
                        "unknown key `{name}`; a selection has `sources`, `include`, `exclude` and `order`"
                    ),
                )));
            }
        }
        let strings = |name: &str| strings(&map, name).map_err(located);
        let rules = |name: &str| -> Result<Vec<Rule>, Error> {
            strings(name)?
                .into_iter()
                .enumerate()
                .map(|(index, pattern)| {
                    let pointer = format!("/{name}/{index}");
                    let position = crate::locate::position_of_pointer(text, &pointer);
                    let location = Location {
                        file: label.to_owned(),
                        line: position.map(|(line, _)| line),
                        column: position.map(|(_, column)| column),
                        pointer,
                    };
                    rule(&pattern, location)
                })
                .collect()
        };
        let include = rules("include")?;
        if include.is_empty() {
            return Err(located(Error::invalid(
                "/include",
                "no include pattern: list at least one (`/**` keeps every path)",
            )));
        }
        Ok(Selection {
            label: label.to_owned(),
            sources: strings("sources")?,
            include,
            exclude: rules("exclude")?,
            order: strings("order")?,
        })
    }

    /// Adds include patterns.
    pub fn include(mut self, patterns: &[&str]) -> Result<Selection, Error> {
        let added = self.rules("include", self.include.len(), patterns)?;
        self.include.extend(added);
        Ok(self)
    }

    /// Adds exclude patterns.
    pub fn exclude(mut self, patterns: &[&str]) -> Result<Selection, Error> {
        let added = self.rules("exclude", self.exclude.len(), patterns)?;
        self.exclude.extend(added);
        Ok(self)
    }

    /// Rules for `patterns` appended to the `kind` list at `start` (no line: not from a file).
    fn rules(&self, kind: &str, start: usize, patterns: &[&str]) -> Result<Vec<Rule>, Error> {
        patterns
            .iter()
            .enumerate()
            .map(|(offset, text)| rule(text, self.location(format!("/{kind}/{}", start + offset))))
            .collect()
    }

    /// Sets the first-segment order of the output's paths.
    pub fn order(mut self, first_segments: &[&str]) -> Selection {
        self.order = first_segments.iter().map(|s| (*s).to_owned()).collect();
        self
    }

    fn location(&self, pointer: String) -> Location {
        Location {
            file: self.label.clone(),
            line: None,
            column: None,
            pointer,
        }
    }

    /// The methods of `path` the selection keeps, out of `methods` (the operations its item
    /// has). A path item with no operations is kept whole when a pattern keeps its path.
    pub(super) fn kept_methods<'m>(&self, path: &str, methods: &[&'m str]) -> Option<Vec<&'m str>> {
        if methods.is_empty() {
            let keeps = |rules: &[Rule]| rules.iter().any(|r| r.pattern.matches(path));
            return (keeps(&self.include) && !keeps(&self.exclude)).then(Vec::new);
        }
        let kept: Vec<&str> = methods
            .iter()
            .copied()
            .filter(|m| covers(&self.include, path, m) && !covers(&self.exclude, path, m))
            .collect();
        (!kept.is_empty()).then_some(kept)
    }

    /// The rank of `path` in the output: the position of its first segment in `order`.
    pub(super) fn rank(&self, path: &str) -> usize {
        let first = path.split('/').nth(1).unwrap_or_default();
        self.order
            .iter()
            .position(|s| s == first)
            .unwrap_or(self.order.len())
    }
}

fn as_strs(strings: &[String]) -> Vec<&str> {
    strings.iter().map(String::as_str).collect()
}

fn covers(rules: &[Rule], path: &str, method: &str) -> bool {
    rules
        .iter()
        .any(|r| r.pattern.matches(path) && r.pattern.covers_method(method))
}

fn rule(text: &str, location: Location) -> Result<Rule, Error> {
    let pattern = Pattern::parse(text).map_err(|message| {
        Error::invalid(location.pointer.clone(), message)
            .with_file(location.file.clone())
            .at(location.line, location.column)
    })?;
    Ok(Rule { pattern, location })
}

/// The list of strings under `name` (absent: empty).
fn strings(map: &Mapping, name: &str) -> Result<Vec<String>, Error> {
    let Some(value) = map.get(name) else {
        return Ok(Vec::new());
    };
    let Value::Sequence(items) = value else {
        return Err(Error::invalid(
            format!("/{name}"),
            format!("`{name}` is a list of strings"),
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            item.as_str().map(str::to_owned).ok_or_else(|| {
                Error::invalid(
                    format!("/{name}/{index}"),
                    format!("`{name}` is a list of strings; this item is not a string"),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "sources: [a.yml]\ninclude:\n  - /users/{x}/presence/**\n  - /subscriptions/**#GET,POST\nexclude:\n  - /users/{x}/presence/setPresence\norder: [me, users]\n";

    #[test]
    fn a_file_reads_with_positions() {
        let selection = Selection::parse("slice.yaml", FILE).unwrap();
        assert_eq!(selection.sources, ["a.yml"]);
        assert_eq!(selection.include.len(), 2);
        assert_eq!(selection.include[1].location.line, Some(4));
        assert_eq!(selection.exclude[0].location.line, Some(6));
        assert_eq!(selection.rank("/users/{id}"), 1);
        assert_eq!(selection.rank("/communications"), 2);
    }

    #[test]
    fn methods_and_excludes_decide_operations() {
        let selection = Selection::parse("slice.yaml", FILE).unwrap();
        assert_eq!(
            selection.kept_methods("/subscriptions/{id}", &["get", "patch", "delete"]),
            Some(vec!["get"])
        );
        assert_eq!(
            selection.kept_methods("/users/{user-id}/presence/setPresence", &["post"]),
            None
        );
        assert_eq!(
            selection.kept_methods("/users/{user-id}/presence", &["get", "patch"]),
            Some(vec!["get", "patch"])
        );
        assert_eq!(selection.kept_methods("/me/presence", &["get"]), None);
        // An item without operations follows its path.
        assert_eq!(
            selection.kept_methods("/users/{user-id}/presence", &[]),
            Some(vec![])
        );
    }

    #[test]
    fn bad_files_say_what_and_where() {
        let err = Selection::parse("slice.yaml", "include:\n  - /ok\n  - users/**\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "slice.yaml:3:3 (at /include/1): invalid spec: `users/**` must start with `/`"
        );
        let err = Selection::parse("slice.yaml", "includes: [/a]\n").unwrap_err();
        assert!(err.to_string().contains("unknown key `includes`"), "{err}");
        assert!(err.to_string().starts_with("slice.yaml:1"), "{err}");
        let err = Selection::parse("slice.yaml", "include: []\n").unwrap_err();
        assert!(err.to_string().contains("no include pattern"), "{err}");
        let err = Selection::parse("slice.yaml", "include: /a\n").unwrap_err();
        assert!(err.to_string().contains("a list of strings"), "{err}");
        let err = Selection::parse("slice.yaml", "include: [\n").unwrap_err();
        assert!(err.to_string().contains("not valid YAML"), "{err}");
        assert!(Selection::from_patterns("--include", [] as [&str; 0], ["/a"]).is_err());
    }
}
