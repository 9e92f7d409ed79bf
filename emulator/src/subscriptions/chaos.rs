//! Delivery faults, set per subscription (R10, R11): duplicate a notification, hold it back
//! (so a later one overtakes it), or drop it and send `missed` (§6.4). Every decision comes
//! from a small seeded generator, so a run with the same seed and the same writes repeats.
//!
//! The subscriber's own faults (a 5xx, an answer slower than 3 s) need no switch here: any
//! non-2xx or late answer is retried on the schedule of [`super::delivery`].

use crate::clock::Clock;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::time::Duration;

/// How often a held-back delivery looks at the emulator's clock (which tests move by hand).
const CLOCK_POLL: Duration = Duration::from_millis(5);

/// The emulator time at which a delivery held back by `hold` from `queued_at` goes out.
pub(crate) fn release_at(queued_at: Timestamp, hold: Duration) -> Timestamp {
    let by = SignedDuration::try_from(hold).unwrap_or(SignedDuration::MAX);
    queued_at.saturating_add(by).unwrap_or(queued_at)
}

/// Returns once the emulator's clock has reached `release`.
///
/// The release time is fixed when the change happens, not when this task first runs: on a
/// busy machine a spawned delivery may start after the test has already moved the clock past
/// the release (or moved it for the last time), and a hold measured from then would never
/// end, so the change would never be delivered.
pub(crate) async fn wait_on_clock(clock: &Clock, release: Timestamp) {
    while clock.now() < release {
        tokio::time::sleep(CLOCK_POLL).await;
    }
}

/// How the emulator mistreats the change notifications of a subscription; all off by default.
///
/// Probabilities are clamped to `0.0..=1.0`. For each change the generator decides, in this
/// order: drop (then nothing else happens), duplicate, and, for each copy on its own, whether
/// to hold it back by a random time up to [`DeliveryFaults::reorder`]'s maximum on the
/// emulator's clock.
/// ```
/// # use presence_emulator::DeliveryFaults;
/// # use std::time::Duration;
/// let faults = DeliveryFaults::seeded(7)
///     .duplicate(0.1)
///     .reorder(0.1, Duration::from_secs(5))
///     .drop_with_missed(0.02)
///     .full_payload();
/// # let _ = faults;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryFaults {
    pub(crate) seed: u64,
    pub(crate) duplicate: f64,
    pub(crate) reorder: f64,
    pub(crate) reorder_max: Duration,
    pub(crate) drop: f64,
    pub(crate) full_payload: bool,
}

impl DeliveryFaults {
    /// No faults yet, decided by a generator started from `seed`.
    pub fn seeded(seed: u64) -> Self {
        DeliveryFaults {
            seed,
            duplicate: 0.0,
            reorder: 0.0,
            reorder_max: Duration::ZERO,
            drop: 0.0,
            full_payload: false,
        }
    }

    /// Delivers a change twice with this probability (R11: at least once).
    pub fn duplicate(mut self, probability: f64) -> Self {
        self.duplicate = clamp(probability);
        self
    }

    /// Holds a delivery back with this probability, by a random time up to `max` on the
    /// emulator's clock: it goes out once the clock has moved that far, so later changes can
    /// arrive first (R11: no order).
    pub fn reorder(mut self, probability: f64, max: Duration) -> Self {
        self.reorder = clamp(probability);
        self.reorder_max = max;
        self
    }

    /// Drops a change with this probability and sends a `missed` lifecycle notification
    /// instead (when the subscription has a lifecycle URL; §6.4).
    pub fn drop_with_missed(mut self, probability: f64) -> Self {
        self.drop = clamp(probability);
        self
    }

    /// Adds `sequenceNumber` to the decrypted payload, the switch of R16 (by default only the
    /// five documented properties are sent). It is the value a read of the presence would have
    /// returned right after the change.
    pub fn full_payload(mut self) -> Self {
        self.full_payload = true;
        self
    }
}

fn clamp(p: f64) -> f64 {
    if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) }
}

/// What the faults did so far to one subscription's notifications.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FaultCounts {
    /// Changes that went out once more.
    pub duplicated: u64,
    /// Deliveries held back on the clock.
    pub delayed: u64,
    /// Changes dropped (each followed by `missed`).
    pub dropped: u64,
}

/// What to do with one change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Drop it and send `missed`.
    Drop,
    /// Post one copy per entry, each after its hold-back on the emulator's clock.
    Send(Vec<Duration>),
}

