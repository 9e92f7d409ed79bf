//! A presence view: everyone's current presence, kept right through duplicated, reordered and
//! missed notifications and restarts (R11, §6.4).
//!
//! [`ViewBuilder::start`] takes the users, a running [`Receiver`] and the [`Subscriptions`]
//! made for them (subscribe first, so no change falls between the load and the
//! subscription). It then:
//! - loads everyone with `getPresencesByUserId` (650 ids a call, one call per
//!   [`ViewBuilder::pace`]) before it returns, so a restarted process reports nothing
//!   before it has read everyone again;
//! - applies a notification only when its `sequenceNumber` is newer than the one held
//!   ([`order`]); duplicates change nothing; a notification without one (the emulator's and
//!   Graph's default payload, R16) is applied as it comes and its user read again;
//! - hands lifecycle notifications to the manager and reads again the users of a `missed`
//!   (every one, not only the first in a minute) or re-created subscription, and everyone every
//!   [`ViewBuilder::resync_every`].
//!
//! The rule that keeps it right (docs/rulings.md R11): every value, from a notification or a
//! read, goes through the one comparison of [`order`], so a newer value wins whatever order
//! values arrive in, and every `missed` is followed by a read of the users it may concern.
//!
//! What can be stale, and for how long:
//! - a delivered change, until its delivery (Graph retries a failing endpoint for up to 4 h);
//! - a change dropped with `missed`, until the `missed` arrives and the next paced read
//!   completes (one [`ViewBuilder::pace`] plus the read);
//! - a change Graph neither delivers nor reports, until the user's next change or the safety
//!   resync ([`ViewBuilder::resync_every`]);
//! - after a restart nothing is stale in what is reported: [`ViewBuilder::start`] returns only
//!   once everyone has been read.

mod missed;
pub mod order;
mod state;

pub use state::{PresenceUpdate, UserPresence};

use crate::lifecycle::LifecycleEvent;
use crate::manager::{SubscriptionEvent, Subscriptions};
use crate::receiver::{Notification, PresenceResource, Receiver};
use msgraph_presence::{Client, v1_0};
use state::{Table, key};
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// getPresencesByUserId takes at most this many ids.
const BATCH: usize = 650;

/// Why the view could not start.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    /// No user ids were given.
    #[error("no user ids to watch")]
    NoUsers,
    /// The initial read failed.
    #[error("reading presence: {0}")]
    Read(#[from] msgraph_presence::Error),
}

/// Why the view stopped on its own (its change stream then ends).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ViewEnd {
    /// The signed-in user must sign in again: the token provider refused to renew (revoked or
    /// expired refresh token, interaction required), so neither reads nor renewals can go on.
    SignInAgain {
        /// What the token provider said (never a token).
        error: String,
    },
}

impl std::fmt::Display for ViewEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ViewEnd::SignInAgain { error } => write!(f, "the view stopped: {error}"),
        }
    }
}

/// Options of a [`PresenceView`]; see [`PresenceView::builder`].
#[derive(Debug, Clone)]
pub struct ViewBuilder {
    client: Client,
    pace: Duration,
    resync_every: Duration,
    changes: usize,
}

impl ViewBuilder {
    /// The least time between two reads (default 50 ms: 20 calls a second, well inside
    /// Graph's 1500 per 30 s per application and tenant).
    pub fn pace(mut self, pace: Duration) -> Self {
        self.pace = pace;
        self
    }

    /// How often everyone is read again whatever happened (default 15 minutes).
    pub fn resync_every(mut self, every: Duration) -> Self {
        self.resync_every = every.max(Duration::from_millis(1));
        self
    }

    /// How many changes wait for [`PresenceView::take_changes`]'s reader (default 4096; newer
    /// ones are dropped from the stream, never from the view, when nobody reads).
    pub fn change_capacity(mut self, capacity: usize) -> Self {
        self.changes = capacity.max(1);
        self
    }

