//! Counts of what the receiver did, observable by tests and health checks.

use tokio::sync::watch;

/// Why an item was dropped instead of reaching the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// `clientState` missing or not one of the configured values.
    ClientState,
    /// A `validationTokens` JWT is missing, expired, badly signed or names the wrong party.
    ValidationToken,
    /// `encryptionCertificateId` names no configured private key.
    UnknownCertificate,
    /// The signature did not match, or the key or data would not decrypt.
    Crypto,
    /// The decrypted resource is not a presence, or does not match `resourceData`.
    Payload,
    /// A change item without `encryptedContent`: the receiver accepts rich notifications only (R7).
    NotRich,
    /// An item of the batch that does not decode as a change notification (e.g. a wrong-typed field).
    Malformed,
    /// A rich notification already accepted within the replay window (issue 22 item 6).
    Duplicate,
    /// The item's `tenantId` is not on the receiver's tenant allow-list.
    Tenant,
}

/// A snapshot of the counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Items handed to the application.
    pub delivered: u64,
    /// Items dropped, by reason (indexed as [`Counts::rejected`] reads them).
    rejected: [u64; 9],
    /// Request bodies refused before queuing (invalid JSON, too large, queue full).
    pub refused_bodies: u64,
    /// Of those, the bodies answered `503` because the queue was full or the workers had
    /// stopped (Graph delivers them again later).
    pub queue_full: u64,
    /// Of the refused bodies, those over the size limit (answered 413).
    pub too_large: u64,
    /// Validation tokens rejected because their `kid` named no loaded signing key (each such
    /// token also makes its batch's rich items count as [`Rejection::ValidationToken`]).
    pub unknown_signing_keys: u64,
    /// Signing key sets fetched and swapped in.
    pub key_fetches: u64,
    /// Signing key fetches that failed (the last good set stayed).
    pub key_fetch_failures: u64,
}

impl Counts {
    /// Items dropped for `reason`.
    pub fn rejected(&self, reason: Rejection) -> u64 {
        self.rejected[reason as usize]
    }

    /// Items dropped for any reason.
    pub fn rejected_total(&self) -> u64 {
        self.rejected.iter().sum()
    }
}

/// A handle on the receiver's counters; cloning shares them.
#[derive(Debug, Clone)]
pub struct Stats {
    sender: std::sync::Arc<watch::Sender<Counts>>,
}

impl Stats {
    pub(crate) fn new() -> Self {
        Stats {
            sender: std::sync::Arc::new(watch::channel(Counts::default()).0),
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> Counts {
        *self.sender.borrow()
    }

    /// Waits until `condition` holds for the counters (it is checked on every change).
    pub async fn wait_for(&self, condition: impl FnMut(&Counts) -> bool) -> Counts {
        let mut receiver = self.sender.subscribe();
        // The sender lives as long as `self`, so waiting cannot fail.
        match receiver.wait_for(condition).await {
            Ok(counts) => *counts,
            Err(_) => self.snapshot(),
        }
    }

    pub(crate) fn delivered(&self) {
        self.sender.send_modify(|c| c.delivered += 1);
    }

    pub(crate) fn rejected(&self, reason: Rejection) {
        self.sender
            .send_modify(|c| c.rejected[reason as usize] += 1);
    }

    pub(crate) fn too_large(&self) {
        self.sender.send_modify(|c| c.too_large += 1);
    }

    pub(crate) fn refused_body(&self) {
        self.sender.send_modify(|c| c.refused_bodies += 1);
    }

    /// A body refused with `503`: counted among the refused bodies and on its own.
    pub(crate) fn queue_full(&self) {
        self.sender.send_modify(|c| {
            c.refused_bodies += 1;
            c.queue_full += 1;
        });
    }

    pub(crate) fn unknown_signing_key(&self) {
        self.sender.send_modify(|c| c.unknown_signing_keys += 1);
    }

    pub(crate) fn key_fetch(&self, ok: bool) {
        self.sender.send_modify(|c| {
            if ok {
                c.key_fetches += 1;
            } else {
                c.key_fetch_failures += 1;
            }
        });
    }
}
