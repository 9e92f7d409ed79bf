//! Problems generation works around: reported as located warnings, and the output still builds
//! every method (Microsoft's `Users.Actions` reuses operationIds across paths).

use generator::Generator;
use std::path::Path;

fn generate(name: &str) -> (usize, Vec<String>, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/warnings")
        .join(name);
    let source = std::fs::read_to_string(&path).unwrap();
    let label = format!("warnings/{name}");
    let generator = Generator::new().spec("v1_0", &label, source);
    let (files, warnings) = generator
        .generate_with_warnings()
        .unwrap_or_else(|e| panic!("{name} should generate: {e}"));
    let calls = generator.lower().unwrap().specs()[0]
        .api
        .operations
        .iter()
        .flat_map(|op| op.bindings.iter().map(|b| b.call.clone()))
        .collect();
    (
        files.len(),
        warnings.iter().map(ToString::to_string).collect(),
        calls,
    )
}

#[test]
fn a_reused_operation_id_is_a_warning_naming_both_places() {
    let (files, warnings, mut calls) = generate("duplicate-operation-id.yaml");
    assert!(files > 0);
    assert_eq!(
        warnings,
        [
            "warnings/duplicate-operation-id.yaml:14:7 (at /paths/~1users~1{user-id}~1presence/get/operationId): \
             warning: operationId \"presence_Get\" is also used by another operation; generation goes on \
             (methods are named from the paths); see warnings/duplicate-operation-id.yaml:8:7 \
             (at /paths/~1me~1presence/get/operationId)"
        ]
    );
    // Both paths still get their method, named from the path tree.
    calls.sort();
    assert_eq!(
        calls,
        ["me().presence().get()", "user(user_id).presence().get()"]
    );
}

#[test]
fn a_reused_operation_id_in_flow_style_yaml_is_located_too() {
    let (_, warnings, calls) = generate("flow-style-duplicate-id.yaml");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("warnings/flow-style-duplicate-id.yaml:5:"),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[0].contains("see warnings/flow-style-duplicate-id.yaml:4:"),
        "{}",
        warnings[0]
    );
    assert_eq!(calls.len(), 2);
}
