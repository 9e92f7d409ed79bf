//! Whether to resend a failed attempt, and after how long: a pure function of the policy and
//! what has happened so far. No I/O, no clock, no randomness (the jitter is an input), so every
//! edge can be tested without a server or a sleep.

use super::retry::{RETRYABLE_STATUSES, RetryPolicy};
use crate::TransportKind;
use std::time::Duration;

/// How an attempt failed, as far as retrying cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The service answered with this status.
    Status(u16),
    /// No answer: the connection or the timeout failed. Never retried, because the request may
    /// have reached the service and a POST is not known to be idempotent.
    Transport(TransportKind),
    /// The attempt failed before anything was sent or after the answer (token, header value,
    /// oversized body): resending would fail the same way.
    Local,
}

/// What the failed attempt tells the decision.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Attempted {
    /// Throttling retries already made for this call (0 after the first send).
    pub(crate) retries: u32,
    /// Time already spent waiting between attempts of this call.
    pub(crate) waited: Duration,
    pub(crate) failure: Failure,
    /// The response's parsed `Retry-After`, when it had one.
    pub(crate) retry_after: Option<Duration>,
    /// The random draw in [0, 1] that spreads backoff waits (unused when `retry_after` is set).
    pub(crate) jitter: f64,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Wait this long, then send again.
    Retry(Duration),
    /// Return the attempt's error.
    GiveUp(GiveUp),
}

/// Why a call stops retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GiveUp {
    /// The failure is not one a resend could fix (not 429, 503 or 504).
    NotRetryable,
    /// The policy's retries are used up.
    Exhausted,
    /// The next wait (`delay`) would take the call past the policy's total waiting budget.
    OverBudget { delay: Duration },
}

