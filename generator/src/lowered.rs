//! The pipeline value: every document of a [`Generator`](crate::Generator), loaded and lowered
//! once, with what each output is made from.
//!
//! [`Generator::lower`](crate::Generator::lower) returns a [`Lowered`]; client files,
//! command-line files, the build script's single file, provenance hashes and diff input are all
//! made from it, so a command that needs several of them lowers each document once.

use crate::error::Error;
use crate::ir::{self, CratePath};
use crate::{GeneratedFile, Warning, emit, format, header, lower, stack, templates};
use std::path::PathBuf;

/// Every document of a generator, lowered.
#[derive(Debug, Clone)]
pub struct Lowered {
    specs: Vec<LoweredSpec>,
    /// The client crate the command line's generated commands call.
    cli_client_crate: CratePath,
}

/// One document, lowered: where it came from, its IR and the problems lowering worked around.
#[derive(Debug, Clone)]
pub struct LoweredSpec {
    /// How headers and messages name the document (`spec/v1.0/presence.yaml`).
    pub label: String,
    /// The document's text, as given.
    pub source: String,
    /// The document's IR; `api.module` is the Rust module it becomes.
    pub api: ir::Api,
    /// What lowering worked around, each located in the document.
    pub warnings: Vec<Warning>,
}

impl Lowered {
    pub(crate) fn new(specs: Vec<LoweredSpec>, cli_client_crate: CratePath) -> Self {
        Lowered {
            specs,
            cli_client_crate,
        }
    }

    /// The documents, in the order they were added.
    pub fn specs(&self) -> &[LoweredSpec] {
        &self.specs
    }

    /// The documents' IR, in the order they were added.
    pub fn apis(&self) -> impl Iterator<Item = &ir::Api> {
        self.specs.iter().map(|spec| &spec.api)
    }

    /// The documents' IR, taken out of the value (for callers that need only the IR).
    pub fn into_apis(self) -> Vec<ir::Api> {
        self.specs.into_iter().map(|spec| spec.api).collect()
    }

    /// The document that became `module`.
    pub fn spec(&self, module: &str) -> Option<&LoweredSpec> {
        self.specs.iter().find(|spec| spec.api.module == module)
    }

    /// Every document's warnings, in order.
    pub fn warnings(&self) -> impl Iterator<Item = &Warning> {
        self.specs.iter().flat_map(|spec| &spec.warnings)
    }

    /// The client crate's files of every document (`<module>/client.rs`, ...).
    pub fn client_files(&self) -> Result<Vec<GeneratedFile>, Error> {
        let mut files = Vec::new();
        for spec in &self.specs {
            files.extend(spec.client_files()?);
        }
        Ok(files)
    }

    /// The command line's command tree: `mod.rs` and one `<module>.rs` per document, relative
    /// to the command-line crate's `src/generated/`. Same IR as the client, so a new operation
    /// in a spec becomes a new subcommand.
    pub fn cli_files(&self) -> Result<Vec<GeneratedFile>, Error> {
        stack::on_big_stack(|| {
            let mut plans = Vec::new();
            for spec in &self.specs {
                let plan = lower::cli::plan(&spec.api, &self.cli_client_crate)
                    .map_err(|e| e.with_file(&spec.label))?;
                plans.push(plan);
            }
            lower::cli::share_aliases(&mut plans);
            let mut files = Vec::new();
            for (spec, plan) in self.specs.iter().zip(&plans) {
                let name = format!("{}.rs", spec.api.module);
                let contents =
                    format::rust_file(emit::cli::emit_version(plan), &header(&spec.label), &name)?;
                files.push(GeneratedFile::new(name, contents));
            }
            let sources: Vec<&str> = self.specs.iter().map(|s| s.label.as_str()).collect();
            let mod_rs = format::rust_file(
                emit::cli::emit_mod(&plans),
                &header(&sources.join(", ")),
                "mod.rs",
            )?;
            files.insert(0, GeneratedFile::new("mod.rs", mod_rs));
            Ok(files)
        })
    }
}

impl LoweredSpec {
    /// This document's client files, under `<module>/`: the Rust files and the module's README.
    pub fn client_files(&self) -> Result<Vec<GeneratedFile>, Error> {
        stack::on_big_stack(|| render(&self.api, &self.label))
    }
}

/// Emits and formats the files of one version module.
fn render(api: &ir::Api, label: &str) -> Result<Vec<GeneratedFile>, Error> {
    let header = header(label);
    let dir = PathBuf::from(&api.module);
    // Emitting and formatting dominate on large documents and the files are independent, so
    // each file gets a thread (tokens are not `Send`, so a thread does both for its file).
    let rendered: Vec<Result<String, Error>> = std::thread::scope(|scope| {
        let threads: Vec<_> = emit::FILES
            .iter()
            .map(|name| {
                let header = &header;
                scope.spawn(move || format::rust_file(emit::emit_file(api, name), header, name))
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| {
                thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut files = Vec::new();
    for (name, contents) in emit::FILES.iter().zip(rendered) {
        files.push(GeneratedFile::new(dir.join(name), contents?));
    }
    let readme = templates::version_readme(api, &header)
        .map_err(|e| Error::internal(format!("rendering README.md: {e}")))?;
    files.push(GeneratedFile::new(dir.join("README.md"), readme));
    Ok(files)
}
