//! What the emulator keeps of each subscription, and how Graph writes it back (R12, R17).

use super::super::handlers::Version;
use jiff::Timestamp;
use msgraph_presence_notifications::crypto::PublicKey;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// A subscriber's encryption certificate, as accepted (R14).
#[derive(Debug, Clone)]
pub(crate) struct Certificate {
    /// Base64 of the DER, armor and whitespace stripped.
    pub text: String,
    pub id: String,
    pub key: PublicKey,
    /// Uppercase hex SHA-1 of the DER.
    pub thumbprint: String,
}

/// One stored subscription.
#[derive(Debug, Clone)]
pub(crate) struct Subscription {
    pub id: String,
    pub version: Version,
    pub app_id: String,
    pub creator: String,
    pub tenant_id: String,
    pub resource: String,
    pub user_ids: Vec<String>,
    pub notification_url: String,
    pub lifecycle_url: Option<String>,
    pub client_state: Option<String>,
    pub expiration: Timestamp,
    pub include_resource_data: bool,
    pub certificate: Option<Certificate>,
    pub notification_url_app_id: Option<String>,
    /// When the last automatic `reauthorizationRequired` went out (R18).
    pub last_reauthorization_notice: Option<Timestamp>,
}

/// Every subscription, by id.
pub(crate) type Store = BTreeMap<String, Subscription>;

/// `2026-03-02T10:55:00.0000000Z`: seven fractional digits, as Graph writes them (R17).
pub(crate) fn graph_time(at: Timestamp) -> String {
    format!(
        "{}.{:07}Z",
        at.strftime("%Y-%m-%dT%H:%M:%S"),
        at.subsec_nanosecond() / 100
    )
}

impl Subscription {
    /// The subscription resource; List hides `clientState` (R12).
    pub(crate) fn to_json(&self, with_client_state: bool) -> Value {
        let version = if self.version == Version::Beta {
            "beta"
        } else {
            "v1.0"
        };
        json!({
            "@odata.context": format!("https://graph.microsoft.com/{version}/$metadata#subscriptions/$entity"),
            "id": self.id,
            "resource": self.resource,
            "applicationId": self.app_id,
            "changeType": "updated",
            "clientState": if with_client_state { json!(self.client_state) } else { Value::Null },
            "notificationUrl": self.notification_url,
            "lifecycleNotificationUrl": self.lifecycle_url,
            "expirationDateTime": graph_time(self.expiration),
            "creatorId": self.creator,
            "includeResourceData": self.include_resource_data,
            "encryptionCertificate": self.certificate.as_ref().map(|c| &c.text),
            "encryptionCertificateId": self.certificate.as_ref().map(|c| &c.id),
            "latestSupportedTlsVersion": "v1_2",
            "notificationContentType": "application/json",
            "notificationUrlAppId": self.notification_url_app_id,
        })
    }

    pub(crate) fn is_presence(&self) -> bool {
        self.resource
            .trim_start_matches('/')
            .starts_with("communications/presences")
    }
}
