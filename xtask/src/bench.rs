//! `cargo xtask bench`: a short run of the benchmarks, summarised as one table.
//!
//! The measuring happens in the bench binaries (optimised builds, unlike this debug-built
//! xtask): `generator/benches/generation.rs` and `generated/benches/client_overhead.rs`, run
//! with `PRESENCE_BENCH_REPORT=1` so they print tab-separated `report` lines instead of their
//! usual output. This module only runs them, reads those lines and lays out the table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// Stages in pipeline order, as the generator bench names them.
const STAGES: [&str; 3] = ["load_lower", "emit_format", "end_to_end"];

/// Everything the bench binaries reported.
#[derive(Default)]
struct Report {
    /// (module, stage) → median nanoseconds.
    stages: BTreeMap<(String, String), f64>,
    /// Both fragments through `Generator::generate`, median nanoseconds.
    both: Option<f64>,
    scales: Vec<Scale>,
    /// (request, concurrency, client req/s, raw req/s, median of per-round client/raw ratios).
    client: Vec<(String, usize, f64, f64, f64)>,
}

struct Scale {
    copies: usize,
    operations: usize,
    methods: usize,
    bytes: usize,
    floor_ns: f64,
    generate_ns: f64,
}

impl Scale {
    fn ms_per_100_ops(&self, ns: f64) -> f64 {
        ns / 1e6 / self.operations as f64 * 100.0
    }
}

/// `max_copies` caps the scaling sizes (1000 by default).
pub fn run(root: &Path, max_copies: usize) -> Result<String, String> {
    let mut report = Report::default();
    let generator = bench(
        root,
        "presence-generator",
        "generation",
        &[("PRESENCE_BENCH_MAX_COPIES", max_copies.to_string())],
    )?;
    let client = bench(root, "msgraph-presence", "client_overhead", &[])?;
    for line in generator.lines().chain(client.lines()) {
        parse_line(&mut report, line)?;
    }
    Ok(table(&report))
}

/// Runs one bench binary in report mode and returns its standard output.
fn bench(root: &Path, package: &str, name: &str, env: &[(&str, String)]) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("running cargo bench -p {package} --bench {name} (report mode)");
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["bench", "--quiet", "-p", package, "--bench", name])
        .env("PRESENCE_BENCH_REPORT", "1")
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stderr(std::process::Stdio::inherit())
        .output()
        .map_err(|e| format!("running cargo bench: {e}"))?;
    if !output.status.success() {
        return Err(format!("cargo bench -p {package} --bench {name} failed"));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("bench output is not UTF-8: {e}"))
}

fn parse_line(report: &mut Report, line: &str) -> Result<(), String> {
    let fields: Vec<&str> = line.split('\t').collect();
    let bad = || format!("unexpected bench output line: {line:?}");
    let num = |s: &str| s.parse::<f64>().map_err(|_| bad());
    let int = |s: &str| s.parse::<usize>().map_err(|_| bad());
    match fields.as_slice() {
        ["report", "stage", module, stage, ns] => {
            report
                .stages
                .insert(((*module).to_owned(), (*stage).to_owned()), num(ns)?);
        }
        ["report", "both", ns] => report.both = Some(num(ns)?),
        [
            "report",
            "scale",
            copies,
            ops,
            methods,
            bytes,
            floor,
            generate,
        ] => report.scales.push(Scale {
            copies: int(copies)?,
            operations: int(ops)?,
            methods: int(methods)?,
            bytes: int(bytes)?,
            floor_ns: num(floor)?,
            generate_ns: num(generate)?,
        }),
        ["report", "client", request, concurrency, client, raw, ratio] => report.client.push((
            (*request).to_owned(),
            int(concurrency)?,
            num(client)?,
            num(raw)?,
            num(ratio)?,
        )),
        ["report", ..] => return Err(bad()),
        _ => {} // anything else the binaries print is not part of the report
    }
    Ok(())
}

