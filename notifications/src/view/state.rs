//! What the view holds per user and the one rule for replacing it.

use super::order;
use std::collections::HashMap;

/// One user's presence as the view holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserPresence {
    /// `Available`, `Busy`, ... as Graph sent it.
    pub availability: Option<String>,
    /// `InACall`, `Away`, ... as Graph sent it.
    pub activity: Option<String>,
    /// The `sequenceNumber` it came with, if any (notifications carry one only with the full
    /// payload, R16).
    pub sequence_number: Option<String>,
}

/// A change the view applied: what it held before (`None` for the first value) and after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceUpdate {
    /// The user.
    pub user_id: String,
    /// The value held before.
    pub old: Option<UserPresence>,
    /// The value held now.
    pub new: UserPresence,
}

/// Every watched user's presence, keyed by lowercase id (Graph's ids are GUIDs, R2).
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub users: HashMap<String, UserPresence>,
}

pub(crate) fn key(user_id: &str) -> String {
    user_id.trim().to_ascii_lowercase()
}

impl Table {
    /// Applies `incoming` when it is newer than what is held (order.rs); a value without a
    /// sequence number is applied as it comes. Returns the update when the held value changed.
    pub fn apply(&mut self, user_id: &str, incoming: UserPresence) -> Option<PresenceUpdate> {
        let key = key(user_id);
        let held = self.users.get(&key);
        if let Some(seq) = &incoming.sequence_number
            && !order::is_newer(seq, held.and_then(|h| h.sequence_number.as_deref()))
        {
            return None;
        }
        if held == Some(&incoming) {
            return None;
        }
        let old = self.users.insert(key.clone(), incoming.clone());
        // A newer sequence number with the same availability and activity is kept (it orders
        // what comes next) but is not reported as a change.
        if old.as_ref().is_some_and(|o| {
            o.availability == incoming.availability && o.activity == incoming.activity
        }) {
            return None;
        }
        Some(PresenceUpdate {
            user_id: key,
            old,
            new: incoming,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(a: &str, seq: Option<&str>) -> UserPresence {
        UserPresence {
            availability: Some(a.into()),
            activity: Some(a.into()),
            sequence_number: seq.map(str::to_owned),
        }
    }

    #[test]
    fn only_newer_values_replace_and_duplicates_change_nothing() {
        let mut t = Table::default();
        let first = t.apply("U1", p("Busy", Some("05"))).unwrap();
        assert_eq!((first.old, first.user_id.as_str()), (None, "u1"));
        assert!(t.apply("u1", p("Busy", Some("05"))).is_none());
        assert!(t.apply("u1", p("Away", Some("04"))).is_none());
        let update = t.apply("u1", p("Away", Some("0A"))).unwrap();
        assert_eq!(update.old, Some(p("Busy", Some("05"))));
        assert_eq!(t.users["u1"], p("Away", Some("0A")));
        // Without a sequence number: applied as it comes.
        assert!(t.apply("u1", p("Busy", None)).is_some());
        assert!(t.apply("u1", p("Away", Some("01"))).is_some());
        // Same presence, newer number: kept silently.
        assert!(t.apply("u1", p("Away", Some("02"))).is_none());
        assert_eq!(t.users["u1"].sequence_number.as_deref(), Some("02"));
    }
}
