//! The generator's error: what went wrong and exactly where, in one readable line.

use std::fmt;

/// Where in a source document a problem sits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The file name as given to the generator.
    pub file: String,
    /// 1-based line, when it could be found.
    pub line: Option<usize>,
    /// 1-based column, when the YAML parser reported one.
    pub column: Option<usize>,
    /// JSON pointer of the offending node (RFC 6901), `""` for the whole document.
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.pointer.is_empty() {
            write!(f, " (at {})", self.pointer)?;
        }
        Ok(())
    }
}

/// What kind of problem an [`Error`] reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file is not valid YAML, or not an OpenAPI 3.0 document.
    Syntax,
    /// The document is OpenAPI but breaks a rule the generator relies on.
    Invalid,
    /// The document uses a construct the generator does not support.
    Unsupported,
    /// Reading or writing a file failed.
    Io,
    /// `--check` found generated files that differ from what the generator would write.
    Stale,
    /// A [`Generator`](crate::Generator) setting is unusable (e.g. the runtime crate's path).
    Setting,
}

impl ErrorKind {
    fn label(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Invalid => "invalid spec",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Io => "i/o error",
            ErrorKind::Stale => "stale output",
            ErrorKind::Setting => "invalid setting",
        }
    }
}

/// An error of the generator, with the location it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub location: Location,
    pub message: String,
}

impl Error {
    pub fn new(kind: ErrorKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            kind,
            location: Location {
                pointer: pointer.into(),
                ..Location::default()
            },
            message: message.into(),
        }
    }

    pub fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Invalid, pointer, message)
    }

    pub fn unsupported(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unsupported, pointer, message)
    }

    pub fn io(path: impl Into<String>, err: &std::io::Error) -> Self {
        Error {
            kind: ErrorKind::Io,
            location: Location {
                file: path.into(),
                ..Location::default()
            },
            message: err.to_string(),
        }
    }

    /// Attaches the file name, and the line of the pointer found in `source`.
    pub fn in_file(mut self, file: &str, source: &str) -> Self {
        self.location.file = file.to_owned();
        if self.location.line.is_none() {
            let position = crate::locate::position_of_pointer(source, &self.location.pointer);
            self.location.line = position.map(|(line, _)| line);
            self.location.column = position.map(|(_, column)| column);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location,
            self.kind.label(),
            self.message
        )
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_join(base: &str, token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    format!("{base}/{escaped}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(
            pointer_join("/paths", "/users/{id}"),
            "/paths/~1users~1{id}"
        );
        assert_eq!(pointer_join("", "a~b"), "/a~0b");
    }

    #[test]
    fn display_names_file_line_column_and_pointer() {
        let mut e = Error::invalid("/paths/~1me", "bad");
        e.location.file = "spec.yaml".into();
        e.location.line = Some(3);
        e.location.column = Some(5);
        assert_eq!(
            e.to_string(),
            "spec.yaml:3:5 (at /paths/~1me): invalid spec: bad"
        );
    }
}