/// CPU model, core count and load, for the table's header.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|rest| rest.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = load_average();
    format!("{model}, nproc {nproc}, load average {load} when the run finished")
}

/// The one-minute load average, or `?` where the platform does not say.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn ms(ns: f64) -> String {
    format!("{:.2} ms", ns / 1e6)
}

fn table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Machine: {}", machine());
    let _ = writeln!(out);
    let _ = writeln!(out, "| Measure | Median | Ratio / target |");
    let _ = writeln!(out, "|---|---|---|");
    let mut row = |measure: String, median: String, ratio: String| {
        let _ = writeln!(out, "| {measure} | {median} | {ratio} |");
    };
    for module in ["v1_0", "beta"] {
        for stage in STAGES {
            if let Some(ns) = report.stages.get(&(module.to_owned(), stage.to_owned())) {
                row(format!("{module} {stage}"), ms(*ns), String::new());
            }
        }
    }
    if let Some(ns) = report.both {
        let verdict = if ns <= 50e6 { "met" } else { "missed" };
        row(
            "both fragments, end to end".to_owned(),
            ms(ns),
            format!("target ≤ 50 ms: {verdict}"),
        );
    }
    let smallest = report.scales.iter().find(|s| s.copies >= 10);
    for scale in &report.scales {
        let per_op = scale.ms_per_100_ops(scale.generate_ns);
        let linear = smallest
            .filter(|base| base.copies < scale.copies)
            .map(|base| {
                format!(
                    "; per-op time {:.2}× the {}× size (target ≤ 1.1; the parse floor's own: {:.2}×)",
                    per_op / base.ms_per_100_ops(base.generate_ns),
                    base.copies,
                    scale.ms_per_100_ops(scale.floor_ns) / base.ms_per_100_ops(base.floor_ns)
                )
            })
            .unwrap_or_default();
        row(
            format!(
                "{}× ({} operations, {} methods, {:.1} MB): generate, per 100 operations",
                scale.copies,
                scale.operations,
                scale.methods,
                scale.bytes as f64 / 1e6
            ),
            format!("{per_op:.2} ms"),
            format!(
                "{:.2}× the parse floor ({:.2} ms per 100 operations; target ≤ 1.5 at 1000×){linear}",
                scale.generate_ns / scale.floor_ns,
                scale.ms_per_100_ops(scale.floor_ns)
            ),
        );
    }
    for (request, concurrency, client, raw, ratio) in &report.client {
        row(
            format!("client {request}, {concurrency} in flight: req/s generated vs raw reqwest"),
            format!("{client:.0} vs {raw:.0}"),
            format!("{ratio:.3} per-round median (target ≥ 0.95)"),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lines_become_rows() {
        let mut report = Report::default();
        for line in [
            "report\tstage\tv1_0\tload_lower\t1000000",
            "report\tboth\t60000000",
            "report\tscale\t10\t240\t110\t400000\t20000000\t40000000",
            "report\tscale\t100\t2400\t1100\t4000000\t200000000\t480000000",
            "report\tclient\tget_presence\t1\t900\t1000\t0.91",
            "Running something else",
        ] {
            parse_line(&mut report, line).unwrap();
        }
        let table = table(&report);
        assert!(table.contains("| v1_0 load_lower | 1.00 ms |"), "{table}");
        assert!(
            table.contains("60.00 ms | target ≤ 50 ms: missed"),
            "{table}"
        );
        assert!(table.contains("2.00× the parse floor"), "{table}");
        assert!(table.contains("per-op time 1.20× the 10× size"), "{table}");
        assert!(table.contains("the parse floor's own: 1.00×"), "{table}");
        assert!(table.contains("900 vs 1000 | 0.910 per-round"), "{table}");
    }

    #[test]
    fn malformed_report_lines_are_errors() {
        let mut report = Report::default();
        assert!(parse_line(&mut report, "report\tscale\tten").is_err());
        assert!(parse_line(&mut report, "report\tboth\tfast").is_err());
    }
}
