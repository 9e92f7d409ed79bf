//! The BEFORE figures the bench compares against: the generator's output before the
//! navigation/request-type/crate redesign of issue 11, measured with `cargo xtask bench
//! --compile-only --runs 7` under the conditions in `compile_cost.rs`. BENCHMARKS.md has the
//! run and its circumstances.

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
pub const BEFORE_WHEN: &str = "2026-12-01 23:32 UTC, commit cc85cbf's generator, \
    Intel Xeon nproc 2, load average 1.9 to 2.3 (shared machine)";

/// Client crate, then CloudCommunications.
pub const BEFORE: [Recorded; 2] = [
    Recorded {
        operations: 50,
        methods: 22,
        lines: 4732,
        compile_seconds: 1.65,
        compile_cpu_seconds: 1.49,
    },
    Recorded {
        operations: 186,
        methods: 139,
        lines: 18946,
        compile_seconds: 3.31,
        compile_cpu_seconds: 3.19,
    },
];
