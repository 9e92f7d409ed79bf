//! build: the generator in one call from a build script.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), generator::build::Failed> {
//!     generator::build::module("presence.yaml").name("v1_0").write_to_out_dir().map(drop)
//! }
//! // src/lib.rs: include!(concat!(env!("OUT_DIR"), "/v1_0.rs"));
//! ```
//!
//! [`Build::write_to_out_dir`] reads the spec (and any further sources, the selection and the
//! overlay, composed by [`crate::compose`]: a selection keeps only what it matches, e.g.
//! `.include("/groups/{group-id}/members/**")`), tells cargo to rerun when any of them
//! changes, and writes `OUT_DIR/<name>.rs`: `pub mod <name> { .. }`, the same code as the
//! multi-file module `cargo xtask codegen` commits, folded into one file by [`single_file`]. A
//! failure becomes `cargo::error=` lines naming file and line, and an `Err` whose `Debug` is
//! that message (so `main` exits non-zero without a panic backtrace).

mod single_file;

pub use single_file::single_file;

use crate::error::Error;
use crate::slice::Selection;
use crate::{DEFAULT_RUNTIME_CRATE, Generator, header, overlay};
use std::fmt;
use std::path::{Path, PathBuf};

/// Starts a build of the module generated from `spec` (an OpenAPI document, YAML or JSON;
/// a relative path is relative to the package, where cargo runs build scripts).
pub fn module(spec: impl Into<PathBuf>) -> Build {
    Build {
        spec: spec.into(),
        name: None,
        runtime: DEFAULT_RUNTIME_CRATE.to_owned(),
        overlay: None,
        out_dir: None,
        more_sources: Vec::new(),
        include: Vec::new(),
        exclude: Vec::new(),
        select: None,
    }
}

/// The settings of one build-time module; see [`module`].
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    name: Option<String>,
    runtime: String,
    overlay: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    more_sources: Vec<PathBuf>,
    include: Vec<String>,
    exclude: Vec<String>,
    select: Option<PathBuf>,
}

/// What the generated file says and where it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// The module name, also the file's stem (`v1_0` → `v1_0.rs`).
    pub module: String,
    /// The formatted file.
    pub contents: String,
    /// Everything read, for `cargo::rerun-if-changed`.
    pub inputs: Vec<PathBuf>,
    /// Lines for `cargo::warning=`: stale overlay actions, worked-around spec problems.
    pub warnings: Vec<String>,
}

impl Build {
    /// The module's name, a Rust identifier; by default the spec's file stem in snake case.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The runtime crate the code calls (default `::msgraph_presence_runtime`).
    pub fn runtime(mut self, path: impl Into<String>) -> Self {
        self.runtime = path.into();
        self
    }

    /// An OpenAPI Overlay 1.0 document applied to the spec before generating.
    pub fn overlay(mut self, overlay: impl Into<PathBuf>) -> Self {
        self.overlay = Some(overlay.into());
        self
    }

    /// Another document merged with the spec (as `cargo xtask slice` merges Microsoft's
    /// modules); implies slicing, with every path kept unless a selection says otherwise.
    pub fn source(mut self, spec: impl Into<PathBuf>) -> Self {
        self.more_sources.push(spec.into());
        self
    }

    /// Keeps the operations whose path matches `pattern` (`/users/{x}/presence/**`; the syntax
    /// is in [`crate::slice::pattern`]), with the components they reach. Repeatable.
    pub fn include(mut self, pattern: impl Into<String>) -> Self {
        self.include.push(pattern.into());
        self
    }

    /// Drops the operations whose path matches `pattern`, even if an include matches them.
    pub fn exclude(mut self, pattern: impl Into<String>) -> Self {
        self.exclude.push(pattern.into());
        self
    }

    /// A selection file (`slice.yaml`: `include`, `exclude`, `order`); patterns given with
    /// [`Build::include`]/[`Build::exclude`] are added to it.
    pub fn select(mut self, file: impl Into<PathBuf>) -> Self {
        self.select = Some(file.into());
        self
    }

