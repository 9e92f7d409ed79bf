//! Injected failures, to exercise a caller's retry and error paths.

use super::odata::ApiError;
use axum::http::StatusCode;
use std::collections::VecDeque;

/// A failure the emulator answers with instead of serving a request.
///
/// Faults queue up; each request consumes one use of the fault at the front of the queue.
/// ```
/// # use presence_emulator::Fault;
/// # use std::time::Duration;
/// // The next two requests get 429 with `Retry-After: 1`.
/// let fault = Fault::throttled(Duration::from_secs(1)).times(2);
/// # let _ = fault;
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub(crate) status: u16,
    pub(crate) code: String,
    pub(crate) message: String,
    pub(crate) retry_after_secs: Option<u64>,
    /// Uses left; `None` means every request until [`super::Emulator::clear_faults`].
    pub(crate) remaining: Option<u32>,
}

impl Fault {
    /// `429 Too Many Requests` with `Retry-After` (whole seconds, rounded up), once.
    pub fn throttled(retry_after: std::time::Duration) -> Self {
        Fault {
            status: 429,
            code: "TooManyRequests".into(),
            message: "Too many requests; retry after the interval in the Retry-After header."
                .into(),
            retry_after_secs: Some(whole_seconds(retry_after)),
            remaining: Some(1),
        }
    }

    /// `503 Service Unavailable` without `Retry-After`, once.
    pub fn unavailable() -> Self {
        Fault {
            status: 503,
            code: "ServiceUnavailable".into(),
            message: "The service is temporarily unavailable.".into(),
            retry_after_secs: None,
            remaining: Some(1),
        }
    }

    /// Any status and OData error code, once (e.g. `504`, `"GatewayTimeout"`).
    pub fn status(status: u16, code: impl Into<String>) -> Self {
        Fault {
            status,
            code: code.into(),
            message: format!("Injected fault: HTTP {status}."),
            retry_after_secs: None,
            remaining: Some(1),
        }
    }

    /// Adds (or replaces) the `Retry-After` header.
    pub fn retry_after(mut self, after: std::time::Duration) -> Self {
        self.retry_after_secs = Some(whole_seconds(after));
        self
    }

    /// Applies to the next `n` requests (`0` makes the fault a no-op).
    pub fn times(mut self, n: u32) -> Self {
        self.remaining = Some(n);
        self
    }

    /// Applies to every request until the faults are cleared.
    pub fn always(mut self) -> Self {
        self.remaining = None;
        self
    }
}

fn whole_seconds(d: std::time::Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The most faults queued at once: the control route takes them without a token, so the queue
/// must not grow with every request.
pub(crate) const MAX_QUEUED_FAULTS: usize = 1000;

/// Faults waiting to be served, in injection order.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    queue: VecDeque<Fault>,
}

impl FaultQueue {
    /// Queues `fault`; false (and nothing queued) when [`MAX_QUEUED_FAULTS`] are waiting.
    pub(crate) fn push(&mut self, fault: Fault) -> bool {
        if self.queue.len() >= MAX_QUEUED_FAULTS {
            return false;
        }
        if fault.remaining != Some(0) {
            self.queue.push_back(fault);
        }
        true
    }

    pub(crate) fn clear(&mut self) {
        self.queue.clear();
    }

    /// The fault for the current request, if any, using one of its uses up.
    pub(crate) fn take(&mut self) -> Option<Fault> {
        let front = self.queue.front_mut()?;
        let served = front.clone();
        if let Some(left) = front.remaining.as_mut() {
            *left -= 1;
            if *left == 0 {
                self.queue.pop_front();
            }
        }
        Some(served)
    }

    /// The answer for the current request: `Err` with the fault at the front of the queue
    /// (using one of its uses up), or `Ok` when nothing is queued.
    pub(crate) fn serve(&mut self) -> Result<(), ApiError> {
        match self.take() {
            None => Ok(()),
            Some(fault) => Err(fault.into_api_error()),
        }
    }
}

impl Fault {
    fn into_api_error(self) -> ApiError {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut error = ApiError::new(status, &self.code, self.message);
        error.retry_after_secs = self.retry_after_secs;
        error
    }
}

#[cfg(test)]
mod bound_tests {
    use super::*;

    #[test]
    fn the_queue_stops_at_its_cap() {
        let mut queue = FaultQueue::default();
        for _ in 0..MAX_QUEUED_FAULTS {
            assert!(queue.push(Fault::unavailable()));
        }
        assert!(!queue.push(Fault::unavailable()));
        assert_eq!(queue.queue.len(), MAX_QUEUED_FAULTS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn faults_are_used_up_in_order() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::throttled(Duration::from_millis(1500)).times(2));
        queue.push(Fault::unavailable());
        queue.push(Fault::unavailable().times(0));
        let first = queue.take().unwrap();
        assert_eq!((first.status, first.retry_after_secs), (429, Some(2)));
        assert_eq!(queue.take().unwrap().status, 429);
        assert_eq!(queue.take().unwrap().status, 503);
        assert_eq!(queue.take(), None);
    }

    #[test]
    fn always_lasts_until_cleared() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::status(504, "GatewayTimeout").always());
        for _ in 0..5 {
            assert_eq!(queue.take().unwrap().status, 504);
        }
        queue.clear();
        assert_eq!(queue.take(), None);
    }
}
