//! The one place that knows which YAML library is used.
//!
//! `serde_yaml` is unmaintained (0.9.34+deprecated) but is the project's named parser; keeping it
//! behind this function makes a swap to a maintained drop-in (`serde_norway`, `yaml_serde`) a
//! one-line change.

use serde::de::DeserializeOwned;

/// A YAML parse failure, with the 1-based position the parser reported.
#[derive(Debug)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
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
pub fn from_value<T: DeserializeOwned>(value: &serde_yaml::Value) -> Result<T, serde_yaml::Error> {
    T::deserialize(value)
}
