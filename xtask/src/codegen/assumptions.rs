//! What hand-written code assumes about generated types, checked on the lowered IR before
//! `cargo xtask codegen` writes anything.
//!
//! Hand-written code that names a generated type's fields breaks the build when a new spec
//! changes that type (a field turned optional, a field added to a struct it builds with a
//! literal). Checking here turns that into an error naming the spec location and the file
//! that depends on it, with nothing written, instead of a workspace that no longer compiles.

use generator::ir::{Api, Field, Operation, SuccessBody, TypeDef, TypeKind, TypeRef};

mod notifications;

/// The hand-written file that depends on the shapes below.
const BATCH_HELPER: &str = "generated/src/batch.rs";

/// The action the batch helper calls, in every version.
const BATCH_ACTION: &str = "getPresencesByUserId";

/// How a field must look to the Rust code using it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// `Vec<String>`, not `Option` (the helper assigns a vector).
    RequiredStrings,
    /// `Option<Vec<named type>>` (the helper calls `.take().unwrap_or_default()`).
    OptionalListOf(&'static str),
    /// `Option<String>` (the helper calls `.as_deref()` or `.take()`).
    OptionalString,
}

impl Shape {
    fn describe(self) -> String {
        match self {
            Shape::RequiredStrings => "a required, non-nullable array of strings".to_owned(),
            Shape::OptionalListOf(ty) => format!("an optional array of `{ty}`"),
            Shape::OptionalString => "an optional string".to_owned(),
        }
    }

    fn fits(self, field: &Field) -> bool {
        let optional = !field.required || field.nullable;
        match self {
            Shape::RequiredStrings => {
                !optional && field.ty == TypeRef::Vec(Box::new(TypeRef::String))
            }
            Shape::OptionalListOf(name) => {
                optional
                    && matches!(&field.ty, TypeRef::Vec(item)
                        if matches!(&**item, TypeRef::Named(n) | TypeRef::Boxed(n) if n == name))
            }
            Shape::OptionalString => optional && field.ty == TypeRef::String,
        }
    }
}

/// Which type of the operation a rule is about.
#[derive(Debug, Clone, Copy)]
enum Subject {
    RequestBody,
    Response,
    /// A named model type.
    Type(&'static str),
}

/// One assumption: the fields (by wire name) some hand-written code uses.
struct Rule {
    subject: Subject,
    fields: &'static [(&'static str, Shape)],
    /// The code builds the type with a struct literal, so no other field may exist.
    exhaustive: bool,
}

/// The batch helper's assumptions, per version.
const BATCH_RULES: &[Rule] = &[
    Rule {
        subject: Subject::RequestBody,
        fields: &[("ids", Shape::RequiredStrings)],
        exhaustive: true,
    },
    Rule {
        subject: Subject::Response,
        fields: &[
            ("value", Shape::OptionalListOf("Presence")),
            ("@odata.nextLink", Shape::OptionalString),
        ],
        exhaustive: false,
    },
    Rule {
        subject: Subject::Type("Presence"),
        fields: &[("id", Shape::OptionalString)],
        exhaustive: false,
    },
];

/// Checks every version's IR; `label` names the spec file a module came from. Returns every
/// broken assumption, one message each.
pub fn check<'a>(apis: impl IntoIterator<Item = (&'a Api, &'a str)>) -> Result<(), String> {
    let mut problems = Vec::new();
    for (api, label) in apis {
        problems.extend(
            check_api(api)
                .into_iter()
                .chain(notifications::check_api(api))
                .map(|p| format!("{label}: {p}")),
        );
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "hand-written code depends on generated types the spec no longer provides (nothing written):\n  {}",
            problems.join("\n  ")
        ))
    }
}

/// The broken assumptions of one version, each naming its spec location.
fn check_api(api: &Api) -> Vec<String> {
    let Some(operation) = api.operations.iter().find(|op| op.action == BATCH_ACTION) else {
        return vec![format!(
            "no `{BATCH_ACTION}` operation, which the batch helper ({BATCH_HELPER}) calls; add it to the overlay"
        )];
    };
    let mut problems = Vec::new();
    for rule in BATCH_RULES {
        let (what, ty) = match rule.subject {
            Subject::RequestBody => (
                format!("`{BATCH_ACTION}` request body"),
                operation.body.as_ref().map(|b| &b.ty),
            ),
            Subject::Response => (
                format!("`{BATCH_ACTION}` response"),
                success_type(operation),
            ),
            Subject::Type(name) => (format!("type `{name}`"), None),
        };
        let def = match rule.subject {
            Subject::Type(name) => api.types.iter().find(|t| t.name == name),
            _ => ty.and_then(|ty| named(api, ty)),
        };
        let Some(def) = def else {
            problems.push(format!(
                "{what} must be a JSON object type for the batch helper ({BATCH_HELPER}); add it to the overlay"
            ));
            continue;
        };
        problems.extend(check_fields(def, rule, &what));
    }
    problems
}

