//! Which `clientState` each subscription was created with (issue 22 item 4), shared between the
//! manager that writes it and the receiver that reads it. One app-wide string fixed at build
//! could be guessed once and used against every subscription; here each subscription has its
//! own random value, compared for that subscription only.
//!
//! A create request is in flight before Graph names the subscription, and Graph may notify
//! before the answer arrives; such a value is *pending* and matches any subscription not yet
//! bound, until [`ClientStates::bind`] ties it to the id.

use base64::Engine as _;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};
use subtle::ConstantTimeEq;

/// Shortest value accepted: 22 base64url characters carry 132 bits when drawn at random.
pub const MIN_CLIENT_STATE_CHARS: usize = 22;
/// Fewest distinct characters accepted: a random 22-character value has about 19, so this
/// only refuses obvious patterns (`aaaa…`, `abab…`, `0123…` in short cycles).
const MIN_DISTINCT_CHARS: usize = 10;

/// A value refused by [`ClientStates`]: too short, outside base64url, or too repetitive to
/// hold 128 bits of entropy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a clientState needs at least {MIN_CLIENT_STATE_CHARS} base64url characters (A-Z a-z 0-9 - _) \
     drawn at random, i.e. 128 bits of entropy; use ClientStates::random_value()"
)]
pub struct WeakClientState;

/// The registry: cheap to clone, every clone sees the same values.
#[derive(Clone, Default)]
pub struct ClientStates {
    inner: Arc<RwLock<Inner>>,
}

#[derive(Default)]
struct Inner {
    /// Subscription id → its value.
    bound: HashMap<String, String>,
    /// Values of creates still in flight.
    pending: Vec<String>,
    /// App-wide values accepted for any subscription (the receiver builder's `client_state`).
    any: Vec<String>,
}

impl ClientStates {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// A fresh value: 32 bytes from the operating system's CSPRNG, base64url (43 characters,
    /// URL-safe and within Graph's 128-character limit, R12).
    ///
    /// # Panics
    ///
    /// If the operating system has no random source.
    pub fn random_value() -> String {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Whether `value` passes the entropy floor (see [`WeakClientState`]).
    pub fn is_strong(value: &str) -> bool {
        let base64url = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        let mut distinct: Vec<u8> = value.bytes().collect();
        distinct.sort_unstable();
        distinct.dedup();
        value.len() >= MIN_CLIENT_STATE_CHARS && base64url && distinct.len() >= MIN_DISTINCT_CHARS
    }

    fn checked(value: &str) -> Result<(), WeakClientState> {
        if Self::is_strong(value) {
            Ok(())
        } else {
            Err(WeakClientState)
        }
    }

    /// A create request with `value` is about to be sent.
    ///
    /// # Errors
    ///
    /// A weak value.
    pub fn insert_pending(&self, value: &str) -> Result<(), WeakClientState> {
        Self::checked(value)?;
        self.write().pending.push(value.to_owned());
        Ok(())
    }

    /// Graph created `subscription_id` with `value`: it now matches that subscription only.
    ///
    /// # Errors
    ///
    /// A weak value.
    pub fn bind(&self, subscription_id: &str, value: &str) -> Result<(), WeakClientState> {
        Self::checked(value)?;
        let mut inner = self.write();
        inner.pending.retain(|p| p != value);
        inner
            .bound
            .insert(subscription_id.to_owned(), value.to_owned());
        Ok(())
    }

    /// The create with `value` failed: forget it.
    pub fn remove_pending(&self, value: &str) {
        self.write().pending.retain(|p| p != value);
    }

    /// The subscription is gone (deleted, or replaced by a new one).
    pub fn remove(&self, subscription_id: &str) {
        self.write().bound.remove(subscription_id);
    }

    /// A value accepted for every subscription (the older, app-wide style).
    ///
    /// # Errors
    ///
    /// A weak value.
    pub fn insert_for_any(&self, value: &str) -> Result<(), WeakClientState> {
        Self::checked(value)?;
        self.write().any.push(value.to_owned());
        Ok(())
    }

    /// Whether `received` is the value of `subscription_id` (or a pending or app-wide one when
    /// that subscription is not bound yet). Each candidate is compared in constant time and all
    /// are compared, so the time says nothing about which, if any, matched.
    pub(crate) fn matches(&self, subscription_id: &str, received: Option<&str>) -> bool {
        let Some(received) = received else {
            return false;
        };
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        let mut matched = subtle::Choice::from(0);
        let mut compare = |expected: &String| {
            matched |= expected.as_bytes().ct_eq(received.as_bytes());
        };
        match inner.bound.get(subscription_id) {
            Some(own) => compare(own),
            None => inner.pending.iter().for_each(&mut compare),
        }
        inner.any.iter().for_each(&mut compare);
        bool::from(matched)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Counts only: the values are secrets.
impl std::fmt::Debug for ClientStates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.inner.read().unwrap_or_else(PoisonError::into_inner);
        f.debug_struct("ClientStates")
            .field("bound", &inner.bound.len())
            .field("pending", &inner.pending.len())
            .field("any", &inner.any.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_values_are_refused() {
        let states = ClientStates::new();
        for weak in [
            "",
            "a",
            "presence-watch-1234",
            &"a".repeat(40),
            &"ab".repeat(20),
        ] {
            assert_eq!(states.insert_pending(weak), Err(WeakClientState), "{weak}");
        }
        assert_eq!(
            states.insert_for_any("has space and is long enough 12345"),
            Err(WeakClientState)
        );
        let random = ClientStates::random_value();
        assert_eq!(random.len(), 43);
        assert!(ClientStates::is_strong(&random));
        assert_ne!(random, ClientStates::random_value());
    }

    #[test]
    fn a_value_matches_its_own_subscription_only() {
        let states = ClientStates::new();
        let (a, b) = (ClientStates::random_value(), ClientStates::random_value());
        states.insert_pending(&a).unwrap();
        // Pending: any subscription not bound yet.
        assert!(states.matches("sub-a", Some(&a)));
        states.bind("sub-a", &a).unwrap();
        states.insert_pending(&b).unwrap();
        states.bind("sub-b", &b).unwrap();
        assert!(states.matches("sub-a", Some(&a)));
        assert!(!states.matches("sub-a", Some(&b)), "b belongs to sub-b");
        assert!(!states.matches("sub-c", Some(&a)), "a is no longer pending");
        assert!(!states.matches("sub-a", None));
        states.remove("sub-a");
        assert!(!states.matches("sub-a", Some(&a)));
        let clone = states.clone();
        clone.remove("sub-b");
        assert!(
            !states.matches("sub-b", Some(&b)),
            "clones share the registry"
        );
        assert!(!format!("{states:?}").contains(&b));
    }
}
