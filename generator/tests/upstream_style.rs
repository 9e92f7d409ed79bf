//! The generator on a document shaped like Microsoft's published Graph OpenAPI
//! (`fixtures/graph-upstream-style.yaml`): it must accept every construct, derive readable names
//! and lower it as the IR snapshot shows. Its generated code is committed in the test-output
//! crate (`generator/tests/output/`, guarded by `cargo xtask codegen --check`), which CI
//! compiles and whose `tests/upstream_style.rs` calls it over loopback HTTP.

use generator::Generator;
use generator::ir::{Api, HttpMethod, ParamLocation, SuccessBody, TypeKind, TypeRef};
use std::path::Path;

/// Snapshots live in `tests/snapshots/`, named `upstream_style__ir.snap`, without the test
/// module's name in front.
fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings
}

const FIXTURE: &str = "tests/fixtures/graph-upstream-style.yaml";

fn generator() -> Generator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let source = std::fs::read_to_string(&path).expect("fixture");
    Generator::new()
        .spec(
            "upstream_style",
            "generator/tests/fixtures/graph-upstream-style.yaml",
            source,
        )
        .runtime_crate("::msgraph_presence_runtime")
}

fn lowered() -> Api {
    let mut apis = generator()
        .lower()
        .unwrap_or_else(|e| panic!("lowering the fixture: {e}"))
        .into_apis();
    assert_eq!(apis.len(), 1);
    apis.remove(0)
}

fn operation<'a>(api: &'a Api, method_name: &str) -> &'a generator::ir::Operation {
    api.operations
        .iter()
        .find(|o| o.method_name == method_name)
        .unwrap_or_else(|| {
            let names: Vec<&str> = api
                .operations
                .iter()
                .map(|o| o.method_name.as_str())
                .collect();
            panic!("no method {method_name}; methods: {names:?}")
        })
}

#[test]
fn method_names_come_from_the_action_not_the_mangled_operation_id() {
    let api = lowered();
    let names: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.method_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "count_presences",
            "create_presence",
            "delete_presence",
            "get_presence",
            "get_presences_by_user_id",
            "list_presence",
            "set_presence",
            "update_presence",
        ]
    );
    assert!(!names.iter().any(|n| n.contains("graph_b_pre")));
}

#[test]
fn namespaced_action_paths_are_grouped_into_one_operation_with_a_method_per_builder() {
    let api = lowered();
    let set = operation(&api, "set_presence");
    let paths: Vec<(&str, &str, bool)> = set
        .bindings
        .iter()
        .map(|b| (b.path.as_str(), b.call.as_str(), b.deprecated))
        .collect();
    // Only the users-bound path is deprecated upstream: only its method warns.
    assert_eq!(
        paths,
        [
            (
                "/communications/presences/{presence-id}/microsoft.graph.setPresence",
                "communications().presence(presence_id).set_presence(&body)",
                false
            ),
            (
                "/users/{user-id}/presence/microsoft.graph.setPresence",
                "user(user_id).presence().set_presence(&body)",
                true
            ),
        ]
    );
    assert_eq!(set.action, "setPresence");
    assert!(!set.deprecated);
    assert_eq!(set.success.statuses, ["2XX"]);
    assert_eq!(set.success.body, SuccessBody::Empty);
    assert_eq!(set.error_statuses, ["default"]);
}

#[test]
fn query_and_header_parameters_are_typed() {
    let api = lowered();
    let list = operation(&api, "list_presence");
    let params: Vec<(&str, &str, ParamLocation)> = list
        .params
        .iter()
        .map(|p| (p.name.name.as_str(), p.wire_name.as_str(), p.location))
        .collect();
    assert_eq!(
        params,
        [
            ("top", "$top", ParamLocation::Query),
            ("skip", "$skip", ParamLocation::Query),
            ("search", "$search", ParamLocation::Query),
            ("filter", "$filter", ParamLocation::Query),
            ("count", "$count", ParamLocation::Query),
            ("orderby", "$orderby", ParamLocation::Query),
            ("select", "$select", ParamLocation::Query),
            ("expand", "$expand", ParamLocation::Query),
        ]
    );
    assert!(matches!(list.params[5].ty, TypeRef::Vec(_)));

    let delete = operation(&api, "delete_presence");
    assert_eq!(delete.http_method, HttpMethod::Delete);
    assert_eq!(delete.params.len(), 1);
    assert_eq!(delete.params[0].wire_name, "If-Match");
    assert_eq!(delete.params[0].location, ParamLocation::Header);

    let count = operation(&api, "count_presences");
    assert_eq!(count.success.body, SuccessBody::Integer);
}

#[test]
fn odata_star_is_named_all() {
    let api = lowered();
    let expand = api
        .types
        .iter()
        .find(|t| t.name == "ListPresenceExpandItem")
        .expect("ListPresenceExpandItem");
    let TypeKind::Enum { variants, .. } = &expand.kind else {
        panic!("should be an enum: {:?}", expand.kind);
    };
    let names: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.name.name.as_str(), v.wire_value.as_str()))
        .collect();
    assert_eq!(names, [("All", "*")]);
}

#[test]
fn entity_inheritance_and_nullable_fields_are_flattened_into_the_struct() {
    let api = lowered();
    let presence = api
        .types
        .iter()
        .find(|t| t.name == "Presence")
        .expect("Presence type");
    let TypeKind::Struct { fields, .. } = &presence.kind else {
        panic!("Presence should be a struct: {:?}", presence.kind);
    };
    let wire: Vec<&str> = fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(
        wire,
        [
            "id",
            "activity",
            "availability",
            "outOfOfficeSettings",
            "statusMessage"
        ]
    );
    let activity = &fields[1];
    assert!(activity.nullable && !activity.required);
}

#[test]
fn the_set_presence_duration_is_an_iso_8601_duration() {
    let api = lowered();
    let set = operation(&api, "set_presence");
    let body = set.body.as_ref().expect("body");
    let TypeRef::Named(name) = &body.ty else {
        panic!("body should be a named type: {:?}", body.ty);
    };
    let def = api
        .types
        .iter()
        .find(|t| &t.name.name == name)
        .expect("body type");
    let TypeKind::Struct { fields, .. } = &def.kind else {
        panic!("body should be a struct");
    };
    let duration = fields
        .iter()
        .find(|f| f.wire_name == "expirationDuration")
        .expect("expirationDuration");
    assert_eq!(duration.ty, TypeRef::Duration);
}

#[test]
fn lowered_ir() {
    let _guard = settings().bind_to_scope();
    insta::assert_yaml_snapshot!("upstream_style__ir", lowered());
}
