//! Turns a `dateTimeTimeZone` (a local date-time without offset plus a zone name) into an
//! instant, so a status message's expiry can be compared with the emulator clock.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

/// Common Windows zone names Graph callers send (as in the docs' example, "Pacific Standard
/// Time"), mapped to their IANA zone. Other Windows names are refused with a clear message.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("UTC", "UTC"),
    ("Coordinated Universal Time", "UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("India Standard Time", "Asia/Kolkata"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
];

/// The instant `date_time` in `time_zone` denotes (a missing zone means UTC), or a message
/// saying which part is wrong.
pub(crate) fn resolve(date_time: &str, time_zone: Option<&str>) -> Result<Timestamp, String> {
    let local: DateTime = date_time.parse().map_err(|e| {
        format!(
            "expiryDateTime.dateTime '{date_time}' must be a date and time without a time zone, such as 2026-10-18T17:05:33: {e}"
        )
    })?;
    let name = time_zone
        .map(str::trim)
        .filter(|z| !z.is_empty())
        .unwrap_or("UTC");
    let iana = WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
        .map_or(name, |(_, iana)| iana);
    let zone = if iana == "UTC" {
        TimeZone::UTC
    } else {
        TimeZone::get(iana).map_err(|e| {
            format!("expiryDateTime.timeZone '{name}' is not a time zone the emulator knows: {e}")
        })?
    };
    zone.to_timestamp(local).map_err(|e| {
        format!("expiryDateTime '{date_time}' in '{name}' is not a valid instant: {e}")
    })
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn utc_and_windows_names() {
        assert_eq!(
            resolve("2026-10-18T17:05:33.2079781", Some("UTC"))
                .unwrap()
                .to_string(),
            "2026-10-18T17:05:33.2079781Z"
        );
        assert_eq!(
            resolve("2026-01-01T00:00:00", None).unwrap().to_string(),
            "2026-01-01T00:00:00Z"
        );
        assert!(resolve("2026-01-01T00:00:00Z", Some("UTC")).is_err());
        assert!(resolve("2026-01-01T00:00:00", Some("Nowhere Standard Time")).is_err());
    }
}
