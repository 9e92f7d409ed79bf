//! `cargo xtask diff [--base <git rev>] [--version v1.0|beta]`: the API changes as Markdown.

use crate::specs;
use std::path::Path;
use std::process::{Command, ExitCode};

/// The IR of one spec document; `module` is the Rust module name (`v1_0`).
pub fn lower(module: &str, label: &str, source: &str) -> Result<generator::ir::Api, String> {
    generator::Generator::new()
        .spec(module, label, source)
        .lower()
        .map_err(|e| e.to_string())?
        .specs()
        .first()
        .map(|spec| spec.api.clone())
        .ok_or_else(|| format!("{label}: nothing lowered"))
}

fn report(
    old: (&str, &generator::ir::Api),
    new: (&str, &generator::ir::Api),
) -> Result<String, String> {
    let report = generator::diff::diff(old.0, old.1, new.0, new.1);
    generator::diff::markdown(&report).map_err(|e| format!("rendering the report: {e}"))
}

/// The text of `relative` (under `spec/`) at git revision `rev`.
fn git_show(root: &Path, rev: &str, relative: &str) -> Result<String, String> {
    let object = format!("{rev}:spec/{relative}");
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["show", &object])
        .output()
        .map_err(|e| format!("running git: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "git show {object} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("{object} is not UTF-8"))
}

/// v1.0 against beta.
pub fn versions(root: &Path) -> Result<ExitCode, String> {
    let spec_dir = root.join("spec");
    let v1 = specs::fragment(&spec_dir, "v1.0")?;
    let beta = specs::fragment(&spec_dir, "beta")?;
    let old = lower(&v1.module(), &v1.label(), &v1.read()?)?;
    let new = lower(&beta.module(), &beta.label(), &beta.read()?)?;
    print!("{}", report(("v1.0", &old), ("beta", &new))?);
    Ok(ExitCode::SUCCESS)
}

/// Each fragment (or the one of `version`) at `rev` against the working tree.
pub fn against_rev(root: &Path, rev: &str, version: Option<&str>) -> Result<ExitCode, String> {
    let spec_dir = root.join("spec");
    let fragments = match version {
        Some(v) => vec![specs::fragment(&spec_dir, v)?],
        None => specs::fragments(&spec_dir)?,
    };
    for (i, fragment) in fragments.iter().enumerate() {
        let before = git_show(root, rev, &fragment.relative)?;
        let old_label = format!("{} @ {rev}", fragment.label());
        let old = lower(&fragment.module(), &old_label, &before)?;
        let new = lower(&fragment.module(), &fragment.label(), &fragment.read()?)?;
        if i > 0 {
            println!();
        }
        print!(
            "{}",
            report(
                (&format!("{} @ {rev}", fragment.version), &old),
                (&format!("{} (working tree)", fragment.version), &new)
            )?
        );
    }
    Ok(ExitCode::SUCCESS)
}
