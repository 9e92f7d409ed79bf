//! The files a pull-request report compares, as they are at a git revision or in the working
//! tree: everything under `spec/`, and the `@generated` files of the generated directories.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// Directories whose `@generated` files the report counts.
pub const GENERATED_DIRS: &[&str] = &["generated/src", "generator/tests/output/src"];

/// Relative path (with `/`) → text.
pub type Tree = BTreeMap<String, String>;

fn is_generated(text: &str) -> bool {
    text.lines()
        .take(3)
        .any(|l| l.contains(generator::write::MARKER))
}

/// Whether `path` belongs in a [`Tree`] with contents `text`.
fn wanted(path: &str, text: &str) -> bool {
    path.starts_with("spec/")
        || GENERATED_DIRS
            .iter()
            .any(|dir| path.starts_with(&format!("{dir}/")) && is_generated(text))
}

fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(output.stdout)
}

/// The commit `rev` names, or an error saying that `--base` names none.
fn resolve(root: &Path, rev: &str) -> Result<String, String> {
    let spec = format!("{rev}^{{commit}}");
    // `--end-of-options`: a revision starting with `-` is a name, not an option.
    git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    )
    .map(|out| String::from_utf8_lossy(&out).trim().to_owned())
    .map_err(|_| {
        format!(
            "--base {rev}: no such commit in {} (a shallow clone may not have it yet: \
                 `git fetch --unshallow`)",
            root.display()
        )
    })
}

/// The commit a pull request's changes start from: the merge base of `rev` and `HEAD`, so
/// that commits on `rev` made after the branch left it do not show up as reverted here.
pub struct Base {
    pub commit: String,
    /// `rev`, or `rev (merge base 1a2b3c4)` when the merge base is an older commit.
    pub label: String,
}

/// Resolves `--base`: the commit it names, then its merge base with `HEAD`.
pub fn base(root: &Path, rev: &str) -> Result<Base, String> {
    let commit = resolve(root, rev)?;
    let merge_base = git(root, &["merge-base", &commit, "HEAD"])
        .map(|out| String::from_utf8_lossy(&out).trim().to_owned())
        .map_err(|e| format!("--base {rev}: no merge base with HEAD ({e})"))?;
    let label = if merge_base == commit {
        rev.to_owned()
    } else {
        format!(
            "{rev} (merge base {})",
            &merge_base[..merge_base.len().min(7)]
        )
    };
    Ok(Base {
        commit: merge_base,
        label,
    })
}

/// The tree at `commit` (a full commit id, from [`base`]).
pub fn at_commit(root: &Path, commit: &str) -> Result<Tree, String> {
    let rev = commit;
    let mut args = vec!["ls-tree", "-r", "-z", "--name-only", rev, "--", "spec"];
    args.extend(GENERATED_DIRS);
    let listing = git(root, &args)?;
    let mut tree = Tree::new();
    for path in listing.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        let bytes = git(root, &["show", &format!("{rev}:{path}")])?;
        // Binary files are not part of the spec or the generated code.
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if wanted(&path, &text) {
            tree.insert(path, text);
        }
    }
    Ok(tree)
}

/// The working tree under `root`.
pub fn working(root: &Path) -> Result<Tree, String> {
    let mut tree = Tree::new();
    let mut stack: Vec<String> = ["spec"]
        .iter()
        .chain(GENERATED_DIRS)
        .map(|s| s.to_string())
        .collect();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries {
            let entry = entry.map_err(|e| format!("reading {dir}: {e}"))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = format!("{dir}/{name}");
            if entry.path().is_dir() {
                stack.push(path);
            } else if let Ok(text) = std::fs::read_to_string(entry.path())
                && wanted(&path, &text)
                && !name.starts_with('.')
            {
                tree.insert(path, text);
            }
        }
    }
    Ok(tree)
}

/// Pending insta snapshots (`*.snap.new`, `*.pending-snap`) anywhere outside `target/` and
/// `.git/`, relative to `root`, sorted.
pub fn pending_snapshots(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                if name != "target" && name != ".git" {
                    stack.push(path);
                }
            } else if name.ends_with(".snap.new") || name.ends_with(".pending-snap") {
                let relative = path.strip_prefix(root).unwrap_or(&path);
                found.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}

/// Lines removed and added from `old` to `new`.
pub fn line_counts(old: &str, new: &str) -> (usize, usize) {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut counts = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => counts.0 += 1,
            similar::ChangeTag::Insert => counts.1 += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_removed_and_added_lines() {
        assert_eq!(line_counts("a\nb\nc\n", "a\nB\nc\nd\n"), (1, 2));
        assert_eq!(line_counts("", "x\n"), (0, 1));
        assert_eq!(line_counts("same\n", "same\n"), (0, 0));
    }

    #[test]
    fn keeps_spec_and_generated_files_only() {
        assert!(wanted("spec/v1.0/overlay.yaml", "x"));
        assert!(wanted("generated/src/v1_0/mod.rs", "// @generated by ..\n"));
        assert!(!wanted("generated/src/lib.rs", "//! Hand-written.\n"));
        assert!(!wanted("runtime/src/lib.rs", "// @generated\n"));
    }
}
