//! Warnings: problems in a spec that generation worked around, located like errors.

use crate::error::Location;
use std::fmt;

/// A problem the generator worked around (generation went on), with where it is in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Where the problem is.
    pub location: Location,
    /// What is wrong and what the generator did about it.
    pub message: String,
    /// A second place involved, e.g. the first use of a reused operationId.
    pub also_at: Option<Location>,
}

impl Warning {
    /// Locates an IR warning in the document `file`, indexed by `locator`.
    pub(crate) fn locate(
        warning: &crate::ir::Warning,
        file: &str,
        locator: &crate::locate::Locator<'_>,
    ) -> Self {
        let at = |pointer: &str| {
            let position = locator.position(pointer);
            Location {
                file: file.to_owned(),
                line: position.map(|(line, _)| line),
                column: position.map(|(_, column)| column),
                pointer: pointer.to_owned(),
            }
        };
        Warning {
            location: at(&warning.pointer),
            message: warning.message.clone(),
            also_at: warning.also_at.as_deref().map(at),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.location, self.message)?;
        if let Some(also) = &self.also_at {
            write!(f, "; see {also}")?;
        }
        Ok(())
    }
}
