//! The generator on `fixtures/directory-paging.yaml`: which operations page (a stream beside
//! the one-page method) and which send `ConsistencyLevel: eventual`
//! (`x-msgraph-consistency-level`). The output is compiled in the test-output crate, whose
//! `tests/directory_paging.rs` calls it over loopback HTTP.

use generator::Generator;
use generator::ir::{Api, FixedHeader, Ident, Operation, TypeRef};
use std::path::Path;

const FIXTURE: &str = "tests/fixtures/directory-paging.yaml";

fn source() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)).expect("fixture")
}

fn lower(source: &str) -> Result<Api, String> {
    Generator::new()
        .spec("directory_paging", FIXTURE, source)
        .runtime_crate("::msgraph_presence_runtime")
        .lower()
        .map(|l| l.into_apis().remove(0))
        .map_err(|e| e.to_string())
}

fn operation<'a>(api: &'a Api, action: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|o| o.action == action)
        .unwrap_or_else(|| panic!("no operation {action}"))
}

#[test]
fn collections_with_a_next_link_page_and_others_do_not() {
    let api = lower(&source()).unwrap();
    let users = operation(&api, "ListUser");
    let paging = users.paging.as_ref().expect("users page");
    // The next link comes from an `allOf` base: the flattened struct decides.
    assert_eq!(paging.collection, "UserCollectionResponse");
    assert_eq!(paging.item, TypeRef::Named("User".into()));
    let stream = users.bindings[0].stream.as_ref().expect("a stream method");
    assert_eq!(stream.name, "list_stream");
    assert_eq!(stream.call, "users().list_stream(&params, None)");
    assert!(stream.docs.contains("max_items"), "{}", stream.docs);

    let members = operation(&api, "ListMembers");
    assert_eq!(
        members.paging.as_ref().map(|p| &p.item),
        Some(&TypeRef::Named("DirectoryObject".into()))
    );

    // A `value` array without a next link is one page; one object is no collection.
    for one_page in ["ListGroup", "GetUser"] {
        let op = operation(&api, one_page);
        assert_eq!(op.paging, None, "{one_page}");
        assert!(op.bindings.iter().all(|b| b.stream.is_none()), "{one_page}");
    }
}

#[test]
fn the_consistency_extension_decides_the_header_per_operation_and_parameter() {
    let api = lower(&source()).unwrap();
    assert_eq!(
        operation(&api, "ListUser").fixed_headers,
        [FixedHeader {
            name: "ConsistencyLevel".into(),
            value: "eventual".into(),
            when_set: vec![Ident::plain("search"), Ident::plain("count")],
        }]
    );
    assert_eq!(
        operation(&api, "ListMembers").fixed_headers,
        [FixedHeader {
            name: "ConsistencyLevel".into(),
            value: "eventual".into(),
            when_set: vec![],
        }]
    );
    assert_eq!(operation(&api, "GetUser").fixed_headers, []);
}

#[test]
fn a_consistency_level_other_than_eventual_is_refused_where_it_is_written() {
    let source = source().replacen(
        "      x-msgraph-consistency-level: eventual\n      parameters:",
        "      x-msgraph-consistency-level: strong\n      parameters:",
        1,
    );
    let err = lower(&source).unwrap_err();
    assert!(err.contains("x-msgraph-consistency-level"), "{err}");
    assert!(err.contains("\"eventual\""), "{err}");
    assert!(err.contains(FIXTURE), "{err}");
}

#[test]
fn a_required_marked_parameter_is_always_given_so_the_header_is_always_sent() {
    let source = source().replacen(
        "          description: Search items by search phrases.\n",
        "          description: Search items by search phrases.\n          required: true\n",
        1,
    );
    let api = lower(&source).unwrap();
    let users = operation(&api, "ListUser");
    assert!(
        users
            .params
            .iter()
            .any(|p| p.name == "search" && p.required)
    );
    assert_eq!(users.fixed_headers.len(), 1);
    assert_eq!(users.fixed_headers[0].when_set, Vec::<Ident>::new());
}
