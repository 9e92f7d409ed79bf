//! Slicing the presence fragment out of full Graph documents built in the test (Microsoft's
//! real documents are exercised by `tests/upstream.rs`).

use generator::Generator;
use generator::slice::{Selection, slice};
use serde_yaml::{Mapping, Value};
use std::time::Instant;

const V1: &str = include_str!("../../spec/v1.0/presence.yaml");
const LABEL: &str = "spec/v1.0/presence.yaml";

fn parse(text: &str) -> Mapping {
    match serde_yaml::from_str(text).unwrap() {
        Value::Mapping(m) => m,
        _ => panic!("not a mapping"),
    }
}

/// A selection of `patterns`, with the project's order of first segments.
fn selection(patterns: &[&str]) -> Selection {
    Selection::from_patterns("test selection", patterns, [] as [&str; 0])
        .unwrap()
        .order(&["me", "users", "communications"])
}

/// The project's v1.0 selection, plus the `/me` paths its overlay adds (the documents these
/// tests build come from the committed fragment, which has them).
fn presence() -> Selection {
    Selection::parse(
        "spec/v1.0/slice.yaml",
        include_str!("../../spec/v1.0/slice.yaml"),
    )
    .unwrap()
    .include(&["/me/presence/**"])
    .unwrap()
}

fn y(text: &str) -> Value {
    serde_yaml::from_str(text).unwrap()
}

/// Unrelated paths and schemas like the rest of Graph: some reference shared components
/// (`responses/error`, the OData error schemas), some reference each other.
fn unrelated(paths: &mut Mapping, schemas: &mut Mapping, n: usize) {
    for i in 0..n {
        let schema = format!("microsoft.graph.thing{i}");
        schemas.insert(
            Value::String(schema.clone()),
            y(&format!(
                "{{type: object, description: 'Thing number {i}, with some words so the document gets big like the real one.', properties: {{id: {{type: string}}, next: {{$ref: '#/components/schemas/microsoft.graph.thing{}'}}, tags: {{type: array, items: {{type: string}}}}, owner: {{$ref: '#/components/schemas/microsoft.graph.presence'}}}}}}",
                (i + 1) % n
            )),
        );
        paths.insert(
            Value::String(format!("/things{i}/{{thing-id}}")),
            y(&format!(
                "{{get: {{operationId: things{i}.get, tags: [things], summary: 'Get thing {i}', responses: {{'200': {{description: OK, content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}}}, default: {{$ref: '#/components/responses/error'}}}}}}}}"
            )),
        );
    }
}

/// The committed fragment dressed up as an upstream document: paths in another order, plus `n`
/// unrelated paths and schemas.
fn upstream_from_fragment(n: usize) -> String {
    let mut doc = parse(V1);
    let frag_paths = doc["paths"].as_mapping().unwrap().clone();
    let mut paths = Mapping::new();
    unrelated(&mut paths, &mut Mapping::new(), 0);
    for (k, v) in frag_paths.into_iter().collect::<Vec<_>>().into_iter().rev() {
        paths.insert(k, v);
    }
    let mut schemas = Mapping::new();
    unrelated(&mut paths, &mut schemas, n);
    let components = doc["components"].as_mapping_mut().unwrap();
    let frag_schemas = components["schemas"].as_mapping().unwrap().clone();
    for (k, v) in frag_schemas
        .into_iter()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        schemas.insert(k, v);
    }
    components.insert("schemas".into(), Value::Mapping(schemas));
    components.insert(
        "securitySchemes".into(),
        y("{azureaadv2: {type: oauth2, flows: {}}}"),
    );
    doc.insert("paths".into(), Value::Mapping(paths));
    doc.insert(
        "tags".into(),
        y("[{name: things}, {name: presence, description: User presence in Microsoft Teams.}]"),
    );
    serde_yaml::to_string(&doc).unwrap()
}

fn generate(text: &str) -> Vec<generator::GeneratedFile> {
    Generator::new()
        .spec("v1_0", LABEL, text)
        .generate()
        .unwrap()
}

