//! Reading a notification body into the generated `changeNotificationCollection`, leniently
//! where Graph is known to be loose (R17): a `subscriptionExpirationDateTime` without an offset
//! (BLOG-2024 shows one) is read as UTC instead of failing the whole delivery.

use jiff::Timestamp;
use jiff::civil::DateTime;
use msgraph_presence::v1_0::models::ChangeNotificationCollection;
use serde_json::Value;

/// Parses a notification body; the error says what and where (serde's path and position).
pub(crate) fn parse(body: &[u8]) -> Result<ChangeNotificationCollection, serde_json::Error> {
    serde_json::from_value(normalise(serde_json::from_slice(body)?))
}

/// Applies the R17 leniency to every item of an envelope.
fn normalise(mut value: Value) -> Value {
    if let Some(items) = value.get_mut("value").and_then(Value::as_array_mut) {
        for item in items {
            if let Some(field) = item.get_mut("subscriptionExpirationDateTime") {
                assume_utc(field);
            }
        }
    }
    value
}

/// A batch decoded item by item (issue 22 item 3): one bad item must not cost the good ones.
pub(crate) struct Batch {
    /// The items that decoded, in order.
    pub(crate) collection: ChangeNotificationCollection,
    /// How many items did not decode.
    pub(crate) malformed: u64,
}

/// Parses an envelope leniently: only a body that is not JSON, or has no `value` array, is an
/// error; each item that does not decode is counted instead of failing the batch.
pub(crate) fn parse_batch(body: &[u8]) -> Result<Batch, serde_json::Error> {
    let mut value = normalise(serde_json::from_slice(body)?);
    let Some(items) = value.get_mut("value").and_then(Value::as_array_mut) else {
        // Let serde name the problem (not an object, or `value` missing / not an array).
        return parse(body).map(|collection| Batch {
            collection,
            malformed: 0,
        });
    };
    let items = std::mem::take(items);
    let total = items.len();
    let mut good = Vec::with_capacity(total);
    for item in items {
        if let Ok(decoded) = serde_json::from_value(item) {
            good.push(decoded);
        }
    }
    let malformed = (total - good.len()) as u64;
    let mut collection: ChangeNotificationCollection = serde_json::from_value(value)?;
    collection.value = good;
    Ok(Batch {
        collection,
        malformed,
    })
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

    #[test]
    fn a_bad_item_does_not_sink_the_batch() {
        let body =
            br#"{"value":[{"subscriptionId":"s1"},{"subscriptionId":7},{"subscriptionId":"s3"}]}"#;
        let batch = parse_batch(body).unwrap();
        assert_eq!(batch.malformed, 1);
        let ids: Vec<_> = batch
            .collection
            .value
            .iter()
            .map(|n| n.subscription_id.clone())
            .collect();
        assert_eq!(ids, ["s1", "s3"]);
        assert!(parse_batch(b"[1,2]").is_err());
        assert!(parse_batch(br#"{"value":3}"#).is_err());
        assert!(parse_batch(b"{").is_err());
    }
}
