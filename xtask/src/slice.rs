//! `cargo xtask slice`: cuts what `spec/<version>/slice.yaml` selects out of Microsoft's
//! published documents, applies `spec/<version>/overlay.yaml`, writes
//! `spec/<version>/presence.yaml` and records the inputs in `spec/manifest.json`; `--check`
//! redoes the recorded slices and compares.

use crate::parts::{self, PARTS, Target};
use crate::{provenance, specs};
use generator::overlay::{OVERLAY_FILE, Overlay};
use generator::provenance::{GENERATOR_VERSION, OverlayRecord, SliceRecord, Source, sha256_hex};
use generator::slice::{SELECTION_FILE, Selection};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const VERSIONS: &[&str] = &["v1.0", "beta"];

/// Where Microsoft's documents are looked for by `--check`, relative to the workspace root.
const DEFAULT_SOURCES: &str = "../shared/reference/upstream";

/// Slice Microsoft's Graph OpenAPI documents into spec/<version>/presence.yaml.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SliceArgs {
    /// A Microsoft Graph OpenAPI document (e.g. CloudCommunications.yml); repeat for several
    /// modules (e.g. also Users.Actions.yml), whose selected parts are merged
    /// [default: the `sources` of spec/<version>/slice.yaml, looked up in --sources].
    #[arg(long = "from", value_name = "FILE")]
    pub from: Vec<PathBuf>,
    /// API version to slice into (v1.0 or beta); with --check, the only version checked.
    #[arg(long, value_name = "VERSION", value_parser = clap::builder::PossibleValuesParser::new(VERSIONS))]
    pub version: Option<String>,
    /// Write nothing: redo every recorded slice from the sources found in --sources and fail
    /// if a committed fragment differs from it.
    #[arg(long, conflicts_with = "from")]
    pub check: bool,
    /// Slice a part of the version instead of its presence fragment: `directory` is
    /// spec/<version>/directory/{slice,overlay,directory}.yaml; with --check, the only part checked.
    #[arg(long, value_name = "PART", value_parser = clap::builder::PossibleValuesParser::new(PARTS))]
    pub part: Option<String>,
    /// Directory where the sources are looked for by file name, by --check and when --from is
    /// not given [default: ../shared/reference/upstream, relative to the workspace root].
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// Where a source was published, as FILE=TEXT (e.g. "v1.0-CloudCommunications.yml=msgraph-sdk-powershell
    /// openApiDocs/v1.0/CloudCommunications.yml, snapshot 2025-01-27"); recorded in the manifest.
    /// Defaults to what the manifest already says for that file name.
    #[arg(long, value_name = "FILE=TEXT")]
    pub origin: Vec<String>,
}

