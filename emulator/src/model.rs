//! What the emulator remembers per user. Plain data; the rules live in [`super::rules`].

use jiff::Timestamp;
use std::collections::{BTreeMap, HashMap};

/// One application's presence session for a user (setPresence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Session {
    /// Canonical spelling of one of the supported combinations.
    pub availability: &'static str,
    pub activity: &'static str,
    /// When setPresence last ran for this session: timeouts count from here (keep-alive).
    pub set_at: Timestamp,
    /// When the session ends on its own (`expirationDuration` after `set_at`).
    pub expires_at: Timestamp,
}

/// The user's preferred presence (setUserPreferredPresence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Preferred {
    pub availability: &'static str,
    pub activity: &'static str,
    pub expires_at: Timestamp,
}

/// The status message (setStatusMessage), kept as sent so it reads back unchanged.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatusMessage {
    /// The `itemBody` as sent (`content`, `contentType`).
    pub message: serde_json::Value,
    /// The `dateTimeTimeZone` as sent, and the instant it denotes.
    pub expiry: Option<(serde_json::Value, Timestamp)>,
    pub published_at: Timestamp,
}

/// One work location signal (manual, automatic or scheduled layer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// Canonical `workLocationType` member, e.g. `office`.
    pub work_location_type: &'static str,
    pub place_id: Option<String>,
}

/// Everything known about one user.
#[derive(Debug, Clone, Default)]
pub(crate) struct UserState {
    /// Sessions by `sessionId`.
    pub sessions: BTreeMap<String, Session>,
    pub preferred: Option<Preferred>,
    pub status_message: Option<StatusMessage>,
    pub manual_location: Option<Location>,
    pub automatic_location: Option<Location>,
    pub scheduled_location: Option<Location>,
    /// Bumped on every change; rendered as `sequenceNumber`.
    pub sequence: u64,
}

impl UserState {
    /// Forgets sessions, preferred presence and a status message whose time is up.
    pub fn prune(&mut self, now: Timestamp) {
        self.sessions.retain(|_, s| s.expires_at > now);
        if self.preferred.as_ref().is_some_and(|p| p.expires_at <= now) {
            self.preferred = None;
        }
        let expired = |m: &StatusMessage| m.expiry.as_ref().is_some_and(|(_, at)| *at <= now);
        if self.status_message.as_ref().is_some_and(expired) {
            self.status_message = None;
        }
    }
}

/// Every user the emulator has seen. A user appears on the first write that names it (or
/// [`super::Emulator::add_user`]); reads never create one.
#[derive(Debug, Default)]
pub(crate) struct State {
    users: HashMap<String, UserState>,
    /// Source of `sequenceNumber`s: one counter for the whole tenant, so they sort by time.
    last_sequence: u64,
}

impl State {
    /// The user's state, pruned at `now`; `None` for a user never seen.
    pub fn user(&mut self, id: &str, now: Timestamp) -> Option<&UserState> {
        let user = self.users.get_mut(id)?;
        user.prune(now);
        Some(user)
    }

    /// The user's state for a change, created if new, pruned at `now`, with a new sequence
    /// number.
    pub fn user_mut(&mut self, id: &str, now: Timestamp) -> &mut UserState {
        self.last_sequence += 1;
        let user = self.users.entry(id.to_owned()).or_default();
        user.prune(now);
        user.sequence = self.last_sequence;
        user
    }
}
