//! provenance: the manifest beside the specs (`spec/manifest.json`) that says where each fragment
//! came from and which generator output was committed for it.
//!
//! Two writers fill it: `cargo xtask slice` records the upstream sources (file name, size, sha256,
//! origin), the overlay's sha256 and the sha256 of the fragment it wrote; `cargo xtask codegen` records the generator version,
//! the sha256 of the fragment it read and the sha256 of everything it generated from it. With
//! both hashes, `cargo xtask codegen --check` can tell a changed spec from a changed generator.

use crate::GeneratedFile;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Version of this generator, as recorded in the manifest.
pub const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// File name of the manifest inside the spec directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The whole manifest: one entry per spec version directory (`v1.0`, `beta`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub versions: BTreeMap<String, VersionEntry>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionEntry {
    /// The fragment, relative to the spec directory (`v1.0/presence.yaml`).
    pub fragment: String,
    /// How `cargo xtask slice` made the fragment; `None` for a fragment written by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice: Option<SliceRecord>,
    /// What the last `cargo xtask codegen` produced from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
}

/// The inputs of a sliced fragment: enough to redo the slice and to tell whether it was redone.
///
/// No date is recorded: rerunning the same slice leaves the manifest unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SliceRecord {
    /// Microsoft's documents, in the order they were given.
    pub sources: Vec<Source>,
    /// The overlay applied after slicing, if there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overlay: Option<OverlayRecord>,
    /// The selection that said which paths to keep (`v1.0/slice.yaml`), as file and sha256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<OverlayRecord>,
    /// sha256 of the fragment the slice wrote; differs from the file when edited by hand since.
    pub fragment_sha256: String,
    /// Version of the generator that sliced.
    pub generator_version: String,
}

/// An upstream document a fragment was sliced from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name of the upstream document (no directories: they differ between machines).
    pub file: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Lowercase hex sha256 of the document.
    pub sha256: String,
    /// Where the document was published (repository, path and snapshot).
    pub origin: String,
}

/// The overlay a fragment was sliced with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverlayRecord {
    /// The overlay, relative to the spec directory (`v1.0/overlay.yaml`).
    pub file: String,
    /// Lowercase hex sha256 of the overlay.
    pub sha256: String,
}

/// The generator output committed for a fragment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    pub generator_version: String,
    /// sha256 of the fragment the output was generated from.
    pub spec_sha256: String,
    /// sha256 over the generated files' paths and contents (see [`output_sha256`]).
    pub output_sha256: String,
}

