//! write: puts generated files on disk all at once, or checks them without writing.
//!
//! Files are first written to temporary siblings, then renamed over the targets with a backup
//! of each, so a failure at any step leaves the old files in place (see [`write`] for the
//! order and the one remaining window). A file without the `@generated` marker is never
//! overwritten: it was written by a person.

use crate::GeneratedFile;
use crate::error::{Error, ErrorKind};
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
///
/// The order of work keeps every failure recoverable:
/// 1. every target is read and checked (paths stay under `root`, no hand-written file is
///    overwritten) before anything is touched;
/// 2. all new contents are written to temporary siblings (`.<name>.<pid>.tmp`), so the slow,
///    failure-prone part (disk full, permissions) happens while the tree is still the old one;
/// 3. each existing target is hard-linked (or copied) to a backup sibling, then the temporary
///    file is renamed over it (an atomic replace on POSIX and on NTFS); orphans are moved to
///    backups too;
/// 4. if any step of 3 fails, every target already replaced is restored from its backup, in
///    reverse order; once all succeed the backups are deleted.
///
/// What remains: a process killed (not failed) during step 3 leaves some targets new and some
/// old, plus stray `.tmp`/`.bak` siblings. Each file is always whole, never half-written, and
/// running the generator again completes the tree; the stray siblings of earlier runs are
/// deleted by the next [`write`].
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<WriteReport, Error> {
    write_with(root, files, &Faults::default())
}

/// Failures injected by tests into the commit step, to prove the rollback.
#[derive(Debug, Default)]
struct Faults {
    /// Fail the rename of the n-th staged file (0-based).
    fail_rename: Option<usize>,
}

fn write_with(root: &Path, files: &[GeneratedFile], faults: &Faults) -> Result<WriteReport, Error> {
    // 1. Refuse before touching anything if a target escapes `root` or was written by hand.
    let mut report = WriteReport::default();
    let mut to_write = Vec::new();
    for file in files {
        check_relative(&file.path)?;
        let target = root.join(&file.path);
        match fs::read_to_string(&target) {
            Ok(existing) if existing == file.contents => report.unchanged.push(file.path.clone()),
            Ok(existing) if !is_generated(&existing) => {
                return Err(refusal(
                    &target,
                    format!(
                        "refusing to overwrite a file without the `{MARKER}` marker (it was written by hand); move it away or add the marker"
                    ),
                ));
            }
            Ok(_) => to_write.push(file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => to_write.push(file),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidData => {
                return Err(refusal(
                    &target,
                    format!(
                        "refusing to overwrite a file that is not UTF-8 text and has no `{MARKER}` marker"
                    ),
                ));
            }
            Err(e) => return Err(io_error(&target, &e)),
        }
    }
    remove_stale_siblings(root, files);
    let removed = orphans(root, files);
    // 2. Write every new content to a temporary sibling.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    for file in &to_write {
        match stage(root, file) {
            Ok(pair) => staged.push(pair),
            Err(e) => {
                for (temp, _) in &staged {
                    let _ = fs::remove_file(temp);
                }
                return Err(e);
            }
        }
    }
    // 3. Swap them in, keeping a backup of every file replaced or removed.
    let mut journal = Journal::default();
    let mut result = Ok(());
    for (index, (temp, target)) in staged.iter().enumerate() {
        let step = if faults.fail_rename == Some(index) {
            Err(io_error(
                target,
                &std::io::Error::other("injected failure (test)"),
            ))
        } else {
            journal.replace(temp, target)
        };
        if let Err(e) = step {
            result = Err(e);
            break;
        }
    }
    if result.is_ok() {
        for rel in &removed {
            if let Err(e) = journal.remove(&root.join(rel)) {
                result = Err(e);
                break;
            }
        }
    }
    // 4. Roll back on failure, or drop the backups on success.
    if let Err(e) = result {
        journal.roll_back();
        for (temp, _) in &staged {
            let _ = fs::remove_file(temp);
        }
        return Err(e);
    }
    journal.commit();
    report.written = to_write.iter().map(|f| f.path.clone()).collect();
    report.removed = removed;
    Ok(report)
}

/// Output paths are relative and stay below the output root (no `..`, no absolute paths).
fn check_relative(path: &Path) -> Result<(), Error> {
    let ok = !path.as_os_str().is_empty()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(refusal(
            path,
            "refusing to write outside the output directory: generated paths must be relative, without `..`".to_owned(),
        ))
    }
}

fn refusal(path: &Path, message: String) -> Error {
    Error::new(ErrorKind::Io, "", message).with_file(path.display().to_string())
}

/// Name of a sibling of `target` used while writing: `.<name>.<pid>.<suffix>`.
fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.{}.{suffix}", std::process::id()))
}

/// Writes one file's new content next to its target; returns (temporary, target).
fn stage(root: &Path, file: &GeneratedFile) -> Result<(PathBuf, PathBuf), Error> {
    let target = root.join(&file.path);
    if let Some(dir) = target.parent() {
        fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    }
    let temp = sibling(&target, "tmp");
    fs::write(&temp, &file.contents).map_err(|e| io_error(&temp, &e))?;
    Ok((temp, target))
}

