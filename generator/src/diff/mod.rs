//! diff: compares two versions of the generated API (two [`Api`] IRs) for review.
//!
//! Comparing the IR rather than the YAML means the report speaks of what a Rust caller sees:
//! methods and the builders leading to them, structs, fields, enum variants and their Rust types. Each change
//! is classified by [`rules`], which also explains why in one sentence.

mod compare;
mod render;
pub mod rules;

pub use render::{markdown, table};

use crate::ir::Api;

/// Whether a change can break code that compiled (or calls that worked) against the old API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Severity {
    Breaking,
    NonBreaking,
}

/// What part of the API a change touches, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Area {
    Operation,
    Builder,
    Type,
}

impl Area {
    pub fn label(self) -> &'static str {
        match self {
            Area::Operation => "operation",
            Area::Builder => "builder",
            Area::Type => "type",
        }
    }
}

/// One difference between the old and the new API.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    pub severity: Severity,
    pub area: Area,
    /// The item changed, e.g. `set_presence` or `Presence.work_location`.
    pub item: String,
    /// What changed, e.g. ``field `foo: Option<String>` added``.
    pub what: String,
    /// Why the severity is what it is, for a Rust caller.
    pub why: &'static str,
}

/// Every change from `old` to `new`, breaking first, then by area and item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    pub old_label: String,
    pub new_label: String,
    pub changes: Vec<Change>,
}

impl Report {
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::Breaking)
    }

    pub fn non_breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.severity == Severity::NonBreaking)
    }
}

/// Compares `old` with `new`; the labels name them in the report (`v1.0`, `beta`, `HEAD~3`).
pub fn diff(old_label: &str, old: &Api, new_label: &str, new: &Api) -> Report {
    let mut changes = compare::compare(old, new);
    changes.sort_by(|a, b| {
        (a.severity, a.area, &a.item, &a.what).cmp(&(b.severity, b.area, &b.item, &b.what))
    });
    changes.dedup();
    Report {
        old_label: old_label.to_owned(),
        new_label: new_label.to_owned(),
        changes,
    }
}
