//! Keeps `spec/manifest.json` in step with codegen, and explains `codegen --check` failures.

use crate::specs;
use generator::provenance::{self, Finding, Generated, Manifest};
use generator::{GeneratedFile, LoweredSpec};
use std::path::{Path, PathBuf};

pub fn manifest_path(root: &Path) -> PathBuf {
    root.join("spec").join(provenance::MANIFEST_FILE)
}

pub fn load(root: &Path) -> Result<Manifest, String> {
    let path = manifest_path(root);
    match std::fs::read_to_string(&path) {
        Ok(text) => Manifest::parse(&path.display().to_string(), &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(format!("reading {}: {e}", path.display())),
    }
}

pub fn save(root: &Path, manifest: &Manifest) -> Result<bool, String> {
    let path = manifest_path(root);
    let text = manifest.to_json();
    if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
        return Ok(false);
    }
    specs::write_atomic(&path, &text)?;
    Ok(true)
}

/// What codegen made of one fragment: where it is, and the hashes the manifest records.
pub struct SpecOutput {
    /// The version directory, e.g. `v1.0`.
    pub version: String,
    /// The fragment's path relative to `spec/`, e.g. `v1.0/presence.yaml`.
    pub relative: String,
    pub spec_sha256: String,
    pub output_sha256: String,
}

/// The hashes of each fragment's text and of the client files codegen made from it (the very
/// files it writes or checks: nothing is generated again here).
pub fn outputs(client: &[(&LoweredSpec, Vec<GeneratedFile>)]) -> Vec<SpecOutput> {
    client
        .iter()
        .map(|(spec, files)| {
            // `specs_in` labels a fragment `spec/<version>/<file>`, a part's is
            // `spec/<version>/<part>/<file>`; the manifest key is the directory
            // (`v1.0`, `v1.0/directory`).
            let relative = spec
                .label
                .strip_prefix("spec/")
                .unwrap_or(&spec.label)
                .to_owned();
            let version = relative
                .rsplit_once('/')
                .map_or(relative.as_str(), |(dir, _)| dir)
                .to_owned();
            SpecOutput {
                version,
                relative,
                spec_sha256: provenance::sha256_hex(spec.source.as_bytes()),
                output_sha256: provenance::output_sha256(files),
            }
        })
        .collect()
}

/// Records the generator output for every fragment (after `cargo xtask codegen` wrote it).
pub fn record_codegen(root: &Path, now: &[SpecOutput]) -> Result<(), String> {
    let mut manifest = load(root)?;
    for output in now {
        let entry = manifest.versions.entry(output.version.clone()).or_default();
        entry.fragment = output.relative.clone();
        entry.generated = Some(Generated {
            generator_version: provenance::GENERATOR_VERSION.to_owned(),
            spec_sha256: output.spec_sha256.clone(),
            output_sha256: output.output_sha256.clone(),
        });
    }
    if save(root, &manifest)? {
        println!("updated  spec/{}", provenance::MANIFEST_FILE);
    }
    Ok(())
}

/// Compares the manifest with what the generator makes of the specs now.
pub fn check(root: &Path, now: &[SpecOutput]) -> Result<Vec<Finding>, String> {
    let manifest = load(root)?;
    Ok(now
        .iter()
        .flat_map(|output| {
            provenance::assess(
                &output.version,
                manifest.versions.get(&output.version),
                &output.spec_sha256,
                &output.output_sha256,
            )
        })
        .collect())
}

/// Prints what [`check`] found for `codegen --check`; true when nothing makes it fail.
pub fn report_check(root: &Path, now: &[SpecOutput]) -> Result<bool, String> {
    let (failures, notes): (Vec<Finding>, Vec<Finding>) =
        check(root, now)?.into_iter().partition(Finding::is_failure);
    for note in &notes {
        eprintln!("{note}");
    }
    if !failures.is_empty() {
        eprintln!("spec/manifest.json disagrees with the specs and the generator:");
        for finding in &failures {
            eprintln!("  {finding}");
        }
    }
    Ok(failures.is_empty())
}
