//! Generates one OpenAPI document into a directory and reports how long each stage took.
//!
//! `cargo run --release -p presence-generator --example generate_one -- [--slice] DOC.yaml OUT_DIR [MODULE]`
//!
//! With `--slice`, only the presence paths (and the components they need) are generated, cut out
//! with `generator::slice` as `cargo xtask slice` does, but without touching `spec/`.
//!
//! Used to try the generator on documents published upstream (which are not kept in this
//! repository): the files land under `OUT_DIR/MODULE/`, ready to be `mod`-included by a scratch
//! crate that depends on `msgraph-presence`.

use generator::Generator;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Prints a line, ignoring a closed stdout (`generate_one ... | head`).
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let slice = args.first().is_some_and(|a| a == "--slice");
    if slice {
        args.remove(0);
    }
    let (doc, out, module) = match args.as_slice() {
        [doc, out] => (doc, out, "m"),
        [doc, out, module] => (doc, out, module.as_str()),
        _ => {
            eprintln!("usage: generate_one [--slice] DOC OUT_DIR [MODULE]");
            return ExitCode::from(2);
        }
    };
    let source = match std::fs::read_to_string(doc) {
        Ok(source) => source,
        Err(e) => {
            eprintln!("error: {doc}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let source = if slice {
        let started = Instant::now();
        match generator::slice::slice(
            &[(doc.as_str(), source.as_str())],
            &generator::slice::Selection::everything("--include /**"),
            None,
        ) {
            Ok(sliced) => {
                say!(
                    "sliced {} paths, {} components in {:?}",
                    sliced.paths.len(),
                    sliced.components.len(),
                    started.elapsed()
                );
                sliced.yaml
            }
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        source
    };
    // The output names the runtime crate alone (the default), so it compiles in any crate that
    // depends on `msgraph-presence-runtime`.
    let generator = Generator::new().spec(module, doc.as_str(), source.as_str());
    let started = Instant::now();
    let lowered = match generator.lower() {
        Ok(lowered) => lowered,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let lower_time = started.elapsed();
    for warning in lowered.warnings() {
        eprintln!("{warning}");
    }
    let started = Instant::now();
    let files = match lowered.client_files() {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let render_time = started.elapsed();
    for api in lowered.apis() {
        say!(
            "{}: {} operations, {} types",
            api.module,
            api.operations.len(),
            api.types.len()
        );
    }
    say!("load+lower {lower_time:?}; emit+format {render_time:?}");
    for file in files {
        let path = PathBuf::from(out).join(&file.path);
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            eprintln!("error: {}: {e}", parent.display());
            return ExitCode::FAILURE;
        }
        if let Err(e) = std::fs::write(&path, file.contents) {
            eprintln!("error: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        say!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
