//! Checks the synthetic documents of the scaling benchmark (`benches/support/mod.rs`): one copy
//! is the fragment itself, N copies lower to N times the operations and types.

#[path = "../benches/support/mod.rs"]
mod support;

use generator::Generator;
use generator::ir::Api;
use support::replicate;

const SPEC: &str = include_str!("../../spec/v1.0/presence.yaml");

fn lower(source: &str) -> Api {
    Generator::new()
        .spec("v1_0", "spec/v1.0/presence.yaml", source)
        .lower()
        .unwrap()
        .into_apis()
        .remove(0)
}

#[test]
fn one_copy_generates_what_the_fragment_generates() {
    let single = replicate(SPEC, 1).unwrap();
    assert_eq!(lower(SPEC), lower(&single));
}

#[test]
fn copies_multiply_operations_and_types() {
    let base = lower(SPEC);
    let tripled = lower(&replicate(SPEC, 3).unwrap());
    assert_eq!(tripled.operations.len(), 3 * base.operations.len());
    assert_eq!(tripled.types.len(), 3 * base.types.len());
    assert!(tripled.nodes.len() > base.nodes.len());
    let names: Vec<&str> = tripled
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert!(names.contains(&"set_presence_c3"), "{names:?}");
}

#[test]
fn suffix_goes_on_the_last_literal_segment() {
    assert_eq!(
        support::suffix_last_literal("/communications/presences/{presence-id}", "C2"),
        "/communications/presencesC2/{presence-id}"
    );
    assert_eq!(
        support::suffix_last_literal("/me/presence", "C2"),
        "/me/presenceC2"
    );
}
