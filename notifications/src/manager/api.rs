//! The generated subscription calls of either API version behind one small surface, so the
//! renewal task is written once. Owns a `Client` clone: the task outlives the caller's borrow.

use super::Certificate;
use jiff::Timestamp;
use msgraph_presence::{Client, Error};

/// Which generated API the subscriptions are managed through.
#[derive(Debug, Clone)]
pub(crate) enum Api {
    V1_0(Client),
    Beta(Client),
}

/// What the task needs to know of a subscription Graph returned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Remote {
    pub id: String,
    pub resource: String,
    pub application_id: Option<String>,
    pub expires: Timestamp,
    /// What a subscription found after a 409 is compared with before it is reused (F9).
    pub notification_url: String,
    pub lifecycle_url: Option<String>,
    pub certificate: Option<String>,
    pub certificate_id: Option<String>,
}

/// A PATCH: always a new expiry (that renews), and the fields of a reused subscription that
/// differ from ours (R19 allows both).
#[derive(Debug, Clone)]
pub(crate) struct Update<'a> {
    pub expires: Timestamp,
    pub notification_url: Option<&'a str>,
    pub certificate: Option<&'a Certificate>,
}

/// Everything a create call sends (R3, R4, R7, R12).
#[derive(Debug, Clone)]
pub(crate) struct CreateParams<'a> {
    pub resource: &'a str,
    pub expires: Timestamp,
    pub notification_url: &'a str,
    pub lifecycle_url: &'a str,
    pub client_state: &'a str,
    pub certificate: &'a Certificate,
}

/// Runs `$body` with `$v` naming the version's generated module and `$api` its client.
macro_rules! per_version {
    ($self:expr, $v:ident, $api:ident => $body:expr) => {
        match $self {
            Api::V1_0(client) => {
                #[allow(unused_imports)]
                use msgraph_presence::v1_0 as $v;
                let $api = client.v1_0();
                $body
            }
            Api::Beta(client) => {
                #[allow(unused_imports)]
                use msgraph_presence::beta as $v;
                let $api = client.beta();
                $body
            }
        }
    };
}

/// Converts a generated `Subscription` of either version.
macro_rules! remote {
    ($s:expr) => {{
        let s = $s;
        Remote {
            id: s.id.unwrap_or_default(),
            resource: s.resource,
            application_id: s.application_id,
            expires: s.expiration_date_time,
            notification_url: s.notification_url,
            lifecycle_url: s.lifecycle_notification_url,
            certificate: s.encryption_certificate,
            certificate_id: s.encryption_certificate_id,
        }
    }};
}

impl Api {
    /// The service's clock minus ours, in milliseconds, from the latest response `Date`.
    pub(crate) fn server_offset_ms(&self) -> Option<i64> {
        match self {
            Api::V1_0(client) | Api::Beta(client) => client.runtime().server_clock_offset_ms(),
        }
    }

    /// `POST /subscriptions`: always rich, `updated` only (R3, R7).
    pub(crate) async fn create(&self, p: &CreateParams<'_>) -> Result<Remote, Error> {
        per_version!(self, v, api => {
            let mut body = v::models::Subscription::new(
                "updated",
                p.expires,
                p.notification_url,
                p.resource,
            );
            body.include_resource_data = Some(true);
            body.encryption_certificate = Some(p.certificate.base64_der().to_owned());
            body.encryption_certificate_id = Some(p.certificate.id().to_owned());
            body.client_state = Some(p.client_state.to_owned());
            body.lifecycle_notification_url = Some(p.lifecycle_url.to_owned());
            Ok(remote!(api.subscriptions().create(&body).await?))
        })
    }

    /// `PATCH /subscriptions/{id}` with a new expiry (renews and reauthorizes, LC).
    pub(crate) async fn renew(&self, id: &str, expires: Timestamp) -> Result<Remote, Error> {
        self.update(
            id,
            &Update {
                expires,
                notification_url: None,
                certificate: None,
            },
        )
        .await
    }

    /// `PATCH /subscriptions/{id}`: the expiry, and a new URL or certificate when given. The
    /// generated request names only `notificationUrl`; the certificate fields go in its
    /// additional properties, which it serializes as they are.
    pub(crate) async fn update(&self, id: &str, u: &Update<'_>) -> Result<Remote, Error> {
        per_version!(self, v, api => {
            let mut body = v::models::UpdateSubscriptionRequest::new(u.expires);
            if let Some(url) = u.notification_url {
                body = body.with_notification_url(url);
            }
            if let Some(certificate) = u.certificate {
                body.additional_properties.insert(
                    "encryptionCertificate".into(),
                    certificate.base64_der().into(),
                );
                body.additional_properties.insert(
                    "encryptionCertificateId".into(),
                    certificate.id().into(),
                );
            }
            Ok(remote!(api.subscription(id).update(&body).await?))
        })
    }

    /// `GET /subscriptions/{id}`: whether Graph still holds it (404 when not).
    pub(crate) async fn get(&self, id: &str) -> Result<Remote, Error> {
        per_version!(self, _v, api => Ok(remote!(api.subscription(id).get().await?)))
    }

    /// `POST /subscriptions/{id}/reauthorize` (keeps the expiry).
    pub(crate) async fn reauthorize(&self, id: &str) -> Result<(), Error> {
        per_version!(self, _v, api => api.subscription(id).reauthorize().await)
    }

    /// `DELETE /subscriptions/{id}`.
    pub(crate) async fn delete(&self, id: &str) -> Result<(), Error> {
        per_version!(self, _v, api => api.subscription(id).delete().await)
    }

    /// `GET /subscriptions` (first page: a signed-in user holds one presence subscription per
    /// application, R5, so it is there).
    pub(crate) async fn list(&self) -> Result<Vec<Remote>, Error> {
        per_version!(self, _v, api => {
            let page = api.subscriptions().list().await?;
            Ok(page
                .value
                .unwrap_or_default()
                .into_iter()
                .map(|s| remote!(s))
                .collect())
        })
    }
}