fn success_type(operation: &Operation) -> Option<&TypeRef> {
    match &operation.success.body {
        SuccessBody::Json(ty) => Some(ty),
        _ => None,
    }
}

fn named<'a>(api: &'a Api, ty: &TypeRef) -> Option<&'a TypeDef> {
    let (TypeRef::Named(name) | TypeRef::Boxed(name)) = ty else {
        return None;
    };
    api.types.iter().find(|t| t.name.name == **name)
}

fn check_fields(def: &TypeDef, rule: &Rule, what: &str) -> Vec<String> {
    let at = format!("{what} ({})", def.source);
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return vec![format!(
            "{at} must be an object with properties for the batch helper ({BATCH_HELPER}); add it to the overlay"
        )];
    };
    let mut problems = Vec::new();
    for (wire, shape) in rule.fields {
        match fields.iter().find(|f| f.wire_name == *wire) {
            Some(field) if shape.fits(field) => {}
            _ => problems.push(format!(
                "{at}: `{wire}` must be {} for the batch helper ({BATCH_HELPER}); add it to the overlay",
                shape.describe()
            )),
        }
    }
    if rule.exhaustive {
        for extra in fields
            .iter()
            .filter(|f| !rule.fields.iter().any(|(wire, _)| *wire == f.wire_name))
        {
            problems.push(format!(
                "{at}: unexpected property `{}`; the batch helper ({BATCH_HELPER}) builds this type with only {}; teach the helper about it or remove it in the overlay",
                extra.wire_name,
                rule.fields
                    .iter()
                    .map(|(wire, _)| format!("`{wire}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
    }

    fn lower(source: &str) -> Api {
        generator::Generator::new()
            .spec("v1_0", "spec/v1.0/presence.yaml", source)
            .lower()
            .unwrap()
            .specs()[0]
            .api
            .clone()
    }

    fn real(version: &str) -> String {
        std::fs::read_to_string(root().join("spec").join(version).join("presence.yaml")).unwrap()
    }

    #[test]
    fn the_committed_specs_meet_every_assumption() {
        for version in ["v1.0", "beta"] {
            let api = lower(&real(version));
            assert_eq!(check_api(&api), Vec::<String>::new(), "{version}");
        }
    }

    #[test]
    fn optional_ids_are_reported_at_the_request_body() {
        let committed = real("v1.0");
        let spec = committed.replacen("              required:\n              - ids\n", "", 1);
        assert_ne!(spec, committed, "the fixture edit no longer applies");
        let api = lower(&spec);
        let error = check([(&api, "spec/v1.0/presence.yaml")]).unwrap_err();
        assert!(
            error.contains(
                "spec/v1.0/presence.yaml: `getPresencesByUserId` request body \
                 (/paths/~1communications~1getPresencesByUserId/post/requestBody/"
            ),
            "{error}"
        );
        assert!(
            error.contains(
                "`ids` must be a required, non-nullable array of strings for the batch helper (generated/src/batch.rs); add it to the overlay"
            ),
            "{error}"
        );
    }

    #[test]
    fn an_extra_request_property_is_reported_because_the_helper_builds_a_literal() {
        let spec = real("v1.0").replacen(
            "              properties:\n                ids:\n",
            "              properties:\n                top:\n                  type: integer\n                ids:\n",
            1,
        );
        let errors = check_api(&lower(&spec));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("unexpected property `top`"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_missing_operation_is_reported() {
        let spec = real("v1.0").replace("getPresencesByUserId", "getPresencesByUserIds");
        let errors = check_api(&lower(&spec));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("no `getPresencesByUserId` operation"),
            "{errors:?}"
        );
    }

    #[test]
    fn shapes_tell_optional_from_required() {
        let field = |required, nullable, ty| Field {
            name: generator::ir::Ident::plain("x"),
            wire_name: "x".to_owned(),
            docs: String::new(),
            ty,
            required,
            nullable,
            read_only: false,
            deprecated: false,
            takes_into: false,
            setter: None,
        };
        let strings = || TypeRef::Vec(Box::new(TypeRef::String));
        assert!(Shape::RequiredStrings.fits(&field(true, false, strings())));
        assert!(!Shape::RequiredStrings.fits(&field(false, false, strings())));
        assert!(!Shape::RequiredStrings.fits(&field(true, true, strings())));
        assert!(Shape::OptionalString.fits(&field(false, false, TypeRef::String)));
        assert!(!Shape::OptionalString.fits(&field(true, false, TypeRef::String)));
        let presences = TypeRef::Vec(Box::new(TypeRef::Named("Presence".to_owned())));
        assert!(Shape::OptionalListOf("Presence").fits(&field(false, false, presences)));
    }
}
