//! Project tasks: `cargo xtask codegen [--check]`.
//!
//! A thin command line over the `generator` library; every decision lives there.

mod bench;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  codegen           regenerate generated/src/<version>/ from spec/<version>/*.yaml
  codegen --check   write nothing; fail and list every stale, missing or orphaned file
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
        ["codegen"] => codegen(false),
        ["codegen", "--check"] => codegen(true),
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
    let files = generator::Generator::new()
        .specs_in(&root.join("spec"), "spec")
        .and_then(|g| g.generate())
        .map_err(|e| e.to_string())?;
    if check {
        let drift = generator::write::check(&out, &files);
        if drift.is_empty() {
            println!("generated/ is up to date ({} files)", files.len());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("generated/ differs from what `cargo xtask codegen` would write:");
        for d in &drift {
            eprintln!("  {d}");
        }
        eprintln!("run `cargo xtask codegen` and commit the result");
        return Ok(ExitCode::FAILURE);
    }
    let report = generator::write::write(&out, &files).map_err(|e| e.to_string())?;
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
