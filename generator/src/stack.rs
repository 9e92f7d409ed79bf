//! Runs the pipeline on a thread with a large stack.
//!
//! The typed YAML parse and the lowering recurse once per nesting level of the document, and
//! unoptimised builds spend tens of kilobytes per level. A test thread has 2 MiB and a build
//! script's main thread may have less, so the work moves to a thread whose stack is big enough
//! for the deepest document `load` accepts (see `load::MAX_NESTING`). The memory is reserved,
//! not committed, so the cost is one thread spawn per call.

use crate::error::{Error, ErrorKind};

/// Stack size of the worker thread.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `work` on a thread with [`STACK_BYTES`] of stack and returns its result; a panic in
/// `work` is resumed on the caller's thread.
pub fn on_big_stack<T: Send>(work: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("presence-generator".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, work)
            .map_err(|e| {
                Error::new(
                    ErrorKind::Io,
                    "",
                    format!("could not start the generator thread: {e}"),
                )
            })?;
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}
