//! The rules a subscription body must follow (SUBSCRIPTIONS.md R2-R4, R7, R9, R12, R14, R19).

use super::super::handlers::Version;
use super::super::odata::ApiError;
use super::store::Certificate;
use axum::http::StatusCode;
use base64::Engine as _;
use jiff::{SignedDuration, Timestamp};
use msgraph_presence_notifications::crypto;
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};

/// Most user ids one presence subscription may hold.
pub(crate) const MAX_IDS: usize = 650;
const MAX_LIFETIME: SignedDuration = SignedDuration::from_mins(60);
const MIN_LIFETIME: SignedDuration = SignedDuration::from_mins(45);

/// A checked create request.
#[derive(Debug)]
pub(crate) struct Draft {
    pub resource: String,
    pub user_ids: Vec<String>,
    pub notification_url: String,
    pub lifecycle_url: Option<String>,
    pub client_state: Option<String>,
    pub expiration: Timestamp,
    pub include_resource_data: bool,
    pub certificate: Option<Certificate>,
    pub notification_url_app_id: Option<String>,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "InvalidRequest", message)
}

fn string<'a>(body: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ApiError> {
    match body.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(format!("'{name}' must be a string."))),
    }
}

fn required<'a>(body: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    string(body, name)?.ok_or_else(|| invalid(format!("'{name}' is required.")))
}

pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(invalid("The body must be a JSON object.")),
        Err(e) => Err(invalid(format!("The body is not valid JSON: {e}."))),
    }
}

pub(crate) fn create(body: &[u8], version: Version, now: Timestamp) -> Result<Draft, ApiError> {
    let body = object(body)?;
    let change_type = required(&body, "changeType")?;
    if change_type != "updated" {
        return Err(invalid(format!(
            "changeType '{change_type}' is not supported for presence; only 'updated' is."
        )));
    }
    let resource = required(&body, "resource")?.to_owned();
    let user_ids = presence_ids(&resource)?;
    let notification_url = url(required(&body, "notificationUrl")?, "notificationUrl")?;
    let lifecycle_url = string(&body, "lifecycleNotificationUrl")?
        .map(|u| url(u, "lifecycleNotificationUrl"))
        .transpose()?;
    let expiration = expiration(required(&body, "expirationDateTime")?, now)?;
    let client_state = client_state(string(&body, "clientState")?, version)?;
    let include_resource_data = match body.get("includeResourceData") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(invalid("'includeResourceData' must be a boolean.")),
    };
    let certificate = certificate(&body)?;
    if include_resource_data && certificate.is_none() {
        return Err(invalid(
            "includeResourceData requires encryptionCertificate and encryptionCertificateId.",
        ));
    }
    Ok(Draft {
        resource,
        user_ids,
        notification_url,
        lifecycle_url,
        client_state,
        expiration,
        include_resource_data,
        certificate,
        notification_url_app_id: string(&body, "notificationUrlAppId")?.map(str::to_owned),
    })
}

/// The properties a PATCH may change (R19).
pub(crate) const PATCHABLE: [&str; 4] = [
    "expirationDateTime",
    "notificationUrl",
    "encryptionCertificate",
    "encryptionCertificateId",
];

/// A checked PATCH: each field present if it changes.
#[derive(Debug, Default)]
pub(crate) struct Patch {
    pub expiration: Option<Timestamp>,
    pub notification_url: Option<String>,
    pub certificate: Option<Certificate>,
}

pub(crate) fn patch(body: &[u8], now: Timestamp) -> Result<Patch, ApiError> {
    let body = object(body)?;
    if body.is_empty() {
        return Err(invalid("The PATCH body is empty."));
    }
    if let Some(other) = body.keys().find(|k| !PATCHABLE.contains(&k.as_str())) {
        return Err(invalid(format!(
            "'{other}' cannot be updated; only {PATCHABLE:?} can."
        )));
    }
    Ok(Patch {
        expiration: string(&body, "expirationDateTime")?
            .map(|e| expiration(e, now))
            .transpose()?,
        notification_url: string(&body, "notificationUrl")?
            .map(|u| url(u, "notificationUrl"))
            .transpose()?,
        certificate: certificate(&body)?,
    })
}

