//! The unit of output: one file's path and text, made in memory and written by [`crate::write`].

use std::path::PathBuf;

/// One output file, relative to the directory its output goes to (the generated crate's
/// `src/` for client files, the command line's `src/generated/` for command files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

impl GeneratedFile {
    pub fn new(path: impl Into<PathBuf>, contents: impl Into<String>) -> Self {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }
}
