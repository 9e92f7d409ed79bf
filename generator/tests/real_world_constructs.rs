//! The generator on `fixtures/graph-real-world-constructs.yaml`: constructs of the newer documents
//! Microsoft publishes for Graph that a first version of the generator rejected or named badly.
//! Each test names the construct. The output is compiled in the test-output crate
//! (`generator/tests/output/`), whose `tests/real_world.rs` calls it over loopback HTTP.

use generator::Generator;
use generator::ir::{Api, TypeKind, TypeRef};
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/graph-real-world-constructs.yaml";

fn source() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).expect("fixture")
}

fn generator(source: &str) -> Generator {
    Generator::new()
        .spec("real_world", FIXTURE, source)
        .runtime_crate("::msgraph_presence_runtime")
}

fn lowered() -> Api {
    let mut apis = generator(&source())
        .lower()
        .unwrap_or_else(|e| panic!("lowering the fixture: {e}"))
        .into_apis();
    assert_eq!(apis.len(), 1);
    apis.remove(0)
}

fn field_type(api: &Api, type_name: &str, field: &str) -> TypeRef {
    let def = api
        .types
        .iter()
        .find(|t| t.name == type_name)
        .unwrap_or_else(|| panic!("no type {type_name}"));
    let TypeKind::Struct { fields, .. } = &def.kind else {
        panic!("{type_name} is not a struct");
    };
    fields
        .iter()
        .find(|f| f.name == field)
        .unwrap_or_else(|| panic!("no field {type_name}.{field}"))
        .ty
        .clone()
}

#[test]
fn kiota_operation_ids_give_short_readable_method_names() {
    let api = lowered();
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    // `communications.ListCalls` → `list_calls` (not `communications_list_calls`);
    // `communications.calls.GetCount-6b5f` → `count_calls` (hash dropped, collection named);
    // `microsoft.graph.callRecords.getDirectRoutingCalls(...)` → the name after the namespace;
    // `GetCalls` on `/communications/calls/{call-id}` reads one call → `get_call`.
    assert_eq!(
        names,
        [
            "count_calls",
            "get_all_transcripts",
            "get_call",
            "get_comms_operation",
            "get_direct_routing_calls",
            "get_online_meetings_attendee_report",
            "invite",
            "is_presence_readable",
            "legacy_presence",
            "list_calls",
            "presence_history",
            "update_ref_manager",
        ]
    );
}

#[test]
fn repeated_kiota_ids_that_differ_only_by_hash_still_get_distinct_methods() {
    // Two `$count` paths and two same-named functions whose ids differ only by Kiota's hash.
    let source = r#"
openapi: 3.0.4
info: {title: t, version: v1.0}
paths:
  /communications/calls/$count:
    get:
      operationId: communications.calls.GetCount-6b5f
      responses: {2XX: {description: n, content: {text/plain: {schema: {type: integer}}}}}
  /communications/presences/$count:
    get:
      operationId: communications.presences.GetCount-0a1b
      responses: {2XX: {description: n, content: {text/plain: {schema: {type: integer}}}}}
  /me/microsoft.graph.reminderView(StartDateTime='{StartDateTime}'):
    get:
      operationId: me.reminderView-aaaa
      parameters: [{name: StartDateTime, in: path, required: true, schema: {type: string}}]
      responses: {2XX: {description: ok}}
  /users/{user-id}/microsoft.graph.reminderView(StartDateTime='{StartDateTime}'):
    get:
      operationId: users.user.reminderView-bbbb
      parameters:
        - {name: user-id, in: path, required: true, schema: {type: string}}
        - {name: StartDateTime, in: path, required: true, schema: {type: string}}
      responses: {2XX: {description: ok}}
"#;
    let api = generator(source)
        .lower()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_apis()
        .remove(0);
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(names.contains(&"count_calls"), "{names:?}");
    assert!(names.contains(&"count_presences"), "{names:?}");
    // The two reminderView paths are one action, grouped into a method taking a target.
    assert!(names.contains(&"reminder_view"), "{names:?}");
    assert!(
        !names
            .iter()
            .any(|n| n.contains("aaaa") || n.contains("bbbb"))
    );
}

