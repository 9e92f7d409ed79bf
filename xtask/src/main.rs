//! Project tasks: `cargo xtask codegen [--check]`, `slice`, `diff`.
//!
//! A thin command line over the `generator` library; every decision lives there.

mod bench;
mod diff;
mod provenance;
mod slice;
mod specs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  codegen           regenerate generated/src/<version>/ from spec/<version>/*.yaml (and
                    generated/tests/upstream_style/ from the generator's upstream-style fixture)
  codegen --check   write nothing; fail and list every stale, missing or orphaned file
  slice --from <openapi.yaml> [--from ...] --version v1.0|beta
                    cut the presence fragment out of Microsoft's Graph OpenAPI documents,
                    apply spec/<version>/overlay.yaml, write spec/<version>/presence.yaml
                    and record the inputs in spec/manifest.json
  slice --check [--sources <dir>]
                    redo the recorded slices and fail if a committed fragment differs
  diff              the generated API's changes from v1.0 to beta, as Markdown
  diff --base <rev> [--version v1.0|beta]
                    the changes from spec/ at git revision <rev> to the working tree
  bench [--max-copies N]
                    short benchmark run (generator stages, scaling to N× copies, default 1000;
                    client vs raw reqwest) printed as one table";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(false).and_then(|code| with_fixture(code, false)),
        ["codegen", "--check"] => codegen(true).and_then(|code| with_fixture(code, true)),
        ["slice", rest @ ..] => {
            use clap::Parser;
            /// Cut the presence fragment out of Microsoft's Graph OpenAPI documents, apply
            /// spec/<version>/overlay.yaml and write spec/<version>/presence.yaml.
            #[derive(Parser)]
            #[command(name = "cargo xtask slice")]
            struct Cli {
                #[command(flatten)]
                args: slice::SliceArgs,
            }
            let cli =
                Cli::parse_from(std::iter::once("cargo xtask slice").chain(rest.iter().copied()));
            slice::run(&workspace_root(), &cli.args)
        }
        ["diff"] => diff::versions(&workspace_root()),
        ["diff", "--base", rev] => diff::against_rev(&workspace_root(), rev, None),
        ["diff", "--base", rev, "--version", version]
        | ["diff", "--version", version, "--base", rev] => {
            diff::against_rev(&workspace_root(), rev, Some(version))
        }
        ["bench", rest @ ..] => bench_table(rest),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn codegen(check: bool) -> Result<ExitCode, String> {
    let root = workspace_root();
    let out = root.join("generated/src");
    let (files, warnings) = generator::Generator::new()
        .specs_in(&root.join("spec"), "spec")
        .and_then(|g| g.generate_with_warnings())
        .map_err(|e| e.to_string())?;
    for warning in &warnings {
        eprintln!("{warning}");
    }
    if check {
        let drift = generator::write::check(&out, &files);
        let manifest_ok = provenance::report_check(&root)?;
        if drift.is_empty() && manifest_ok {
            println!("generated/ is up to date ({} files)", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        if !drift.is_empty() {
            eprintln!("generated/ differs from what `cargo xtask codegen` would write:");
            for d in &drift {
                eprintln!("  {d}");
            }
        }
        eprintln!("run `cargo xtask codegen` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    let report = generator::write::write(&out, &files).map_err(|e| e.to_string())?;
    provenance::record_codegen(&root)?;
    for path in &report.written {
        println!("wrote    generated/src/{}", path.display());
    }
    for path in &report.removed {
        println!("removed  generated/src/{}", path.display());
    }
    println!(
        "{} written, {} unchanged, {} removed",
        report.written.len(),
        report.unchanged.len(),
        report.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The Microsoft-style fixture of the generator's tests, generated as an outside crate would
/// (`::msgraph_presence` runtime) into `generated/tests/upstream_style/`, where a test compiles
/// and calls it: proof that real upstream documents give working code.
const FIXTURE: &str = "generator/tests/fixtures/graph-upstream-style.yaml";

/// Newer upstream constructs (Kiota-era ids, discriminators, `oneOf` doubles...), generated the
/// same way into `generated/tests/real_world/` and compiled by `generated/tests/real_world.rs`.
const REAL_WORLD_FIXTURE: &str = "generator/tests/fixtures/graph-real-world-constructs.yaml";

/// Runs the fixture target after the main one; the exit code fails if either failed.
fn with_fixture(code: ExitCode, check: bool) -> Result<ExitCode, String> {
    let root = workspace_root();
    let out = root.join("generated/tests");
    let source =
        std::fs::read_to_string(root.join(FIXTURE)).map_err(|e| format!("{FIXTURE}: {e}"))?;
    let real_world = std::fs::read_to_string(root.join(REAL_WORLD_FIXTURE))
        .map_err(|e| format!("{REAL_WORLD_FIXTURE}: {e}"))?;
    let (files, warnings) = generator::Generator::new()
        .spec("upstream_style", FIXTURE, source)
        .spec("real_world", REAL_WORLD_FIXTURE, real_world)
        .runtime_crate("::msgraph_presence_runtime")
        .generate_with_warnings()
        .map_err(|e| e.to_string())?;
    for warning in &warnings {
        eprintln!("{warning}");
    }
    if check {
        let drift = generator::write::check(&out, &files);
        if drift.is_empty() {
            println!(
                "generated/tests/{{upstream_style,real_world}} is up to date ({} files)",
                files.len()
            );
            return Ok(code);
        }
        eprintln!("generated/tests/ differs from what `cargo xtask codegen` would write:");
        for d in &drift {
            eprintln!("  {d}");
        }
        return Ok(ExitCode::FAILURE);
    }
    let report = generator::write::write(&out, &files).map_err(|e| e.to_string())?;
    for path in &report.written {
        println!("wrote    generated/tests/{}", path.display());
    }
    for path in &report.removed {
        println!("removed  generated/tests/{}", path.display());
    }
    Ok(code)
}

fn bench_table(args: &[&str]) -> Result<ExitCode, String> {
    let max_copies = match args {
        [] => 1000,
        ["--max-copies", n] => n
            .parse()
            .map_err(|_| format!("--max-copies wants a number, not {n:?}"))?,
        _ => return Err(format!("unexpected bench arguments {args:?}\n{USAGE}")),
    };
    println!("{}", bench::run(&workspace_root(), max_copies)?);
    Ok(ExitCode::SUCCESS)
}