#[test]
fn realistic_slice_generates_the_committed_client() {
    let upstream = upstream_from_fragment(40);
    let sliced = slice(&[("openapi.yaml", &upstream)], &presence(), None).unwrap();
    assert!(sliced.paths.iter().all(|p| !p.starts_with("/things")));
    assert!(!sliced.yaml.contains("microsoft.graph.thing"));
    assert!(!sliced.yaml.contains("name: things"));
    assert!(sliced.yaml.contains("azureaadv2"));
    assert!(sliced.stale.is_empty() && sliced.pruned.is_empty());
    let from_slice = generate(&sliced.yaml);
    let committed = generate(V1);
    assert_eq!(from_slice.len(), committed.len());
    for (a, b) in from_slice.iter().zip(&committed) {
        assert_eq!(a.path, b.path);
        assert!(
            a.contents == b.contents,
            "{} differs between the slice and the committed fragment",
            a.path.display()
        );
    }
}

#[test]
fn slicing_is_deterministic_and_idempotent() {
    let upstream = upstream_from_fragment(10);
    let a = slice(&[("openapi.yaml", &upstream)], &presence(), None).unwrap();
    let b = slice(&[("openapi.yaml", &upstream)], &presence(), None).unwrap();
    assert_eq!(a.yaml, b.yaml);
    // Slicing the slice changes nothing.
    let again = slice(&[("presence.yaml", &a.yaml)], &presence(), None).unwrap();
    assert_eq!(again.yaml, a.yaml);
    // The committed fragment is already in the slice's canonical order.
    assert_eq!(
        a.paths,
        parse(V1)["paths"]
            .as_mapping()
            .unwrap()
            .keys()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
    );
}

const NESTED: &str = r##"
openapi: 3.0.4
info: {title: OData Service for namespace microsoft.graph, version: v1.0}
servers: [{url: 'https://graph.microsoft.com/v1.0/'}]
paths:
  /me/presence/microsoft.graph.setStatusMessage:
    description: Provides operations to call the setStatusMessage method.
    parameters:
      - $ref: '#/components/parameters/shared'
    post:
      operationId: me.presence_setStatusMessage
      x-ms-docs-operation-type: action
      requestBody: {$ref: '#/components/requestBodies/setStatusMessageRequestBody'}
      responses:
        2XX: {description: Success}
        4XX: {$ref: '#/components/responses/error'}
  /me/messages:
    get:
      responses:
        '200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/message'}}}}
components:
  parameters:
    shared: {name: ConsistencyLevel, in: header, schema: {type: string}}
  requestBodies:
    setStatusMessageRequestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              statusMessage:
                anyOf:
                  - $ref: '#/components/schemas/statusMessage'
                  - {type: object, nullable: true}
  responses:
    error:
      description: error
      content: {application/json: {schema: {$ref: '#/components/schemas/error'}}}
  schemas:
    entity:
      type: object
      properties: {id: {type: string}}
      discriminator:
        propertyName: '@odata.type'
        mapping:
          '#microsoft.graph.statusMessage': '#/components/schemas/statusMessage'
          '#microsoft.graph.message': '#/components/schemas/message'
    statusMessage:
      allOf:
        - $ref: '#/components/schemas/entity'
        - type: object
          properties:
            message: {$ref: '#/components/schemas/itemBody'}
            history: {type: array, items: {$ref: '#/components/schemas/historyItem'}}
            extra: {type: object, additionalProperties: {$ref: '#/components/schemas/extraValue'}}
          x-ms-discriminator-value: '#microsoft.graph.statusMessage'
    itemBody: {type: object, properties: {content: {type: string}}}
    historyItem: {type: object, properties: {at: {type: string, format: date-time}}}
    extraValue: {type: string}
    error: {type: object, properties: {code: {type: string}}}
    message: {type: object, properties: {subject: {type: string}}}
"##;

