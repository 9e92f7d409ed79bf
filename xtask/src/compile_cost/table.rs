//! The before/after table of the compile-cost rows.

use super::{BEFORE_WHEN, Recorded, Row};
use std::fmt::Write as _;

/// The target of issue 11: at most 0.6× before, for compile time and lines per operation.
const TARGET: f64 = 0.6;

/// `before` are recorded figures, `after` the rows just measured, in the same order.
pub fn table(before: &[Recorded], after: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Compile cost (debug, dependencies prebuilt, CARGO_INCREMENTAL=0, medians); before: {BEFORE_WHEN}"
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| Subject | Measure | Before | After | After / before (target ≤ {TARGET}) |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    let mut row = |subject: &str, measure: &str, old: String, new: String, ratio: String| {
        let _ = writeln!(out, "| {subject} | {measure} | {old} | {new} | {ratio} |");
    };
    for (new, old) in after.iter().zip(before) {
        let subject = new.subject.as_str();
        match &new.compile {
            Ok(timing) => {
                let wall = timing.wall.as_secs_f64();
                row(
                    subject,
                    "compile, wall clock",
                    seconds(old.compile_seconds),
                    seconds(wall),
                    ratio(wall, old.compile_seconds),
                );
                if let Some(cpu) = timing.cpu {
                    let cpu = cpu.as_secs_f64();
                    row(
                        subject,
                        "compile, CPU (user + system)",
                        seconds(old.compile_cpu_seconds),
                        seconds(cpu),
                        ratio(cpu, old.compile_cpu_seconds),
                    );
                }
            }
            Err(why) => row(
                subject,
                "compile, wall clock",
                seconds(old.compile_seconds),
                why.lines().next().unwrap_or_default().to_owned(),
                String::new(),
            ),
        }
        if new.operations == 0 {
            continue;
        }
        let old_per_op = old.lines as f64 / old.operations.max(1) as f64;
        row(
            subject,
            "generated lines (per operation)",
            lines(old.lines, old_per_op, old.operations, old.methods),
            lines(
                new.lines,
                new.lines_per_operation(),
                new.operations,
                new.methods,
            ),
            ratio(new.lines_per_operation(), old_per_op),
        );
    }
    out
}

fn seconds(s: f64) -> String {
    if s > 0.0 {
        format!("{s:.2} s")
    } else {
        "not recorded".to_owned()
    }
}

fn lines(total: usize, per_op: f64, operations: usize, methods: usize) -> String {
    format!("{total} ({per_op:.0} per op; {operations} ops, {methods} methods)")
}

fn ratio(after: f64, before: f64) -> String {
    if before <= 0.0 {
        return String::new();
    }
    let r = after / before;
    let verdict = if r <= TARGET { "met" } else { "missed" };
    format!("{r:.2}× ({verdict})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_cost::Timing;
    use std::time::Duration;

    fn recorded(operations: usize, lines: usize, wall: f64, cpu: f64) -> Recorded {
        Recorded {
            operations,
            methods: operations / 2,
            lines,
            compile_seconds: wall,
            compile_cpu_seconds: cpu,
        }
    }

    #[test]
    fn each_measure_sits_beside_its_recorded_figure() {
        let after = [Row {
            subject: "client".to_owned(),
            operations: 20,
            methods: 5,
            lines: 2000,
            compile: Ok(Timing {
                wall: Duration::from_millis(1500),
                cpu: Some(Duration::from_millis(1000)),
            }),
        }];
        let table = table(&[recorded(20, 4000, 2.0, 2.5)], &after);
        assert!(
            table.contains("| client | compile, wall clock | 2.00 s | 1.50 s | 0.75× (missed) |"),
            "{table}"
        );
        assert!(
            table.contains(
                "| client | compile, CPU (user + system) | 2.50 s | 1.00 s | 0.40× (met) |"
            ),
            "{table}"
        );
        assert!(
            table.contains(
                "| 4000 (200 per op; 20 ops, 10 methods) | 2000 (100 per op; 20 ops, 5 methods) | 0.50× (met) |"
            ),
            "{table}"
        );
    }

    #[test]
    fn a_skipped_subject_says_why_and_has_no_lines_row() {
        let after = [Row {
            subject: "upstream".to_owned(),
            operations: 0,
            methods: 0,
            lines: 0,
            compile: Err("skipped: file is not present\nmore".to_owned()),
        }];
        let table = table(&[recorded(139, 18950, 9.4, 0.0)], &after);
        assert!(
            table.contains(
                "| upstream | compile, wall clock | 9.40 s | skipped: file is not present |  |"
            ),
            "{table}"
        );
        assert!(!table.contains("generated lines"), "{table}");
    }
}
