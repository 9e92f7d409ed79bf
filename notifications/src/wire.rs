//! The change-notification payload as Graph posts it.
//!
//! STAND-IN: these structs mirror `changeNotificationCollection`, `changeNotification`,
//! `changeNotificationEncryptedContent` and `resourceData` until the generated client carries them
//! (issue 12 item 1, the subs lane); at merge they are replaced by the generated types. Unknown
//! properties are ignored (ruling R1) and every field the receiver can live without is optional.

use serde::{Deserialize, Serialize};

/// `changeNotificationCollection`: the body of every notification POST.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeNotificationCollection {
    /// The notifications, change and lifecycle items possibly mixed.
    pub value: Vec<ChangeNotification>,
    /// One JWT per (app, tenant) in the batch; only with rich notifications.
    #[serde(
        rename = "validationTokens",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub validation_tokens: Option<Vec<String>>,
}

/// `changeNotification`: one change or lifecycle item.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeNotification {
    /// The subscription the item belongs to.
    pub subscription_id: String,
    /// The subscription's expiry, as Graph formats it (parsed leniently by the caller, R17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_expiration_date_time: Option<String>,
    /// `updated` for presence; absent on lifecycle items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_type: Option<String>,
    /// The secret the subscriber gave at creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_state: Option<String>,
    /// `communications/presences/{id}` (or the subscription's filter string, R17: never trusted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// `@odata.type`, `@odata.id` and `id` of the changed resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_data: Option<ResourceData>,
    /// The tenant the item comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// The same value as `tenantId` in presence examples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<String>,
    /// The resource itself, encrypted (rich notifications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_content: Option<EncryptedContent>,
    /// `reauthorizationRequired`, `subscriptionRemoved`, `missed` on lifecycle items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle_event: Option<String>,
}

/// `resourceData`: identifies the changed resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceData {
    /// `#microsoft.graph.presence` (any casing, R16).
    #[serde(rename = "@odata.type", default, skip_serializing_if = "Option::is_none")]
    pub odata_type: Option<String>,
    /// `users/{id}/presence`.
    #[serde(rename = "@odata.id", default, skip_serializing_if = "Option::is_none")]
    pub odata_id: Option<String>,
    /// The user id: the one place the receiver takes it from (R17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// `changeNotificationEncryptedContent`: all fields standard base64 except the two ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EncryptedContent {
    /// Base64 of the AES-CBC ciphertext of the resource JSON.
    pub data: String,
    /// Base64 of the symmetric key wrapped with RSA-OAEP (SHA-1).
    pub data_key: String,
    /// Base64 of HMAC-SHA256(key, decoded `data`).
    pub data_signature: String,
    /// The subscriber's own label for the certificate; picks the private key.
    pub encryption_certificate_id: String,
    /// Uppercase hex SHA-1 of the certificate (a secondary check, R14).
    #[serde(default)]
    pub encryption_certificate_thumbprint: String,
}
