//! JSON in and out: request bodies as the docs show them, and the presence resource.

use super::model::UserState;
use super::odata::ApiError;
use super::rules;
use jiff::{SignedDuration, Timestamp};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Parses a JSON body; an empty body counts as `{}` (clearUserPreferredPresence and the
/// location clears are documented with an empty or no body). Errors say where the JSON broke.
pub(crate) fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let body: &[u8] = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        ApiError::bad_request(format!(
            "Invalid request body at '{path}': {}",
            e.into_inner()
        ))
    })
}

/// A required string field, or a 400 naming it.
pub(crate) fn required<'a>(value: &'a Option<String>, field: &str) -> Result<&'a str, ApiError> {
    match value.as_deref() {
        Some(v) if !v.trim().is_empty() => Ok(v),
        _ => Err(ApiError::bad_request(format!(
            "The request body must include a non-empty '{field}'."
        ))),
    }
}

/// An optional ISO 8601 duration field (`PT1H`, `P1D`), or a 400 naming it.
pub(crate) fn duration(
    value: &Option<String>,
    field: &str,
) -> Result<Option<SignedDuration>, ApiError> {
    let Some(text) = value.as_deref() else {
        return Ok(None);
    };
    let refuse = |why: String| {
        ApiError::bad_request(format!(
            "'{field}' must be an ISO 8601 duration such as PT1H; got '{text}'{why}"
        ))
    };
    // The runtime's parser also reads jiff's friendly format ("1 hour"); Graph does not.
    let iso = text.strip_prefix('-').unwrap_or(text);
    if !iso.starts_with(['P', 'p']) {
        return Err(refuse(String::new()));
    }
    text.parse::<msgraph_presence_runtime::Duration>()
        .map(|d| Some(d.as_signed()))
        .map_err(|e| refuse(format!(": {e}")))
}

/// setPresence body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetPresenceBody {
    pub session_id: Option<String>,
    pub availability: Option<String>,
    pub activity: Option<String>,
    pub expiration_duration: Option<String>,
}

/// clearPresence body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClearPresenceBody {
    pub session_id: Option<String>,
}

/// setUserPreferredPresence body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetPreferredBody {
    pub availability: Option<String>,
    pub activity: Option<String>,
    pub expiration_duration: Option<String>,
}

/// setStatusMessage body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetStatusMessageBody {
    pub status_message: Option<StatusMessageBody>,
}

/// The `presenceStatusMessage` a caller sends.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StatusMessageBody {
    pub message: Option<ItemBody>,
    pub expiry_date_time: Option<DateTimeTimeZone>,
}

/// `itemBody`.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ItemBody {
    pub content: Option<String>,
    pub content_type: Option<String>,
}

/// `dateTimeTimeZone`.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DateTimeTimeZone {
    pub date_time: Option<String>,
    pub time_zone: Option<String>,
}

/// setManualLocation / setAutomaticLocation body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetLocationBody {
    pub work_location_type: Option<String>,
    pub place_id: Option<String>,
}

/// getPresencesByUserId body.
#[derive(Debug, Deserialize)]
pub(crate) struct IdsBody {
    pub ids: Option<Vec<String>>,
}

/// A body that must be JSON but whose content is ignored.
#[derive(Debug, Deserialize)]
pub(crate) struct AnyObject {}

/// A `sequenceNumber` as the emulator writes it: 16 uppercase hex digits of a counter that
/// grows with every write in the tenant, so a user's numbers strictly increase and compare as
/// hexadecimal numbers (docs/rulings.md, R11).
pub(crate) fn sequence_number(sequence: u64) -> String {
    format!("{sequence:016X}")
}

/// Renders the presence resource of `user_id`.
///
/// `own` says the caller reads its own presence (the signed-in user): only then are the status
/// message's `expiryDateTime` and `publishedDateTime` included, as the docs describe.
pub(crate) fn presence(
    user_id: &str,
    user: Option<&UserState>,
    now: Timestamp,
    own: bool,
) -> Value {
    let (availability, activity) = rules::aggregate(user, now);
    let status_message = rules::live_status_message(user).map(|m| {
        let mut out = json!({ "message": m.message });
        if own {
            if let Some((sent, _)) = &m.expiry {
                out["expiryDateTime"] = sent.clone();
            }
            out["publishedDateTime"] = json!(m.published_at.to_string());
        }
        out
    });
    let (source, location) = rules::work_location(user);
    json!({
        "id": user_id,
        "availability": availability,
        "activity": activity,
        "statusMessage": status_message,
        "outOfOfficeSettings": { "message": null, "isOutOfOffice": false },
        "sequenceNumber": user.map(|u| sequence_number(u.sequence)),
        "workLocation": {
            "placeId": location.and_then(|l| l.place_id.clone()),
            "source": source,
            "workLocationType": location.map_or("unspecified", |l| l.work_location_type),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_body_is_an_empty_object_and_errors_name_the_field() {
        let body: ClearPresenceBody = parse_body(b"").unwrap();
        assert!(body.session_id.is_none());
        let err = parse_body::<ClearPresenceBody>(br#"{"sessionId": 5}"#).unwrap_err();
        assert!(err.message.contains("sessionId"), "{}", err.message);
        assert!(parse_body::<AnyObject>(b"not json").is_err());
        assert!(duration(&Some("PT1H".into()), "x").unwrap().is_some());
        assert!(duration(&Some("1 hour".into()), "x").is_err());
        assert!(required(&Some(" ".into()), "sessionId").is_err());
    }

    #[test]
    fn unknown_user_renders_presence_unknown() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let value = presence("u1", None, now, false);
        assert_eq!(value["availability"], "PresenceUnknown");
        assert_eq!(value["workLocation"]["source"], "none");
        assert_eq!(value["workLocation"]["workLocationType"], "unspecified");
        assert!(value["statusMessage"].is_null());
    }
}
