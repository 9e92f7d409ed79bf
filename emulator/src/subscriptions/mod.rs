//! Change-notification subscriptions for presence, and their delivery (SUBSCRIPTIONS.md).
//!
//! Routes (both versions): `POST|GET /{v}/subscriptions`, `GET|PATCH|DELETE
//! /{v}/subscriptions/{id}`, `POST /{v}/subscriptions/{id}/reauthorize` (also spelled
//! `microsoft.graph.reauthorize`); the JWKS at `/common/discovery/v2.0/keys` and its OpenID
//! configuration; the test control `POST /_emulator/subscriptions/{id}/lifecycle`.

mod delivery;
mod handlers;
mod handshake;
pub(crate) mod identity;
mod signing;
mod validate;

pub(crate) use delivery::Deliverer;
pub use delivery::DeliveryAttempt;

use super::handlers::Version;
use super::state::Shared;
use axum::Router;
use axum::routing::{get, post};
use jiff::{SignedDuration, Timestamp};
use msgraph_presence_notifications::crypto::PublicKey;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, PoisonError};

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

    fn is_presence(&self) -> bool {
        self.resource
            .trim_start_matches('/')
            .starts_with("communications/presences")
    }
}

pub(crate) fn router() -> Router<Arc<Shared>> {
    let mut router = Router::new();
    for version in ["v1.0", "beta"] {
        router = router
            .route(
                &format!("/{version}/subscriptions"),
                post(handlers::create).get(handlers::list),
            )
            .route(
                &format!("/{version}/subscriptions/{{id}}"),
                get(handlers::get_one)
                    .patch(handlers::update)
                    .delete(handlers::delete),
            )
            .route(
                &format!("/{version}/subscriptions/{{id}}/reauthorize"),
                post(handlers::reauthorize),
            )
            .route(
                &format!("/{version}/subscriptions/{{id}}/microsoft.graph.reauthorize"),
                post(handlers::reauthorize),
            );
    }
    router
        .route("/common/discovery/v2.0/keys", get(handlers::jwks))
        .route("/common/discovery/keys", get(handlers::jwks))
        .route(
            "/common/v2.0/.well-known/openid-configuration",
            get(handlers::openid_configuration),
        )
        .route(
            "/_emulator/subscriptions/{id}/lifecycle",
            post(handlers::lifecycle_control),
        )
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Store> {
    shared
        .subscriptions
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Drops expired subscriptions and sends the `reauthorizationRequired` notices that are due:
/// once 15 minutes or less remain, then every 15 minutes (R18, R21).
pub(crate) fn tick(shared: &Shared) {
    let now = shared.clock.now();
    let window = SignedDuration::from_mins(15);
    let mut store = lock(shared);
    store.retain(|_, s| s.expiration > now);
    for subscription in store.values_mut() {
        let due = subscription.expiration.duration_since(now) <= window
            && subscription
                .last_reauthorization_notice
                .is_none_or(|last| now.duration_since(last) >= window);
        if due && subscription.lifecycle_url.is_some() {
            subscription.last_reauthorization_notice = Some(now);
            shared
                .deliverer
                .lifecycle(subscription, "reauthorizationRequired");
        }
    }
}

/// Sends a lifecycle notification on demand; `subscriptionRemoved` also removes it.
/// False when the id is unknown or the subscription has no lifecycle URL.
pub(crate) fn send_lifecycle(shared: &Shared, id: &str, event: &str) -> bool {
    tick(shared);
    let mut store = lock(shared);
    let Some(subscription) = store.get(id) else {
        return false;
    };
    if subscription.lifecycle_url.is_none() {
        return false;
    }
    shared.deliverer.lifecycle(subscription, event);
    if event == "subscriptionRemoved" {
        store.remove(id);
    }
    true
}

/// Called after every presence write with the user's (availability, activity) before and
/// after: a change notifies every live subscription that watches the user.
pub(crate) fn presence_changed(
    shared: &Shared,
    user_id: &str,
    before: (&str, &str),
    after: (&str, &str),
) {
    if before == after {
        return;
    }
    tick(shared);
    let store = lock(shared);
    for subscription in store.values().filter(|s| s.is_presence()) {
        if subscription
            .user_ids
            .iter()
            .any(|id| id.eq_ignore_ascii_case(user_id))
        {
            shared.deliverer.change(subscription, user_id, after);
        }
    }
}