/// Lowercase hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One hash over a set of generated files, independent of their order.
pub fn output_sha256(files: &[GeneratedFile]) -> String {
    let mut sorted: Vec<&GeneratedFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut hasher = Sha256::new();
    for f in sorted {
        // Length prefixes keep ("ab","c") and ("a","bc") apart.
        let path = f.path.to_string_lossy();
        hasher.update((path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update((f.contents.len() as u64).to_le_bytes());
        hasher.update(f.contents.as_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Manifest {
    /// Parses the manifest; `label` names it in errors.
    pub fn parse(label: &str, text: &str) -> Result<Manifest, String> {
        serde_json::from_str(text).map_err(|e| format!("{label}: not a valid manifest: {e}"))
    }

    /// The manifest as pretty JSON with a trailing newline (keys sorted, so diffs stay small).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("manifest serializes");
        s.push('\n');
        s
    }
}

/// What the current state of one version says against its manifest entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The manifest has no generated record for this version.
    Unrecorded { version: String },
    /// The fragment changed since the output was generated.
    SpecChanged { version: String, fragment: String },
    /// Same fragment, different output: the generator changed and nobody regenerated.
    GeneratorChanged {
        version: String,
        recorded: String,
        current: String,
    },
    /// The fragment differs from what `cargo xtask slice` wrote (informational).
    EditedSinceSlice { version: String, fragment: String },
}

impl Finding {
    /// Whether the finding makes `--check` fail.
    pub fn is_failure(&self) -> bool {
        !matches!(self, Finding::EditedSinceSlice { .. })
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Unrecorded { version } => write!(
                f,
                "{version}: the manifest records no generated output; run `cargo xtask codegen`"
            ),
            Finding::SpecChanged { version, fragment } => write!(
                f,
                "{version}: spec/{fragment} changed since generated/ was last written; run `cargo xtask codegen`"
            ),
            Finding::GeneratorChanged {
                version,
                recorded,
                current,
            } => {
                let versions = if recorded == current {
                    format!(
                        "generator version still {current}, so the change is in unreleased generator code"
                    )
                } else {
                    format!("recorded with generator {recorded}, this is generator {current}")
                };
                write!(
                    f,
                    "{version}: the spec is unchanged but the generator's output for it changed ({versions}); a generator change was not regenerated: run `cargo xtask codegen` and review the diff"
                )
            }
            Finding::EditedSinceSlice { version, fragment } => write!(
                f,
                "{version}: note: spec/{fragment} was edited by hand since `cargo xtask slice` wrote it"
            ),
        }
    }
}

/// Compares one version's current fragment hash and generator output hash with its entry.
pub fn assess(
    version: &str,
    entry: Option<&VersionEntry>,
    spec_sha256: &str,
    output_sha256: &str,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let Some(entry) = entry else {
        findings.push(Finding::Unrecorded {
            version: version.to_owned(),
        });
        return findings;
    };
    if let Some(slice) = &entry.slice
        && slice.fragment_sha256 != spec_sha256
    {
        findings.push(Finding::EditedSinceSlice {
            version: version.to_owned(),
            fragment: entry.fragment.clone(),
        });
    }
    match &entry.generated {
        None => findings.push(Finding::Unrecorded {
            version: version.to_owned(),
        }),
        Some(g) if g.spec_sha256 != spec_sha256 => findings.push(Finding::SpecChanged {
            version: version.to_owned(),
            fragment: entry.fragment.clone(),
        }),
        Some(g) if g.output_sha256 != output_sha256 => findings.push(Finding::GeneratorChanged {
            version: version.to_owned(),
            recorded: g.generator_version.clone(),
            current: GENERATOR_VERSION.to_owned(),
        }),
        Some(_) => {}
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: PathBuf::from(path),
            contents: contents.to_owned(),
        }
    }

    fn entry(spec: &str, output: &str) -> VersionEntry {
        VersionEntry {
            fragment: "v1.0/presence.yaml".into(),
            slice: None,
            generated: Some(Generated {
                generator_version: "0.0.9".into(),
                spec_sha256: spec.into(),
                output_sha256: output.into(),
            }),
        }
    }

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn output_hash_ignores_order_but_not_boundaries() {
        let a = [file("x", "ab"), file("y", "c")];
        let b = [file("y", "c"), file("x", "ab")];
        let c = [file("x", "a"), file("y", "bc")];
        assert_eq!(output_sha256(&a), output_sha256(&b));
        assert_ne!(output_sha256(&a), output_sha256(&c));
    }

    #[test]
    fn tells_spec_change_from_generator_change() {
        let e = entry("spec1", "out1");
        assert!(assess("v1.0", Some(&e), "spec1", "out1").is_empty());
        assert!(matches!(
            assess("v1.0", Some(&e), "spec2", "out2")[..],
            [Finding::SpecChanged { .. }]
        ));
        let found = assess("v1.0", Some(&e), "spec1", "out2");
        assert!(matches!(found[..], [Finding::GeneratorChanged { .. }]));
        assert!(found[0].to_string().contains("generator 0.0.9"));
        assert!(matches!(
            assess("v1.0", None, "spec1", "out1")[..],
            [Finding::Unrecorded { .. }]
        ));
    }

    #[test]
    fn hand_edit_after_slice_is_a_note() {
        let mut e = entry("spec1", "out1");
        e.slice = Some(SliceRecord {
            sources: vec![Source {
                file: "openapi.yaml".into(),
                bytes: 10,
                sha256: "up".into(),
                origin: "test".into(),
            }],
            overlay: None,
            selection: None,
            fragment_sha256: "sliced".into(),
            generator_version: "0.1.0".into(),
        });
        let found = assess("v1.0", Some(&e), "spec1", "out1");
        assert!(matches!(found[..], [Finding::EditedSinceSlice { .. }]));
        assert!(!found[0].is_failure());
    }

    #[test]
    fn manifest_round_trips() {
        let mut m = Manifest::default();
        m.versions.insert("v1.0".into(), entry("s", "o"));
        assert_eq!(Manifest::parse("m", &m.to_json()).unwrap(), m);
        assert!(
            Manifest::parse("m", "{")
                .unwrap_err()
                .contains("m: not a valid")
        );
    }
}
