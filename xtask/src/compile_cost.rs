//! Compile cost of generated code, the rows `cargo xtask bench` adds for it: how long the
//! generated code takes to compile and how many lines it is, for the client crate and for
//! Microsoft's whole v1.0 `CloudCommunications` module generated as one module.
//!
//! Conditions (so figures compare over time): debug profile, dependencies prebuilt,
//! `CARGO_INCREMENTAL=0`; each run marks the crate's root file as modified and times the
//! `cargo build` that follows (wall clock, so cargo's own start-up is included, and CPU
//! time); the medians of the runs are reported. The machine's load is printed with the table.

mod lines;
mod probe;
mod recorded;
mod table;
mod timing;

use std::path::Path;

pub use recorded::{BEFORE, BEFORE_WHEN, Recorded};
pub use table::table;
pub use timing::Timing;

/// The package of the client crate and the folder of its sources, relative to the root.
const CLIENT_PACKAGE: &str = "msgraph-presence";
const CLIENT_SRC: &str = "generated/src";

/// Microsoft's published module, relative to the workspace root (the default of
/// `--upstream-module`).
pub const CLOUD_COMMUNICATIONS: &str = "../shared/reference/upstream/v1.0-CloudCommunications.yml";

/// Where the probe crate for the upstream module is written, relative to the root.
const PROBE_DIR: &str = "target/xtask-bench/cloud_communications";

const CLIENT_SUBJECT: &str = "client crate (v1.0 + beta + runtime)";

/// The runtime crate's root: marking it modified rebuilds the runtime and the client on top of it,
/// the same code the single crate of the BEFORE figures held.
const RUNTIME_ROOT: &str = "runtime/src/lib.rs";
const CLOUD_COMMUNICATIONS_SUBJECT: &str = "CloudCommunications v1.0, one module";

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
    /// Median compile times, or why there are none.
    pub compile: Result<Timing, String>,
}

impl Row {
    pub fn lines_per_operation(&self) -> f64 {
        self.lines as f64 / self.operations.max(1) as f64
    }
}

/// Measures every subject with `runs` timed builds each; `upstream` is Microsoft's v1.0
/// `CloudCommunications` module (relative paths are relative to the workspace root). A
/// subject that cannot be measured gets a row saying why.
pub fn measure(root: &Path, upstream: &Path, runs: usize) -> Vec<Row> {
    vec![
        client_crate(root, runs).unwrap_or_else(|e| failed(CLIENT_SUBJECT, e)),
        cloud_communications(root, upstream, runs)
            .unwrap_or_else(|e| failed(CLOUD_COMMUNICATIONS_SUBJECT, e)),
    ]
}

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
    let lowered = generator::Generator::new()
        .specs_in(&root.join("spec"), "spec")
        .and_then(|g| g.lower())
        .map_err(|e| e.to_string())?;
    let (operations, methods) = count(&lowered);
    let src = root.join(CLIENT_SRC);
    let compile = timing::time_builds(
        root,
        &["build", "--lib", "-p", CLIENT_PACKAGE],
        &root.join(RUNTIME_ROOT),
        runs,
        &[],
    );
    Ok(Row {
        subject: CLIENT_SUBJECT.to_owned(),
        operations,
        methods,
        lines: lines::generated_lines(&src)?,
        compile,
    })
}

fn cloud_communications(root: &Path, upstream: &Path, runs: usize) -> Result<Row, String> {
    let source_path = root.join(upstream);
    let Ok(source) = std::fs::read_to_string(&source_path) else {
        return Ok(failed(
            CLOUD_COMMUNICATIONS_SUBJECT,
            format!(
                "skipped: {} is not present (see --upstream-module)",
                source_path.display()
            ),
        ));
    };
    let module = "cloud_communications";
    let generator = generator::Generator::new()
        .spec(module, upstream.display().to_string(), source)
        .runtime_crate(generator::DEFAULT_RUNTIME_CRATE);
    let lowered = generator.lower().map_err(|e| format!("lowering: {e}"))?;
    let (operations, methods) = count(&lowered);
    let files = lowered
        .client_files()
        .map_err(|e| format!("generating: {e}"))?;
    let probe = root.join(PROBE_DIR);
    probe::write_probe_crate(root, &probe, module, &files)?;
    // The probe shares the workspace's target directory, so the dependencies the client
    // crate already built are reused where their features agree.
    let target = root.join("target");
    let manifest = probe.join("Cargo.toml");
    let compile = timing::time_builds(
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
        subject: CLOUD_COMMUNICATIONS_SUBJECT.to_owned(),
        operations,
        methods,
        lines: lines::generated_lines(&probe.join("src"))?,
        compile,
    })
}

/// (spec operations, Rust methods): each binding of a method is one operation of the spec.
/// Spec operations (path and method pairs) and the Rust methods made of them: since the
/// navigation redesign every binding is a method of its own builder.
fn count(lowered: &generator::Lowered) -> (usize, usize) {
    let mut operations = 0;
    let mut methods = std::collections::BTreeSet::new();
    for (index, api) in lowered.apis().enumerate() {
        for binding in api.operations.iter().flat_map(|op| &op.bindings) {
            operations += 1;
            methods.insert((index, binding.node, binding.method.name.clone()));
        }
    }
    (operations, methods.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_per_operation_survives_zero_operations() {
        let row = failed("x", "skipped".to_owned());
        assert_eq!(row.lines_per_operation(), 0.0);
    }

    #[test]
    fn operations_count_every_binding_and_methods_every_rust_method() {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let lowered = generator::Generator::new()
            .specs_in(&root.join("spec"), "spec")
            .and_then(|g| g.lower())
            .unwrap();
        let (operations, methods) = count(&lowered);
        assert!(
            operations >= methods && methods > 0,
            "{operations} {methods}"
        );
    }
}
