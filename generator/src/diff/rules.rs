//! The rules deciding whether a change breaks a Rust caller. One constant per rule, so the
//! report and the code cannot drift apart; [`RULES`] lists them for the report's legend.
//!
//! The yardstick is the Cargo SemVer reference applied to the generated items, plus runtime
//! behaviour where a call that worked would now fail:
//! - Removing or renaming anything, or changing a Rust type, breaks code that uses it.
//! - Generated enums are not `#[non_exhaustive]`, so a new variant
//!   breaks an exhaustive `match` without a `_` arm. Open model enums also move values that used
//!   to arrive as `Other("…")` into the new variant. Both are breaking.
//! - Generated structs have public fields and are built with struct literals, so a new field
//!   breaks construction. Callers only construct *input* types (request bodies, parameters, and
//!   what those contain); a field added to a type used only in responses is non-breaking.
//! - A field whose Rust type stays the same (`Option<T>` both ways) but whose required flag
//!   changes only changes the wire: non-breaking.
//! - Documentation-only data (permissions, error statuses, deprecation) is non-breaking.
//! - A national cloud removed from a binding makes calls there fail with `CloudUnavailable`
//!   before sending: breaking at run time.

use super::Severity::{self, Breaking, NonBreaking};

pub type Rule = (Severity, &'static str);

pub const REMOVED: Rule = (Breaking, "code naming it stops compiling");
pub const ADDED: Rule = (NonBreaking, "new item; existing code is unaffected");
pub const TYPE_CHANGED: Rule = (
    Breaking,
    "the Rust type changes, so code reading or building it stops compiling",
);
pub const SIGNATURE_CHANGED: Rule = (
    Breaking,
    "the method's parameters or return type change, so calls stop compiling",
);
pub const ENUM_VARIANT_ADDED: Rule = (
    Breaking,
    "the enum is not `#[non_exhaustive]`: an exhaustive `match` stops compiling, and the value no longer arrives as `Other(..)`",
);
pub const BINDING_ADDED: Rule = (
    NonBreaking,
    "one more builder has this method; existing calls are unaffected",
);
pub const BINDING_REMOVED: Rule = (
    Breaking,
    "the method no longer exists on that builder, so calls there stop compiling",
);
pub const INPUT_FIELD_ADDED: Rule = (
    Breaking,
    "callers build this type with a struct literal, which must now name the new field",
);
pub const OUTPUT_FIELD_ADDED: Rule = (
    NonBreaking,
    "the type only appears in responses, which callers read but do not build",
);
pub const OPTIONALITY_WIRE_ONLY: Rule = (
    NonBreaking,
    "the Rust type stays `Option<T>`; only whether the field is sent or expected changes",
);
pub const DOCS_ONLY: Rule = (
    NonBreaking,
    "documentation and metadata only; the Rust API is unchanged",
);
pub const CLOUD_REMOVED: Rule = (
    Breaking,
    "calls in that cloud now fail with `CloudUnavailable` before sending",
);
pub const CLOUD_ADDED: Rule = (NonBreaking, "calls in that cloud are now allowed");

/// Every rule with a short name, for the report's legend.
pub const RULES: &[(&str, Rule)] = &[
    ("Item removed", REMOVED),
    ("Item added", ADDED),
    ("Rust type changed", TYPE_CHANGED),
    ("Method signature changed", SIGNATURE_CHANGED),
    ("Enum variant added", ENUM_VARIANT_ADDED),
    ("Binding added to a method", BINDING_ADDED),
    ("Binding removed from a method", BINDING_REMOVED),
    ("Field added to a request type", INPUT_FIELD_ADDED),
    ("Field added to a response-only type", OUTPUT_FIELD_ADDED),
    ("Required ↔ optional, same Rust type", OPTIONALITY_WIRE_ONLY),
    ("Permissions, error statuses, deprecation", DOCS_ONLY),
    ("National cloud removed", CLOUD_REMOVED),
    ("National cloud added", CLOUD_ADDED),
];
