//! Checks each queued batch after it was acknowledged: clientState, validation tokens,
//! signature, decryption, payload; only items passing all reach the application (R10, R13).
//! `pool.rs` runs it on blocking threads, one per core.

use super::escape::escaped;
use super::events::{LifecycleNotification, Notification, PresenceChange, PresenceResource};
use super::log_summary::BatchSummary;
use super::stats::Rejection;
use super::{ApiVersion, Shared};
use crate::crypto;
use msgraph_presence::v1_0::models::{ChangeNotification, ChangeNotificationCollection};

/// Every item's verdict, in order.
pub(crate) fn check_batch(
    shared: &Shared,
    collection: ChangeNotificationCollection,
) -> Vec<Result<Notification, Rejection>> {
    let tokens_ok = tokens_valid(shared, &collection);
    let mut summary = BatchSummary::default();
    let verdicts = collection
        .value
        .into_iter()
        .map(|item| {
            let result = check_item(shared, &item, tokens_ok)
                .and_then(|n| super::replay::admit(&shared.replay, &item, n));
            summary.record(
                &item.subscription_id,
                result.as_ref().map(|_| ()).map_err(|r| *r),
            );
            result
        })
        .collect();
    // One line per batch, never one per item (F10).
    summary.log(&shared.warnings);
    verdicts
}

/// Validates every token; rich items are trusted only if all pass and cover their tenants (RICH).
fn tokens_valid(shared: &Shared, collection: &ChangeNotificationCollection) -> bool {
    let tenants: Vec<&str> = collection
        .value
        .iter()
        .filter(|item| item.encrypted_content.is_some())
        .map(|item| item.tenant_id.as_deref().unwrap_or(""))
        .collect();
    if tenants.is_empty() {
        // No rich item: tokens a batch still carries must pass too, since lifecycle items
        // trust the batch's verdict (issue 22 item 7).
        return lifecycle_tokens_valid(shared, collection);
    }
    let Some(tokens) = collection
        .validation_tokens
        .as_ref()
        .filter(|t| !t.is_empty())
    else {
        if let Some(suppressed) = shared.warnings.admit("validation token") {
            tracing::warn!(suppressed, "rich notifications without validationTokens");
        }
        return false;
    };
    let mut covered = Vec::new();
    for token in tokens {
        match shared.tokens.check(token, &tenants) {
            Ok(tenant) => covered.push(tenant),
            Err(why) => {
                // `why` quotes the token's kid and issuer: attacker text until verified.
                if let Some(suppressed) = shared.warnings.admit("validation token") {
                    tracing::warn!(why = %escaped(&why), suppressed, "validation token failed");
                }
                return false;
            }
        }
    }
    tenants.iter().all(|t| covered.iter().any(|c| c == t))
}

/// Tokens on a batch without rich items: none is fine (Graph sends lifecycle items without
/// them, R18), but any given must verify.
fn lifecycle_tokens_valid(shared: &Shared, collection: &ChangeNotificationCollection) -> bool {
    let tenants: Vec<&str> = collection
        .value
        .iter()
        .filter_map(|item| item.tenant_id.as_deref())
        .collect();
    let tokens = collection.validation_tokens.as_deref().unwrap_or_default();
    for token in tokens {
        if let Err(why) = shared.tokens.check(token, &tenants) {
            if let Some(suppressed) = shared.warnings.admit("validation token") {
                tracing::warn!(why = %escaped(&why), suppressed, "validation token failed");
            }
            return false;
        }
    }
    true
}

fn check_item(
    shared: &Shared,
    item: &ChangeNotification,
    tokens_ok: bool,
) -> Result<Notification, Rejection> {
    if !client_state_matches(shared, &item.subscription_id, item.client_state.as_deref()) {
        return Err(Rejection::ClientState);
    }
    if !super::tenants::allowed(&shared.tenants, item.tenant_id.as_deref()) {
        return Err(Rejection::Tenant);
    }
    if let Some(event) = &item.lifecycle_event {
        // A batch whose validation tokens fail is not trusted for lifecycle items either.
        if !tokens_ok {
            return Err(Rejection::ValidationToken);
        }
        return Ok(Notification::Lifecycle(LifecycleNotification {
            subscription_id: item.subscription_id.clone(),
            tenant_id: item.tenant_id.clone(),
            event: event.into(),
            subscription_expiration: item.subscription_expiration_date_time,
        }));
    }
    let content = item.encrypted_content.as_ref().ok_or(Rejection::NotRich)?;
    if !tokens_ok {
        return Err(Rejection::ValidationToken);
    }
    let key = shared
        .certificates
        .iter()
        .find(|(id, _)| *id == content.encryption_certificate_id)
        .map(|(_, key)| key)
        .ok_or(Rejection::UnknownCertificate)?;
    if !super::key_checks::thumbprint_matches(
        &shared.thumbprints,
        &content.encryption_certificate_id,
        &content.encryption_certificate_thumbprint,
    ) {
        return Err(Rejection::UnknownCertificate);
    }
    let plaintext = crypto::open(key, content).map_err(|error| {
        // Per item, so debug only (the batch summary warns) and rate-limited.
        if shared.warnings.admit("item detail").is_some() {
            tracing::debug!(%error, "encryptedContent rejected");
        }
        Rejection::Crypto
    })?;
    let user_id = item
        .resource_data
        .as_ref()
        .and_then(|data| data.id.clone())
        .ok_or(Rejection::Payload)?;
    let presence = decode_presence(shared, &plaintext)?;
    // The encrypted id must name the same user as the clear resourceData (else a valid
    // ciphertext was moved under another user's envelope).
    if presence_id(&presence) != Some(user_id.as_str()) {
        return Err(Rejection::Payload);
    }
    Ok(Notification::Presence(Box::new(PresenceChange {
        subscription_id: item.subscription_id.clone(),
        tenant_id: item.tenant_id.clone(),
        user_id,
        presence,
    })))
}

fn presence_id(presence: &PresenceResource) -> Option<&str> {
    match presence {
        PresenceResource::V1_0(p) => p.id.as_deref(),
        PresenceResource::Beta(p) => p.id.as_deref(),
    }
}

/// Compared with the item's own subscription's value, in constant time (see
/// `ClientStates::matches`); with no source (explicitly opted out), only items without a
/// `clientState` pass.
fn client_state_matches(shared: &Shared, subscription_id: &str, received: Option<&str>) -> bool {
    match &shared.client_states {
        Some(states) => states.matches(subscription_id, received),
        None => received.is_none(),
    }
}

fn decode_presence(shared: &Shared, plaintext: &[u8]) -> Result<PresenceResource, Rejection> {
    let version = shared.version;
    let value: serde_json::Value =
        serde_json::from_slice(plaintext).map_err(|_| Rejection::Payload)?;
    // R16: the type may be written #Microsoft.Graph.presence.
    if let Some(kind) = value.get("@odata.type").and_then(|t| t.as_str())
        && !kind.eq_ignore_ascii_case("#microsoft.graph.presence")
    {
        return Err(Rejection::Payload);
    }
    let presence = match version {
        ApiVersion::V1_0 => serde_json::from_value(value).map(PresenceResource::V1_0),
        ApiVersion::Beta => serde_json::from_value(value).map(PresenceResource::Beta),
    };
    presence.map_err(|error| {
        // serde quotes the payload; per item, so debug, escaped and rate-limited.
        if shared.warnings.admit("item detail").is_some() {
            tracing::debug!(error = %escaped(&error.to_string()), "decrypted resource is not a presence");
        }
        Rejection::Payload
    })
}