/// Deletes `.tmp` and `.bak` siblings left by an earlier run that was killed mid-write.
fn remove_stale_siblings(root: &Path, files: &[GeneratedFile]) {
    for dir in owned_dirs(files) {
        let Ok(entries) = fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = files.iter().any(|f| {
                f.path.parent() == Some(dir.as_path())
                    && f.path
                        .file_name()
                        .is_some_and(|n| name.starts_with(&format!(".{}.", n.to_string_lossy())))
            });
            if ours && (name.ends_with(".tmp") || name.ends_with(".bak")) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// What step 3 changed, so it can be undone.
#[derive(Debug, Default)]
struct Journal {
    /// (target, backup of its old content if it had one), in the order applied.
    replaced: Vec<(PathBuf, Option<PathBuf>)>,
    /// (removed orphan, its backup).
    removed: Vec<(PathBuf, PathBuf)>,
}

impl Journal {
    fn replace(&mut self, temp: &Path, target: &Path) -> Result<(), Error> {
        let backup = if target.exists() {
            let backup = sibling(target, "bak");
            let _ = fs::remove_file(&backup);
            fs::hard_link(target, &backup)
                .or_else(|_| fs::copy(target, &backup).map(|_| ()))
                .map_err(|e| io_error(&backup, &e))?;
            Some(backup)
        } else {
            None
        };
        if let Err(e) = fs::rename(temp, target) {
            if let Some(backup) = backup {
                let _ = fs::remove_file(backup);
            }
            return Err(io_error(target, &e));
        }
        self.replaced.push((target.to_path_buf(), backup));
        Ok(())
    }

    fn remove(&mut self, orphan: &Path) -> Result<(), Error> {
        let backup = sibling(orphan, "bak");
        fs::rename(orphan, &backup).map_err(|e| io_error(orphan, &e))?;
        self.removed.push((orphan.to_path_buf(), backup));
        Ok(())
    }

    /// Puts every old file back, newest change first. Best effort: a failure here has no
    /// better fallback than leaving the backup where the message of the first error points.
    fn roll_back(self) {
        for (orphan, backup) in self.removed.into_iter().rev() {
            let _ = fs::rename(&backup, &orphan);
        }
        for (target, backup) in self.replaced.into_iter().rev() {
            match backup {
                Some(backup) => {
                    let _ = fs::rename(&backup, &target);
                }
                None => {
                    let _ = fs::remove_file(&target);
                }
            }
        }
    }

    fn commit(self) {
        let backups = self
            .replaced
            .into_iter()
            .filter_map(|(_, b)| b)
            .chain(self.removed.into_iter().map(|(_, b)| b));
        for backup in backups {
            let _ = fs::remove_file(backup);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "presence-generator-write-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn file(path: &str, body: &str) -> GeneratedFile {
        GeneratedFile {
            path: PathBuf::from(path),
            contents: format!("// {MARKER} test\n{body}\n"),
        }
    }

    /// Every file under `dir`, with its contents, sorted.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let text = fs::read_to_string(&path).unwrap();
                    out.push((path.strip_prefix(dir).unwrap().to_path_buf(), text));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_failure_in_the_middle_of_the_renames_restores_every_old_file() {
        let root = scratch("mid-rename");
        let old = [
            file("v1_0/a.rs", "old a"),
            file("v1_0/b.rs", "old b"),
            file("beta/c.rs", "old c"),
            file("beta/orphan.rs", "old orphan"),
        ];
        write(&root, &old).unwrap();
        let before = snapshot(&root);
        let new = [
            file("v1_0/a.rs", "new a"),
            file("v1_0/b.rs", "new b"),
            file("beta/c.rs", "new c"),
            file("beta/d.rs", "brand new d"),
        ];
        for fail_at in 0..new.len() {
            let err = write_with(
                &root,
                &new,
                &Faults {
                    fail_rename: Some(fail_at),
                },
            )
            .unwrap_err();
            assert!(err.message.contains("injected"), "{err}");
            assert_eq!(
                snapshot(&root),
                before,
                "after a failure at rename {fail_at}"
            );
        }
        let report = write(&root, &new).unwrap();
        assert_eq!(report.written.len(), 4);
        assert_eq!(report.removed, vec![PathBuf::from("beta/orphan.rs")]);
        assert_eq!(
            snapshot(&root),
            new.iter()
                .map(|f| (f.path.clone(), f.contents.clone()))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
        );
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_cleaned_up() {
        let root = scratch("leftovers");
        write(&root, &[file("v1_0/a.rs", "old")]).unwrap();
        fs::write(root.join("v1_0/.a.rs.99999.tmp"), "half").unwrap();
        fs::write(root.join("v1_0/.a.rs.99999.bak"), "older").unwrap();
        write(&root, &[file("v1_0/a.rs", "new")]).unwrap();
        let names: Vec<PathBuf> = snapshot(&root).into_iter().map(|(p, _)| p).collect();
        assert_eq!(names, vec![PathBuf::from("v1_0/a.rs")]);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn paths_outside_the_root_are_refused() {
        let root = scratch("escape");
        for bad in ["../evil.rs", "/tmp/evil.rs", "v1_0/../../evil.rs", ""] {
            let err = write(&root, &[file(bad, "x")]).unwrap_err();
            assert!(
                err.message.contains("outside the output directory"),
                "{bad}: {err}"
            );
        }
        assert!(snapshot(&root).is_empty());
        let _ = fs::remove_dir_all(&root);
    }
}
