//! `cargo xtask generate`: a client module from any OpenAPI 3.0 document (or several, merged as
//! `slice` merges Microsoft's modules), optionally cut down by a selection and corrected by an
//! overlay, written as `<out>/<module>/` for a crate that depends on the runtime crate.
//!
//! Paths on the command line are relative to the current directory, not to the workspace: the
//! documents are the user's, wherever they are.

use generator::compose::{Composed, compose, selection};
use generator::overlay::Overlay;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Generate a client module from any OpenAPI 3.0 document.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct GenerateArgs {
    /// An OpenAPI 3.0 document (YAML or JSON); repeat to merge several (a path defined in two
    /// of them must be defined identically).
    #[arg(long = "from", value_name = "DOC", required = true)]
    pub from: Vec<PathBuf>,
    /// Keep only operations whose path matches PATTERN (`/users/{x}/presence/**`; `{x}` any
    /// parameter, `*` one segment, `**` any number, `#GET,POST` only those methods). Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub include: Vec<String>,
    /// Drop operations whose path matches PATTERN, even if an include matches. Repeatable.
    #[arg(long, value_name = "PATTERN")]
    pub exclude: Vec<String>,
    /// A selection file (`include`, `exclude`, `order`, as spec/<version>/slice.yaml); --include
    /// and --exclude add to it.
    #[arg(long, value_name = "FILE")]
    pub select: Option<PathBuf>,
    /// An OpenAPI Overlay 1.0 document applied before generating.
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
    /// Directory the module is written into, as <DIR>/<MODULE>/ (created if absent; files
    /// without the @generated header are never overwritten).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The module's name, a Rust identifier [default: the first document's file stem in snake case].
    #[arg(long, value_name = "MODULE")]
    pub name: Option<String>,
    /// Write nothing: fail if <DIR>/<MODULE>/ differs from what would be written.
    #[arg(long)]
    pub check: bool,
}

/// Runs the generate task.
pub fn run(args: &GenerateArgs) -> Result<ExitCode, String> {
    let started = Instant::now();
    let composed = composed(args)?;
    for warning in &composed.warnings {
        eprintln!("warning: {warning}");
    }
    let module = match &args.name {
        Some(name) => name.clone(),
        None => generator::module_name(&file_stem(&args.from[0])),
    };
    let lowered = generator::Generator::new()
        .spec(&module, &composed.label, composed.text.as_str())
        .lower()
        .map_err(|e| format!("{e}\nnothing written"))?;
    for warning in lowered.warnings() {
        eprintln!("{warning}");
    }
    let files = lowered
        .client_files()
        .map_err(|e| format!("{e}\nnothing written"))?;
    let api = lowered
        .apis()
        .next()
        .ok_or("the generator returned no module")?;
    let summary = format!(
        "{module}: {} operations, {} types from {}",
        api.operations.len(),
        api.types.len(),
        composed.label
    );
    if args.check {
        let drift = generator::write::check(&args.out, &files);
        if drift.is_empty() {
            println!(
                "{summary}; {} is up to date",
                args.out.join(&module).display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        for d in &drift {
            eprintln!("{d}");
        }
        eprintln!(
            "{} differs; rerun without --check",
            args.out.join(&module).display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let report = generator::write::write(&args.out, &files).map_err(|e| e.to_string())?;
    println!("{summary} in {:.2?}", started.elapsed());
    println!(
        "wrote    {} file(s) under {} ({} unchanged, {} removed)",
        report.written.len(),
        args.out.join(&module).display(),
        report.unchanged.len(),
        report.removed.len()
    );
    println!(
        "use:     `mod {module};` (with `#[path]` if needed) in a crate depending on msgraph-presence-runtime, serde and serde_json"
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads the inputs and composes the document to generate from.
fn composed(args: &GenerateArgs) -> Result<Composed, String> {
    let mut texts = Vec::new();
    for path in &args.from {
        texts.push((path.display().to_string(), read(path)?));
    }
    let sources: Vec<(&str, &str)> = texts
        .iter()
        .map(|(label, text)| (label.as_str(), text.as_str()))
        .collect();
    let select = match &args.select {
        Some(path) => Some((path.display().to_string(), read(path)?)),
        None => None,
    };
    let include: Vec<&str> = args.include.iter().map(String::as_str).collect();
    let exclude: Vec<&str> = args.exclude.iter().map(String::as_str).collect();
    let selection = selection(
        select.as_ref().map(|(l, t)| (l.as_str(), t.as_str())),
        "--include",
        &include,
        &exclude,
    )
    .map_err(|e| format!("{e}\nnothing written"))?;
    let overlay = match &args.overlay {
        Some(path) => Some(
            Overlay::parse(&path.display().to_string(), &read(path)?)
                .map_err(|e| format!("{e}\nnothing written"))?,
        ),
        None => None,
    };
    compose(&sources, selection.as_ref(), overlay.as_ref())
        .map_err(|e| format!("{e}\nnothing written"))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /things/{id}:\n    get:\n      operationId: things.get\n      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n      responses: {'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/thing'}}}}}\n  /other:\n    get:\n      operationId: other.list\n      responses: {'204': {description: none}}\ncomponents:\n  schemas:\n    thing: {type: object, properties: {id: {type: string}}}\n";

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("xtask-generate-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("My-Api.yaml"), DOC).unwrap();
        dir
    }

    fn args(dir: &Path) -> GenerateArgs {
        GenerateArgs {
            from: vec![dir.join("My-Api.yaml")],
            out: dir.join("out"),
            ..GenerateArgs::default()
        }
    }

    #[test]
    fn writes_a_marked_module_and_checks_it() {
        let dir = scratch("ok");
        assert_eq!(run(&args(&dir)).unwrap(), ExitCode::SUCCESS);
        let operations = std::fs::read_to_string(dir.join("out/my_api/operations.rs")).unwrap();
        assert!(operations.contains("@generated"));
        assert!(operations.contains("things.get") || operations.contains("THINGS_GET"));
        let check = GenerateArgs {
            check: true,
            ..args(&dir)
        };
        assert_eq!(run(&check).unwrap(), ExitCode::SUCCESS);
        // A selection keeps only what it matches; --check sees the difference.
        let only = GenerateArgs {
            include: vec!["/other".into()],
            check: true,
            ..args(&dir)
        };
        assert_eq!(run(&only).unwrap(), ExitCode::FAILURE);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn bad_input_writes_nothing_and_says_where() {
        let dir = scratch("bad");
        let typo = GenerateArgs {
            include: vec!["/thing/**".into()],
            ..args(&dir)
        };
        let err = run(&typo).unwrap_err();
        assert!(err.contains("`/thing/**` matches no path"), "{err}");
        assert!(err.ends_with("nothing written"), "{err}");
        assert!(!dir.join("out").exists());

        std::fs::write(dir.join("select.yaml"), "include:\n  - /other\n  - nope\n").unwrap();
        let bad_file = GenerateArgs {
            select: Some(dir.join("select.yaml")),
            ..args(&dir)
        };
        let err = run(&bad_file).unwrap_err();
        assert!(err.contains("select.yaml:3:3 (at /include/1)"), "{err}");
        assert!(!dir.join("out").exists());

        // A hand-written file in the way is never overwritten.
        std::fs::create_dir_all(dir.join("out/my_api")).unwrap();
        std::fs::write(dir.join("out/my_api/mod.rs"), "// mine\n").unwrap();
        let err = run(&args(&dir)).unwrap_err();
        assert!(err.contains("mod.rs"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.join("out/my_api/mod.rs")).unwrap(),
            "// mine\n"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