#[test]
fn follows_refs_everywhere_and_drops_the_action_prefix() {
    let sliced = slice(
        &[("openapi.yaml", NESTED)],
        &selection(&["/**/presence/**"]),
        None,
    )
    .unwrap();
    assert_eq!(sliced.paths, ["/me/presence/setStatusMessage"]);
    assert_eq!(
        sliced.components,
        [
            "parameters/shared",
            "requestBodies/setStatusMessageRequestBody",
            "responses/error",
            "schemas/entity",
            "schemas/error",
            "schemas/extraValue",
            "schemas/historyItem",
            "schemas/itemBody",
            "schemas/statusMessage",
        ]
    );
    let out = parse(&sliced.yaml);
    let op = &out["paths"]["/me/presence/setStatusMessage"]["post"];
    assert_eq!(op["x-ms-docs-operation-type"], y("action"));
    // The mapping entry for a type outside the slice is dropped, the other kept.
    let mapping = out["components"]["schemas"]["entity"]["discriminator"]["mapping"]
        .as_mapping()
        .unwrap();
    assert_eq!(mapping.len(), 1);
    assert!(mapping.contains_key("#microsoft.graph.statusMessage"));
    // And the fragment is one the generator accepts.
    Generator::new()
        .spec("v1_0", "presence.yaml", sliced.yaml)
        .generate()
        .unwrap();
}

/// A second module with the same action under its `/users` binding, sharing components.
const USERS_ACTIONS: &str = r##"
openapi: 3.0.4
info: {title: Users.Actions, version: v1.0}
paths:
  /users/{user-id}/presence/microsoft.graph.setStatusMessage:
    post:
      operationId: user.presence_setStatusMessage
      parameters: [{name: user-id, in: path, required: true, schema: {type: string}}]
      requestBody: {$ref: '#/components/requestBodies/setStatusMessageRequestBody'}
      responses:
        2XX: {description: Success}
components:
  requestBodies:
    setStatusMessageRequestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              statusMessage:
                anyOf:
                  - $ref: '#/components/schemas/statusMessage'
                  - {type: object, nullable: true}
  schemas:
    statusMessage:
      allOf:
        - $ref: '#/components/schemas/entity'
        - type: object
          properties:
            message: {$ref: '#/components/schemas/itemBody'}
            history: {type: array, items: {$ref: '#/components/schemas/historyItem'}}
            extra: {type: object, additionalProperties: {$ref: '#/components/schemas/extraValue'}}
          x-ms-discriminator-value: '#microsoft.graph.statusMessage'
    itemBody: {type: object, properties: {content: {type: string}}}
"##;

#[test]
fn several_sources_merge_and_identical_duplicates_are_fine() {
    let sliced = slice(
        &[
            ("CloudCommunications.yml", NESTED),
            ("Users.Actions.yml", USERS_ACTIONS),
        ],
        &selection(&["/**/presence/**"]),
        None,
    )
    .unwrap();
    assert_eq!(
        sliced.paths,
        [
            "/me/presence/setStatusMessage",
            "/users/{user-id}/presence/setStatusMessage"
        ]
    );
    // Top-level fields come from the first source.
    assert_eq!(
        parse(&sliced.yaml)["info"]["title"],
        y("OData Service for namespace microsoft.graph")
    );
    Generator::new()
        .spec("v1_0", "presence.yaml", sliced.yaml)
        .generate()
        .unwrap();
}

#[test]
fn conflicting_definitions_name_both_files() {
    let changed = USERS_ACTIONS.replace(
        "itemBody: {type: object, properties: {content: {type: string}}}",
        "itemBody: {type: object, properties: {content: {type: integer}}}",
    );
    let err = slice(
        &[
            ("CloudCommunications.yml", NESTED),
            ("Users.Actions.yml", &changed),
        ],
        &selection(&["/**/presence/**"]),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("Users.Actions.yml (at /components/schemas/itemBody)"),
        "{err}"
    );
    assert!(
        err.contains("defined differently in CloudCommunications.yml"),
        "{err}"
    );

    // The same path, once with the prefix and once without, is one path: it must agree too.
    let twice = USERS_ACTIONS.replace(
        "/users/{user-id}/presence/microsoft.graph.setStatusMessage",
        "/me/presence/setStatusMessage",
    );
    let err = slice(
        &[
            ("CloudCommunications.yml", NESTED),
            ("Users.Actions.yml", &twice),
        ],
        &selection(&["/**/presence/**"]),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("`/me/presence/setStatusMessage` is defined differently in CloudCommunications.yml (as `/me/presence/microsoft.graph.setStatusMessage`)"), "{err}");
}

