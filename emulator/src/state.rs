//! The state one emulator's requests share: presence, subscriptions, the clock, queued faults
//! and the request journal. Every module that serves requests reads it from here, so none of
//! them depends on the module that starts the server (`server.rs`) or on another's routes.

use super::clock::Clock;
use super::fault::FaultQueue;
use super::journal::Journal;
use super::model::State;
use super::subscriptions::delivery::Deliverer;
use super::subscriptions::store::Store;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// One request the emulator answered, in arrival order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `POST`.
    pub method: String,
    /// The path as sent (percent-encoded), e.g. `/v1.0/users/u1/presence`.
    pub path: String,
    /// The status code the emulator answered with.
    pub status: u16,
}

/// State shared by every request of one emulator.
#[derive(Debug)]
pub(crate) struct Shared {
    pub state: Mutex<State>,
    pub clock: Clock,
    pub signed_in_user: String,
    pub subscriptions: Mutex<Store>,
    pub deliverer: Deliverer,
    pub base_url: String,
    /// The emulated directory (users, groups), read by `directory/`.
    pub directory: Mutex<super::directory::Directory>,
    faults: Mutex<FaultQueue>,
    journal: Mutex<Journal<RecordedRequest>>,
    serial: AtomicU64,
}

impl Shared {
    pub fn new(
        clock: Clock,
        signed_in_user: String,
        deliverer: Deliverer,
        base_url: String,
        journal_capacity: usize,
    ) -> Self {
        Shared {
            state: Mutex::new(State::default()),
            clock,
            signed_in_user,
            subscriptions: Mutex::new(Store::new()),
            deliverer,
            base_url,
            directory: Mutex::default(),
            faults: Mutex::new(FaultQueue::default()),
            journal: Mutex::new(Journal::new(journal_capacity)),
            serial: AtomicU64::new(0),
        }
    }

    /// The number of the next request, for its `request-id`.
    pub fn next_serial(&self) -> u64 {
        self.serial.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// The queued faults. A handler that panicked while holding the lock leaves a queue that
    /// is still consistent (every change is one push, pop or clear), so poisoning is ignored.
    pub fn faults(&self) -> MutexGuard<'_, FaultQueue> {
        self.faults.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn record(&self, request: RecordedRequest) {
        self.journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(request);
    }

    /// The requests answered so far that the journal still holds, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entries()
    }

    /// How many older requests the journal dropped to stay within its capacity.
    pub fn requests_dropped(&self) -> u64 {
        self.journal
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .dropped()
    }
}
