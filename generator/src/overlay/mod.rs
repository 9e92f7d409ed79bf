//! overlay: applies an OpenAPI Overlay 1.0.0 or 1.1.x document to an OpenAPI document.
//!
//! An overlay is a list of actions, each with a JSONPath `target` (RFC 9535, evaluated by
//! `serde_json_path`) and either an `update` to merge into every matched node or `remove: true`
//! to delete every matched node; Overlay 1.1 adds `copy`, a JSONPath selecting one node of the
//! document whose value is merged as an update would be, and lets an update replace a
//! primitive target. Actions run in order, each on the result of the previous one.
//!
//! The project keeps every correction it makes to Microsoft's published documents in one overlay
//! per API version, so the overlay must stay honest as upstream improves: an action whose update
//! changes nothing is reported [`Stale`] ("upstream now says the same: delete this action").
//!
//! Split by job: [`parse`] reads and validates the overlay (with each action's line),
//! [`apply`] finds targets and merges or removes, [`report`] words the stale list.

mod apply;
mod merge;
mod parse;
mod report;

pub use apply::apply;
pub use parse::{Action, Change, Overlay};
pub use report::Stale;

/// File name of a version's overlay, beside its fragment (`spec/<version>/overlay.yaml`).
pub const OVERLAY_FILE: &str = "overlay.yaml";

/// Whether `path` is a version's overlay rather than its OpenAPI fragment.
pub fn is_overlay_file(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|name| name == OVERLAY_FILE)
}
