//! Snapshots of everything the generator produces from `spec/`: one snapshot per generated file,
//! so a pull request shows the change of each file on its own, and one of the lowered IR per
//! version, so naming and typing decisions can be reviewed without reading the code.
//!
//! Update with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p presence-generator
//! --test snapshots`, then look at the diff).

use generator::Generator;
use std::path::Path;

/// Snapshots live in `tests/snapshots/`, named after the generated file alone
/// (`v1_0__client.rs.snap`), without the test module's name in front.
fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings
}

fn spec_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec")
}

fn generator() -> Generator {
    Generator::new()
        .specs_in(&spec_dir(), "spec")
        .unwrap_or_else(|e| panic!("reading spec/: {e}"))
}

/// `v1_0/client.rs` → `v1_0__client.rs`.
fn snapshot_name(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("__")
}

#[test]
fn generated_files() {
    let files = generator()
        .generate()
        .unwrap_or_else(|e| panic!("generating from spec/: {e}"));
    let names: Vec<String> = files.iter().map(|f| snapshot_name(&f.path)).collect();
    // The file list itself is part of the output: a new or vanished file shows up here first.
    settings().bind(|| {
        insta::assert_snapshot!("files", names.join("\n"));
        for (file, name) in files.iter().zip(&names) {
            insta::assert_snapshot!(name.as_str(), &file.contents);
        }
    });
}

#[test]
fn lowered_ir() {
    let apis = generator()
        .lower()
        .unwrap_or_else(|e| panic!("lowering spec/: {e}"));
    let modules: Vec<&str> = apis.iter().map(|a| a.module.as_str()).collect();
    assert_eq!(modules, ["beta", "v1_0"]);
    settings().bind(|| {
        for api in &apis {
            insta::assert_yaml_snapshot!(format!("{}__ir", api.module), api);
        }
    });
}

/// The committed `generated/src/` is what the generator makes from `spec/` today, so a plain
/// `cargo test` catches a forgotten `cargo xtask codegen` (CI also runs `codegen --check`).
#[test]
fn committed_output_is_current() {
    let files = generator().generate().expect("generate");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src");
    let drift = generator::write::check(&root, &files);
    let listed: Vec<String> = drift.iter().map(ToString::to_string).collect();
    assert!(
        drift.is_empty(),
        "generated/src is stale, run `cargo xtask codegen`:\n{}",
        listed.join("\n")
    );
}