#[test]
fn number_or_string_doubles_become_json_values() {
    // `oneOf: [number, string, $ref ReferenceNumeric]`: the enum adds nothing to the plain string.
    let api = lowered();
    assert_eq!(
        field_type(&api, "DirectRoutingLogRow", "media_bypass_ratio"),
        TypeRef::Json
    );
}

#[test]
fn number_typed_integers_keep_their_integer_width() {
    let api = lowered();
    assert_eq!(field_type(&api, "ResultInfo", "code"), TypeRef::I32);
    assert_eq!(field_type(&api, "ResultInfo", "sequence_id"), TypeRef::I64);
    assert_eq!(
        field_type(&api, "DirectRoutingLogRow", "duration"),
        TypeRef::I32
    );
}

#[test]
fn nullable_references_written_as_any_of_resolve_to_the_referenced_type() {
    let api = lowered();
    assert_eq!(
        field_type(&api, "Call", "result_info"),
        TypeRef::Named("ResultInfo".into())
    );
    assert_eq!(
        field_type(&api, "Call", "state"),
        TypeRef::Named("CallState".into())
    );
    // The user's manager is a user: the cycle is broken with a box.
    assert_eq!(
        field_type(&api, "User", "manager"),
        TypeRef::Boxed("User".into())
    );
}

#[test]
fn bindings_named_after_the_collection_and_differing_only_in_prose_and_links_share_a_method() {
    // As published: the item operation is named after the plural collection, and each binding's
    // response links name that binding's own operationIds.
    let source = r#"
openapi: 3.0.1
info: {title: t, version: v1.0}
paths:
  '/communications/presences/{presence-id}':
    get:
      operationId: communications_GetPresences
      parameters:
        - {name: presence-id, in: path, required: true, description: 'key: id of presence', schema: {type: string}}
      responses:
        '200':
          description: Retrieved navigation property
          content: {application/json: {schema: {$ref: '#/components/schemas/microsoft.graph.presence'}}}
          links: {clearPresence: {operationId: communications.presences.presence.clearPresence}}
  '/users/{user-id}/presence':
    get:
      operationId: users_GetPresence
      description: Reads a user's presence.
      parameters:
        - {name: user-id, in: path, required: true, description: 'key: id of user', schema: {type: string}}
      responses:
        '200':
          description: Retrieved presence
          content: {application/json: {schema: {$ref: '#/components/schemas/microsoft.graph.presence'}}}
          links: {clearPresence: {operationId: users.user.presence.clearPresence}}
  /communications/presences:
    post:
      operationId: communications_CreatePresences
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/microsoft.graph.presence'}}}
      responses:
        '201':
          description: Created
          content: {application/json: {schema: {$ref: '#/components/schemas/microsoft.graph.presence'}}}
components:
  schemas:
    microsoft.graph.presence:
      type: object
      properties: {availability: {type: string}}
"#;
    let api = generator(source)
        .lower()
        .unwrap_or_else(|e| panic!("{e}"))
        .into_apis()
        .remove(0);
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(names, ["create_presence", "get_presence"]);
    let get = &api.operations[1];
    let paths: Vec<&str> = get.bindings.iter().map(|b| b.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/communications/presences/{presence-id}",
            "/users/{user-id}/presence"
        ]
    );
}

#[test]
fn function_parameter_aliases_are_sent_under_the_alias() {
    let api = lowered();
    let op = api
        .operations
        .iter()
        .find(|o| o.method_name == "presence_history")
        .expect("presence_history");
    let wire: Vec<&str> = op.params.iter().map(|p| p.wire_name.as_str()).collect();
    assert_eq!(wire, ["@startDateTime", "@endDateTime"]);
    // An ordinary query parameter keeps its name.
    let list = api
        .operations
        .iter()
        .find(|o| o.method_name == "list_calls")
        .expect("list_calls");
    assert!(list.params.iter().any(|p| p.wire_name == "$top"));
}
