//! OpenAPI 3.1 in: a 3.1 document and its hand-written 3.0 twin give the same Rust, file for
//! file and byte for byte, and what the 3.1 rewrite dropped is reported at its place in the
//! 3.1 document as written.

use generator::Generator;

const V31: &str = include_str!("openapi31/status-3.1.yaml");
const V30: &str = include_str!("openapi31/status-3.0.yaml");

#[test]
fn a_31_document_and_its_30_twin_give_the_same_rust() {
    let (from_31, warnings) = Generator::new()
        .spec("status", "status-3.1.yaml", V31)
        .generate_with_warnings()
        .expect("the 3.1 document generates");
    let from_30 = Generator::new()
        .spec("status", "status-3.0.yaml", V30)
        .generate()
        .expect("the 3.0 twin generates");
    assert_eq!(from_31.len(), from_30.len());
    assert!(!from_31.is_empty());
    for (a, b) in from_31.iter().zip(&from_30) {
        assert_eq!(a.path, b.path);
        // The header names the source file; everything below it must be identical.
        let body = |text: &str| {
            text.lines()
                .filter(|l| !l.contains("status-3."))
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(body(&a.contents), body(&b.contents), "{}", a.path.display());
    }
    let shown: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "status-3.1.yaml:2:1 (at /jsonSchemaDialect): warning: `jsonSchemaDialect` is ignored: schemas are read as OpenAPI 3.0 schemas",
            "status-3.1.yaml:23:1 (at /webhooks): warning: `webhooks` are ignored: a client sends requests, it does not receive webhooks",
        ]
    );
}

#[test]
fn a_lowering_error_in_a_31_document_points_into_it_as_written() {
    // The dangling reference sits in a property that also has a 3.1 `type` list: the error
    // names the line of the 3.1 text, not of any rewritten form.
    let text = V31.replace(
        "$ref: '#/components/schemas/owner'\n          description",
        "$ref: '#/components/schemas/nobody'\n          description",
    );
    let err = Generator::new()
        .spec("status", "status-3.1.yaml", &text)
        .generate()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "status-3.1.yaml:45:9 (at /components/schemas/status/properties/owner): invalid spec: $ref \"#/components/schemas/nobody\" points to a schema that does not exist"
    );
}
