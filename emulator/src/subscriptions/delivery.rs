//! Posting notifications to subscribers, with retries (R10, R13, R15-R18).

use super::chaos::{self, DeliveryFaults, FaultCounts, FaultTable, Plan};
use super::signing::Signer;
use super::store::{Subscription, graph_time};
use crate::clock::Clock;
use crate::journal::Journal;
use msgraph_presence_notifications::crypto::{self, PublicKey};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// A 2xx within this time counts as delivered (R10).
const FIRST_TIMEOUT: Duration = Duration::from_secs(3);
/// Each retry may take this long.
const RETRY_TIMEOUT: Duration = Duration::from_secs(10);

/// One attempt to deliver a notification, as [`Emulator::deliveries`](crate::Emulator::deliveries)
/// lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryAttempt {
    /// The subscription it was for.
    pub subscription_id: String,
    /// Where it went (`notificationUrl` or `lifecycleNotificationUrl`).
    pub url: String,
    /// `updated` for a change, else the `lifecycleEvent`.
    pub kind: String,
    /// 1 for the first try.
    pub attempt: u32,
    /// The subscriber's status, `None` when it did not answer in time or at all.
    pub status: Option<u16>,
}

/// Builds, seals, signs and posts notifications; cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct Deliverer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    http: reqwest::Client,
    /// Replaced whole by a rotation; tokens are signed under a read lock.
    signer: std::sync::RwLock<Signer>,
    rotations: std::sync::atomic::AtomicU64,
    clock: Clock,
    retry_base: Duration,
    max_attempts: u32,
    journal: Mutex<Journal<DeliveryAttempt>>,
    /// Injected delivery faults per subscription (R11).
    chaos: Mutex<FaultTable>,
}

/// What a change notification needs once the locks are released.
struct Change {
    subscription_id: String,
    url: String,
    item: Value,
    seal_for: Option<(PublicKey, String, String)>,
    plaintext: Vec<u8>,
    audience: String,
    tenant: String,
}

impl Deliverer {
    pub(crate) fn new(
        clock: Clock,
        retry_base: Duration,
        max_attempts: u32,
        journal_capacity: usize,
    ) -> Result<Self, String> {
        Ok(Deliverer {
            inner: Arc::new(Inner {
                // A webhook that redirects does not get its notifications (or the handshake)
                // re-sent to wherever it points: Graph's own delivery does not follow, and a
                // redirect would carry sealed bodies and tokens to another host.
                http: reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| e.to_string())?,
                signer: std::sync::RwLock::new(Signer::new()?),
                rotations: std::sync::atomic::AtomicU64::new(1),
                clock,
                retry_base,
                max_attempts: max_attempts.max(1),
                journal: Mutex::new(Journal::new(journal_capacity)),
                chaos: Mutex::new(FaultTable::default()),
            }),
        })
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    fn signer(&self) -> std::sync::RwLockReadGuard<'_, Signer> {
        self.inner
            .signer
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn jwks(&self) -> Value {
        serde_json::to_value(self.signer().jwks()).unwrap_or(Value::Null)
    }

    /// Replaces the signing key with a new one under a new `kid`; returns that `kid`.
    pub(crate) fn rotate_signing_key(&self) -> Result<String, String> {
        let n = 1 + self
            .inner
            .rotations
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        // Generated outside the lock: deliveries keep signing with the old key meanwhile.
        let signer = Signer::generate(format!("presence-emulator-test-only-{n}"))?;
        let kid = signer.kid().to_owned();
        *self
            .inner
            .signer
            .write()
            .unwrap_or_else(PoisonError::into_inner) = signer;
        Ok(kid)
    }

    pub(crate) fn attempts(&self) -> Vec<DeliveryAttempt> {
        self.inner
            .journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entries()
    }

    pub(crate) fn attempts_dropped(&self) -> u64 {
        self.inner
            .journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .dropped()
    }

    fn chaos(&self) -> std::sync::MutexGuard<'_, FaultTable> {
        self.inner
            .chaos
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_faults(&self, subscription_id: &str, faults: Option<DeliveryFaults>) {
        self.chaos().set(subscription_id, faults);
    }

    pub(crate) fn set_default_faults(&self, faults: Option<DeliveryFaults>) {
        self.chaos().set_default(faults);
    }

    pub(crate) fn fault_counts(&self, subscription_id: &str) -> FaultCounts {
        self.chaos().counts(subscription_id)
    }