    /// Writes into `dir` instead of `$OUT_DIR` (for tests and tools).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates the single file in memory, printing nothing.
    pub fn render(&self) -> Result<Output, Error> {
        let module = match &self.name {
            Some(name) => name.clone(),
            None => {
                crate::module_name(&self.spec.file_stem().unwrap_or_default().to_string_lossy())
            }
        };
        let mut texts = Vec::new();
        for path in std::iter::once(&self.spec).chain(&self.more_sources) {
            texts.push((path.display().to_string(), read(path)?));
        }
        let sources: Vec<(&str, &str)> = texts
            .iter()
            .map(|(label, text)| (label.as_str(), text.as_str()))
            .collect();
        let overlay = match &self.overlay {
            Some(path) => Some(overlay::Overlay::parse(
                &path.display().to_string(),
                &read(path)?,
            )?),
            None => None,
        };
        let selection = self.selection()?;
        let composed = crate::compose::compose(&sources, selection.as_ref(), overlay.as_ref())?;
        let inputs = self.inputs();
        let mut warnings = composed.warnings;
        let label = composed.label;
        let source = composed.text;
        let lowered = Generator::new()
            .runtime_crate(&self.runtime)
            .spec(&module, &label, source)
            .lower()?;
        warnings.extend(lowered.warnings().map(ToString::to_string));
        let contents = single_file(&module, &lowered.client_files()?, &header(&label))?;
        Ok(Output {
            module,
            contents,
            inputs,
            warnings,
        })
    }

    /// Generates and writes `<out dir>/<name>.rs` (rewritten only when its contents change),
    /// printing cargo's `rerun-if-changed`, `warning` and `error` lines; returns the path.
    pub fn write_to_out_dir(self) -> Result<PathBuf, Failed> {
        for input in self.inputs() {
            println!("cargo::rerun-if-changed={}", input.display());
        }
        let result = self.render().and_then(|output| {
            for warning in &output.warnings {
                println!("cargo::warning={}", one_line(warning));
            }
            let dir = match &self.out_dir {
                Some(dir) => dir.clone(),
                None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                    Error::setting(
                        "Build::out_dir",
                        "OUT_DIR is not set: call write_to_out_dir from a build script, or set Build::out_dir",
                    )
                })?,
            };
            let target = dir.join(format!("{}.rs", output.module));
            if std::fs::read_to_string(&target).ok().as_deref() != Some(&output.contents) {
                std::fs::write(&target, &output.contents)
                    .map_err(|e| Error::io(target.display().to_string(), &e))?;
            }
            Ok(target)
        });
        result.map_err(|error| {
            for line in cargo_error_lines(&error) {
                println!("{line}");
            }
            Failed { error }
        })
    }

    /// The files a build reads (known before reading them, so cargo reruns even after a
    /// failure once they are fixed).
    fn inputs(&self) -> Vec<PathBuf> {
        let mut inputs = vec![self.spec.clone()];
        inputs.extend(self.more_sources.iter().cloned());
        inputs.extend(self.select.clone());
        inputs.extend(self.overlay.clone());
        inputs
    }

    /// The selection the settings describe, if any.
    fn selection(&self) -> Result<Option<Selection>, Error> {
        let include: Vec<&str> = self.include.iter().map(String::as_str).collect();
        let exclude: Vec<&str> = self.exclude.iter().map(String::as_str).collect();
        let file = match &self.select {
            Some(path) => Some((path.display().to_string(), read(path)?)),
            None => None,
        };
        let file = file
            .as_ref()
            .map(|(label, text)| (label.as_str(), text.as_str()));
        crate::compose::selection(file, "Build::include", &include, &exclude)
    }
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path.display().to_string(), &e))
}

/// Cargo reads one directive per line, so a message's line breaks become spaces.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `cargo::error=` line(s) reporting `error` (`file:line: kind: message`).
pub fn cargo_error_lines(error: &Error) -> Vec<String> {
    vec![format!("cargo::error={}", one_line(&error.to_string()))]
}

/// A failed build: the error is already printed for cargo; `main` returning it exits with a
/// failure status and prints the message once more, without a backtrace.
pub struct Failed {
    pub error: Error,
}

impl fmt::Debug for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "code generation failed: {}", self.error)
    }
}

impl fmt::Display for Failed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for Failed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_is_one_cargo_line_with_file_and_line() {
        let error = Error::invalid("/paths", "no paths\nat all")
            .with_file("spec/presence.yaml")
            .at(Some(7), None);
        assert_eq!(
            cargo_error_lines(&error),
            ["cargo::error=spec/presence.yaml:7 (at /paths): invalid spec: no paths at all"]
        );
    }

    #[test]
    fn the_default_name_is_the_file_stem() {
        let dir = std::env::temp_dir().join(format!("build-default-name-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = dir.join("My-Api.yaml");
        std::fs::write(
            &spec,
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\n",
        )
        .unwrap();
        let result = module(&spec).render();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(result.unwrap().module, "my_api");
    }
}
