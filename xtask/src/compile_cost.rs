//! Compile cost of generated code, the rows `cargo xtask bench` adds for it: how long the
//! generated code takes to compile and how many lines it is, for the client crate and for
//! Microsoft's whole v1.0 `CloudCommunications` module generated as one module.
//!
//! Conditions (so figures compare over time): debug profile, dependencies prebuilt,
//! `CARGO_INCREMENTAL=0`; each run marks the crate's root file as modified and times the
//! `cargo build` that follows (wall clock, so cargo's own start-up of ~0.1 s is included);
//! the median of the runs is reported. The machine's load is printed with the table.

mod recorded;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

pub use recorded::{BEFORE, BEFORE_WHEN, Recorded};

/// The package of the client crate and the folder of its sources, relative to the root.
const CLIENT_PACKAGE: &str = "msgraph-presence";
const CLIENT_SRC: &str = "generated/src";

/// Microsoft's published module, relative to the workspace root (the default of
/// `--upstream-module`).
pub const CLOUD_COMMUNICATIONS: &str = "../shared/reference/upstream/v1.0-CloudCommunications.yml";

/// Where the probe crate for the upstream module is written, relative to the root.
const PROBE_DIR: &str = "target/xtask-bench/cloud_communications";

/// One measured subject.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// What was compiled, e.g. "client crate".
    pub subject: String,
    /// Operations of the spec (path and HTTP method pairs): the denominator that stays the same
    /// whatever shape the generated API takes.
    pub operations: usize,
    /// Rust methods the generator made of them.
    pub methods: usize,
    /// Non-empty lines of the @generated Rust files.
    pub lines: usize,
    /// Median compile time, or why there is none.
    pub compile: Result<Duration, String>,
}

impl Row {
    pub fn lines_per_operation(&self) -> f64 {
        self.lines as f64 / self.operations.max(1) as f64
    }
}

/// The before/after table: `before` are recorded figures, `after` the rows just measured,
/// in the same order. The target (issue 11) is at most 0.6× before, for time and lines per
/// operation alike.
pub fn table(before: &[Recorded], after: &[Row]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Compile cost (debug, dependencies prebuilt, CARGO_INCREMENTAL=0, median); before: {BEFORE_WHEN}"
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "| Subject | Measure | Before | After | After / before (target ≤ 0.6) |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (row, old) in after.iter().zip(before) {
        match &row.compile {
            Ok(time) => {
                let now = time.as_secs_f64();
                let _ = writeln!(
                    out,
                    "| {} | compile | {:.2} s | {now:.2} s | {} |",
                    row.subject,
                    old.compile_seconds,
                    ratio(now, old.compile_seconds)
                );
            }
            Err(why) => {
                let why = why.lines().next().unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| {} | compile | {:.2} s | {why} | |",
                    row.subject, old.compile_seconds
                );
            }
        }
        if row.operations == 0 {
            continue;
        }
        let old_per_op = old.lines as f64 / old.operations.max(1) as f64;
        let _ = writeln!(
            out,
            "| {} | generated lines (per operation) | {} ({old_per_op:.0} per op; {} ops, {} methods) | {} ({:.0} per op; {} ops, {} methods) | {} |",
            row.subject,
            old.lines,
            old.operations,
            old.methods,
            row.lines,
            row.lines_per_operation(),
            row.operations,
            row.methods,
            ratio(row.lines_per_operation(), old_per_op)
        );
    }
    out
}

fn ratio(after: f64, before: f64) -> String {
    if before <= 0.0 {
        return "no recorded figure".to_owned();
    }
    let r = after / before;
    let verdict = if r <= 0.6 { "met" } else { "missed" };
    format!("{r:.2}× ({verdict})")
}

/// Measures every subject with `runs` timed builds each; `upstream` is Microsoft's v1.0
/// `CloudCommunications` module (relative paths are relative to the workspace root).
pub fn measure(root: &Path, upstream: &Path, runs: usize) -> Vec<Row> {
    vec![
        client_crate(root, runs).unwrap_or_else(|e| failed(CLIENT_SUBJECT, e)),
        cloud_communications(root, upstream, runs)
            .unwrap_or_else(|e| failed(CLOUD_COMMUNICATIONS_SUBJECT, e)),
    ]
}