    /// Queues a change notification of `user_id`'s new presence to `subscription`;
    /// `sequence` is the user's sequence number after the change.
    pub(crate) fn change(
        &self,
        subscription: &Subscription,
        user_id: &str,
        (availability, activity): (&str, &str),
        sequence: Option<u64>,
    ) {
        let (plan, full_payload) = {
            let mut chaos = self.chaos();
            (
                chaos.plan(&subscription.id),
                chaos.full_payload(&subscription.id),
            )
        };
        let holds = match plan {
            Plan::Drop => {
                self.lifecycle(subscription, "missed");
                return;
            }
            Plan::Send(holds) => holds,
        };
        // R16: the five documented properties.
        let mut resource = json!({
            "@odata.type": "#microsoft.graph.presence",
            "@odata.id": format!("users/{user_id}/presence"),
            "id": user_id,
            "availability": availability,
            "activity": activity,
        });
        if full_payload && let Some(sequence) = sequence {
            resource["sequenceNumber"] = json!(crate::wire::sequence_number(sequence));
        }
        let mut item = base_item(subscription);
        item["changeType"] = json!("updated");
        item["resource"] = json!(format!("communications/presences/{user_id}"));
        item["resourceData"] = json!({
            "@odata.type": "#Microsoft.Graph.presence",
            "@odata.id": format!("communications/presences/{user_id}"),
            "id": user_id,
        });
        item["organizationId"] = json!(subscription.tenant_id);
        let seal_for = subscription
            .include_resource_data
            .then_some(subscription.certificate.as_ref())
            .flatten()
            .map(|c| (c.key.clone(), c.id.clone(), c.thumbprint.clone()));
        let change = Change {
            subscription_id: subscription.id.clone(),
            url: subscription.notification_url.clone(),
            item,
            seal_for,
            plaintext: resource.to_string().into_bytes(),
            audience: subscription
                .notification_url_app_id
                .clone()
                .unwrap_or_else(|| subscription.app_id.clone()),
            tenant: subscription.tenant_id.clone(),
        };
        // Holds count from now, the moment of the change (see `chaos::wait_on_clock`).
        let queued_at = self.inner.clock.now();
        let releases: Vec<_> = holds
            .into_iter()
            .map(|hold| chaos::release_at(queued_at, hold))
            .collect();
        let this = self.clone();
        tokio::spawn(async move {
            if let Some(body) = this.change_body(
                change.item,
                change.seal_for,
                &change.plaintext,
                &change.audience,
                &change.tenant,
            ) {
                for release in releases {
                    let (this, id, url, body) = (
                        this.clone(),
                        change.subscription_id.clone(),
                        change.url.clone(),
                        body.clone(),
                    );
                    tokio::spawn(async move {
                        chaos::wait_on_clock(&this.inner.clock, release).await;
                        this.post(id, url, "updated".into(), body).await;
                    });
                }
            }
        });
    }

    fn change_body(
        &self,
        mut item: Value,
        seal_for: Option<(PublicKey, String, String)>,
        plaintext: &[u8],
        audience: &str,
        tenant: &str,
    ) -> Option<String> {
        let mut body = json!({});
        if let Some((key, id, thumbprint)) = seal_for {
            let content = crypto::seal(&key, plaintext, &id, &thumbprint).ok()?;
            item["encryptedContent"] = serde_json::to_value(content).ok()?;
            let token = self
                .signer()
                .token(audience, tenant, self.inner.clock.now())?;
            body["validationTokens"] = json!([token]);
        }
        body["value"] = json!([item]);
        Some(body.to_string())
    }

    /// Queues a lifecycle notification (no validation tokens, R18).
    pub(crate) fn lifecycle(&self, subscription: &Subscription, event: &str) {
        let Some(url) = subscription.lifecycle_url.clone() else {
            return;
        };
        let mut item = base_item(subscription);
        item["lifecycleEvent"] = json!(event);
        let body = json!({ "value": [item] }).to_string();
        let this = self.clone();
        let (id, kind) = (subscription.id.clone(), event.to_owned());
        tokio::spawn(async move { this.post(id, url, kind, body).await });
    }

    /// Posts until a 2xx, backing off exponentially between tries (R10).
    async fn post(&self, subscription_id: String, url: String, kind: String, body: String) {
        let mut wait = self.inner.retry_base;
        for attempt in 1..=self.inner.max_attempts {
            let timeout = if attempt == 1 {
                FIRST_TIMEOUT
            } else {
                RETRY_TIMEOUT
            };
            let status = self
                .inner
                .http
                .post(&url)
                .header("content-type", "application/json")
                .body(body.clone())
                .timeout(timeout)
                .send()
                .await
                .ok()
                .map(|r| r.status().as_u16());
            self.inner
                .journal
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(DeliveryAttempt {
                    subscription_id: subscription_id.clone(),
                    url: url.clone(),
                    kind: kind.clone(),
                    attempt,
                    status,
                });
            if status.is_some_and(|s| (200..300).contains(&s)) {
                return;
            }
            tokio::time::sleep(wait).await;
            wait = wait.saturating_mul(2);
        }
    }
}

fn base_item(subscription: &Subscription) -> Value {
    json!({
        "subscriptionId": subscription.id,
        "subscriptionExpirationDateTime": graph_time(subscription.expiration),
        "tenantId": subscription.tenant_id,
        "clientState": subscription.client_state,
    })
}