/// R4: at most 60 minutes ahead (400 ExtensionError), raised to 45 minutes if earlier.
fn expiration(value: &str, now: Timestamp) -> Result<Timestamp, ApiError> {
    let at: Timestamp = value.parse().map_err(|e| {
        invalid(format!(
            "expirationDateTime '{value}' is not a date-time: {e}."
        ))
    })?;
    if at.duration_since(now) > MAX_LIFETIME {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "ExtensionError",
            format!(
                "Subscription expiration can only be 60 minutes in the future; '{value}' is later."
            ),
        ));
    }
    let floor = now.saturating_add(MIN_LIFETIME).unwrap_or(now);
    Ok(at.max(floor))
}

/// R12: at most 128 characters (v1.0) or 255 (beta).
fn client_state(value: Option<&str>, version: Version) -> Result<Option<String>, ApiError> {
    let limit = if version == Version::Beta { 255 } else { 128 };
    match value {
        Some(v) if v.chars().count() > limit => Err(invalid(format!(
            "clientState is {} characters long; at most {limit} are allowed.",
            v.chars().count()
        ))),
        other => Ok(other.map(str::to_owned)),
    }
}

/// R9: HTTPS, or HTTP on a loopback host.
fn url(value: &str, name: &str) -> Result<String, ApiError> {
    let parsed = url::Url::parse(value)
        .map_err(|e| invalid(format!("{name} '{value}' is not a URL: {e}.")))?;
    let loopback = matches!(
        parsed.host_str(),
        Some("127.0.0.1" | "[::1]" | "::1" | "localhost")
    );
    match parsed.scheme() {
        "https" => Ok(value.to_owned()),
        "http" if loopback => Ok(value.to_owned()),
        _ => Err(invalid(format!(
            "{name} must be an https URL (http only on loopback)."
        ))),
    }
}

