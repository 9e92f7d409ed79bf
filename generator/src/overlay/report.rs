//! What applying an overlay has to say besides errors: the actions that became redundant.

use std::fmt;

/// An update action that changed nothing: the document already says what it adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stale {
    /// The overlay file.
    pub overlay: String,
    /// 0-based index of the action.
    pub index: usize,
    /// 1-based line of the action, when known.
    pub line: Option<usize>,
    /// The action's target.
    pub target: String,
}

impl fmt::Display for Stale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.overlay)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(
            f,
            ": stale: action {} (target `{}`) changes nothing; upstream now says the same: delete this action",
            self.index, self.target
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn says_where_and_what_to_do() {
        let stale = Stale {
            overlay: "spec/v1.0/overlay.yaml".into(),
            index: 3,
            line: Some(40),
            target: "$.info".into(),
        };
        assert_eq!(
            stale.to_string(),
            "spec/v1.0/overlay.yaml:40: stale: action 3 (target `$.info`) changes nothing; upstream now says the same: delete this action"
        );
    }
}
