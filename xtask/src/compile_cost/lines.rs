//! Counting generated lines: non-empty lines of the `.rs` files that carry the @generated
//! header (hand-written files in the same crate are not counted; README.md files are docs).

use std::path::{Path, PathBuf};

/// Generated lines under `dir`, recursively.
pub fn generated_lines(dir: &Path) -> Result<usize, String> {
    let mut total = 0;
    for path in rust_files(dir)? {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        total += count_generated(&text);
    }
    Ok(total)
}

/// Non-empty lines of `text` when its first line is the @generated header, else 0.
fn count_generated(text: &str) -> usize {
    let generated = text
        .lines()
        .next()
        .is_some_and(|first| first.contains(generator::write::MARKER));
    if !generated {
        return 0;
    }
    text.lines().filter(|line| !line.trim().is_empty()).count()
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_generated_files_count_and_blank_lines_do_not() {
        let generated = format!(
            "// {} by x\n\nfn a() {{}}\n   \nfn b() {{}}\n",
            generator::write::MARKER
        );
        assert_eq!(count_generated(&generated), 3);
        assert_eq!(count_generated("//! hand-written\nfn a() {}\n"), 0);
        assert_eq!(count_generated(""), 0);
    }

    #[test]
    fn the_client_crate_has_generated_and_hand_written_files() {
        let src = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated/src"));
        let lines = generated_lines(src).unwrap();
        let all: usize = rust_files(src)
            .unwrap()
            .iter()
            .map(|p| std::fs::read_to_string(p).unwrap().lines().count())
            .sum();
        assert!(lines > 0 && lines < all, "{lines} of {all}");
    }
}
