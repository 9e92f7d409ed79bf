//! The attempts of one call: send, renew a refused token once, ask the retry decision, wait.

use super::response::Response;
use super::retry_decision::{Attempted, Decision, GiveUp, decide};
use super::transport::{Call, Runtime};
use super::transport_attempt::Failed;
use crate::Error;
use std::time::{Duration, Instant};

/// Where a call stands between attempts.
struct Progress {
    /// Every send, for tracing and the `retry-attempt` header.
    attempt: u32,
    /// Resends of 429/503/504, which the policy bounds.
    retries: u32,
    /// Time spent in the sleeper so far.
    waited: Duration,
    /// A refused token is renewed once per call: a second refusal is not a stale cache.
    token_renewed: bool,
}

impl Runtime {
    /// Sends `call` until it succeeds or the retry decision gives up, returning the last error.
    pub(crate) async fn exchange(
        &self,
        call: &Call<'_>,
        recorder: &tracing::Span,
    ) -> Result<Response, Error> {
        let mut progress = Progress {
            attempt: 1,
            retries: 0,
            waited: Duration::ZERO,
            token_renewed: false,
        };
        loop {
            let failed = match self.traced_attempt(call, progress.attempt, recorder).await {
                Ok(response) => return Ok(response),
                Err(failed) => failed,
            };
            if self.renew_refused_token(&failed, &mut progress.token_renewed) {
                progress.attempt += 1;
                continue;
            }
            let delay = match decide(&call.policy, &attempted(&progress, &failed)) {
                Decision::Retry(delay) => delay,
                Decision::GiveUp(reason) => {
                    trace_give_up(reason);
                    return Err(failed.error);
                }
            };
            progress.retries += 1;
            tracing::debug!(
                delay_ms = delay.as_millis() as u64,
                retry = progress.retries,
                "retrying"
            );
            (self.sleeper)(delay).await;
            // Saturating, though the decision keeps the sum within the policy's budget.
            progress.waited = progress.waited.saturating_add(delay);
            progress.attempt += 1;
        }
    }

    /// One attempt, with its number, status and duration recorded for tracing.
    async fn traced_attempt(
        &self,
        call: &Call<'_>,
        attempt: u32,
        recorder: &tracing::Span,
    ) -> Result<Response, Failed> {
        recorder.record("attempt", attempt);
        let attempt_started = Instant::now();
        let outcome = self.attempt(call, attempt).await;
        let status = match &outcome {
            Ok(response) => Some(response.status),
            Err(failed) => failed.error.status(),
        };
        if let Some(status) = status {
            recorder.record("status", status);
        }
        tracing::debug!(
            attempt,
            status,
            elapsed_ms = attempt_started.elapsed().as_millis() as u64,
            "attempt finished"
        );
        outcome
    }

    /// Whether to resend at once because Graph refused the token and the provider dropped it;
    /// asked at most once per call.
    fn renew_refused_token(&self, failed: &Failed, token_renewed: &mut bool) -> bool {
        let Some(refused) = &failed.refused_token else {
            return false;
        };
        if *token_renewed {
            return false;
        }
        *token_renewed = true;
        let renewed = self.token.invalidate(refused);
        if renewed {
            tracing::debug!("token refused (401); resending once with a fresh one");
        }
        renewed
    }
}

/// The retry decision's view of a failed attempt.
fn attempted(progress: &Progress, failed: &Failed) -> Attempted {
    Attempted {
        retries: progress.retries,
        waited: progress.waited,
        failure: failed.failure(),
        retry_after: failed.retry_after,
        jitter: fastrand::f64(),
    }
}

fn trace_give_up(reason: GiveUp) {
    if let GiveUp::OverBudget { delay } = reason {
        tracing::debug!(
            delay_ms = delay.as_millis() as u64,
            "next wait exceeds the retry budget; giving up"
        );
    }
}