    /// Loads everyone, then keeps the view up to date on the current tokio runtime.
    ///
    /// # Errors
    ///
    /// No users, or the initial read failed.
    pub async fn start<S: AsRef<str>>(
        self,
        user_ids: &[S],
        receiver: Receiver,
        mut subscriptions: Subscriptions,
    ) -> Result<PresenceView, ViewError> {
        let mut users: Vec<String> = user_ids
            .iter()
            .map(|u| key(u.as_ref()))
            .filter(|u| !u.is_empty())
            .collect();
        users.sort();
        users.dedup();
        if users.is_empty() {
            return Err(ViewError::NoUsers);
        }
        let table = Arc::new(Mutex::new(Table::default()));
        let (changes_tx, changes) = mpsc::channel(self.changes);
        let mut reader = Reader {
            client: self.client,
            pace: self.pace,
            last: None,
        };
        // Restart rule: nothing is reported before everyone has been read.
        for batch in users.chunks(BATCH) {
            for (user, presence) in reader.read(batch).await? {
                lock(&table).apply(&user, presence);
            }
        }
        let events = subscriptions.take_events();
        let (stop, stopped) = oneshot::channel();
        let ended = Arc::new(Mutex::new(None));
        let task = Task {
            ended: Arc::clone(&ended),
            users,
            table: Arc::clone(&table),
            changes: changes_tx,
            reader,
            pending: BTreeSet::new(),
            resync_every: self.resync_every,
        };
        let join = tokio::spawn(task.run(receiver, subscriptions, events, stopped));
        Ok(PresenceView {
            ended,
            table,
            changes: Some(changes),
            stop: Some(stop),
            join: Some(join),
        })
    }
}

/// Everyone's presence, kept up to date; see the [module docs](self).
pub struct PresenceView {
    ended: Arc<Mutex<Option<ViewEnd>>>,
    table: Arc<Mutex<Table>>,
    changes: Option<mpsc::Receiver<PresenceUpdate>>,
    stop: Option<oneshot::Sender<()>>,
    join: Option<tokio::task::JoinHandle<Subscriptions>>,
}

fn lock(table: &Mutex<Table>) -> std::sync::MutexGuard<'_, Table> {
    table.lock().unwrap_or_else(PoisonError::into_inner)
}

impl PresenceView {
    /// Options; reads go through `client` (v1.0, `Presence.Read.All`).
    pub fn builder(client: &Client) -> ViewBuilder {
        ViewBuilder {
            client: client.clone(),
            pace: Duration::from_millis(50),
            resync_every: Duration::from_secs(15 * 60),
            changes: 4096,
        }
    }

    /// One user's presence (`None` for a user the view does not watch).
    pub fn get(&self, user_id: &str) -> Option<UserPresence> {
        lock(&self.table).users.get(&key(user_id)).cloned()
    }

    /// Everyone's presence, by lowercase user id.
    pub fn snapshot(&self) -> HashMap<String, UserPresence> {
        lock(&self.table).users.clone()
    }

    /// Why the view stopped on its own, once it has (its change stream has then ended);
    /// `None` while it runs or after [`Self::shutdown`].
    pub fn ended(&self) -> Option<ViewEnd> {
        self.ended
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The changes the view applies, old to new, in the order it applied them; `None` after
    /// the first call. The stream ends when the view stops ([`Self::ended`] says why).
    pub fn take_changes(&mut self) -> Option<mpsc::Receiver<PresenceUpdate>> {
        self.changes.take()
    }

    /// Stops the view and shuts its subscriptions' renewal down (R4: they expire on their own;
    /// a later subscribe reuses them, R5).
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(join) = self.join.take()
            && let Ok(subscriptions) = join.await
        {
            subscriptions.shutdown().await;
        }
    }
}

impl std::fmt::Debug for PresenceView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresenceView")
            .field("users", &lock(&self.table).users.len())
            .finish_non_exhaustive()
    }
}

impl Drop for PresenceView {
    fn drop(&mut self) {
        if let Some(join) = &self.join {
            join.abort();
        }
    }
}

/// Paced getPresencesByUserId calls.
struct Reader {
    client: Client,
    pace: Duration,
    last: Option<tokio::time::Instant>,
}

impl Reader {
    async fn read(
        &mut self,
        ids: &[String],
    ) -> Result<Vec<(String, UserPresence)>, msgraph_presence::Error> {
        if let Some(last) = self.last {
            tokio::time::sleep_until(last + self.pace).await;
        }
        self.last = Some(tokio::time::Instant::now());
        let body = v1_0::models::GetPresencesByUserIdRequest::new(ids.to_vec());
        let page = self
            .client
            .v1_0()
            .communications()
            .get_presences_by_user_id(&body)
            .await?;
        Ok(page
            .value
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| {
                let id = p.id.clone()?;
                Some((id, from_v1(&p)))
            })
            .collect())
    }
}

fn from_v1(p: &v1_0::models::Presence) -> UserPresence {
    UserPresence {
        availability: p.availability.as_ref().map(|a| a.as_str().to_owned()),
        activity: p.activity.as_ref().map(|a| a.as_str().to_owned()),
        sequence_number: p.sequence_number.clone(),
    }
}

