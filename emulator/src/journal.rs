//! A bounded log: the request and delivery journals keep the newest entries only, so an
//! emulator left running (the standalone binary, a long soak test) does not grow without end.

use std::collections::VecDeque;

/// Entries each journal keeps unless [`EmulatorBuilder::journal_capacity`](crate::EmulatorBuilder::journal_capacity)
/// says otherwise; older ones are dropped and counted.
pub const DEFAULT_JOURNAL_CAPACITY: usize = 10_000;

/// The newest `capacity` entries, and how many older ones were dropped.
#[derive(Debug)]
pub(crate) struct Journal<T> {
    entries: VecDeque<T>,
    capacity: usize,
    dropped: u64,
}

impl<T: Clone> Journal<T> {
    /// A capacity of 0 is taken as 1: a journal that keeps nothing would hide every answer.
    pub(crate) fn new(capacity: usize) -> Self {
        Journal {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            dropped: 0,
        }
    }

    pub(crate) fn push(&mut self, entry: T) {
        if self.entries.len() == self.capacity {
            self.entries.pop_front();
            self.dropped = self.dropped.saturating_add(1);
        }
        self.entries.push_back(entry);
    }

    /// Oldest first.
    pub(crate) fn entries(&self) -> Vec<T> {
        self.entries.iter().cloned().collect()
    }

    pub(crate) fn dropped(&self) -> u64 {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::Journal;

    #[test]
    fn keeps_the_newest_and_counts_the_dropped() {
        let mut journal = Journal::new(3);
        for n in 0..5 {
            journal.push(n);
        }
        assert_eq!(journal.entries(), vec![2, 3, 4]);
        assert_eq!(journal.dropped(), 2);
        let mut tiny = Journal::new(0);
        tiny.push('a');
        tiny.push('b');
        assert_eq!((tiny.entries(), tiny.dropped()), (vec!['b'], 1));
    }
}
