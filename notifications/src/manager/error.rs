//! Why subscribing failed.

/// Why subscribing failed.
#[derive(Debug, thiserror::Error)]
pub enum ManagerError {
    /// The list of user ids was empty.
    #[error("no user ids to subscribe to")]
    NoUsers,
    /// A user id was empty or only whitespace.
    #[error("user id #{index} is blank")]
    BlankUserId {
        /// Its position in the list given.
        index: usize,
    },
    /// The certificate or its id is not in the form Graph takes (R14).
    #[error("invalid certificate: {0}")]
    Certificate(String),
    /// The given `clientState` is empty, too long or not URL-safe (R12).
    #[error("clientState must have 1 to {max} URL-safe characters")]
    ClientState {
        /// The longest value allowed.
        max: usize,
    },
    /// With a [`ClientStates`](crate::ClientStates) registry, the given `clientState` is below
    /// its entropy floor (issue 22 item 4).
    #[error(transparent)]
    WeakClientState(#[from] crate::client_states::WeakClientState),
    /// Graph refused a call.
    #[error("creating the subscription for `{resource}`: {source}")]
    Graph {
        /// The resource string of the subscription concerned.
        resource: String,
        /// Graph's answer.
        #[source]
        source: Box<msgraph_presence::Error>,
    },
    /// More users than the signed-in users' clients can hold (650 each, R5); nothing was sent.
    #[error(
        "{users} users need {needed} presence subscriptions, one per signed-in user (R5), but {given} signed-in user client(s) were given; add them with Builder::signed_in_user"
    )]
    TooManyUsers {
        /// Distinct user ids asked for.
        users: usize,
        /// Subscriptions (and so signed-in users) they need.
        needed: usize,
        /// Clients given.
        given: usize,
    },
    /// Graph answered 409 and no subscription of this application was found to reuse (R5).
    #[error(
        "Graph answered 409 for `{resource}` (one presence subscription per application and signed-in user) and lists none this manager may reuse"
    )]
    Conflict {
        /// The resource string of the subscription concerned.
        resource: String,
    },
    /// Graph answered 409 and the presence subscription it lists cannot be reused, and
    /// deleting it was not allowed ([`Builder::replace_existing`](super::Builder::replace_existing)): it may be another
    /// instance's (R5).
    #[error(
        "Graph answered 409 for `{resource}`: subscription `{id}` exists and cannot be reused ({reason}); it was not deleted (Builder::replace_existing allows that)"
    )]
    ExistingSubscription {
        /// The resource string of the subscription concerned.
        resource: String,
        /// The existing subscription's id.
        id: String,
        /// Why it cannot be reused.
        reason: &'static str,
    },
}
