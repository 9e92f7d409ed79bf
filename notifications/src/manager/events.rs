//! What the manager tells the application: events of its subscriptions, and their state.

use jiff::Timestamp;
use std::time::Duration;

/// What the application should know about: notifications were or may have been lost, so it
/// should read the users' presence again (`getPresencesByUserId`, §6.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubscriptionEvent {
    /// Graph reported `missed` notifications for this subscription.
    Missed {
        /// The subscription concerned.
        subscription_id: String,
        /// The users it watches: the ones to read again.
        user_ids: Vec<String>,
    },
    /// The subscription was gone (404 or `subscriptionRemoved`) and was created again; changes
    /// in between were not delivered.
    Recreated {
        /// The id Graph no longer knows.
        old_id: String,
        /// The id of the new subscription.
        new_id: String,
        /// The users it watches: the ones to read again.
        user_ids: Vec<String>,
    },
    /// Keeping the subscription alive failed; the task retries later (backing off).
    Failed {
        /// The subscription, `None` when none exists at the moment.
        subscription_id: Option<String>,
        /// The users it watches.
        user_ids: Vec<String>,
        /// What went wrong.
        error: String,
    },
    /// The signed-in user must sign in again (the refresh token was revoked or expired, or
    /// interaction is required): the renewal task stopped, since no retry can help, and the
    /// subscriptions will lapse. Sign in again and subscribe anew (R5 reuses them after a 409).
    SignInRequired {
        /// The subscription whose renewal found it out.
        subscription_id: Option<String>,
        /// The users it watches.
        user_ids: Vec<String>,
        /// What the token provider said (never a token).
        error: String,
    },
    /// The renewal task ended unexpectedly (it panicked) and is started again `after` this
    /// wait, from the subscriptions as last recorded.
    RenewalTaskRestarted {
        /// Why it ended.
        error: String,
        /// The wait before the new task starts.
        after: Duration,
    },
}

/// One subscription the manager keeps alive, as it stands. Its `Debug` hides the
/// `clientState` (a secret).
#[derive(Clone, PartialEq)]
pub struct ManagedSubscription {
    /// Graph's id (empty while a re-creation is pending).
    pub id: String,
    /// The resource string sent (R2).
    pub resource: String,
    /// The users it watches (at most 650).
    pub user_ids: Vec<String>,
    /// The `clientState` sent, for the receiver to compare.
    pub client_state: String,
    /// When it expires unless renewed, as Graph answered.
    pub expires: Timestamp,
}

impl std::fmt::Debug for ManagedSubscription {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManagedSubscription")
            .field("id", &self.id)
            .field("resource", &self.resource)
            .field("user_ids", &self.user_ids)
            .field("client_state", &"<redacted>")
            .field("expires", &self.expires)
            .finish()
    }
}
