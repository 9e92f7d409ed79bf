//! Generates a typed Rust client for the Microsoft Graph presence API from OpenAPI 3.0 documents.
//!
//! The pipeline runs in one direction:
//! `load` (YAML → `openapiv3`) → `lower` (→ plain-data [`ir`], where every decision is made) →
//! `emit` (IR → tokens with `quote!`) → `format` (syn + prettyplease; askama for Markdown) →
//! [`write`] (all files or none; `--check` compares and writes nothing).
//!
//! ```no_run
//! let files = generator::Generator::new()
//!     .spec("v1_0", "spec/v1.0/presence.yaml", std::fs::read_to_string("spec/v1.0/presence.yaml")?)
//!     .generate()?;
//! for file in &files {
//!     println!("{} ({} bytes)", file.path.display(), file.contents.len());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod diff;
mod emit;
pub mod error;
mod format;
pub mod ir;
mod load;
mod locate;
pub mod lower;
mod markdown;
pub mod overlay;
pub mod provenance;
pub mod slice;
mod stack;
#[doc(hidden)]
pub mod stages;
mod templates;
mod warning;
pub mod write;
mod yaml;

pub use error::{Error, ErrorKind, Location};
pub use warning::Warning;

use std::path::{Path, PathBuf};

/// One output file, relative to the generated crate's `src/` directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// One input document and the module it becomes.
#[derive(Debug, Clone)]
struct Spec {
    module: String,
    file: String,
    source: String,
}

/// The runtime crate generated code names unless [`Generator::runtime_crate`] says otherwise.
pub const DEFAULT_RUNTIME_CRATE: &str = "::msgraph_presence_runtime";

/// The generator: add specs, then [`Generator::generate`] the files in memory.
#[derive(Debug, Clone)]
pub struct Generator {
    specs: Vec<Spec>,
    runtime_crate: String,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            specs: Vec::new(),
            runtime_crate: DEFAULT_RUNTIME_CRATE.to_owned(),
        }
    }
}

impl Generator {
    pub fn new() -> Self {
        Generator::default()
    }

    /// Path of the runtime crate the generated code calls, imported as `runtime`: by default
    /// [`DEFAULT_RUNTIME_CRATE`], which works the same inside `msgraph-presence` and in any crate
    /// that depends on `msgraph-presence-runtime` (e.g. one generating from a build script).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = path.into();
        self
    }

    /// Adds a document: `module` is the Rust module it becomes (`v1_0`), `file` is how errors
    /// and headers name it, `source` is its YAML or JSON text.
    pub fn spec(
        mut self,
        module: impl Into<String>,
        file: impl Into<String>,
        source: impl Into<String>,
    ) -> Self {
        self.specs.push(Spec {
            module: module.into(),
            file: file.into(),
            source: source.into(),
        });
        self
    }

    /// Adds every `<dir>/<version>/*.yaml` under `spec_dir` (one document per version
    /// directory, not counting its `overlay.yaml`), in sorted order; the module name is the version in snake case (`v1.0` →
    /// `v1_0`). `label_root` is the prefix used for file names in errors and headers.
    pub fn specs_in(mut self, spec_dir: &Path, label_root: &str) -> Result<Self, Error> {
        let read_dir = |dir: &Path| -> Result<Vec<PathBuf>, Error> {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| Error::io(dir.display().to_string(), &e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            Ok(entries)
        };
        for version_dir in read_dir(spec_dir)?.into_iter().filter(|p| p.is_dir()) {
            let version = version_dir
                .file_name()
                .expect("dir name")
                .to_string_lossy()
                .into_owned();
            let docs: Vec<PathBuf> = read_dir(&version_dir)?
                .into_iter()
                .filter(|p| {
                    matches!(
                        p.extension().and_then(|e| e.to_str()),
                        Some("yaml" | "yml" | "json")
                    ) && !overlay::is_overlay_file(p)
                })
                .collect();
            let [doc] = docs.as_slice() else {
                return Err(Error::io(
                    version_dir.display().to_string(),
                    &std::io::Error::other(format!(
                        "expected exactly one OpenAPI document, found {}",
                        docs.len()
                    )),
                ));
            };
            let source = std::fs::read_to_string(doc)
                .map_err(|e| Error::io(doc.display().to_string(), &e))?;
            let label = format!(
                "{label_root}/{version}/{}",
                doc.file_name().expect("file").to_string_lossy()
            );
            self = self.spec(lower::naming::snake(&version), label, source);
        }
        Ok(self)
    }

    /// Lowers every document into its IR without emitting code.
    pub fn lower(&self) -> Result<Vec<ir::Api>, Error> {
        stack::on_big_stack(|| self.lower_here())
    }

    /// [`Generator::lower`] on the current thread's stack.
    fn lower_here(&self) -> Result<Vec<ir::Api>, Error> {
        check_runtime_crate(&self.runtime_crate)?;
        self.specs
            .iter()
            .map(|spec| {
                check_module_name(spec)?;
                let doc = load::load(&spec.file, &spec.source)?;
                let mut api = lower::lower(&doc, &spec.module)
                    .map_err(|e| e.in_file(&spec.file, &spec.source))?;
                api.runtime_crate = self.runtime_crate.clone();
                Ok(api)
            })
            .collect()
    }

    /// Generates every file, in memory. Nothing is written. Warnings are dropped; use
    /// [`Generator::generate_with_warnings`] to show them.
    pub fn generate(&self) -> Result<Vec<GeneratedFile>, Error> {
        self.generate_with_warnings().map(|(files, _)| files)
    }

    /// Generates every file, in memory, with the problems generation worked around (e.g. an
    /// operationId used on two paths), each located in its document. Nothing is written.
    pub fn generate_with_warnings(&self) -> Result<(Vec<GeneratedFile>, Vec<Warning>), Error> {
        stack::on_big_stack(|| self.generate_here())
    }

    /// Generates the command line's command tree (`mod.rs` and one `<module>.rs` per document),
    /// in memory, relative to the command-line crate's `src/generated/`. Same IR as the client,
    /// so a new operation in a spec becomes a new subcommand.
    pub fn generate_cli(&self) -> Result<Vec<GeneratedFile>, Error> {
        stack::on_big_stack(|| self.generate_cli_here())
    }

    fn generate_cli_here(&self) -> Result<Vec<GeneratedFile>, Error> {
        let apis = self.lower_here()?;
        let mut plans = Vec::new();
        for (spec, api) in self.specs.iter().zip(&apis) {
            let plan = lower::cli::plan(api).map_err(|mut e| {
                e.location.file = spec.file.clone();
                e
            })?;
            let file = format!("{}.rs", api.module);
            let contents =
                format::rust_file(emit::cli::emit_version(&plan), &header(&spec.file), &file)?;
            plans.push((
                plan,
                GeneratedFile {
                    path: PathBuf::from(file),
                    contents,
                },
            ));
        }
        let sources: Vec<&str> = self.specs.iter().map(|s| s.file.as_str()).collect();
        let cli_apis: Vec<_> = plans.iter().map(|(p, _)| p.clone()).collect();
        let mod_rs = format::rust_file(
            emit::cli::emit_mod(&cli_apis),
            &header(&sources.join(", ")),
            "mod.rs",
        )?;
        let mut files = vec![GeneratedFile {
            path: PathBuf::from("mod.rs"),
            contents: mod_rs,
        }];
        files.extend(plans.into_iter().map(|(_, f)| f));
        Ok(files)
    }

    /// [`Generator::generate_with_warnings`] on the current thread's stack.
    fn generate_here(&self) -> Result<(Vec<GeneratedFile>, Vec<Warning>), Error> {
        let apis = self.lower_here()?;
        let mut files = Vec::new();
        let mut warnings = Vec::new();
        for (spec, api) in self.specs.iter().zip(&apis) {
            files.extend(render(api, &spec.file)?);
            warnings.extend(
                api.warnings
                    .iter()
                    .map(|w| Warning::locate(w, &spec.file, &spec.source)),
            );
        }
        Ok((files, warnings))
    }
}

