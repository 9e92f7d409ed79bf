//! Project tasks: `cargo xtask codegen [--check]`, `generate`, `slice`, `diff`, `pr-report`,
//! `bench`.
//!
//! A thin command line over the `generator` library; every decision lives there. The
//! workspace is the one around the current directory (see `workspace.rs`).

mod bench;
mod codegen;
mod compile_cost;
mod diff;
mod generate;
mod parts;
mod pr_report;
mod provenance;
mod slice;
mod specs;
mod test_output;
mod upstream_check;
mod workspace;

use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;

/// Project tasks for the msgraph-presence workspace, run from anywhere inside a checkout.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask")]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Regenerate the client crate's version modules from spec/<version>/ and the test-output
    /// crate from the generator's test inputs (fixtures and hostile specs).
    Codegen(codegen::CodegenArgs),
    /// Generate a client module from any OpenAPI 3.0 document(s), optionally cut down by
    /// --include/--exclude patterns or a --select file and corrected by an --overlay.
    Generate(generate::GenerateArgs),
    /// Cut what spec/<version>/slice.yaml selects out of Microsoft's OpenAPI documents into
    /// spec/<version>/ and record its provenance in spec/manifest.json.
    Slice(slice::SliceArgs),
    /// The generated API's changes as Markdown: v1.0 against beta, or spec/ at a git revision
    /// against the working tree.
    Diff(DiffArgs),
    /// One Markdown report of what the working tree changes against a git revision (API
    /// changes per version, spec and overlay edits, generated files, pending snapshots), for a
    /// pull request's summary; exit status 3 on an unlabelled breaking change with
    /// --fail-on-breaking.
    PrReport(pr_report::PrReportArgs),
    /// Generate every whole Microsoft module of ../shared/reference/upstream (or --sources) and
    /// type-check the output with warnings denied; skipped when the directory is absent.
    UpstreamCheck(upstream_check::UpstreamCheckArgs),
    /// A short benchmark run (generator stages, scaling, client overhead, compile cost) printed
    /// as one table.
    Bench(BenchArgs),
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// Compare spec/ at this git revision with the working tree (without it: v1.0 against beta).
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// With --base: only this version's fragment (v1.0 or beta).
    #[arg(long, value_name = "VERSION", requires = "base")]
    version: Option<String>,
}

#[derive(Debug, Args)]
struct BenchArgs {
    /// Largest copy count of the generator's scaling benchmark.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    max_copies: usize,
    /// Only the compile-cost rows (no `cargo bench` runs).
    #[arg(long)]
    compile_only: bool,
    /// Timed builds per compile-cost subject (the median is reported).
    #[arg(long, value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
    /// Microsoft's v1.0 CloudCommunications module for the compile-cost row (relative paths
    /// start at the workspace root; the row is skipped with a note when the file is absent).
    #[arg(long, value_name = "FILE", default_value = compile_cost::CLOUD_COMMUNICATIONS)]
    upstream_module: std::path::PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.task) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(task: Task) -> Result<ExitCode, String> {
    // The user's documents, outside any workspace if need be: no workspace root needed.
    let task = match task {
        Task::Generate(args) => return generate::run(&args),
        other => other,
    };
    let root = workspace::root()?;
    match task {
        Task::Generate(args) => generate::run(&args),
        Task::Codegen(args) => codegen::run(&root, &args),
        Task::Slice(args) => slice::run(&root, &args),
        Task::Diff(DiffArgs { base: None, .. }) => diff::versions(&root),
        Task::Diff(DiffArgs {
            base: Some(rev),
            version,
        }) => diff::against_rev(&root, &rev, version.as_deref()),
        Task::PrReport(args) => pr_report::run(&root, &args),
        Task::Bench(args) => bench_table(&root, &args),
        Task::UpstreamCheck(args) => upstream_check::run(&root, &args),
    }
}

fn bench_table(root: &std::path::Path, args: &BenchArgs) -> Result<ExitCode, String> {
    if !args.compile_only {
        println!("{}", bench::run(root, args.max_copies)?);
    }
    let load_at_start = bench::load_average();
    let rows = compile_cost::measure(root, &args.upstream_module, usize::from(args.runs));
    println!("{}", compile_cost::table(&compile_cost::BEFORE, &rows));
    println!("Load average when the compile-cost runs started: {load_at_start}");
    println!("Machine: {}", bench::machine());
    Ok(ExitCode::SUCCESS)
}
