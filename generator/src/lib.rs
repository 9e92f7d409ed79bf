//! Generates a typed Rust client for the Microsoft Graph presence API from OpenAPI 3.0 documents.
//!
//! The pipeline runs in one direction:
//! `load` (YAML → `openapiv3`) → `lower` (→ plain-data [`ir`], where every decision is made) →
//! `emit` (IR → tokens with `quote!`) → `format` (syn + prettyplease; askama for Markdown) →
//! [`write`] (all files or none; `--check` compares and writes nothing).
//!
//! [`Generator::lower`] runs the first two stages once per document and returns the pipeline
//! value, [`Lowered`]: every output (client files, command-line files, hashes, diffs) is made
//! from it.
//!
//! ```no_run
//! let lowered = generator::Generator::new()
//!     .spec("v1_0", "spec/v1.0/presence.yaml", std::fs::read_to_string("spec/v1.0/presence.yaml")?)
//!     .lower()?;
//! for warning in lowered.warnings() {
//!     eprintln!("{warning}");
//! }
//! for file in &lowered.client_files()? {
//!     println!("{} ({} bytes)", file.path.display(), file.contents.len());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod build;
pub mod compose;
pub mod diff;
mod emit;
pub mod error;
mod format;
mod generated_file;
pub mod ir;
mod load;
mod locate;
mod lower;
mod lowered;
mod markdown;
pub mod overlay;
pub mod provenance;
pub mod slice;
mod stack;
mod templates;
mod warning;
pub mod write;
mod yaml;

pub use error::{Error, ErrorKind, Location};
pub use generated_file::GeneratedFile;
pub use lowered::{Lowered, LoweredSpec};
pub use warning::Warning;

/// Whether `path` sits beside a version's fragment without being one: its overlay
/// (`overlay.yaml`) or its selection (`slice.yaml`).
pub fn is_spec_companion(path: &std::path::Path) -> bool {
    overlay::is_overlay_file(path) || slice::is_selection_file(path)
}

use ir::CratePath;
use std::path::{Path, PathBuf};

/// One input document and the module it becomes.
#[derive(Debug, Clone)]
struct Spec {
    module: String,
    file: String,
    source: String,
}

/// The runtime crate generated code names unless [`Generator::runtime_crate`] says otherwise.
pub const DEFAULT_RUNTIME_CRATE: &str = "::msgraph_presence_runtime";

/// The client crate the generated commands call unless [`Generator::cli_client_crate`] says
/// otherwise.
pub const DEFAULT_CLI_CLIENT_CRATE: &str = "::msgraph_presence";

/// The Rust module a version directory becomes (`v1.0` → `v1_0`), as [`Generator::specs_in`]
/// names it.
pub fn module_name(version: &str) -> String {
    lower::naming::snake(version)
}

/// The generator: add specs, then [`Generator::lower`] them into the pipeline value.
#[derive(Debug, Clone)]
pub struct Generator {
    specs: Vec<Spec>,
    runtime_crate: String,
    cli_client_crate: String,
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            specs: Vec::new(),
            runtime_crate: DEFAULT_RUNTIME_CRATE.to_owned(),
            cli_client_crate: DEFAULT_CLI_CLIENT_CRATE.to_owned(),
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

    /// Path of the client crate the command line's generated commands call: by default
    /// [`DEFAULT_CLI_CLIENT_CRATE`].
    pub fn cli_client_crate(mut self, path: impl Into<String>) -> Self {
        self.cli_client_crate = path.into();
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
                    ) && !is_spec_companion(p)
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
            self = self.spec(module_name(&version), label, source);
        }
        Ok(self)
    }

    /// Loads and lowers every document, once: the pipeline value every output is made from.
    pub fn lower(&self) -> Result<Lowered, Error> {
        let runtime_crate = crate_setting(
            "Generator::runtime_crate",
            "runtime crate",
            &self.runtime_crate,
        )?;
        let cli_client_crate = crate_setting(
            "Generator::cli_client_crate",
            "client crate",
            &self.cli_client_crate,
        )?;
        let specs = stack::on_big_stack(|| {
            self.specs
                .iter()
                .map(|spec| lower_spec(spec, &runtime_crate))
                .collect::<Result<Vec<_>, Error>>()
        })?;
        Ok(Lowered::new(specs, cli_client_crate))
    }

    /// Generates every client file, in memory. Nothing is written. Warnings are dropped; use
    /// [`Generator::lower`] and [`Lowered::warnings`] to show them.
    pub fn generate(&self) -> Result<Vec<GeneratedFile>, Error> {
        self.lower()?.client_files()
    }

    /// Generates every client file, in memory, with the problems generation worked around (e.g.
    /// an operationId used on two paths), each located in its document. Nothing is written.
    pub fn generate_with_warnings(&self) -> Result<(Vec<GeneratedFile>, Vec<Warning>), Error> {
        let lowered = self.lower()?;
        Ok((
            lowered.client_files()?,
            lowered.warnings().cloned().collect(),
        ))
    }

    /// Generates the command line's command tree; see [`Lowered::cli_files`].
    pub fn generate_cli(&self) -> Result<Vec<GeneratedFile>, Error> {
        self.lower()?.cli_files()
    }
}

/// Loads and lowers one document (on the caller's stack: [`Generator::lower`] runs it on a big
/// one).
fn lower_spec(spec: &Spec, runtime_crate: &CratePath) -> Result<LoweredSpec, Error> {
    check_module_name(spec)?;
    let (doc, load_warnings) = load::load_with_warnings(&spec.file, &spec.source)?;
    let api = lower::lower(&doc, &spec.module, runtime_crate)
        .map_err(|e| e.in_file(&spec.file, &spec.source))?;
    // What loading dropped (a 3.1 document's webhooks) comes first, in document order; one
    // index of the text locates them all (a big document can have hundreds).
    let locator = locate::Locator::new(&spec.source);
    let warnings = load_warnings
        .iter()
        .chain(&api.warnings)
        .map(|w| Warning::locate(w, &spec.file, &locator))
        .collect();
    Ok(LoweredSpec {
        label: spec.file.clone(),
        source: spec.source.clone(),
        api,
        warnings,
    })
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
    Err(Error::invalid(
        "",
        format!(
            "module name {:?} is not a plain Rust identifier (letters, digits, `_`)",
            spec.module
        ),
    )
    .with_file(&spec.file))
}

/// A crate path setting goes into every generated file's `use` line, so it must be a Rust
/// path: a typo is reported here instead of producing code that names some other crate.
fn crate_setting(setting: &str, what: &str, path: &str) -> Result<CratePath, Error> {
    CratePath::parse(path).ok_or_else(|| {
        Error::setting(
            setting,
            format!("{what} {path:?} is not a Rust path such as `{DEFAULT_RUNTIME_CRATE}`"),
        )
    })
}

/// The header line of every generated file.
pub fn header(source_file: &str) -> String {
    format!(
        "{} by presence-generator from {source_file}. Do not edit: run `cargo xtask codegen`.",
        write::MARKER
    )
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
            assert!(crate_setting("s", "crate", good).is_ok(), "{good}");
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
