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

/// Unions that used to be refused: each now generates, keeps the raw JSON, and says where.
#[test]
fn alternatives_that_cannot_be_told_apart_are_a_raw_union_and_a_located_warning() {
    for (name, at, type_name) in [
        (
            "oneof-indistinct.yaml",
            "22:11 (at /components/schemas/owner/properties/identity/oneOf)",
            "OwnerIdentity",
        ),
        (
            "anyof-two-strings.yaml",
            "9:7 (at /components/schemas/when/anyOf)",
            "When",
        ),
        (
            "oneof-inline-objects.yaml",
            "13:15 (at /paths/~1me~1presence~1setPresence/post/requestBody/content/application~1json/schema/oneOf)",
            "SetPresenceRequest",
        ),
        (
            "oneof-two-string-enums.yaml",
            "20:21 (at /paths/~1me~1presence/get/responses/200/content/application~1json/schema/properties/mood/oneOf)",
            "GetPresenceResponseMood",
        ),
    ] {
        let (files, warnings, _) = generate(name);
        assert!(files > 0, "{name}");
        assert_eq!(
            warnings,
            [format!(
                "warnings/{name}:{at}: warning: the alternatives of `{type_name}` cannot be told apart \
                 (no tag property, no JSON kind or required property of their own): `{type_name}` keeps \
                 the raw JSON, read it with its `as_<alternative>()` methods"
            )],
            "{name}"
        );
    }
}

/// `responses` with no success and no `default`: the method still exists and returns bytes.
#[test]
fn no_documented_success_is_a_warning_and_a_method_returning_bytes() {
    let (files, warnings, calls) = generate("no-success-response.yaml");
    assert!(files > 0);
    assert_eq!(
        warnings,
        [
            "warnings/no-success-response.yaml:9:7 (at /paths/~1me~1presence/get/responses): \
             warning: no success (2XX) or `default` response is documented: any 2XX is success \
             and the method returns the body as bytes"
        ]
    );
    assert_eq!(calls, ["me().presence().get()"]);
}