fn from_resource(resource: &PresenceResource) -> UserPresence {
    let sequence_number = match resource {
        PresenceResource::V1_0(p) => p.sequence_number.clone(),
        PresenceResource::Beta(p) => p.sequence_number.clone(),
    };
    UserPresence {
        availability: resource.availability().map(str::to_owned),
        activity: resource.activity().map(str::to_owned),
        sequence_number,
    }
}

/// The running view.
struct Task {
    /// Set, before the loop ends, when the view stops on its own.
    ended: Arc<Mutex<Option<ViewEnd>>>,
    users: Vec<String>,
    table: Arc<Mutex<Table>>,
    changes: mpsc::Sender<PresenceUpdate>,
    reader: Reader,
    /// Users to read again, coalesced.
    pending: BTreeSet<String>,
    resync_every: Duration,
}

impl Task {
    async fn run(
        mut self,
        mut receiver: Receiver,
        subscriptions: Subscriptions,
        mut events: Option<mpsc::Receiver<SubscriptionEvent>>,
        mut stopped: oneshot::Receiver<()>,
    ) -> Subscriptions {
        let mut safety = tokio::time::interval(self.resync_every);
        safety.tick().await;
        loop {
            let reading = !self.pending.is_empty();
            // Unbiased: a steady stream of notifications must not starve the reads.
            tokio::select! {
                _ = &mut stopped => break,
                notification = receiver.next() => match notification {
                    Some(Notification::Presence(change)) => {
                        let incoming = from_resource(&change.presence);
                        if incoming.sequence_number.is_none() {
                            // No order to go by: apply, then confirm with a read.
                            self.pending.insert(key(&change.user_id));
                        }
                        self.apply(&change.user_id, incoming);
                    }
                    Some(Notification::Lifecycle(l)) => {
                        if l.event == LifecycleEvent::Missed {
                            let held = subscriptions.subscriptions();
                            let users = missed::users_to_read(&held, &l.subscription_id, &self.users);
                            self.pending.extend(users);
                        }
                        subscriptions.on_lifecycle(&l.subscription_id, l.event);
                    }
                    None => break,
                },
                Some(event) = next_event(&mut events) => match event {
                    SubscriptionEvent::Missed { user_ids, .. }
                    | SubscriptionEvent::Recreated { user_ids, .. } => {
                        self.pending.extend(user_ids.iter().map(|u| key(u)));
                    }
                    // Renewals stopped for a while: a subscription may have lapsed and changes
                    // gone undelivered, so everyone is read again.
                    SubscriptionEvent::RenewalTaskRestarted { .. } => {
                        self.pending.extend(self.users.iter().cloned());
                    }
                    SubscriptionEvent::SignInRequired { error, .. } => {
                        self.end(ViewEnd::SignInAgain { error });
                        break;
                    }
                    SubscriptionEvent::Failed { .. } => {}
                },
                _ = safety.tick() => self.pending.extend(self.users.iter().cloned()),
                () = std::future::ready(()), if reading => {
                    if let Err(end) = self.resync().await {
                        self.end(end);
                        break;
                    }
                }
            }
        }
        subscriptions
    }

    fn end(&self, end: ViewEnd) {
        tracing::error!(%end, "presence view stopped");
        *self.ended.lock().unwrap_or_else(PoisonError::into_inner) = Some(end);
    }

    /// Reads up to 650 pending users; a failed read puts them back for the next round.
    async fn resync(&mut self) -> Result<(), ViewEnd> {
        let batch: Vec<String> = self.pending.iter().take(BATCH).cloned().collect();
        for user in &batch {
            self.pending.remove(user);
        }
        match self.reader.read(&batch).await {
            Ok(read) => {
                for (user, presence) in read {
                    self.apply(&user, presence);
                }
            }
            Err(error) if error.is_sign_in_again() => {
                return Err(ViewEnd::SignInAgain {
                    error: error.to_string(),
                });
            }
            Err(error) => {
                tracing::warn!(%error, users = batch.len(), "presence resync failed; retrying");
                self.pending.extend(batch);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        Ok(())
    }

    fn apply(&self, user: &str, presence: UserPresence) {
        let update = lock(&self.table).apply(user, presence);
        if let Some(update) = update {
            // A full stream drops the change from the stream only; the view holds it.
            let _ = self.changes.try_send(update);
        }
    }
}

async fn next_event(
    events: &mut Option<mpsc::Receiver<SubscriptionEvent>>,
) -> Option<SubscriptionEvent> {
    match events {
        Some(events) => events.recv().await,
        None => std::future::pending().await,
    }
}
