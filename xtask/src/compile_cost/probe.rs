//! The probe crate: generated code that is not part of the workspace, compiled on its own.

use std::path::Path;

/// Writes a crate of its own at `probe` (its own `[workspace]`, a copy of the workspace's lock
/// file so nothing is resolved anew) whose `src/` holds `files`, declared from `lib.rs` as
/// `module`; it depends on the client crate for the runtime, as an outside user's would.
pub fn write_probe_crate(
    root: &Path,
    probe: &Path,
    module: &str,
    files: &[generator::GeneratedFile],
) -> Result<(), String> {
    if probe.exists() {
        std::fs::remove_dir_all(probe).map_err(|e| format!("removing {}: {e}", probe.display()))?;
    }
    let src = probe.join("src");
    let runtime = root.join("runtime");
    let manifest = format!(
        "[package]\nname = \"compile-cost-probe\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nmsgraph-presence-runtime = {{ path = {runtime:?} }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\n[workspace]\n",
        runtime = runtime.to_string_lossy()
    );
    // Warnings do not change what is measured; the test-output crate is where they fail.
    let lib = format!(
        "//! Compile-cost probe written by `cargo xtask bench`.\n#![allow(warnings)]\npub mod {module};\n"
    );
    write(&probe.join("Cargo.toml"), &manifest)?;
    write(&src.join("lib.rs"), &lib)?;
    let lock = root.join("Cargo.lock");
    std::fs::copy(&lock, probe.join("Cargo.lock"))
        .map_err(|e| format!("copying {}: {e}", lock.display()))?;
    for file in files {
        write(&src.join(&file.path), &file.contents)?;
    }
    Ok(())
}

fn write(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("writing {}: {e}", path.display()))
}