#[test]
fn bad_inputs_say_what_and_where() {
    let missing = NESTED.replace(
        "    itemBody: {type: object, properties: {content: {type: string}}}\n",
        "",
    );
    let err = slice(
        &[("openapi.yaml", &missing)],
        &selection(&["/**/presence/**"]),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("openapi.yaml"), "{err}");
    assert!(err.contains("#/components/schemas/itemBody"), "{err}");
    assert!(err.contains("statusMessage"), "{err}");

    let err = slice(&[("openapi.yaml", "paths: [")], &presence(), None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("not valid YAML"), "{err}");

    let err = slice(
        &[(
            "openapi.yaml",
            "openapi: 3.0.0\npaths: {/me/messages: {}}\n",
        )],
        &presence(),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("spec/v1.0/slice.yaml:"), "{err}");
    assert!(err.contains("matches no path in openapi.yaml"), "{err}");
    assert!(
        slice(&[], &presence(), None)
            .unwrap_err()
            .to_string()
            .contains("no source")
    );
}

#[test]
fn multi_megabyte_document() {
    let upstream = upstream_from_fragment(6000);
    assert!(upstream.len() > 3_000_000, "{} bytes", upstream.len());
    let started = Instant::now();
    let sliced = slice(&[("openapi.yaml", &upstream)], &presence(), None).unwrap();
    // Reported, not asserted: timing belongs in benchmarks, not in tests.
    eprintln!(
        "sliced {} bytes in {:?} ({} paths, {} components kept)",
        upstream.len(),
        started.elapsed(),
        sliced.paths.len(),
        sliced.components.len()
    );
    assert_eq!(
        sliced.paths.len(),
        parse(V1)["paths"].as_mapping().unwrap().len()
    );
    assert!(!sliced.yaml.contains("microsoft.graph.thing"));
}

const TWO_PATHS: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /subscriptions:\n    get: {operationId: list, responses: {'200': {description: OK}}}\n    post: {operationId: create, responses: {'201': {description: Created}}}\n  /subscriptions/{id}:\n    delete: {operationId: delete, responses: {'204': {description: Gone}}}\n";

#[test]
fn method_filters_keep_only_those_operations() {
    let selection = selection(&["/subscriptions/**#GET"]);
    let sliced = slice(&[("openapi.yaml", TWO_PATHS)], &selection, None).unwrap();
    assert_eq!(sliced.paths, ["/subscriptions"]);
    assert!(sliced.yaml.contains("operationId: list"), "{}", sliced.yaml);
    assert!(!sliced.yaml.contains("operationId: create"));
    assert!(!sliced.yaml.contains("operationId: delete"));
}

#[test]
fn a_pattern_matching_nothing_is_an_error_at_its_line() {
    let text = "include:\n  - /subscriptions/**\n  - /subscription/{x}\n";
    let selection = Selection::parse("slice.yaml", text).unwrap();
    let err = slice(&[("openapi.yaml", TWO_PATHS)], &selection, None)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("slice.yaml:3:3 (at /include/1)"), "{err}");
    assert!(
        err.contains("`/subscription/{x}` matches no path in openapi.yaml"),
        "{err}"
    );
}

#[test]
fn an_exclude_that_empties_an_include_is_a_warning() {
    let text =
        "include:\n  - /subscriptions\n  - /subscriptions/{x}\nexclude:\n  - /subscriptions/*\n";
    let selection = Selection::parse("slice.yaml", text).unwrap();
    let sliced = slice(&[("openapi.yaml", TWO_PATHS)], &selection, None).unwrap();
    assert_eq!(sliced.paths, ["/subscriptions"]);
    let warnings: Vec<String> = sliced.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("slice.yaml:3:3 (at /include/1): warning: the excludes remove every operation `/subscriptions/{x}` matches"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("see slice.yaml:5:3"), "{warnings:?}");

    // Excluding everything leaves nothing to slice: an error, not an empty fragment.
    let all = Selection::parse("slice.yaml", "include: [/**]\nexclude: [/**]\n").unwrap();
    let err = slice(&[("openapi.yaml", TWO_PATHS)], &all, None)
        .unwrap_err()
        .to_string();
    assert!(err.contains("nothing is left to slice"), "{err}");
}
