//! Finding the workspace the xtask works on, at run time.
//!
//! The root is found from the current directory, never from where the xtask binary was
//! compiled (`env!("CARGO_MANIFEST_DIR")`): two checkouts sharing one target directory (a
//! global `CARGO_TARGET_DIR`, sccache setups) run the same binary, and each must read and
//! write its own `spec/` and `generated/`.

use std::path::{Path, PathBuf};

/// The nearest directory at or above `start` whose `Cargo.toml` declares `[workspace]`.
pub fn root_from(start: &Path) -> Result<PathBuf, String> {
    for dir in start.ancestors() {
        let manifest = dir.join("Cargo.toml");
        let text = match std::fs::read_to_string(&manifest) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("reading {}: {e}", manifest.display())),
        };
        if declares_workspace(&text) {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "no Cargo workspace at or above {}: run `cargo xtask` inside a checkout of the \
         project (a directory whose Cargo.toml, or a parent's, has a [workspace] table)",
        start.display()
    ))
}

/// The workspace around the current directory.
pub fn root() -> Result<PathBuf, String> {
    let here =
        std::env::current_dir().map_err(|e| format!("reading the current directory: {e}"))?;
    root_from(&here)
}

/// Whether a manifest has a `[workspace]` table (a trailing comment allowed), declared by its
/// own header or implied by a sub-table such as `[workspace.package]`. A line check is
/// enough: TOML puts a table header alone on its line.
fn declares_workspace(manifest: &str) -> bool {
    manifest.lines().any(|line| {
        let code = line.split('#').next().unwrap_or_default();
        let header = code.trim();
        header == "[workspace]" || header.starts_with("[workspace.")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workspace_table_is_recognised_and_a_package_manifest_is_not() {
        assert!(declares_workspace("[workspace]\nmembers = []\n"));
        assert!(declares_workspace(
            "[package]\nname = \"a\"\n\n  [workspace] # root\n"
        ));
        assert!(!declares_workspace(
            "[package]\nname = \"a\"\nworkspace = \"..\"\n"
        ));
        assert!(!declares_workspace("# [workspace]\n[package]\n"));
        assert!(declares_workspace("[workspace.dependencies]\n"));
        assert!(!declares_workspace("[workspaces]\n"));
    }

    #[test]
    fn the_nearest_workspace_above_a_member_is_found() {
        let temp = std::env::temp_dir().join(format!("xtask-root-{}", std::process::id()));
        let member = temp.join("member/src");
        std::fs::create_dir_all(&member).unwrap();
        std::fs::write(
            temp.join("Cargo.toml"),
            "[workspace]\nmembers = [\"member\"]\n",
        )
        .unwrap();
        std::fs::write(temp.join("member/Cargo.toml"), "[package]\nname = \"m\"\n").unwrap();
        let found = root_from(&member);
        std::fs::remove_dir_all(&temp).unwrap();
        assert_eq!(found.unwrap(), temp);
    }

    #[test]
    fn outside_a_workspace_the_error_says_where_it_looked() {
        let error = root_from(Path::new("/")).unwrap_err();
        assert!(
            error.contains("no Cargo workspace at or above /"),
            "{error}"
        );
    }
}