/// Runs the slice task from the workspace at `root`.
pub fn run(root: &Path, args: &SliceArgs) -> Result<ExitCode, String> {
    if args.check {
        return check(root, args);
    }
    let version = args
        .version
        .as_deref()
        .ok_or("--version v1.0|beta is required (unless --check)")?;
    if !VERSIONS.contains(&version) {
        return Err(format!(
            "--version must be one of {}, not {version:?}",
            VERSIONS.join(", ")
        ));
    }
    let target = Target {
        version,
        part: args.part.as_deref(),
    };
    let from = if args.from.is_empty() {
        let dir = sources_dir(root, args);
        let (_, selection) = load_selection(root, &target.dir())?;
        if selection.sources.is_empty() {
            return Err(format!(
                "spec/{}/{SELECTION_FILE} names no `sources`; list them there or give --from",
                target.dir()
            ));
        }
        selection.sources.iter().map(|s| dir.join(s)).collect()
    } else {
        args.from.clone()
    };
    let mut texts = Vec::new();
    for path in &from {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        texts.push((file_name(path), text));
    }
    let started = Instant::now();
    let outcome = slice_version(root, target, &texts)?;
    let elapsed = started.elapsed();

    let mut manifest = provenance::load(root)?;
    let previous_origins: Vec<Source> = manifest
        .versions
        .values()
        .filter_map(|e| e.slice.as_ref())
        .flat_map(|s| s.sources.clone())
        .collect();
    let mut sources = Vec::new();
    for (name, text) in &texts {
        let origin = origin_of(name, &args.origin)?
            .or_else(|| {
                previous_origins
                    .iter()
                    .find(|s| s.file == *name)
                    .map(|s| s.origin.clone())
            })
            .unwrap_or_else(|| "not recorded (pass --origin FILE=TEXT)".to_owned());
        sources.push(Source {
            file: name.clone(),
            bytes: text.len() as u64,
            sha256: sha256_hex(text.as_bytes()),
            origin,
        });
    }
    specs::write_atomic(&outcome.target, &outcome.sliced.yaml)?;
    let entry = manifest.versions.entry(target.dir()).or_default();
    entry.fragment = outcome.relative.clone();
    entry.slice = Some(SliceRecord {
        sources,
        overlay: outcome.overlay,
        selection: Some(outcome.selection),
        fragment_sha256: sha256_hex(outcome.sliced.yaml.as_bytes()),
        generator_version: GENERATOR_VERSION.to_owned(),
    });
    provenance::save(root, &manifest)?;

    println!(
        "sliced {} in {elapsed:.2?}: {} paths, {} components",
        texts
            .iter()
            .map(|(name, text)| format!("{name} ({} bytes)", text.len()))
            .collect::<Vec<_>>()
            .join(" + "),
        outcome.sliced.paths.len(),
        outcome.sliced.components.len()
    );
    report(&outcome.sliced);
    println!("wrote    spec/{} and spec/manifest.json", outcome.relative);
    if target.part.is_none() {
        println!(
            "next:    cargo xtask diff --base HEAD --version {version}, then cargo xtask codegen"
        );
    } else {
        println!("next:    cargo xtask codegen");
    }
    Ok(ExitCode::SUCCESS)
}

/// What slicing one version produced, not yet written.
struct Outcome {
    target: PathBuf,
    relative: String,
    sliced: generator::slice::Slice,
    overlay: Option<OverlayRecord>,
    selection: OverlayRecord,
}

/// The selection in `spec/<dir>/` (a version, or a version's part), with its text's record; a
/// missing or bad file is an error.
fn load_selection(root: &Path, dir: &str) -> Result<(OverlayRecord, Selection), String> {
    let relative = format!("{dir}/{SELECTION_FILE}");
    let path = root.join("spec").join(&relative);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "reading spec/{relative}: {e}; it lists the patterns of the paths to keep (see spec/README.md)"
        )
    })?;
    let selection = Selection::parse(&format!("spec/{relative}"), &text)
        .map_err(|e| format!("{e}\nnothing written"))?;
    let record = OverlayRecord {
        file: relative,
        sha256: sha256_hex(text.as_bytes()),
    };
    Ok((record, selection))
}

fn sources_dir(root: &Path, args: &SliceArgs) -> PathBuf {
    args.sources
        .clone()
        .unwrap_or_else(|| root.join(DEFAULT_SOURCES))
}

/// Slices `sources` (file name, text) for `what` with its overlay, and makes sure the
/// generator accepts the result. Writes nothing.
fn slice_version(
    root: &Path,
    what: Target<'_>,
    sources: &[(String, String)],
) -> Result<Outcome, String> {
    let spec_dir = root.join("spec");
    let dir = what.dir();
    let target = match what.part {
        Some(part) => parts::fragment(&spec_dir, what.version, part),
        None => specs::fragment(&spec_dir, what.version)
            .map(|f| f.path)
            .unwrap_or_else(|_| spec_dir.join(what.version).join("presence.yaml")),
    };
    let relative = format!(
        "{dir}/{}",
        target.file_name().unwrap_or_default().to_string_lossy()
    );
    let overlay_path = spec_dir.join(&dir).join(OVERLAY_FILE);
    let overlay_label = format!("spec/{dir}/{OVERLAY_FILE}");
    let overlay_text = match std::fs::read_to_string(&overlay_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("reading {}: {e}", overlay_path.display())),
    };
    let overlay = overlay_text
        .as_deref()
        .map(|text| Overlay::parse(&overlay_label, text))
        .transpose()
        .map_err(|e| format!("{e}\nnothing written"))?;
    let (selection_record, selection) = load_selection(root, &dir)?;
    let borrowed: Vec<(&str, &str)> = sources
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let sliced = generator::slice::slice(&borrowed, &selection, overlay.as_ref())
        .map_err(|e| format!("{e}\nnothing written"))?;
    // Refuse to write a fragment the generator cannot read.
    generator::Generator::new()
        .spec(
            what.module(),
            format!("spec/{relative}"),
            sliced.yaml.as_str(),
        )
        .lower()
        .map_err(|e| {
            format!("the slice is not a fragment the generator accepts, nothing written: {e}")
        })?;
    Ok(Outcome {
        target,
        relative,
        sliced,
        overlay: overlay_text.map(|text| OverlayRecord {
            file: format!("{dir}/{OVERLAY_FILE}"),
            sha256: sha256_hex(text.as_bytes()),
        }),
        selection: selection_record,
    })
}

