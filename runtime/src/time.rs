//! Date, time and duration types of the generated models, from `jiff`.
//!
//! `jiff` parses and prints RFC 3339 instants and ISO 8601 durations itself, so no format is
//! hand-rolled here.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// An instant (`format: date-time`), sent as RFC 3339 (`2026-11-23T04:45:00Z`).
pub type DateTime = jiff::Timestamp;

/// A calendar date (`format: date`), sent as `2026-11-23`.
pub type Date = jiff::civil::Date;

/// A length of time (`format: duration`), sent as ISO 8601 (`PT1H`, `PT5M`).
///
/// Reading accepts day units too (`P1D`, `P7D`), counting a day as 24 hours, because Graph
/// documents its defaults in days; writing always uses hours, minutes and seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub jiff::SignedDuration);

impl Duration {
    /// A duration of whole seconds.
    pub const fn from_secs(secs: i64) -> Self {
        Duration(jiff::SignedDuration::from_secs(secs))
    }

    /// A duration of whole minutes.
    pub const fn from_mins(mins: i64) -> Self {
        Duration(jiff::SignedDuration::from_mins(mins))
    }

    /// A duration of whole hours.
    pub const fn from_hours(hours: i64) -> Self {
        Duration(jiff::SignedDuration::from_hours(hours))
    }

    /// Whole days of 24 hours.
    pub const fn from_days(days: i64) -> Self {
        Duration(jiff::SignedDuration::from_hours(days * 24))
    }

    /// The length as a `jiff::SignedDuration`.
    pub const fn as_signed(self) -> jiff::SignedDuration {
        self.0
    }
}

impl From<jiff::SignedDuration> for Duration {
    fn from(d: jiff::SignedDuration) -> Self {
        Duration(d)
    }
}

impl TryFrom<std::time::Duration> for Duration {
    type Error = jiff::Error;
    fn try_from(d: std::time::Duration) -> Result<Self, Self::Error> {
        jiff::SignedDuration::try_from(d).map(Duration)
    }
}

impl fmt::Display for Duration {
    /// ISO 8601, e.g. `PT1H`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Duration {
    type Err = jiff::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(d) = jiff::SignedDuration::from_str(s) {
            return Ok(Duration(d));
        }
        let span = jiff::Span::from_str(s)?;
        span.to_duration(jiff::SpanRelativeTo::days_are_24_hours())
            .map(Duration)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Duration::from_str(&text).map_err(serde::de::Error::custom)
    }
}

impl super::ParamValue for Duration {
    fn param_value(&self) -> String {
        self.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::Duration;

    #[test]
    fn writes_iso_8601_and_reads_days() {
        assert_eq!(
            serde_json::to_string(&Duration::from_hours(1)).unwrap(),
            "\"PT1H\""
        );
        assert_eq!(
            serde_json::to_string(&Duration::from_mins(5)).unwrap(),
            "\"PT5M\""
        );
        let d: Duration = serde_json::from_str("\"P1D\"").unwrap();
        assert_eq!(d, Duration::from_hours(24));
        let d: Duration = serde_json::from_str("\"P7DT1H\"").unwrap();
        assert_eq!(d, Duration::from_hours(169));
        assert!(serde_json::from_str::<Duration>("\"soon\"").is_err());
    }
}
