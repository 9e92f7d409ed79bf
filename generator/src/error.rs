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
    /// The generator broke one of its own rules (emitted code that does not parse, a template
    /// that does not render): a bug in the generator, not in the document.
    Internal,
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
            ErrorKind::Internal => "internal error (a generator bug, please report it)",
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

    /// The text is not YAML (or not the OpenAPI shape the parser expects).
    pub fn syntax(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Syntax, "", message)
    }

    /// A setting of the generator or of a build is unusable; `setting` names it in the
    /// location (`Generator::runtime_crate`).
    pub fn setting(setting: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Setting, "", message).with_file(setting)
    }

    /// A bug in the generator: what it produced broke its own rules.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, "", message)
    }

    pub fn io(path: impl Into<String>, err: &std::io::Error) -> Self {
        Error::new(ErrorKind::Io, "", err.to_string()).with_file(path)
    }

    /// Names the file the error is about, leaving line and pointer as they are.
    pub fn with_file(mut self, file: impl Into<String>) -> Self {
        self.location.file = file.into();
        self
    }

    /// Sets the 1-based line (and column, when known) the error is about.
    pub fn at(mut self, line: Option<usize>, column: Option<usize>) -> Self {
        self.location.line = line;
        self.location.column = column;
        self
    }

    /// Sets the JSON pointer of the offending node.
    pub fn with_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.location.pointer = pointer.into();
        self
    }

    /// Attaches the file name, and the line of the pointer found in `source`.
    pub fn in_file(self, file: &str, source: &str) -> Self {
        let located = self.with_file(file);
        if located.location.line.is_some() {
            return located;
        }
        let position = crate::locate::position_of_pointer(source, &located.location.pointer);
        located.at(
            position.map(|(line, _)| line),
            position.map(|(_, column)| column),
        )
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
    fn in_file_keeps_a_line_already_known() {
        let source = "a: 1\nb: 2\n";
        let found = Error::invalid("/b", "bad").in_file("f.yaml", source);
        assert_eq!(found.location.line, Some(2));
        let kept = Error::invalid("/b", "bad")
            .at(Some(7), None)
            .in_file("f.yaml", source);
        assert_eq!(kept.location.line, Some(7));
        assert_eq!(kept.location.file, "f.yaml");
    }

    #[test]
    fn internal_errors_say_they_are_bugs() {
        let e = Error::internal("emitted code does not parse").with_file("v1_0/client.rs");
        assert_eq!(
            e.to_string(),
            "v1_0/client.rs: internal error (a generator bug, please report it): emitted code does not parse"
        );
    }

    #[test]
    fn display_names_file_line_column_and_pointer() {
        let e = Error::invalid("/paths/~1me", "bad")
            .with_file("spec.yaml")
            .at(Some(3), Some(5));
        assert_eq!(
            e.to_string(),
            "spec.yaml:3:5 (at /paths/~1me): invalid spec: bad"
        );
    }
}
