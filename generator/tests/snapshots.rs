//! Snapshots of the lowered IR per version of `spec/`, so naming and typing decisions can be
//! reviewed without reading the code. The generated files themselves are committed and
//! guarded once, by `cargo xtask codegen --check`; their diff in a pull request is the review.
//!
//! Update with `cargo insta review` (or `INSTA_UPDATE=always cargo test -p presence-generator
//! --test snapshots`, then look at the diff).

use generator::Generator;
use std::path::Path;

/// Snapshots live in `tests/snapshots/`, named after the version alone (`v1_0__ir.snap`),
/// without the test module's name in front.
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

#[test]
fn lowered_ir() {
    let apis = generator()
        .lower()
        .unwrap_or_else(|e| panic!("lowering spec/: {e}"))
        .into_apis();
    let modules: Vec<&str> = apis.iter().map(|a| a.module.as_str()).collect();
    assert_eq!(modules, ["beta", "v1_0"]);
    settings().bind(|| {
        for api in &apis {
            insta::assert_yaml_snapshot!(format!("{}__ir", api.module), api);
        }
    });
}
