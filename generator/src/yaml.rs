//! The one place that knows which YAML library is used.
//!
//! `serde_yaml` is unmaintained (0.9.34+deprecated) but is the project's named parser; keeping it
//! behind this function makes a swap to a maintained drop-in (`serde_norway`, `yaml_serde`) a
//! one-line change.

use crate::error::Error;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A parsed YAML document tree (what overlays, slicing and the checks of `load` walk).
pub use serde_yaml::{Mapping, Value};

/// A YAML parse failure, with the 1-based position the parser reported.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl YamlError {
    /// The generator's error for this failure of parsing `source`, located in `file`:
    /// `context` says what was being read (`"not valid YAML"`, `"the overlay is not valid
    /// YAML"`). Every YAML failure of the generator becomes an error here.
    pub fn located(self, file: &str, source: &str, context: &str) -> Error {
        Error::syntax(format!("{context}: {}", self.explained(source)))
            .with_file(file)
            .at(self.line, self.column)
    }

    /// The parser's message, with a hint where libyaml's wording hides the cause.
    fn explained(&self, source: &str) -> String {
        if self.message.contains("recursion limit exceeded") {
            return "nested too deeply (the YAML parser stops at 128 levels)".to_owned();
        }
        if self.message.contains("repetition limit exceeded") {
            return "aliases expand to too many nodes (an alias bomb?)".to_owned();
        }
        let line = self
            .line
            .and_then(|l| source.lines().nth(l.saturating_sub(1)));
        let line_len = line.map_or(0, str::len);
        if self.message.contains("cannot start any token")
            && line.is_some_and(|l| l.starts_with('\t'))
        {
            return format!(
                "{} (YAML indentation must use spaces, not tabs)",
                self.message
            );
        }
        if self.message.contains("mapping values are not allowed") && line_len > 1024 {
            return format!(
                "{} (a plain YAML key is limited to 1024 characters; this line has {line_len})",
                self.message
            );
        }
        self.message.clone()
    }
}

/// Deserializes a YAML (or JSON, which is YAML) document.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| {
        let location = e.location();
        // serde_yaml appends " at line L column C" to the message; the position is reported
        // separately, so drop it from the text.
        let mut message = e.to_string();
        if let Some(pos) = message.find(" at line ") {
            message.truncate(pos);
        }
        YamlError {
            message,
            line: location.as_ref().map(|l| l.line()),
            column: location.as_ref().map(|l| l.column()),
        }
    })
}

/// Deserializes an already parsed document tree, without scanning the text again.
///
/// Values carry no positions, so a failure here says only what is wrong; callers that need the
/// line parse the text with [`from_str`] on that (rare) path.
pub fn from_value<T: DeserializeOwned>(value: &Value) -> Result<T, String> {
    T::deserialize(value).map_err(|e| e.to_string())
}

/// Serializes a value (a document tree after an overlay or a slice) back to YAML text.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parse_failure_is_located_once() {
        let err = from_str::<Value>("a: [1, 2\n").unwrap_err();
        assert!(!err.message.contains(" at line "), "{}", err.message);
        let located = err.located("doc.yaml", "a: [1, 2\n", "not valid YAML");
        assert_eq!(located.kind, crate::ErrorKind::Syntax);
        assert_eq!(located.location.file, "doc.yaml");
        assert!(located.location.line.is_some());
        assert!(located.to_string().starts_with("doc.yaml:"), "{located}");
        assert!(located.message.starts_with("not valid YAML: "), "{located}");
    }

    #[test]
    fn a_tab_indent_gets_a_hint() {
        let source = "a:\n\tb: 1\n";
        let err = from_str::<Value>(source).unwrap_err();
        let located = err.located("doc.yaml", source, "not valid YAML");
        assert!(
            located
                .message
                .ends_with("(YAML indentation must use spaces, not tabs)"),
            "{located}"
        );
    }

    #[test]
    fn values_round_trip_through_text() {
        let value: Value = from_str("b: [1, two]\n").unwrap();
        let text = to_string(&value).unwrap();
        assert_eq!(from_str::<Value>(&text).unwrap(), value);
    }
}
