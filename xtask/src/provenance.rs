//! Keeps `spec/manifest.json` in step with codegen, and explains `codegen --check` failures.

use crate::specs;
use generator::provenance::{self, Finding, Generated, Manifest};
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

/// What the generator makes of each fragment now: (fragment, spec sha256, output sha256).
fn current(root: &Path) -> Result<Vec<(specs::Fragment, String, String)>, String> {
    let mut out = Vec::new();
    for fragment in specs::fragments(&root.join("spec"))? {
        let source = fragment.read()?;
        let files = generator::Generator::new()
            .spec(fragment.module(), fragment.label(), source.as_str())
            .generate()
            .map_err(|e| e.to_string())?;
        let spec_sha = provenance::sha256_hex(source.as_bytes());
        out.push((fragment, spec_sha, provenance::output_sha256(&files)));
    }
    Ok(out)
}

/// Records the generator output for every fragment (after `cargo xtask codegen` wrote it).
pub fn record_codegen(root: &Path) -> Result<(), String> {
    let mut manifest = load(root)?;
    for (fragment, spec_sha256, output_sha256) in current(root)? {
        let entry = manifest
            .versions
            .entry(fragment.version.clone())
            .or_default();
        entry.fragment = fragment.relative.clone();
        entry.generated = Some(Generated {
            generator_version: provenance::GENERATOR_VERSION.to_owned(),
            spec_sha256,
            output_sha256,
        });
    }
    if save(root, &manifest)? {
        println!("updated  spec/{}", provenance::MANIFEST_FILE);
    }
    Ok(())
}

/// Compares the manifest with what the generator makes of the specs now.
pub fn check(root: &Path) -> Result<Vec<Finding>, String> {
    let manifest = load(root)?;
    let mut findings = Vec::new();
    for (fragment, spec_sha, output_sha) in current(root)? {
        findings.extend(provenance::assess(
            &fragment.version,
            manifest.versions.get(&fragment.version),
            &spec_sha,
            &output_sha,
        ));
    }
    Ok(findings)
}

/// Prints what [`check`] found for `codegen --check`; true when nothing makes it fail.
pub fn report_check(root: &Path) -> Result<bool, String> {
    let (failures, notes): (Vec<Finding>, Vec<Finding>) =
        check(root)?.into_iter().partition(Finding::is_failure);
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
