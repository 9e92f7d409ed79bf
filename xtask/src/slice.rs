//! `cargo xtask slice --from <full Graph OpenAPI document> --version v1.0|beta`

use crate::{provenance, specs};
use generator::provenance::{GENERATOR_VERSION, Source, sha256_hex};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const VERSIONS: &[&str] = &["v1.0", "beta"];

/// The task's arguments. (The overlay lane replaces this file with the multi-source slice;
/// this keeps today's flags behind the `slice::run(&root, &args)` interface it shares.)
#[derive(Debug, clap::Args)]
pub struct SliceArgs {
    /// Microsoft's full OpenAPI document to cut the presence fragment from.
    #[arg(long, value_name = "FILE")]
    pub from: String,
    /// The API version the document describes: v1.0 or beta.
    #[arg(long, value_name = "VERSION")]
    pub version: String,
}

pub fn run(root: &Path, args: &SliceArgs) -> Result<ExitCode, String> {
    let (from, version) = (args.from.as_str(), args.version.as_str());
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

#[cfg(test)]
mod tests {
    fn slice_args(from: &str, version: &str) -> super::SliceArgs {
        super::SliceArgs {
            from: from.to_owned(),
            version: version.to_owned(),
        }
    }

    use super::*;
    use generator::provenance::Finding;

    /// A scratch copy of the repository's `spec/` under the system temp directory.
    fn scratch_root(name: &str) -> std::path::PathBuf {
        let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for version in ["v1.0", "beta"] {
            let dir = root.join("spec").join(version);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::copy(
                repo.join("spec").join(version).join("presence.yaml"),
                dir.join("presence.yaml"),
            )
            .unwrap();
        }
        root
    }

    #[test]
    fn slice_then_codegen_keeps_the_manifest_honest() {
        let root = scratch_root("slice");
        // An "upstream" document: our fragment plus an unrelated path. (Carrying extensions
        // over is the generator's job and tested there.)
        let fragment = std::fs::read_to_string(root.join("spec/v1.0/presence.yaml")).unwrap();
        let unrelated = "paths:\n  /me/messages:\n    get:\n      responses:\n        '200':\n          description: OK\n";
        let upstream = fragment.replacen("paths:\n", unrelated, 1);
        let upstream_path = root.join("openapi.yaml");
        std::fs::write(&upstream_path, &upstream).unwrap();

        run(&root, &slice_args(upstream_path.to_str().unwrap(), "v1.0")).unwrap();
        let written = std::fs::read_to_string(root.join("spec/v1.0/presence.yaml")).unwrap();
        assert!(!written.contains("/me/messages"));
        assert!(written.contains("x-graph-permissions"));
        let manifest = provenance::load(&root).unwrap();
        let source = manifest.versions["v1.0"].source.clone().unwrap();
        assert_eq!(source.file, "openapi.yaml");
        assert_eq!(source.sha256, sha256_hex(upstream.as_bytes()));
        assert_eq!(source.fragment_sha256, sha256_hex(written.as_bytes()));

        // Nothing generated yet: --check would say so for both versions.
        let findings = provenance::check(&root).unwrap();
        assert_eq!(findings.len(), 2);
        assert!(
            findings
                .iter()
                .all(|f| matches!(f, Finding::Unrecorded { .. }))
        );
        provenance::record_codegen(&root).unwrap();
        assert!(provenance::check(&root).unwrap().is_empty());

        // A hand edit after codegen is a changed spec, and a note about the slice.
        std::fs::write(
            root.join("spec/v1.0/presence.yaml"),
            format!("{written}# edited\n"),
        )
        .unwrap();
        let findings = provenance::check(&root).unwrap();
        assert!(
            findings
                .iter()
                .any(|f| matches!(f, Finding::SpecChanged { .. }))
        );
        assert!(
            findings
                .iter()
                .any(|f| matches!(f, Finding::EditedSinceSlice { .. }))
        );

        assert!(
            run(&root, &slice_args("no-such-file.yaml", "v1.0"))
                .unwrap_err()
                .contains("no-such-file.yaml")
        );
        assert!(
            run(&root, &slice_args(upstream_path.to_str().unwrap(), "v2"))
                .unwrap_err()
                .contains("--version")
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