/// The module name becomes a directory and a `mod` item, so it must be a plain identifier
/// (this also keeps `../` and absolute paths out of the output).
fn check_module_name(spec: &Spec) -> Result<(), Error> {
    let plain = spec
        .module
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        && spec
            .module
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && syn::parse_str::<syn::Ident>(&spec.module).is_ok();
    if plain {
        return Ok(());
    }
    let mut error = Error::new(
        ErrorKind::Invalid,
        "",
        format!(
            "module name {:?} is not a plain Rust identifier (letters, digits, `_`)",
            spec.module
        ),
    );
    error.location.file = spec.file.clone();
    Err(error)
}

/// The runtime crate's path goes into every generated file's `use` line, so it must be a Rust
/// path: a typo is reported here instead of producing code that names some other crate.
fn check_runtime_crate(path: &str) -> Result<(), Error> {
    if syn::parse_str::<syn::Path>(path).is_ok() {
        return Ok(());
    }
    let mut error = Error::new(
        ErrorKind::Setting,
        "",
        format!("runtime crate {path:?} is not a Rust path such as `{DEFAULT_RUNTIME_CRATE}`"),
    );
    error.location.file = "Generator::runtime_crate".to_owned();
    Err(error)
}

/// The header line of every generated file.
pub fn header(source_file: &str) -> String {
    format!(
        "{} by presence-generator from {source_file}. Do not edit: run `cargo xtask codegen`.",
        write::MARKER
    )
}

/// Emits and formats the files of one version module.
fn render(api: &ir::Api, source_file: &str) -> Result<Vec<GeneratedFile>, Error> {
    let header = header(source_file);
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
        files.push(GeneratedFile {
            path: dir.join(name),
            contents: contents?,
        });
    }
    let readme = templates::version_readme(api, &header)
        .map_err(|e| Error::new(ErrorKind::Invalid, "", format!("rendering README.md: {e}")))?;
    files.push(GeneratedFile {
        path: dir.join("README.md"),
        contents: readme,
    });
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_crate_must_be_a_rust_path() {
        for good in [
            DEFAULT_RUNTIME_CRATE,
            "crate",
            "::msgraph_presence::runtime",
            "my_rt",
        ] {
            assert!(check_runtime_crate(good).is_ok(), "{good}");
        }
        let err = Generator::new()
            .runtime_crate("::msgraph presence")
            .generate()
            .unwrap_err();
        assert_eq!(err.kind, ErrorKind::Setting);
        assert_eq!(
            err.to_string(),
            "Generator::runtime_crate: invalid setting: runtime crate \"::msgraph presence\" \
             is not a Rust path such as `::msgraph_presence_runtime`"
        );
    }
}
