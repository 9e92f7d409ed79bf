//! Checking on every core, off the async executor (issue 19): the HTTP side queues each
//! accepted body; a dispatcher hands each one to a blocking thread (at most one per core at a
//! time), and a deliverer passes the verdicts to the application in the order the bodies were
//! accepted, as the single worker did.
//!
//! Backpressure runs back to the HTTP side: an application that stops reading fills the
//! notification channel, then the in-flight list, then the queue, and the queue's `try_send`
//! failure is answered `503` with `Retry-After` (http.rs). Nothing is dropped silently.

use super::Shared;
use super::events::Notification;
use super::stats::Rejection;
use super::worker::check_batch;
use msgraph_presence::v1_0::models::ChangeNotificationCollection;
use std::sync::Arc;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinHandle;

type Verdicts = Vec<Result<Notification, Rejection>>;

/// How many bodies are checked at once: one per core the process may use.
pub(super) fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Starts the dispatcher and the deliverer on the current tokio runtime.
pub(super) fn start(
    shared: Arc<Shared>,
    queue: mpsc::Receiver<ChangeNotificationCollection>,
    events: mpsc::Sender<Notification>,
    workers: usize,
) {
    // Checks started but not yet delivered, oldest first. Twice the workers keeps every core
    // busy while the deliverer waits on the oldest.
    let (in_flight, pending) = mpsc::channel(workers * 2);
    tokio::spawn(dispatch(Arc::clone(&shared), queue, in_flight, workers));
    tokio::spawn(deliver(shared, pending, events));
}

async fn dispatch(
    shared: Arc<Shared>,
    mut queue: mpsc::Receiver<ChangeNotificationCollection>,
    in_flight: mpsc::Sender<JoinHandle<Verdicts>>,
    workers: usize,
) {
    let slots = Arc::new(Semaphore::new(workers));
    while let Some(collection) = queue.recv().await {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let shared = Arc::clone(&shared);
        // The checks log where the receiver runs: a blocking thread has no scoped subscriber
        // of its own, so it borrows the one this task sees.
        let logs = tracing::dispatcher::get_default(Clone::clone);
        let check = tokio::task::spawn_blocking(move || {
            // A checking thread may wait for the key refresh an unknown `kid` starts.
            let verdicts = tracing::dispatcher::with_default(&logs, || {
                super::keys::with_waiting_allowed(|| check_batch(&shared, collection))
            });
            // The core is free as soon as the check is done, whatever delivery waits for.
            drop(slot);
            verdicts
        });
        if in_flight.send(check).await.is_err() {
            // The deliverer stopped: the application dropped its stream.
            return;
        }
    }
}

async fn deliver(
    shared: Arc<Shared>,
    mut pending: mpsc::Receiver<JoinHandle<Verdicts>>,
    events: mpsc::Sender<Notification>,
) {
    while let Some(check) = pending.recv().await {
        let verdicts = match check.await {
            Ok(verdicts) => verdicts,
            Err(error) => {
                // A panic in a check loses that body's items: say so loudly, keep serving.
                tracing::error!(%error, "checking a notification body failed");
                continue;
            }
        };
        for verdict in verdicts {
            match verdict {
                Ok(notification) => {
                    if events.send(notification).await.is_err() {
                        tracing::debug!("the application dropped its notification stream");
                        return;
                    }
                    shared.stats.delivered();
                }
                Err(reason) => shared.stats.rejected(reason),
            }
        }
    }
}