/// Decides the next step after `attempted` under `policy`.
///
/// Order of the checks, as the transport always applied them: a failure that is not retryable
/// gives up first, then the retry count, then the waiting budget. A `Retry-After` above the
/// policy's per-wait maximum is honoured as long as it fits the budget.
pub(crate) fn decide(policy: &RetryPolicy, attempted: &Attempted) -> Decision {
    let retryable =
        matches!(attempted.failure, Failure::Status(s) if RETRYABLE_STATUSES.contains(&s));
    if !retryable {
        return Decision::GiveUp(GiveUp::NotRetryable);
    }
    if attempted.retries >= policy.retries() {
        return Decision::GiveUp(GiveUp::Exhausted);
    }
    let delay = policy.delay_with_jitter(
        attempted.retries.saturating_add(1),
        attempted.retry_after,
        attempted.jitter,
    );
    // Saturating: both terms may come from the network; an overflow is simply over budget.
    if attempted.waited.saturating_add(delay) > policy.total_wait_budget() {
        return Decision::GiveUp(GiveUp::OverBudget { delay });
    }
    Decision::Retry(delay)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::retry::{MAX_RETRY_AFTER, MAX_TOTAL_WAIT_CAP};

    fn status(status: u16, retry_after: Option<Duration>) -> Attempted {
        Attempted {
            retries: 0,
            waited: Duration::ZERO,
            failure: Failure::Status(status),
            retry_after,
            jitter: 1.0,
        }
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn retryable_statuses_are_retried_after_their_hint() {
        let policy = RetryPolicy::default();
        for code in [429, 503, 504] {
            assert_eq!(
                decide(&policy, &status(code, Some(2 * SECOND))),
                Decision::Retry(2 * SECOND),
                "{code}"
            );
        }
    }

    #[test]
    fn without_a_hint_backoff_applies() {
        let policy = RetryPolicy::default();
        // Default base 3 s, jitter 1.0 gives the full wait, 0.0 half of it.
        assert_eq!(
            decide(&policy, &status(503, None)),
            Decision::Retry(3 * SECOND)
        );
        let half = Attempted {
            jitter: 0.0,
            retries: 1,
            ..status(503, None)
        };
        assert_eq!(decide(&policy, &half), Decision::Retry(3 * SECOND));
    }

    #[test]
    fn other_statuses_and_failures_are_not_retried() {
        let policy = RetryPolicy::default();
        for code in [400, 401, 403, 404, 409, 412, 500, 502] {
            assert_eq!(
                decide(&policy, &status(code, Some(SECOND))),
                Decision::GiveUp(GiveUp::NotRetryable),
                "{code}"
            );
        }
        for failure in [
            Failure::Transport(TransportKind::Connect),
            Failure::Transport(TransportKind::Timeout),
            Failure::Transport(TransportKind::Other),
            Failure::Local,
        ] {
            let attempted = Attempted {
                failure,
                ..status(503, None)
            };
            assert_eq!(
                decide(&policy, &attempted),
                Decision::GiveUp(GiveUp::NotRetryable),
                "{failure:?}"
            );
        }
    }

    #[test]
    fn retries_run_out() {
        let policy = RetryPolicy::default().max_retries(2);
        let mut attempted = status(429, Some(SECOND));
        attempted.retries = 1;
        assert_eq!(decide(&policy, &attempted), Decision::Retry(SECOND));
        attempted.retries = 2;
        assert_eq!(
            decide(&policy, &attempted),
            Decision::GiveUp(GiveUp::Exhausted)
        );
        assert_eq!(
            decide(&RetryPolicy::disabled(), &status(429, Some(SECOND))),
            Decision::GiveUp(GiveUp::Exhausted)
        );
    }

    #[test]
    fn a_hint_beyond_the_budget_gives_up_and_one_beyond_max_delay_is_honoured() {
        let policy = RetryPolicy::default(); // 60 s per backoff wait, 180 s in total
        assert_eq!(
            decide(&policy, &status(429, Some(120 * SECOND))),
            Decision::Retry(120 * SECOND)
        );
        assert_eq!(
            decide(&policy, &status(429, Some(3600 * SECOND))),
            Decision::GiveUp(GiveUp::OverBudget {
                delay: 3600 * SECOND
            })
        );
        // Exactly the budget still fits; one more second does not.
        let mut attempted = status(503, Some(80 * SECOND));
        attempted.waited = 100 * SECOND;
        assert_eq!(decide(&policy, &attempted), Decision::Retry(80 * SECOND));
        attempted.waited = 101 * SECOND;
        assert!(matches!(
            decide(&policy, &attempted),
            Decision::GiveUp(GiveUp::OverBudget { .. })
        ));
    }

    #[test]
    fn extreme_hints_and_waits_cannot_panic() {
        let policy = RetryPolicy::default()
            .max_retries(10)
            .max_total_wait(MAX_TOTAL_WAIT_CAP);
        let hints = [
            None,
            Some(Duration::ZERO),
            Some(MAX_RETRY_AFTER),
            Some(Duration::from_secs(u64::MAX)),
            Some(Duration::MAX),
        ];
        let waits = [
            Duration::ZERO,
            SECOND,
            MAX_TOTAL_WAIT_CAP,
            Duration::from_secs(u64::MAX),
            Duration::MAX,
        ];
        for retry_after in hints {
            for waited in waits {
                for retries in [0, 1, 9, 10, u32::MAX] {
                    let attempted = Attempted {
                        retries,
                        waited,
                        retry_after,
                        ..status(503, None)
                    };
                    let decision = decide(&policy, &attempted);
                    if let Decision::Retry(delay) = decision {
                        assert!(
                            waited + delay <= MAX_TOTAL_WAIT_CAP,
                            "{attempted:?} -> {decision:?}"
                        );
                    }
                }
            }
        }
        // The hostile case of the bug report: a u64::MAX-second hint after an earlier wait.
        let mut attempted = status(503, Some(Duration::from_secs(u64::MAX)));
        attempted.retries = 1;
        attempted.waited = SECOND;
        assert_eq!(
            decide(&RetryPolicy::default(), &attempted),
            Decision::GiveUp(GiveUp::OverBudget {
                delay: Duration::from_secs(u64::MAX)
            })
        );
    }

    #[test]
    fn a_zero_hint_retries_at_once() {
        let policy = RetryPolicy::default();
        let mut attempted = status(429, Some(Duration::ZERO));
        assert_eq!(decide(&policy, &attempted), Decision::Retry(Duration::ZERO));
        // Even with the whole budget already spent, waiting nothing more fits.
        attempted.waited = policy.total_wait_budget();
        attempted.retries = 2;
        assert_eq!(decide(&policy, &attempted), Decision::Retry(Duration::ZERO));
    }
}
