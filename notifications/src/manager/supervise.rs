//! Keeps the renewal task running (issue 22, F3). Without this, a panic in the task would let
//! every subscription lapse within the hour with nothing said. The task runs in a task of its
//! own; when it panics, the supervisor logs a `tracing` error, tells the application
//! ([`SubscriptionEvent::RenewalTaskRestarted`]), waits (backing off when it keeps failing) and
//! starts a new one. A normal end (shutdown, or the handle dropped) ends the supervisor too.

use super::SubscriptionEvent;
use super::stats::{Count, Counters};
use super::timing::{BACKOFF_MAX, backoff};
use std::future::Future;
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// Aborts the running task when the supervisor itself is dropped or aborted, so dropping the
/// handle stops everything.
struct AbortOnDrop(JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `start()` until one run ends normally; a run that panics is followed by another.
pub(crate) async fn supervise<F, Fut>(
    mut start: F,
    events: mpsc::Sender<SubscriptionEvent>,
    counters: Arc<Counters>,
) where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    // Failures in a row: a run that lasted long enough starts the count again.
    let mut crashes: u32 = 0;
    loop {
        let started = Instant::now();
        let mut run = AbortOnDrop(tokio::spawn(start()));
        let error = match (&mut run.0).await {
            Ok(()) => return,
            Err(e) if e.is_panic() => panic_message(e.into_panic()),
            Err(_) => "the renewal task was cancelled".to_owned(),
        };
        crashes = if started.elapsed() >= BACKOFF_MAX {
            1
        } else {
            crashes.saturating_add(1)
        };
        let wait = backoff(crashes);
        counters.add(Count::TaskRestart);
        tracing::error!(%error, ?wait, "the renewal task ended unexpectedly; starting it again");
        if let Err(e) =
            events.try_send(SubscriptionEvent::RenewalTaskRestarted { error, after: wait })
        {
            tracing::warn!(error = %e, "subscription event dropped: the application is not reading them");
        }
        tokio::time::sleep(wait).await;
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned());
    format!("the renewal task panicked: {text}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    #[tokio::test(start_paused = true)]
    async fn a_panicking_run_is_reported_and_started_again() {
        let runs = Arc::new(AtomicU32::new(0));
        let counters = Arc::new(Counters::default());
        let (tx, mut rx) = mpsc::channel(8);
        let seen = runs.clone();
        supervise(
            move || {
                let n = seen.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n < 2 {
                        panic!("run {n} failed");
                    }
                }
            },
            tx,
            counters.clone(),
        )
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_eq!(counters.snapshot().task_restarts, 2);
        for n in 0..2 {
            match rx.recv().await.unwrap() {
                SubscriptionEvent::RenewalTaskRestarted { error, after } => {
                    assert!(error.contains(&format!("run {n} failed")), "{error}");
                    assert!(after <= backoff_cap(n + 1), "{after:?}");
                }
                other => panic!("{other:?}"),
            }
        }
        assert!(rx.try_recv().is_err());
    }

    fn backoff_cap(failures: u32) -> std::time::Duration {
        super::super::timing::BACKOFF_BASE * 2u32.pow(failures - 1)
    }

    #[tokio::test(start_paused = true)]
    async fn a_normal_end_is_not_restarted() {
        let runs = Arc::new(AtomicU32::new(0));
        let counters = Arc::new(Counters::default());
        let (tx, mut rx) = mpsc::channel(8);
        let seen = runs.clone();
        supervise(
            move || {
                seen.fetch_add(1, Ordering::SeqCst);
                async {}
            },
            tx,
            counters.clone(),
        )
        .await;
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert_eq!(counters.snapshot().task_restarts, 0);
        assert!(rx.try_recv().is_err());
    }
}