/// `--check`: redo each recorded slice whose sources are at hand and compare byte for byte.
fn check(root: &Path, args: &SliceArgs) -> Result<ExitCode, String> {
    let dir = sources_dir(root, args);
    let manifest = provenance::load(root)?;
    let mut failed = false;
    let targets = VERSIONS.iter().flat_map(|version| {
        std::iter::once(None)
            .chain(PARTS.iter().copied().map(Some))
            .map(move |part| Target { version, part })
    });
    for what in targets {
        if args.version.as_deref().is_some_and(|v| v != what.version)
            || (args.part.is_some() && args.part.as_deref() != what.part)
        {
            continue;
        }
        let version = what.dir();
        let Some(entry) = manifest.versions.get(&version) else {
            // A version's parts are optional: only a missing presence entry is worth a line.
            if what.part.is_none() {
                println!("{version}: not in spec/manifest.json; nothing to check");
            }
            continue;
        };
        let Some(record) = &entry.slice else {
            println!(
                "{version}: spec/{} is not recorded as sliced; nothing to check",
                entry.fragment
            );
            continue;
        };
        let mut sources = Vec::new();
        let mut missing = Vec::new();
        for source in &record.sources {
            let path = dir.join(&source.file);
            match std::fs::read_to_string(&path) {
                Ok(text) if sha256_hex(text.as_bytes()) == source.sha256 => {
                    sources.push((source.file.clone(), text));
                }
                Ok(_) => missing.push(format!(
                    "{} is not the recorded document (sha256 differs)",
                    path.display()
                )),
                Err(_) => missing.push(format!("{} is absent", path.display())),
            }
        }
        if !missing.is_empty() {
            println!(
                "{version}: skipped, the recorded sources are not at hand: {}",
                missing.join("; ")
            );
            continue;
        }
        let outcome = slice_version(root, what, &sources)?;
        let committed = std::fs::read_to_string(&outcome.target).unwrap_or_default();
        report(&outcome.sliced);
        if committed == outcome.sliced.yaml {
            println!(
                "{version}: spec/{} equals the slice of {} with its overlay",
                outcome.relative,
                record
                    .sources
                    .iter()
                    .map(|s| s.file.as_str())
                    .collect::<Vec<_>>()
                    .join(" + ")
            );
        } else {
            failed = true;
            let froms: String = record
                .sources
                .iter()
                .map(|s| format!(" --from {}", dir.join(&s.file).display()))
                .collect();
            eprintln!(
                "{version}: spec/{} differs from slice(sources) + spec/{version}/{OVERLAY_FILE}; rerun: cargo xtask slice --version {}{}{froms}",
                outcome.relative,
                what.version,
                what.part
                    .map(|p| format!(" --part {p}"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints the stale overlay actions and the components the overlay left unreferenced.
fn report(sliced: &generator::slice::Slice) {
    for warning in &sliced.warnings {
        println!("{warning}");
    }
    for stale in &sliced.stale {
        println!("warning: {stale}");
    }
    if !sliced.pruned.is_empty() {
        println!(
            "pruned   {} unreferenced component(s): {}",
            sliced.pruned.len(),
            sliced.pruned.join(", ")
        );
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// The `--origin FILE=TEXT` given for `name`, if any.
fn origin_of(name: &str, origins: &[String]) -> Result<Option<String>, String> {
    for origin in origins {
        let (file, text) = origin
            .split_once('=')
            .ok_or_else(|| format!("--origin wants FILE=TEXT, not {origin:?}"))?;
        if file == name {
            return Ok(Some(text.to_owned()));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests;
