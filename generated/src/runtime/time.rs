//! Date, time and duration types of the generated models, from `jiff`.
//!
//! `jiff` parses and prints RFC 3339 instants and ISO 8601 durations (`PT1H`) itself, so no
//! format is hand-rolled here.

/// An instant (`format: date-time`), sent as RFC 3339 (`2026-11-23T04:45:00Z`).
pub type DateTime = jiff::Timestamp;

/// A calendar date (`format: date`), sent as `2026-11-23`.
pub type Date = jiff::civil::Date;

/// A length of time (`format: duration`), sent as ISO 8601 (`PT1H`, `PT5M`).
pub type Duration = jiff::SignedDuration;
