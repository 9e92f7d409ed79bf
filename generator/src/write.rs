//! write: puts generated files on disk all at once, or checks them without writing.
//!
//! Files are first written to temporary siblings, then renamed over the targets, so a failure
//! leaves the old files in place. A file without the `@generated` marker is never overwritten:
//! it was written by a person.

use crate::GeneratedFile;
use crate::error::{Error, ErrorKind, Location};
use std::fs;
use std::path::{Path, PathBuf};

/// The marker every generated file carries near its top.
pub const MARKER: &str = "@generated";

/// How a file on disk compares with the generator's output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The file does not exist.
    Missing(PathBuf),
    /// The file exists with other contents.
    Stale(PathBuf),
    /// A generated file the generator no longer produces.
    Orphan(PathBuf),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {}", p.display()),
            Drift::Stale(p) => write!(f, "stale:   {}", p.display()),
            Drift::Orphan(p) => write!(
                f,
                "orphan:  {} (generated, but no longer produced)",
                p.display()
            ),
        }
    }
}

fn is_generated(contents: &str) -> bool {
    contents.lines().take(3).any(|l| l.contains(MARKER))
}

/// Directories the generator owns under `root`: the parents of its output files.
fn owned_dirs(files: &[GeneratedFile]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.path.parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Generated files in the owned directories that `files` no longer contains.
fn orphans(root: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in owned_dirs(files) {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        let mut names: Vec<PathBuf> = entries
            .filter_map(|e| e.ok())
            .map(|e| dir.join(e.file_name()))
            .collect();
        names.sort();
        for rel in names {
            if files.iter().any(|f| f.path == rel) || !root.join(&rel).is_file() {
                continue;
            }
            if fs::read_to_string(root.join(&rel)).is_ok_and(|c| is_generated(&c)) {
                out.push(rel);
            }
        }
    }
    out
}

/// Compares `files` with what is under `root`, writing nothing.
pub fn check(root: &Path, files: &[GeneratedFile]) -> Vec<Drift> {
    let mut drift = Vec::new();
    for file in files {
        match fs::read_to_string(root.join(&file.path)) {
            Ok(existing) if existing == file.contents => {}
            Ok(_) => drift.push(Drift::Stale(file.path.clone())),
            Err(_) => drift.push(Drift::Missing(file.path.clone())),
        }
    }
    drift.extend(orphans(root, files).into_iter().map(Drift::Orphan));
    drift
}

/// What [`write`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WriteReport {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

fn io_error(path: &Path, err: &std::io::Error) -> Error {
    Error::io(path.display().to_string(), err)
}

/// Writes `files` under `root`: all of them or, on error, none (existing files untouched).
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<WriteReport, Error> {
    // 1. Refuse before touching anything if a target was written by hand.
    let mut report = WriteReport::default();
    let mut to_write = Vec::new();
    for file in files {
        let target = root.join(&file.path);
        match fs::read_to_string(&target) {
            Ok(existing) if existing == file.contents => report.unchanged.push(file.path.clone()),
            Ok(existing) if !is_generated(&existing) => {
                return Err(Error {
                    kind: ErrorKind::Io,
                    location: Location {
                        file: target.display().to_string(),
                        ..Location::default()
                    },
                    message: format!(
                        "refusing to overwrite a file without the `{MARKER}` marker (it was written by hand); move it away or add the marker"
                    ),
                });
            }
            Ok(_) => to_write.push(file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => to_write.push(file),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(Error {
                    kind: ErrorKind::Io,
                    location: Location {
                        file: target.display().to_string(),
                        ..Location::default()
                    },
                    message: format!(
                        "refusing to overwrite a file that is not UTF-8 text and has no `{MARKER}` marker"
                    ),
                });
            }
            Err(e) => return Err(io_error(&target, &e)),
        }
    }
    let removed = orphans(root, files);
    // 2. Write every new content to a temporary sibling.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let stage = |file: &GeneratedFile, staged: &mut Vec<(PathBuf, PathBuf)>| -> Result<(), Error> {
        let target = root.join(&file.path);
        let dir = target
            .parent()
            .expect("generated files live in a directory");
        fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
        let name = target.file_name().expect("file name").to_string_lossy();
        let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        fs::write(&temp, &file.contents).map_err(|e| io_error(&temp, &e))?;
        staged.push((temp, target));
        Ok(())
    };
    for file in &to_write {
        if let Err(e) = stage(file, &mut staged) {
            for (temp, _) in &staged {
                let _ = fs::remove_file(temp);
            }
            return Err(e);
        }
    }
    // 3. Rename into place; each rename is atomic, and all content is already on disk.
    for (temp, target) in &staged {
        if let Err(e) = fs::rename(temp, target) {
            for (temp, _) in &staged {
                let _ = fs::remove_file(temp);
            }
            return Err(io_error(target, &e));
        }
    }
    for rel in &removed {
        fs::remove_file(root.join(rel)).map_err(|e| io_error(&root.join(rel), &e))?;
    }
    report.written = to_write.iter().map(|f| f.path.clone()).collect();
    report.removed = removed;
    Ok(report)
}