const CLIENT_SUBJECT: &str = "client crate (v1.0 + beta + runtime)";
const CLOUD_COMMUNICATIONS_SUBJECT: &str = "CloudCommunications v1.0, one module";

fn failed(subject: &str, why: String) -> Row {
    Row {
        subject: subject.to_owned(),
        operations: 0,
        methods: 0,
        lines: 0,
        compile: Err(why),
    }
}

fn client_crate(root: &Path, runs: usize) -> Result<Row, String> {
    let apis = generator::Generator::new()
        .specs_in(&root.join("spec"), "spec")
        .and_then(|g| g.lower())
        .map_err(|e| e.to_string())?;
    let (operations, methods) = count(&apis);
    let src = root.join(CLIENT_SRC);
    let lines = generated_lines(&src)?;
    let compile = time_builds(
        root,
        &["build", "--lib", "-p", CLIENT_PACKAGE],
        &src.join("lib.rs"),
        runs,
        &[],
    );
    Ok(Row {
        subject: CLIENT_SUBJECT.to_owned(),
        operations,
        methods,
        lines,
        compile,
    })
}

fn cloud_communications(root: &Path, upstream: &Path, runs: usize) -> Result<Row, String> {
    let subject = CLOUD_COMMUNICATIONS_SUBJECT.to_owned();
    let source_path = root.join(upstream);
    let Ok(source) = std::fs::read_to_string(&source_path) else {
        return Ok(failed(
            &subject,
            format!(
                "skipped: {} is not present (see --upstream-module)",
                source_path.display()
            ),
        ));
    };
    let label = upstream.display().to_string();
    let generator = generator::Generator::new()
        .spec("cloud_communications", label, source)
        .runtime_crate("::msgraph_presence");
    let apis = generator.lower().map_err(|e| format!("lowering: {e}"))?;
    let (operations, methods) = count(&apis);
    let files = generator
        .generate()
        .map_err(|e| format!("generating: {e}"))?;
    let probe = root.join(PROBE_DIR);
    write_probe_crate(root, &probe, &files)?;
    let lines = generated_lines(&probe.join("src"))?;
    // The probe shares the workspace's target directory, so the dependencies the client
    // crate already built are reused rather than rebuilt.
    let target = root.join("target");
    let manifest = probe.join("Cargo.toml");
    let compile = time_builds(
        root,
        &[
            "build",
            "--lib",
            "--manifest-path",
            &manifest.to_string_lossy(),
        ],
        &probe.join("src/lib.rs"),
        runs,
        &[("CARGO_TARGET_DIR", target.as_os_str())],
    );
    Ok(Row {
        subject,
        operations,
        methods,
        lines,
        compile,
    })
}

/// (spec operations, Rust methods): each binding of a method is one operation of the spec.
fn count(apis: &[generator::ir::Api]) -> (usize, usize) {
    let operations = apis.iter().flat_map(|api| &api.operations);
    let methods = operations.clone().count();
    (operations.map(|op| op.bindings.len()).sum(), methods)
}