/// SplitMix64: tiny, fast, and the same numbers on every platform for a seed.
#[derive(Debug, Clone)]
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0.0..1.0` (53 random bits).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }
}

#[derive(Debug)]
struct Entry {
    faults: DeliveryFaults,
    dice: Dice,
    counts: FaultCounts,
}

impl Entry {
    fn new(faults: DeliveryFaults) -> Self {
        Entry {
            dice: Dice(faults.seed),
            faults,
            counts: FaultCounts::default(),
        }
    }
}

/// The faults of every subscription, and the default for subscriptions created later.
#[derive(Debug, Default)]
pub(crate) struct FaultTable {
    default: Option<DeliveryFaults>,
    entries: HashMap<String, Entry>,
}

impl FaultTable {
    pub(crate) fn set(&mut self, subscription_id: &str, faults: Option<DeliveryFaults>) {
        match faults {
            Some(faults) => {
                self.entries
                    .insert(subscription_id.to_owned(), Entry::new(faults));
            }
            None => {
                self.entries.remove(subscription_id);
            }
        }
    }

    /// Faults for every subscription without its own; each subscription gets its own
    /// generator from the seed (mixed with its id, so two subscriptions do not move in step).
    pub(crate) fn set_default(&mut self, faults: Option<DeliveryFaults>) {
        self.default = faults;
    }

    fn entry(&mut self, subscription_id: &str) -> Option<&mut Entry> {
        if !self.entries.contains_key(subscription_id) {
            let mut faults = self.default.clone()?;
            faults.seed ^= fnv1a(subscription_id);
            self.entries
                .insert(subscription_id.to_owned(), Entry::new(faults));
        }
        self.entries.get_mut(subscription_id)
    }

    pub(crate) fn counts(&self, subscription_id: &str) -> FaultCounts {
        self.entries
            .get(subscription_id)
            .map(|e| e.counts)
            .unwrap_or_default()
    }

    pub(crate) fn full_payload(&mut self, subscription_id: &str) -> bool {
        self.entry(subscription_id)
            .is_some_and(|e| e.faults.full_payload)
    }

    /// Decides the fate of the next change of `subscription_id`.
    pub(crate) fn plan(&mut self, subscription_id: &str) -> Plan {
        let Some(entry) = self.entry(subscription_id) else {
            return Plan::Send(vec![Duration::ZERO]);
        };
        let f = &entry.faults;
        let dice = &mut entry.dice;
        if dice.chance(f.drop) {
            entry.counts.dropped += 1;
            return Plan::Drop;
        }
        let copies = if dice.chance(f.duplicate) {
            entry.counts.duplicated += 1;
            2
        } else {
            1
        };
        let mut holds = Vec::with_capacity(copies);
        for _ in 0..copies {
            let hold = if dice.chance(f.reorder) && !f.reorder_max.is_zero() {
                entry.counts.delayed += 1;
                f.reorder_max.mul_f64(dice.unit())
            } else {
                Duration::ZERO
            };
            holds.push(hold);
        }
        Plan::Send(holds)
    }
}

/// FNV-1a of a string: a stable mix of a subscription id into a seed.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(table: &mut FaultTable, id: &str, n: usize) -> Vec<Plan> {
        (0..n).map(|_| table.plan(id)).collect()
    }

    #[test]
    fn the_same_seed_gives_the_same_plans() {
        let faults = DeliveryFaults::seeded(42)
            .duplicate(0.1)
            .reorder(0.1, Duration::from_secs(5))
            .drop_with_missed(0.02);
        let mut a = FaultTable::default();
        let mut b = FaultTable::default();
        a.set("s", Some(faults.clone()));
        b.set("s", Some(faults));
        assert_eq!(run(&mut a, "s", 500), run(&mut b, "s", 500));
        let mut c = FaultTable::default();
        c.set("s", Some(DeliveryFaults::seeded(43).duplicate(0.1)));
        assert_ne!(run(&mut a, "s", 200), run(&mut c, "s", 200));
    }

    #[test]
    fn rates_come_out_near_the_probabilities() {
        let mut table = FaultTable::default();
        table.set_default(Some(
            DeliveryFaults::seeded(1)
                .duplicate(0.1)
                .reorder(0.1, Duration::from_secs(4))
                .drop_with_missed(0.02),
        ));
        let plans = run(&mut table, "sub", 20_000);
        let counts = table.counts("sub");
        assert!((300..=500).contains(&counts.dropped), "{counts:?}");
        assert!((1_700..=2_200).contains(&counts.duplicated), "{counts:?}");
        assert!((1_900..=2_500).contains(&counts.delayed), "{counts:?}");
        let longest = plans
            .iter()
            .filter_map(|p| match p {
                Plan::Send(holds) => holds.iter().max().copied(),
                Plan::Drop => None,
            })
            .max()
            .unwrap();
        assert!(longest <= Duration::from_secs(4) && longest > Duration::from_secs(3));
    }

    #[tokio::test]
    async fn a_hold_counts_from_the_change_not_from_when_its_task_runs() {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        let clock = Clock::manual(start);
        let release = release_at(clock.now(), Duration::from_secs(5));
        // The test moves the clock past the release before the delivery's task starts.
        clock.advance(Duration::from_secs(10));
        let waited = tokio::time::timeout(Duration::from_secs(2), wait_on_clock(&clock, release));
        assert!(waited.await.is_ok(), "a delivery held past its release");
        // A release still ahead keeps it waiting.
        let later = release_at(clock.now(), Duration::from_secs(1));
        let waited = tokio::time::timeout(Duration::from_millis(50), wait_on_clock(&clock, later));
        assert!(waited.await.is_err(), "released before the clock got there");
    }

    #[test]
    fn without_faults_every_change_goes_out_once_at_once() {
        let mut table = FaultTable::default();
        assert_eq!(table.plan("x"), Plan::Send(vec![Duration::ZERO]));
        table.set("x", Some(DeliveryFaults::seeded(9).drop_with_missed(1.0)));
        assert_eq!(table.plan("x"), Plan::Drop);
        table.set("x", None);
        assert_eq!(table.plan("x"), Plan::Send(vec![Duration::ZERO]));
        assert!(!table.full_payload("x"));
    }
}
