//! The generator's output for each of its test inputs, compiled as an outside crate would
//! compile it (runtime `::msgraph_presence_runtime`). Nothing here is hand-written but this file: the
//! modules are written by `cargo xtask codegen` (see `xtask/src/test_output.rs` for the input
//! of each) and a generator change that makes any of them fail to compile, warn or lack docs
//! fails CI.
#![deny(warnings, missing_docs)]

/// `generator/tests/fixtures/graph-upstream-style.yaml`: Microsoft's own style.
#[rustfmt::skip]
pub mod upstream_style;

/// `generator/tests/fixtures/graph-real-world-constructs.yaml`: newer upstream constructs.
#[rustfmt::skip]
pub mod real_world;

/// `generator/tests/good_specs/keywords.yaml`: keywords and non-identifiers as names.
#[rustfmt::skip]
pub mod keywords;

/// `generator/tests/good_specs/collisions.yaml`: names colliding after case conversion.
#[rustfmt::skip]
pub mod collisions;

/// `generator/tests/good_specs/recursive.yaml`: recursive types.
#[rustfmt::skip]
pub mod recursive;

/// `generator/tests/fixtures/directory-paging.yaml`: paged collections, `ConsistencyLevel`.
#[rustfmt::skip]
pub mod directory_paging;

/// `generator/tests/openapi31/status-3.1.yaml`: an OpenAPI 3.1 document.
#[rustfmt::skip]
pub mod openapi31;

/// `generator/tests/good_specs/unions.yaml`: every union rule (tagged, keyed, untagged, raw).
#[rustfmt::skip]
pub mod unions;

/// `generator/tests/good_specs/loose_responses.yaml`: `responses: {}`, `default` only, no content.
#[rustfmt::skip]
pub mod loose_responses;