/// A crate of its own (its own `[workspace]`, the workspace's lock file) holding the
/// generated module, depending on the client crate for the runtime.
fn write_probe_crate(
    root: &Path,
    probe: &Path,
    files: &[generator::GeneratedFile],
) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(probe);
    let src = probe.join("src");
    let client = root.join("generated");
    let manifest = format!(
        "[package]\nname = \"compile-cost-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nmsgraph-presence = {{ path = {client:?} }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
        client = client.to_string_lossy()
    );
    let lib = "//! Compile-cost probe written by `cargo xtask bench`.\n\
               #![allow(warnings)]\npub mod cloud_communications;\n";
    write(&probe.join("Cargo.toml"), &manifest)?;
    write(&src.join("lib.rs"), lib)?;
    let lock = root.join("Cargo.lock");
    std::fs::copy(&lock, probe.join("Cargo.lock"))
        .map_err(|e| format!("copying {}: {e}", lock.display()))?;
    for file in files {
        write(&src.join(&file.path), &file.contents)?;
    }
    Ok(())
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// One warm-up build (dependencies), then `runs` timed rebuilds of the crate alone.
fn time_builds(
    root: &Path,
    args: &[&str],
    crate_root: &Path,
    runs: usize,
    env: &[(&str, &std::ffi::OsStr)],
) -> Result<Duration, String> {
    let build = || -> Result<Duration, String> {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let start = Instant::now();
        let output = Command::new(cargo)
            .current_dir(root)
            .args(args)
            .arg("--quiet")
            .env("CARGO_INCREMENTAL", "0")
            .envs(env.iter().copied())
            .output()
            .map_err(|e| format!("running cargo: {e}"))?;
        let elapsed = start.elapsed();
        if !output.status.success() {
            return Err(format!(
                "cargo {} failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(elapsed)
    };
    eprintln!(
        "compile cost: cargo {} (warm-up, then {runs} runs)",
        args.join(" ")
    );
    build()?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        touch(crate_root)?;
        times.push(build()?);
    }
    median(&mut times).ok_or_else(|| "no runs".to_owned())
}

/// Marks `path` as modified now, so cargo rebuilds its crate.
fn touch(path: &Path) -> Result<(), String> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| format!("touching {}: {e}", path.display()))
}

fn median(values: &mut [Duration]) -> Option<Duration> {
    values.sort();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2),
    }
}

/// Non-empty lines of the `.rs` files under `dir` whose first line is the @generated header
/// (hand-written files in the same crate are not counted).
pub fn generated_lines(dir: &Path) -> Result<usize, String> {
    let mut total = 0;
    for path in rust_files(dir)? {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        total += count_generated(&text);
    }
    Ok(total)
}

/// Non-empty lines of `text` when it is a generated file, else 0.
fn count_generated(text: &str) -> usize {
    let generated = text
        .lines()
        .next()
        .is_some_and(|first| first.contains(generator::write::MARKER));
    if !generated {
        return 0;
    }
    text.lines().filter(|line| !line.trim().is_empty()).count()
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_generated_files_count_and_blank_lines_do_not() {
        let generated = format!(
            "// {} by x\n\nfn a() {{}}\n   \nfn b() {{}}\n",
            generator::write::MARKER
        );
        assert_eq!(count_generated(&generated), 3);
        assert_eq!(count_generated("//! hand-written\nfn a() {}\n"), 0);
        assert_eq!(count_generated(""), 0);
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let ms = Duration::from_millis;
        assert_eq!(median(&mut [ms(5), ms(1), ms(3)]), Some(ms(3)));
        assert_eq!(median(&mut [ms(4), ms(1), ms(2), ms(9)]), Some(ms(3)));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn the_table_sets_each_measure_beside_its_recorded_figure() {
        let before = [Recorded {
            operations: 20,
            methods: 10,
            lines: 4000,
            compile_seconds: 2.0,
        }];
        let after = [Row {
            subject: "client".to_owned(),
            operations: 20,
            methods: 5,
            lines: 2000,
            compile: Ok(Duration::from_millis(1500)),
        }];
        let table = table(&before, &after);
        assert!(
            table.contains("| client | compile | 2.00 s | 1.50 s | 0.75× (missed) |"),
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
    fn a_skipped_subject_says_why_and_shows_no_lines_row() {
        let before = [Recorded {
            operations: 139,
            methods: 139,
            lines: 18950,
            compile_seconds: 9.4,
        }];
        let after = [failed(
            "upstream",
            "skipped: file is not present".to_owned(),
        )];
        let table = table(&before, &after);
        assert!(
            table.contains("| upstream | compile | 9.40 s | skipped: file is not present | |"),
            "{table}"
        );
        assert!(!table.contains("generated lines"), "{table}");
    }

    #[test]
    fn lines_per_operation_survives_zero_operations() {
        let row = Row {
            subject: "x".to_owned(),
            operations: 0,
            methods: 0,
            lines: 10,
            compile: Err("skipped".to_owned()),
        };
        assert_eq!(row.lines_per_operation(), 10.0);
    }
}
