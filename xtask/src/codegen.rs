//! `cargo xtask codegen [--check]`: every committed generated file, written or checked.
//!
//! Three outputs: the client crate's version modules (from `spec/<version>/`), the command
//! line's command tree (`cli/src/generated/`, same specs) and the test-output crate (from the generator's test inputs). Everything is generated, and the
//! hand-written code's assumptions checked, before anything is written.

mod assumptions;

use crate::{provenance, specs, test_output};
use generator::GeneratedFile;
use std::path::Path;
use std::process::ExitCode;

/// Where the client crate's version modules go, relative to the workspace root.
const CLIENT_SRC: &str = "generated/src";

/// Where the command line's generated command tree goes, relative to the workspace root.
const CLI_SRC: &str = "cli/src/generated";

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
    let outputs = [
        Output {
            dir: CLIENT_SRC,
            files: client(root)?,
        },
        Output {
            dir: CLI_SRC,
            files: cli(root)?,
        },
        Output {
            dir: test_output::SRC_DIR,
            files: test_output::generate(root)?,
        },
    ];
    if args.check {
        check(root, &outputs)
    } else {
        write(root, &outputs)
    }
}

/// The client crate's files, after checking what its hand-written code assumes.
fn client(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let spec_dir = root.join("spec");
    let generator = generator::Generator::new()
        .specs_in(&spec_dir, "spec")
        .map_err(|e| e.to_string())?;
    let apis = generator.lower().map_err(|e| e.to_string())?;
    // Errors name the spec file a module came from (`spec/v1.0/presence.yaml`).
    let fragments = specs::fragments(&spec_dir)?;
    let labels: Vec<String> = apis
        .iter()
        .map(|api| {
            fragments
                .iter()
                .find(|f| f.module() == api.module)
                .map_or_else(|| "spec/".to_owned(), specs::Fragment::label)
        })
        .collect();
    assumptions::check(apis.iter().zip(labels.iter().map(String::as_str)))?;
    let (files, warnings) = generator
        .generate_with_warnings()
        .map_err(|e| e.to_string())?;
    // Warnings (an operationId reused on two paths, say) never stop generation; they are shown.
    for warning in &warnings {
        eprintln!("{warning}");
    }
    Ok(files)
}

/// The command line's command tree, from the same specs as the client.
fn cli(root: &Path) -> Result<Vec<GeneratedFile>, String> {
    generator::Generator::new()
        .specs_in(&root.join("spec"), "spec")
        .and_then(|g| g.generate_cli())
        .map_err(|e| e.to_string())
}

fn check(root: &Path, outputs: &[Output]) -> Result<ExitCode, String> {
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
    let manifest_ok = provenance::report_check(root)?;
    if fresh && manifest_ok {
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("run `cargo xtask codegen` and commit the result");
    Ok(ExitCode::FAILURE)
}

fn write(root: &Path, outputs: &[Output]) -> Result<ExitCode, String> {
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
    provenance::record_codegen(root)?;
    println!("{written} written, {unchanged} unchanged, {removed} removed");
    Ok(ExitCode::SUCCESS)
}
