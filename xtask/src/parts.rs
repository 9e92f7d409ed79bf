//! Optional parts of a version: a second selection beside the presence fragment, with its own
//! selection, overlay and fragment in `spec/<version>/<part>/`, generated into the client
//! crate's module `<part>_<version module>` (behind the client crate's cargo feature of the
//! same name).
//!
//! A subdirectory keeps the presence machinery untouched: the generator's `specs_in` and the
//! xtask's fragment listing read only the files of `spec/<version>/`, so the presence
//! fragments, their manifest entries and their generated code stay exactly as they were.

use std::path::{Path, PathBuf};

/// The parts that exist, in the order they are generated.
pub const PARTS: &[&str] = &["directory"];

/// One slice target: a version's presence fragment (`part: None`) or one of its parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target<'a> {
    pub version: &'a str,
    pub part: Option<&'a str>,
}

impl Target<'_> {
    /// The directory holding the selection, overlay and fragment, relative to `spec/`; it is
    /// also the target's key in `spec/manifest.json` (`v1.0`, `v1.0/directory`).
    pub fn dir(&self) -> String {
        match self.part {
            None => self.version.to_owned(),
            Some(part) => format!("{}/{part}", self.version),
        }
    }

    /// The Rust module the fragment becomes (`v1_0`, `directory_v1_0`).
    pub fn module(&self) -> String {
        let version = generator::module_name(self.version);
        match self.part {
            None => version,
            Some(part) => format!("{part}_{version}"),
        }
    }
}

/// The fragment of `part` of `version`: `spec/<version>/<part>/<part>.yaml`.
pub fn fragment(spec_dir: &Path, version: &str, part: &str) -> PathBuf {
    spec_dir
        .join(version)
        .join(part)
        .join(format!("{part}.yaml"))
}

/// Every part fragment under `spec_dir`, as (module, label, path), versions sorted like
/// `specs_in` sorts them.
pub fn fragments(spec_dir: &Path) -> Result<Vec<(String, String, PathBuf)>, String> {
    let mut versions: Vec<String> = std::fs::read_dir(spec_dir)
        .map_err(|e| format!("reading {}: {e}", spec_dir.display()))?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    versions.sort();
    let mut out = Vec::new();
    for part in PARTS {
        for version in &versions {
            let path = fragment(spec_dir, version, part);
            if path.is_file() {
                let target = Target {
                    version,
                    part: Some(part),
                };
                out.push((
                    target.module(),
                    format!("spec/{version}/{part}/{part}.yaml"),
                    path,
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_has_its_own_directory_key_and_module() {
        let presence = Target {
            version: "v1.0",
            part: None,
        };
        let directory = Target {
            version: "v1.0",
            part: Some("directory"),
        };
        assert_eq!(
            (presence.dir(), presence.module()),
            ("v1.0".into(), "v1_0".into())
        );
        assert_eq!(
            (directory.dir(), directory.module()),
            ("v1.0/directory".into(), "directory_v1_0".into())
        );
        assert_eq!(
            fragment(Path::new("spec"), "beta", "directory"),
            Path::new("spec/beta/directory/directory.yaml")
        );
    }
}
