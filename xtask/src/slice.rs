//! `cargo xtask slice --from <full Graph OpenAPI document> --version v1.0|beta`

use crate::{provenance, specs};
use generator::provenance::{GENERATOR_VERSION, Source, sha256_hex};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const VERSIONS: &[&str] = &["v1.0", "beta"];

pub fn run(root: &Path, from: &str, version: &str) -> Result<ExitCode, String> {
    if !VERSIONS.contains(&version) {
        return Err(format!(
            "--version must be one of {}, not {version:?}",
            VERSIONS.join(", ")
        ));
    }
    let from_path = Path::new(from);
    let upstream = std::fs::read_to_string(from_path)
        .map_err(|e| format!("reading {}: {e}", from_path.display()))?;
    let spec_dir = root.join("spec");
    let target = specs::fragment(&spec_dir, version)
        .map(|f| f.path)
        .unwrap_or_else(|_| spec_dir.join(version).join("presence.yaml"));
    let relative = format!(
        "{version}/{}",
        target.file_name().unwrap_or_default().to_string_lossy()
    );
    let existing = std::fs::read_to_string(&target).ok();
    let existing_label = format!("spec/{relative}");

    let started = Instant::now();
    let sliced = generator::slice::slice(
        from,
        &upstream,
        existing
            .as_deref()
            .map(|text| (existing_label.as_str(), text)),
    )
    .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();

    // Refuse to write a fragment the generator cannot read.
    generator::Generator::new()
        .spec(
            generator::lower::naming::snake(version),
            existing_label.as_str(),
            sliced.yaml.as_str(),
        )
        .lower()
        .map_err(|e| {
            format!("the slice is not a fragment the generator accepts, nothing written: {e}")
        })?;

    specs::write_atomic(&target, &sliced.yaml)?;
    let mut manifest = provenance::load(root)?;
    let entry = manifest.versions.entry(version.to_owned()).or_default();
    entry.fragment = relative.clone();
    entry.source = Some(Source {
        file: from_path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        sha256: sha256_hex(upstream.as_bytes()),
        sliced: jiff::Timestamp::now().strftime("%Y-%m-%d").to_string(),
        fragment_sha256: sha256_hex(sliced.yaml.as_bytes()),
        generator_version: GENERATOR_VERSION.to_owned(),
    });
    provenance::save(root, &manifest)?;

    println!(
        "sliced {} ({} bytes) in {:.2?}: {} paths, {} components",
        from,
        upstream.len(),
        elapsed,
        sliced.paths.len(),
        sliced.components.len()
    );
    for (method, path, ext) in &sliced.carried_extensions {
        println!(
            "kept     {ext} on {} {path} from the previous fragment",
            method.to_uppercase()
        );
    }
    println!("wrote    spec/{relative} and spec/manifest.json");
    println!("next:    cargo xtask diff --base HEAD --version {version}, then cargo xtask codegen");
    Ok(ExitCode::SUCCESS)
}
