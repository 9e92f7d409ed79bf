//! Reading a notification body into the generated `changeNotificationCollection`, leniently
//! where Graph is known to be loose (R17): a `subscriptionExpirationDateTime` without an offset
//! (BLOG-2024 shows one) is read as UTC instead of failing the whole delivery.

use jiff::Timestamp;
use jiff::civil::DateTime;
use msgraph_presence::v1_0::models::ChangeNotificationCollection;
use serde_json::Value;

/// Parses a notification body; the error says what and where (serde's path and position).
pub(crate) fn parse(body: &[u8]) -> Result<ChangeNotificationCollection, serde_json::Error> {
    let mut value: Value = serde_json::from_slice(body)?;
    if let Some(items) = value.get_mut("value").and_then(Value::as_array_mut) {
        for item in items {
            if let Some(field) = item.get_mut("subscriptionExpirationDateTime") {
                assume_utc(field);
            }
        }
    }
    serde_json::from_value(value)
}

/// Rewrites a timestamp that has no offset as the same time in UTC; leaves anything else.
fn assume_utc(field: &mut Value) {
    let Some(text) = field.as_str() else {
        return;
    };
    if text.parse::<Timestamp>().is_ok() {
        return;
    }
    if let Ok(civil) = text.parse::<DateTime>()
        && let Ok(utc) = civil.to_zoned(jiff::tz::TimeZone::UTC)
    {
        *field = Value::String(utc.timestamp().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expiry_without_offset_is_read_as_utc() {
        let body = br#"{"value":[{"subscriptionId":"s1","subscriptionExpirationDateTime":"2026-03-02T10:55:00.0000000"}]}"#;
        let parsed = parse(body).unwrap();
        let expiry = parsed.value[0].subscription_expiration_date_time.unwrap();
        assert_eq!(expiry, "2026-03-02T10:55:00Z".parse::<Timestamp>().unwrap());
    }

    #[test]
    fn an_expiry_with_offset_is_kept() {
        let body = br#"{"value":[{"subscriptionId":"s1","subscriptionExpirationDateTime":"2026-03-02T10:55:00.0000000-01:00"}]}"#;
        let parsed = parse(body).unwrap();
        let expiry = parsed.value[0].subscription_expiration_date_time.unwrap();
        assert_eq!(expiry, "2026-03-02T11:55:00Z".parse::<Timestamp>().unwrap());
    }

    #[test]
    fn garbage_still_fails_and_names_the_field() {
        let body =
            br#"{"value":[{"subscriptionId":"s1","subscriptionExpirationDateTime":"soon"}]}"#;
        assert!(parse(body).is_err());
        let missing = br#"{"value":[{"tenantId":"t"}]}"#;
        let error = parse(missing).unwrap_err().to_string();
        assert!(error.contains("subscriptionId"), "{error}");
        assert!(parse(b"[1,2]").is_err());
        assert!(parse(b"{").is_err());
    }
}
