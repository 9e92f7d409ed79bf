//! The API diff: the v1.0 → beta report as a snapshot, and each classification rule.

use generator::Generator;
use generator::diff::{Severity, diff, markdown, rules};
use generator::ir::{Api, EnumVariant, Field, TypeKind, TypeRef};

fn lower(module: &str, file: &str, text: &str) -> Api {
    Generator::new()
        .spec(module, file, text)
        .lower()
        .unwrap()
        .into_apis()
        .pop()
        .unwrap()
}

fn v1() -> Api {
    lower(
        "v1_0",
        "spec/v1.0/presence.yaml",
        include_str!("../../spec/v1.0/presence.yaml"),
    )
}

fn beta() -> Api {
    lower(
        "beta",
        "spec/beta/presence.yaml",
        include_str!("../../spec/beta/presence.yaml"),
    )
}

#[test]
fn v1_0_vs_beta_report() {
    let report = diff("v1.0", &v1(), "beta", &beta());
    insta::assert_snapshot!("v1_0_vs_beta", markdown(&report).unwrap());
}

fn fields_of<'a>(api: &'a mut Api, name: &str) -> &'a mut Vec<Field> {
    let ty = api.types.iter_mut().find(|t| t.name == name).unwrap();
    match &mut ty.kind {
        TypeKind::Struct { fields, .. } => fields,
        _ => panic!("{name} is not a struct"),
    }
}

fn variants_of<'a>(api: &'a mut Api, name: &str) -> &'a mut Vec<EnumVariant> {
    let ty = api.types.iter_mut().find(|t| t.name == name).unwrap();
    match &mut ty.kind {
        TypeKind::Enum { variants, .. } => variants,
        _ => panic!("{name} is not an enum"),
    }
}

fn new_field(required: bool, nullable: bool) -> Field {
    Field {
        name: generator::ir::Ident::plain("mood"),
        wire_name: "mood".into(),
        docs: "The mood.".into(),
        ty: TypeRef::String,
        required,
        nullable,
        read_only: false,
        deprecated: false,
        takes_into: true,
        setter: None,
    }
}

/// The single change between `old` and `new`, with its rule checked.
fn only_change(old: &Api, new: &Api) -> generator::diff::Change {
    let report = diff("old", old, "new", new);
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    report.changes[0].clone()
}

#[test]
fn unchanged_api_has_no_changes() {
    let report = diff("a", &v1(), "b", &v1());
    assert!(report.changes.is_empty());
    assert!(
        markdown(&report)
            .unwrap()
            .contains("No change to the generated Rust API.")
    );
}

#[test]
fn field_added_to_request_type_breaks_struct_literals() {
    let old = v1();
    let mut new = old.clone();
    fields_of(&mut new, "ClearPresenceRequest").push(new_field(false, false));
    let change = only_change(&old, &new);
    assert_eq!(change.severity, Severity::Breaking);
    assert_eq!(change.why, rules::INPUT_FIELD_ADDED.1);
    assert_eq!(change.item, "ClearPresenceRequest");
}

#[test]
fn field_added_to_response_type_is_non_breaking() {
    let old = v1();
    let mut new = old.clone();
    fields_of(&mut new, "Presence").push(new_field(false, false));
    let change = only_change(&old, &new);
    assert_eq!(change.severity, Severity::NonBreaking);
    assert_eq!(change.what, "optional field `mood: Option<String>` added");
}

#[test]
fn field_removed_or_retyped_is_breaking() {
    let old = v1();
    let mut new = old.clone();
    fields_of(&mut new, "Presence").retain(|f| f.wire_name != "activity");
    assert_eq!(only_change(&old, &new).why, rules::REMOVED.1);

    let mut new = old.clone();
    let f = fields_of(&mut new, "ClearPresenceRequest")
        .iter_mut()
        .find(|f| f.wire_name == "sessionId")
        .unwrap();
    f.ty = TypeRef::I64;
    let change = only_change(&old, &new);
    assert_eq!(change.severity, Severity::Breaking);
    assert_eq!(change.why, rules::TYPE_CHANGED.1);
}

