//! `cargo xtask codegen [--check]`: every committed generated file, written or checked.
//!
//! Three outputs: the client crate's version modules (from `spec/<version>/`), the command
//! line's command tree (`cli/src/generated/`, same specs) and the test-output crate (from the
//! generator's test inputs). `spec/` is read and each document lowered once; the client files,
//! the command files, the assumption checks and the provenance hashes are all made from that one
//! [`generator::Lowered`]. Everything is generated, and the hand-written code's assumptions
//! checked, before anything is written.

mod assumptions;

use crate::{parts, provenance, test_output};
use generator::{GeneratedFile, Lowered};
use std::path::Path;
use std::process::ExitCode;

/// Where the client crate's version modules go, relative to the workspace root.
const CLIENT_SRC: &str = "generated/src";

/// Where the command line's generated command tree goes, relative to the workspace root.
const CLI_SRC: &str = "cli/src/generated";

/// How the generator names `spec/` in headers and errors (`spec/v1.0/presence.yaml`).
const SPEC_LABEL_ROOT: &str = "spec";

#[derive(Debug, clap::Args)]
pub struct CodegenArgs {
    /// Write nothing; fail and list every stale, missing or orphaned generated file.
    #[arg(long)]
    pub check: bool,
}

/// One folder of generated files.
struct Output {
    /// Relative to the workspace root.
    dir: &'static str,
    files: Vec<GeneratedFile>,
}

pub fn run(root: &Path, args: &CodegenArgs) -> Result<ExitCode, String> {
    let lowered = lower_specs(root)?;
    let client = client(&lowered)?;
    let outputs = [
        Output {
            dir: CLIENT_SRC,
            files: client.iter().flat_map(|(_, files)| files.clone()).collect(),
        },
        Output {
            dir: CLI_SRC,
            files: lowered.cli_files().map_err(|e| e.to_string())?,
        },
        Output {
            dir: test_output::SRC_DIR,
            files: test_output::generate(root)?,
        },
    ];
    let outputs_now = provenance::outputs(&client);
    if args.check {
        check(root, &outputs, &outputs_now)
    } else {
        write(root, &outputs, &outputs_now)
    }
}

/// Every document under `spec/`, lowered once: each version's presence fragment, then the
/// parts (`spec/<version>/directory/directory.yaml` → module `directory_<version>`).
fn lower_specs(root: &Path) -> Result<Lowered, String> {
    let spec_dir = root.join(SPEC_LABEL_ROOT);
    let mut generator = generator::Generator::new()
        .specs_in(&spec_dir, SPEC_LABEL_ROOT)
        .map_err(|e| e.to_string())?;
    for (module, label, path) in parts::fragments(&spec_dir)? {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        generator = generator.spec(module, label, text);
    }
    generator.lower().map_err(|e| e.to_string())
}

/// What codegen records in the manifest for `root`'s specs now (for the manifest's tests).
#[cfg(test)]
pub fn spec_outputs(root: &Path) -> Result<Vec<provenance::SpecOutput>, String> {
    let lowered = lower_specs(root)?;
    Ok(provenance::outputs(&client(&lowered)?))
}

/// The client crate's files, per document, after checking what its hand-written code assumes.
fn client(lowered: &Lowered) -> Result<Vec<(&generator::LoweredSpec, Vec<GeneratedFile>)>, String> {
    // The hand-written helpers use the presence modules only; a part has no such assumptions.
    assumptions::check(
        lowered
            .specs()
            .iter()
            .filter(|spec| !is_part(spec))
            .map(|spec| (&spec.api, spec.label.as_str())),
    )?;
    // Warnings (an operationId reused on two paths, say) never stop generation; they are shown.
    for warning in lowered.warnings() {
        eprintln!("{warning}");
    }
    lowered
        .specs()
        .iter()
        .map(|spec| Ok((spec, spec.client_files().map_err(|e| e.to_string())?)))
        .collect()
}

/// Whether `spec` is one of a version's parts (`spec/<version>/<part>/...`).
fn is_part(spec: &generator::LoweredSpec) -> bool {
    spec.label.matches('/').count() > 2
}

fn check(
    root: &Path,
    outputs: &[Output],
    now: &[provenance::SpecOutput],
) -> Result<ExitCode, String> {
    let mut fresh = true;
    for output in outputs {
        let drift = generator::write::check(&root.join(output.dir), &output.files);
        if drift.is_empty() {
            println!(
                "{}/ is up to date ({} files)",
                output.dir,
                output.files.len()
            );
            continue;
        }
        fresh = false;
        eprintln!(
            "{}/ differs from what `cargo xtask codegen` would write:",
            output.dir
        );
        for d in &drift {
            eprintln!("  {d}");
        }
    }
    let manifest_ok = provenance::report_check(root, now)?;
    if fresh && manifest_ok {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("run `cargo xtask codegen` and commit the result");
    Ok(ExitCode::FAILURE)
}

fn write(
    root: &Path,
    outputs: &[Output],
    now: &[provenance::SpecOutput],
) -> Result<ExitCode, String> {
    let (mut written, mut unchanged, mut removed) = (0, 0, 0);
    for output in outputs {
        let report = generator::write::write(&root.join(output.dir), &output.files)
            .map_err(|e| e.to_string())?;
        for path in &report.written {
            println!("wrote    {}/{}", output.dir, path.display());
        }
        for path in &report.removed {
            println!("removed  {}/{}", output.dir, path.display());
        }
        written += report.written.len();
        unchanged += report.unchanged.len();
        removed += report.removed.len();
    }
    provenance::record_codegen(root, now)?;
    println!("{written} written, {unchanged} unchanged, {removed} removed");
    Ok(ExitCode::SUCCESS)
}
