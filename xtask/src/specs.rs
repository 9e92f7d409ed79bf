//! The spec fragments on disk: one document per `spec/<version>/` directory.

use std::path::{Path, PathBuf};

/// One version's fragment.
pub struct Fragment {
    /// Directory name, e.g. `v1.0`.
    pub version: String,
    /// Path relative to `spec/`, e.g. `v1.0/presence.yaml`.
    pub relative: String,
    pub path: PathBuf,
}

impl Fragment {
    /// Rust module of the version (`v1.0` → `v1_0`).
    pub fn module(&self) -> String {
        generator::module_name(&self.version)
    }

    /// How the generator names the file in headers and errors.
    pub fn label(&self) -> String {
        format!("spec/{}", self.relative)
    }

    pub fn read(&self) -> Result<String, String> {
        std::fs::read_to_string(&self.path)
            .map_err(|e| format!("reading {}: {e}", self.path.display()))
    }
}

/// Every fragment under `spec_dir`, sorted by version.
pub fn fragments(spec_dir: &Path) -> Result<Vec<Fragment>, String> {
    let list = |dir: &Path| -> Result<Vec<PathBuf>, String> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        v.sort();
        Ok(v)
    };
    let mut out = Vec::new();
    for dir in list(spec_dir)?.into_iter().filter(|p| p.is_dir()) {
        let version = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        for doc in list(&dir)? {
            if matches!(
                doc.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            ) && !generator::is_spec_companion(&doc)
            {
                let name = doc.file_name().unwrap_or_default().to_string_lossy();
                out.push(Fragment {
                    relative: format!("{version}/{name}"),
                    version: version.clone(),
                    path: doc,
                });
            }
        }
    }
    Ok(out)
}

/// The fragment of `version`, e.g. `v1.0`.
pub fn fragment(spec_dir: &Path, version: &str) -> Result<Fragment, String> {
    fragments(spec_dir)?
        .into_iter()
        .find(|f| f.version == version)
        .ok_or_else(|| format!("no fragment under spec/{version}/"))
}

/// Writes `contents` to `path` through a temporary sibling, so a failure leaves the old file.
pub fn write_atomic(path: &Path, contents: &str) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&temp, contents).map_err(|e| format!("writing {}: {e}", temp.display()))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        format!("writing {}: {e}", path.display())
    })
}