#[test]
fn required_to_optional_depends_on_the_rust_type() {
    let mut old = v1();
    fields_of(&mut old, "Presence").push(new_field(true, true));
    // Required nullable → optional: `Option<String>` both ways.
    let mut new = old.clone();
    fields_of(&mut new, "Presence").last_mut().unwrap().required = false;
    let change = only_change(&old, &new);
    assert_eq!(change.severity, Severity::NonBreaking);
    assert_eq!(change.what, "field `mood` required → optional");
    // Required non-nullable → optional: `String` becomes `Option<String>`.
    let mut old = v1();
    fields_of(&mut old, "Presence").push(new_field(true, false));
    let mut new = old.clone();
    fields_of(&mut new, "Presence").last_mut().unwrap().required = false;
    let change = only_change(&old, &new);
    assert_eq!(change.severity, Severity::Breaking);
    assert!(
        change
            .what
            .contains("`mood: String` (required) → `mood: Option<String>` (optional)")
    );
}

#[test]
fn enum_values_added_and_removed() {
    let old = v1();
    let mut new = old.clone();
    variants_of(&mut new, "Availability").push(EnumVariant {
        name: generator::ir::Ident::plain("Focusing"),
        wire_value: "Focusing".into(),
        docs: None,
    });
    let change = only_change(&old, &new);
    assert_eq!(change.why, rules::ENUM_VARIANT_ADDED.1);
    assert_eq!(change.severity, Severity::Breaking);
    let change = only_change(&new, &old);
    assert_eq!(change.what, "variant `Focusing` (`Focusing`) removed");
    assert_eq!(change.severity, Severity::Breaking);
}

#[test]
fn operations_added_and_removed() {
    let old = v1();
    let mut new = old.clone();
    new.operations.retain(|o| o.method_name != "clear_presence");
    let change = only_change(&old, &new);
    assert_eq!(change.severity, Severity::Breaking);
    assert!(change.what.starts_with("operation removed"));
    let change = only_change(&new, &old);
    assert_eq!(change.severity, Severity::NonBreaking);
    assert!(change.what.starts_with("operation added"));
}

#[test]
fn a_binding_removed_or_moved_to_another_builder_is_breaking() {
    let old = v1();
    let mut new = old.clone();
    let op = new
        .operations
        .iter_mut()
        .find(|o| o.method_name == "clear_location")
        .unwrap();
    op.bindings.retain(|b| !b.path.starts_with("/me/"));
    let change = only_change(&old, &new);
    assert_eq!(change.severity, Severity::Breaking);
    assert_eq!(
        change.what,
        "binding `/me/presence/clearLocation` removed (`me().presence().clear_location()`)"
    );

    let mut moved = old.clone();
    let op = moved
        .operations
        .iter_mut()
        .find(|o| o.method_name == "clear_location")
        .unwrap();
    op.bindings[0].call = "me().clear_location()".into();
    let change = only_change(&old, &moved);
    assert_eq!(change.why, rules::SIGNATURE_CHANGED.1);
    assert!(
        change
            .what
            .contains("is now called as `me().clear_location()`"),
        "{}",
        change.what
    );
}

#[test]
fn body_change_is_a_signature_change() {
    let old = v1();
    let mut new = old.clone();
    let op = new
        .operations
        .iter_mut()
        .find(|o| o.method_name == "clear_presence")
        .unwrap();
    op.body.as_mut().unwrap().ty = TypeRef::Named("SetPresenceRequest".into());
    let change = only_change(&old, &new);
    assert_eq!(change.why, rules::SIGNATURE_CHANGED.1);
    assert_eq!(
        change.what,
        "request body `&ClearPresenceRequest` → `&SetPresenceRequest`"
    );
}

#[test]
fn table_cells_escape_pipes() {
    let old = v1();
    let mut new = old.clone();
    new.operations[0].error_statuses.push("4|X".into());
    let text = markdown(&diff("old", &old, "new", &new)).unwrap();
    assert!(text.contains("4\\|X"), "{text}");
}

#[test]
fn a_stream_gained_is_an_addition_and_a_stream_lost_breaks() {
    let paged = v1();
    let mut one_page = paged.clone();
    let list = one_page
        .operations
        .iter_mut()
        .find(|o| o.action == "ListSubscription")
        .expect("the subscriptions list");
    assert!(list.paging.is_some(), "the subscriptions list pages");
    list.paging = None;

    let gained = only_change(&one_page, &paged);
    assert_eq!(gained.severity, Severity::NonBreaking);
    assert_eq!(gained.why, rules::ADDED.1);
    assert!(gained.what.contains("`Subscription`"), "{}", gained.what);

    let lost = only_change(&paged, &one_page);
    assert_eq!(lost.severity, Severity::Breaking);
    assert_eq!(lost.why, rules::REMOVED.1);
}
