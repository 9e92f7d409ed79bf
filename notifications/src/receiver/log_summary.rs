//! One log line per checked batch (issue 22 F10): counts by reason and the first few
//! subscription ids, escaped, instead of a warning per item that a 1 MiB body could turn into
//! tens of thousands of lines.

use super::escape::escaped;
use super::stats::Rejection;
use super::warn_limit::WarnLimit;
use std::fmt::Write as _;

/// Subscription ids of dropped items named in the summary; the rest are only counted.
const FIRST_IDS: usize = 3;

/// What happened to one batch's items.
#[derive(Debug, Default)]
pub(crate) struct BatchSummary {
    items: u64,
    delivered: u64,
    rejected: Vec<(Rejection, u64)>,
    first_ids: Vec<String>,
}

impl BatchSummary {
    /// Notes one item's verdict.
    pub(crate) fn record(&mut self, subscription_id: &str, verdict: Result<(), Rejection>) {
        self.items += 1;
        let Err(reason) = verdict else {
            self.delivered += 1;
            return;
        };
        match self.rejected.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, count)) => *count += 1,
            None => self.rejected.push((reason, 1)),
        }
        if self.first_ids.len() < FIRST_IDS {
            self.first_ids.push(escaped(subscription_id));
        }
    }

    /// `ClientState=2 Crypto=1`, in the order the reasons first appeared.
    fn counts(&self) -> String {
        let mut out = String::new();
        for (reason, count) in &self.rejected {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = write!(out, "{reason:?}={count}");
        }
        out
    }

    /// Writes the summary: `debug` when all passed, else one rate-limited `warn`.
    pub(crate) fn log(&self, limit: &WarnLimit) {
        if self.rejected.is_empty() {
            tracing::debug!(items = self.items, "batch checked; every item delivered");
            return;
        }
        let Some(suppressed) = limit.admit("batch summary") else {
            return;
        };
        tracing::warn!(
            items = self.items,
            delivered = self.delivered,
            rejected = %self.counts(),
            subscriptions = %self.first_ids.join(", "),
            suppressed,
            "notification items dropped"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_by_reason_and_the_first_ids_escaped() {
        let mut summary = BatchSummary::default();
        summary.record("ok", Ok(()));
        summary.record("a\nb", Err(Rejection::ClientState));
        summary.record("c", Err(Rejection::Crypto));
        summary.record("d", Err(Rejection::ClientState));
        summary.record("e", Err(Rejection::ClientState));
        assert_eq!(summary.counts(), "ClientState=3 Crypto=1");
        assert_eq!(summary.first_ids, ["a\\u{a}b", "c", "d"]);
        assert_eq!((summary.items, summary.delivered), (5, 1));
    }
}
