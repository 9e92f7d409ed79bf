//! The test-output crate (`generator/tests/output/`, package `generator-test-output`): the
//! generator's output for every input that is not the client crate, so `cargo clippy
//! --workspace` and `cargo test --workspace` compile all of it (warnings and missing docs are
//! errors there). Its `src/lib.rs` is hand-written and declares one module per input; its
//! `tests/` call the fixtures' clients over loopback HTTP.

use generator::{GeneratedFile, Generator};

/// The crate's folder, relative to the workspace root; generated modules go to its `src/`.
pub const SRC_DIR: &str = "generator/tests/output/src";

/// Module name → generator input (relative to the workspace root).
pub const INPUTS: &[(&str, &str)] = &[
    // Microsoft's own style: allOf, nullable, 2XX/default, namespaced actions.
    (
        "upstream_style",
        "generator/tests/fixtures/graph-upstream-style.yaml",
    ),
    // Newer upstream constructs: Kiota-era ids, discriminators, function paths, $count.
    (
        "real_world",
        "generator/tests/fixtures/graph-real-world-constructs.yaml",
    ),
    // Legal but hostile: keywords and non-identifiers, names colliding after case
    // conversion, recursive types.
    ("keywords", "generator/tests/good_specs/keywords.yaml"),
    ("collisions", "generator/tests/good_specs/collisions.yaml"),
    ("recursive", "generator/tests/good_specs/recursive.yaml"),
    // Paged directory collections and `x-msgraph-consistency-level`.
    (
        "directory_paging",
        "generator/tests/fixtures/directory-paging.yaml",
    ),
    // An OpenAPI 3.1 document, read through its 3.0 form (`load/openapi31.rs`).
    ("openapi31", "generator/tests/openapi31/status-3.1.yaml"),
    // oneOf/anyOf of every union rule, and responses documented loosely or not at all.
    ("unions", "generator/tests/good_specs/unions.yaml"),
    (
        "loose_responses",
        "generator/tests/good_specs/loose_responses.yaml",
    ),
];

/// Every input, generated as an outside crate would use it (naming the runtime crate, as a build script would).
pub fn generate(root: &std::path::Path) -> Result<Vec<GeneratedFile>, String> {
    let mut generator = Generator::new().runtime_crate(generator::DEFAULT_RUNTIME_CRATE);
    for (module, input) in INPUTS {
        let source =
            std::fs::read_to_string(root.join(input)).map_err(|e| format!("{input}: {e}"))?;
        generator = generator.spec(*module, *input, source);
    }
    generator.generate().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module the hand-written lib.rs does not declare would be written but never compiled.
    #[test]
    fn the_crate_root_declares_every_generated_module() {
        let lib = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
            .join(SRC_DIR)
            .join("lib.rs");
        let lib = std::fs::read_to_string(&lib).unwrap();
        for (module, _) in INPUTS {
            assert!(
                lib.lines()
                    .any(|l| l.trim() == format!("pub mod {module};")),
                "{SRC_DIR}/lib.rs does not declare `pub mod {module};`"
            );
        }
    }
}
