//! The BEFORE figures the bench compares against: today's generator output (before the
//! navigation/request-type/crate redesign of issue 11), measured with `cargo xtask bench
//! --compile-only` under the conditions in `compile_cost.rs`. BENCHMARKS.md has the run.

/// Figures recorded for one subject, in the order [`super::measure`] returns its rows.
pub struct Recorded {
    pub operations: usize,
    pub methods: usize,
    pub lines: usize,
    /// Median wall-clock compile time.
    pub compile_seconds: f64,
    /// Median CPU time (user + system) of the same builds.
    pub compile_cpu_seconds: f64,
}

/// When and where the BEFORE figures were taken.
pub const BEFORE_WHEN: &str = "TBD";

/// Client crate, then CloudCommunications.
pub const BEFORE: [Recorded; 2] = [
    Recorded {
        operations: 0,
        methods: 0,
        lines: 0,
        compile_seconds: 0.0,
        compile_cpu_seconds: 0.0,
    },
    Recorded {
        operations: 0,
        methods: 0,
        lines: 0,
        compile_seconds: 0.0,
        compile_cpu_seconds: 0.0,
    },
];
