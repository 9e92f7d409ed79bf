//! Creating a subscription, and what a 409 leads to (R5, issue 22 F9). Graph allows one
//! presence subscription per application and signed-in user, so a 409 means one exists: ours
//! from an earlier run, or another instance's. It is reused only when it watches the same users
//! with a `clientState` the application chose (List hides the value, R12), after its
//! notification URL and certificate are brought up to date (R19); it is deleted only when the
//! application asked for that (`Builder::replace_existing`), since otherwise two replicas
//! would take turns deleting each other's subscription.

use super::super::api::{CreateParams, Remote, Update};
use super::super::timing::clamp_expiry;
use super::{LIFETIME, ManagerError, Task};
use crate::resource::{is_presence_resource, same_resource};

/// A clock difference that explains a refused expiry: Graph allows 60 minutes and the manager
/// asks for 55 (R4), so a clock more than a few minutes fast pushes the request over.
const SKEW_WORTH_A_RETRY: i64 = 60_000;

/// Whether the offset learnt since `before` is new and large enough to retry with.
fn newly_skewed(before: Option<i64>, now: Option<i64>) -> bool {
    match now {
        Some(now) => {
            now.abs() > SKEW_WORTH_A_RETRY
                && before.is_none_or(|before| (now - before).abs() > SKEW_WORTH_A_RETRY)
        }
        None => false,
    }
}

impl Task {
    /// `POST /subscriptions`, handling a 409 as above.
    ///
    /// The expiry asked for is on the service's clock when an earlier answer showed it (F8).
    /// The first create of a run has seen no `Date` yet: when Graph refuses it (400) and its
    /// answer shows our clock off by more than [`SKEW_WORTH_A_RETRY`], the create is sent once
    /// more with the expiry corrected, so a clock minutes fast does not fail every create.
    pub(super) async fn create(
        &self,
        api: usize,
        resource: &str,
        client_state: &str,
    ) -> Result<Remote, ManagerError> {
        let known = self.apis[api].server_offset_ms();
        match self
            .create_on_server_clock(api, resource, client_state)
            .await
        {
            Err(ManagerError::Graph { source, .. })
                if source.status() == Some(400)
                    && newly_skewed(known, self.apis[api].server_offset_ms()) =>
            {
                tracing::warn!(
                    resource,
                    offset_ms = self.apis[api].server_offset_ms(),
                    "create refused while this machine's clock is off Graph's: sending it again on Graph's clock"
                );
                self.create_on_server_clock(api, resource, client_state)
                    .await
            }
            other => other,
        }
    }

    async fn create_on_server_clock(
        &self,
        api: usize,
        resource: &str,
        client_state: &str,
    ) -> Result<Remote, ManagerError> {
        let mut clock = self.clock;
        clock.follow_server(self.apis[api].server_offset_ms());
        let params = CreateParams {
            resource,
            expires: clock.in_(LIFETIME),
            notification_url: &self.config.notification_url,
            lifecycle_url: &self.config.lifecycle_url,
            client_state,
            certificate: &self.config.certificate,
        };
        // Pending before the request: Graph may notify before its answer names the id.
        if let Some(states) = &self.config.client_states {
            states.insert_pending(client_state)?;
        }
        let created = self.create_or_reuse(api, &params).await;
        if let Some(states) = &self.config.client_states {
            match &created {
                Ok(remote) => states.bind(&remote.id, client_state)?,
                Err(_) => states.remove_pending(client_state),
            }
        }
        let mut remote = created?;
        // Never plan with a later expiry than asked for (F8).
        remote.expires = clamp_expiry(remote.expires, params.expires);
        Ok(remote)
    }

    async fn create_or_reuse(
        &self,
        api: usize,
        params: &CreateParams<'_>,
    ) -> Result<Remote, ManagerError> {
        let resource = params.resource;
        let api = &self.apis[api];
        let graph = |source| ManagerError::Graph {
            resource: resource.to_owned(),
            source: Box::new(source),
        };
        match api.create(params).await {
            Ok(remote) => return Ok(remote),
            Err(e) if e.status() == Some(409) => {
                tracing::info!(
                    resource,
                    "409: looking for this application's presence subscription"
                );
            }
            Err(e) => return Err(graph(e)),
        }
        // R22: List is the most throttled call.
        self.list_limit.wait_turn().await;
        let listed = api.list().await.map_err(graph)?;
        let own = listed.into_iter().find(|r| {
            is_presence_resource(&r.resource)
                && self
                    .config
                    .application_id
                    .as_ref()
                    .is_none_or(|app| r.application_id.as_ref() == Some(app))
                && !self.slots.iter().any(|s| s.id == r.id)
        });
        let Some(own) = own else {
            return Err(ManagerError::Conflict {
                resource: resource.to_owned(),
            });
        };
        let reusable = same_resource(&own.resource, resource) && self.config.client_state_known;
        let blocker = if !reusable {
            Some(if self.config.client_state_known {
                "it watches other users"
            } else {
                "its clientState cannot be known (List hides it), so it may be another instance's"
            })
        } else if own
            .lifecycle_url
            .as_deref()
            .is_some_and(|url| url != self.config.lifecycle_url)
        {
            // LC, R19: the lifecycle URL cannot be changed by PATCH.
            Some("its lifecycleNotificationUrl differs, and Graph cannot change that (R19)")
        } else {
            None
        };
        let Some(reason) = blocker else {
            return self.reuse(api, &own, params).await.map_err(graph);
        };
        if !self.config.replace_existing {
            tracing::warn!(subscription = %own.id, reason, "409: the existing subscription is left alone; Builder::replace_existing allows deleting it");
            return Err(ManagerError::ExistingSubscription {
                resource: resource.to_owned(),
                id: own.id,
                reason,
            });
        }
        tracing::info!(subscription = %own.id, reason, "deleting the existing subscription (replace_existing)");
        match api.delete(&own.id).await {
            Ok(()) => {}
            Err(e) if e.is_not_found() => {}
            Err(e) => return Err(graph(e)),
        }
        if let Some(states) = &self.config.client_states {
            states.remove(&own.id);
        }
        api.create(params).await.map_err(graph)
    }

    /// Renews `own`, updating its notification URL and certificate when they are not ours
    /// (a certificate List does not show is sent, since a stale one makes every notification
    /// undecryptable).
    async fn reuse(
        &self,
        api: &super::super::api::Api,
        own: &Remote,
        params: &CreateParams<'_>,
    ) -> Result<Remote, msgraph_presence::Error> {
        let ours = &self.config.certificate;
        let url_differs = own.notification_url != params.notification_url;
        let certificate_differs = own.certificate.as_deref() != Some(ours.base64_der())
            || own.certificate_id.as_deref() != Some(ours.id());
        tracing::info!(
            subscription = %own.id,
            url_differs,
            certificate_differs,
            "reusing the existing subscription"
        );
        let update = Update {
            expires: params.expires,
            notification_url: url_differs.then_some(params.notification_url),
            certificate: certificate_differs.then_some(ours),
        };
        api.update(&own.id, &update).await
    }
}

#[cfg(test)]
mod tests {
    use super::newly_skewed;

    #[test]
    fn a_retry_only_for_a_large_newly_learnt_offset() {
        assert!(newly_skewed(None, Some(-600_000)));
        assert!(newly_skewed(Some(0), Some(600_000)));
        assert!(!newly_skewed(None, None));
        assert!(!newly_skewed(None, Some(2_000)));
        assert!(!newly_skewed(Some(-600_000), Some(-599_000)));
    }
}
