//! The unions of `generator/tests/good_specs/unions.yaml`, one per rule of
//! `lower/schemas/unions.rs`: each reads JSON into the right alternative, writes the same JSON
//! back, and a value that fits no alternative is an error naming the field that decided.

use generator_test_output::unions::models::{Contact, Drawing, Label, Note, Shape};
use serde_json::{Value, json};

/// JSON → Rust → JSON, which must give back what went in.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"));
    assert_eq!(serde_json::to_value(&typed).unwrap(), value);
    typed
}

fn error_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) -> String {
    serde_json::from_value::<T>(value).unwrap_err().to_string()
}

#[test]
fn internally_tagged_reads_the_tag_and_keeps_it() {
    let circle: Shape = round_trip(json!({"shape": "circle", "radius": 2.5}));
    let Shape::Circle(circle) = circle else {
        panic!("{circle:?}")
    };
    assert_eq!(circle.radius, 2.5);
    assert!(matches!(
        round_trip::<Shape>(json!({"shape": "square", "side": 1.0})),
        Shape::Square(_)
    ));
}

#[test]
fn internally_tagged_errors_name_the_tag_or_the_missing_field() {
    let unknown = error_of::<Shape>(json!({"shape": "hexagon"}));
    assert!(
        unknown.contains("`shape`") && unknown.contains("hexagon"),
        "{unknown}"
    );
    let missing_tag = error_of::<Shape>(json!({"radius": 1.0}));
    assert!(
        missing_tag.contains("missing field `shape`"),
        "{missing_tag}"
    );
    let missing_field = error_of::<Shape>(json!({"shape": "circle"}));
    assert!(missing_field.contains("`radius`"), "{missing_field}");
}

#[test]
fn externally_tagged_is_picked_by_its_own_property() {
    assert!(matches!(
        round_trip::<Contact>(json!({"email": "a@example.com"})),
        Contact::Email(_)
    ));
    assert!(matches!(
        round_trip::<Contact>(json!({"phone": "+1 555"})),
        Contact::Phone(_)
    ));
    let err = error_of::<Contact>(json!({"fax": "1"}));
    assert!(err.contains("`email`") && err.contains("`phone`"), "{err}");
    let wrong = error_of::<Contact>(json!({"email": 7}));
    assert!(wrong.contains("`email`"), "{wrong}");
}

#[test]
fn untagged_is_picked_by_json_kind_or_a_required_property_only_one_has() {
    assert_eq!(
        round_trip::<Label>(json!("plain")),
        Label::String("plain".into())
    );
    assert!(matches!(
        round_trip::<Label>(json!({"text": "t", "color": "red"})),
        Label::Color(_)
    ));
    // `text` is in both objects; `icon` decides.
    assert!(matches!(
        round_trip::<Label>(json!({"text": "t", "icon": "star"})),
        Label::Icon(_)
    ));
    let err = error_of::<Label>(json!({"text": "t"}));
    assert!(err.contains("`color`") && err.contains("`icon`"), "{err}");
    let missing = error_of::<Label>(json!({"color": "red"}));
    assert!(missing.contains("`text`"), "{missing}");
}

#[test]
fn what_cannot_be_told_apart_keeps_the_raw_json_with_typed_accessors() {
    let note: Note = round_trip(json!({"body": "hi", "author": "me"}));
    assert_eq!(note.0["author"], "me");
    let first = note.as_note_object().unwrap();
    assert_eq!(first.body.as_deref(), Some("hi"));
    let second = note.as_note_object2().unwrap();
    assert_eq!(second.author.as_deref(), Some("me"));
    let not_an_object = Note(json!(3)).as_note_object().unwrap_err().to_string();
    assert!(not_an_object.contains("invalid type"), "{not_an_object}");
}

#[test]
fn unions_inside_a_struct_round_trip_and_errors_name_the_union_field() {
    let drawing: Drawing = round_trip(json!({
        "title": "d",
        "shapes": [{"shape": "circle", "radius": 1.0}, {"shape": "square", "side": 2.0}],
        "contact": {"phone": "1"},
        "label": "x",
        "note": {"body": "n"}
    }));
    assert_eq!(drawing.shapes.as_ref().map(Vec::len), Some(2));
    let err = error_of::<Drawing>(json!({"title": "d", "shapes": [{"shape": 1}]}));
    assert!(err.contains("`shape`"), "{err}");
}