/// R14: base64 DER or PEM, an RSA key of 2048-4096 bits; id at most 128 characters.
fn certificate(body: &Map<String, Value>) -> Result<Option<Certificate>, ApiError> {
    let text = string(body, "encryptionCertificate")?;
    let id = string(body, "encryptionCertificateId")?;
    let (text, id) = match (text, id) {
        (None, None) => return Ok(None),
        (Some(t), Some(i)) => (t, i),
        _ => {
            return Err(invalid(
                "encryptionCertificate and encryptionCertificateId go together.",
            ));
        }
    };
    if id.chars().count() > 128 {
        return Err(invalid(
            "encryptionCertificateId is longer than 128 characters.",
        ));
    }
    let compact: String = text
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .flat_map(|l| l.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(&compact)
        .map_err(|_| invalid("encryptionCertificate is not base64 of a DER certificate."))?;
    let key = crypto::public_key_from_certificate_der(&der)
        .map_err(|e| invalid(format!("encryptionCertificate: {e}.")))?;
    let bits = rsa::traits::PublicKeyParts::size(&key) * 8;
    if !(2048..=4096).contains(&bits) {
        return Err(invalid(format!(
            "The certificate's RSA key has {bits} bits; 2048 to 4096 are required."
        )));
    }
    let thumbprint = Sha1::digest(&der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    Ok(Some(Certificate {
        text: compact,
        id: id.to_owned(),
        key,
        thumbprint,
    }))
}

/// R2: `/communications/presences/{id}` or `.../presences?$filter=id in ('a','b')`, leading
/// `/` optional, ids quoted or not, percent- or `+`-encoded; 1..=650 distinct GUIDs.
pub(crate) fn presence_ids(resource: &str) -> Result<Vec<String>, ApiError> {
    let decoded = percent_encoding::percent_decode_str(&resource.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned();
    let path = decoded.trim().trim_start_matches('/');
    let not_presence = || invalid(format!("'{resource}' is not a presence resource."));
    let raw: Vec<String> = if let Some(id) = path.strip_prefix("communications/presences/") {
        vec![id.to_owned()]
    } else if let Some(query) = path.strip_prefix("communications/presences?") {
        let filter = query
            .strip_prefix("$filter=")
            .ok_or_else(not_presence)?
            .trim();
        let list = filter
            .strip_prefix("id in")
            .map(str::trim)
            .and_then(|l| l.strip_prefix('('))
            .and_then(|l| l.strip_suffix(')'))
            .ok_or_else(not_presence)?;
        list.split(',')
            .map(|id| id.trim().trim_matches('\'').to_owned())
            .collect()
    } else {
        return Err(not_presence());
    };
    let mut ids: Vec<String> = Vec::new();
    for id in raw {
        if id.is_empty() {
            return Err(invalid("The resource names an empty id."));
        }
        if uuid::Uuid::parse_str(&id).is_err() {
            return Err(invalid(format!("'{id}' is not a user id (a GUID).")));
        }
        if !ids.iter().any(|known| known.eq_ignore_ascii_case(&id)) {
            ids.push(id);
        }
    }
    if ids.len() > MAX_IDS {
        return Err(invalid(format!(
            "The resource names {} users; one subscription holds at most {MAX_IDS}.",
            ids.len()
        )));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "3b7e9a10-2c4d-4e6f-8a1b-2c3d4e5f6a7b";
    const B: &str = "4c8f0b21-3d5e-4f70-9b2c-3d4e5f6a7b8c";

    #[test]
    fn resource_forms_of_r2() {
        assert_eq!(
            presence_ids(&format!("/communications/presences/{A}")).unwrap(),
            [A]
        );
        let list = format!("/communications/presences?$filter=id in ('{A}','{B}')");
        assert_eq!(presence_ids(&list).unwrap(), [A, B]);
        let bare = format!("communications/presences?$filter=id in ({A}, {B}, {A})");
        assert_eq!(presence_ids(&bare).unwrap(), [A, B]);
        let encoded = format!("/communications/presences?$filter=id+in+(%27{A}%27)");
        assert_eq!(presence_ids(&encoded).unwrap(), [A]);
    }

    #[test]
    fn bad_resources_are_invalid_requests() {
        for bad in [
            "/users/x/presence",
            "/communications/presences?$filter=id in ()",
            "/communications/presences/not-a-guid",
        ] {
            let e = presence_ids(bad).unwrap_err();
            assert_eq!(
                (e.status, e.code.as_str()),
                (StatusCode::BAD_REQUEST, "InvalidRequest"),
                "{bad}"
            );
        }
        let many: Vec<String> = (0..651)
            .map(|i| format!("'00000000-0000-4000-8000-{i:012x}'"))
            .collect();
        let e = presence_ids(&format!(
            "/communications/presences?$filter=id in ({})",
            many.join(",")
        ))
        .unwrap_err();
        assert!(e.message.contains("651"), "{}", e.message);
    }

    #[test]
    fn expiration_window_of_r4() {
        let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            expiration("2026-01-01T00:55:00Z", now).unwrap().to_string(),
            "2026-01-01T00:55:00Z"
        );
        assert_eq!(
            expiration("2026-01-01T00:10:00Z", now).unwrap().to_string(),
            "2026-01-01T00:45:00Z"
        );
        assert_eq!(
            expiration("2026-01-01T01:00:01Z", now).unwrap_err().code,
            "ExtensionError"
        );
    }

    #[test]
    fn urls_must_be_https_or_loopback() {
        assert!(url("http://127.0.0.1:9/x", "u").is_ok());
        assert!(url("https://example.com/x", "u").is_ok());
        assert!(url("http://example.com/x", "u").is_err());
    }
}
