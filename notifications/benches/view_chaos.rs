//! The presence view under chaos, with figures (issue 19): the scenario of the chaos test
//! (`tests/support/chaos.rs`) at 200 users and 5,000 changes, every change timed until the view
//! holds it or a newer value of its user. Prints a Markdown table.
//!
//! Staleness is given twice: in wall time (the write sent → the view's 1 ms probe sees it),
//! and in emulator time, which the scenario moves 100 ms per change and 10 s at the end; the
//! emulator-time figure is what a held-back delivery (up to 5 s of emulator time) costs.

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::Duration;
use support::chaos::{self, Scenario};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let outcome = runtime.block_on(chaos::run(Scenario {
        users: 200,
        changes: 5000,
        measure: true,
        settle: Duration::from_secs(60),
    }));
    let mut wall: Vec<Duration> = outcome.staleness.iter().map(|s| s.0).collect();
    let mut emu: Vec<Duration> = outcome.staleness.iter().map(|s| s.1).collect();
    wall.sort();
    emu.sort();
    let f = outcome.faults;
    println!("| Measure | Result |");
    println!("|---|---|");
    println!(
        "| changes timed | {} ({} never seen) |",
        outcome.staleness.len(),
        outcome.unresolved
    );
    println!(
        "| faults | {} duplicated, {} held back, {} dropped with `missed`, {} failed delivery attempts (503 bursts, restart) |",
        f.duplicated, f.delayed, f.dropped, outcome.failed_deliveries
    );
    for (name, samples) in [("wall time", &wall), ("emulator time", &emu)] {
        println!(
            "| staleness, {name} | p50 {}, p99 {}, max {} |",
            ms(quantile(samples, 0.50)),
            ms(quantile(samples, 0.99)),
            ms(samples.last().copied().unwrap_or_default())
        );
    }
    println!(
        "| view equal to the emulator | {} ({} users wrong), {} after the last change |",
        if outcome.wrong.is_empty() {
            "yes"
        } else {
            "no"
        },
        outcome.wrong.len(),
        ms(outcome.settled_after)
    );
    println!("| whole run | {} |", ms(outcome.elapsed));
}

fn quantile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
