//! What the notifications crate (`notifications/src/`) assumes about the generated client:
//! the subscription calls its manager makes, the models it builds with `new`, and the
//! notification payload fields its receiver reads.
//!
//! Same idea as the batch helper's rules in the parent module: a spec change that would break
//! the notifications crate's build is reported here, naming the spec place and the file that
//! depends on it, before codegen writes anything.

mod rules;

use super::success_type;
use generator::ir::{Api, Operation, SuccessBody, TypeDef, TypeKind};
use rules::*;

/// How a message names the code that depends on a shape.
fn crate_file(file: &str) -> String {
    format!("the notifications crate ({file})")
}

/// The broken assumptions of one version, each naming its spec location.
pub(super) fn check_api(api: &Api) -> Vec<String> {
    let mut problems = Vec::new();
    for rule in CALLS {
        problems.extend(check_call(api, rule));
    }
    for rule in TYPES.iter().filter(|r| r.versions.covers(api)) {
        problems.extend(check_type(api, rule));
    }
    for rule in ENUMS {
        problems.extend(check_enum(api, rule));
    }
    problems
}

fn check_call(api: &Api, rule: &CallRule) -> Option<String> {
    let who = crate_file(MANAGER);
    let endpoint = format!("{} {}", rule.method.as_str(), rule.path);
    let found = api.operations.iter().find_map(|op| {
        let binding = op
            .bindings
            .iter()
            .find(|b| op.http_method == rule.method && b.path == rule.path)?;
        Some((op, binding))
    });
    let Some((op, binding)) = found else {
        return Some(format!(
            "no `{endpoint}` operation, which {who} calls as `{}`; add it to the overlay",
            rule.call
        ));
    };
    let at = format!("`{endpoint}` (operationId `{}`)", binding.operation_id);
    if binding.call != rule.call {
        return Some(format!(
            "{at} is called `{}`, but {who} calls `{}`; keep the path and method names or update the crate",
            binding.call, rule.call
        ));
    }
    let body = op.body.as_ref().map(|b| &b.ty);
    let body_fits = match rule.body {
        Some(name) => body.is_some_and(|ty| Ty::Named(name).fits(api, ty)),
        None => body.is_none(),
    };
    if !body_fits {
        let want = rule
            .body
            .map_or_else(|| "no body".to_owned(), |name| format!("a `{name}` body"));
        return Some(format!(
            "{at} must take {want} for {who}; add it to the overlay"
        ));
    }
    if !returns_fit(api, op, rule.returns) {
        let want = match rule.returns {
            Returns::Nothing => "answer with no content".to_owned(),
            Returns::Json(name) => format!("answer with a `{name}`"),
        };
        return Some(format!("{at} must {want} for {who}; add it to the overlay"));
    }
    None
}

fn returns_fit(api: &Api, op: &Operation, returns: Returns) -> bool {
    match returns {
        Returns::Nothing => op.success.body == SuccessBody::Empty,
        Returns::Json(name) => success_type(op).is_some_and(|ty| Ty::Named(name).fits(api, ty)),
    }
}

fn find_type<'a>(api: &'a Api, name: &str) -> Option<&'a TypeDef> {
    api.types.iter().find(|t| t.name.name == name)
}

fn check_type(api: &Api, rule: &TypeRule) -> Vec<String> {
    let who = crate_file(rule.user);
    let Some(def) = find_type(api, rule.name) else {
        return vec![format!(
            "no type `{}`, which {who} uses; add it to the overlay",
            rule.name
        )];
    };
    let at = format!("type `{}` ({})", rule.name, def.source);
    let TypeKind::Struct { fields, .. } = &def.kind else {
        return vec![format!(
            "{at} must be an object with properties for {who}; add it to the overlay"
        )];
    };
    let mut problems = Vec::new();
    for (wire, want) in rule.fields {
        match fields.iter().find(|f| f.wire_name == *wire) {
            Some(field) if want.fits(api, field) => {}
            _ => problems.push(format!(
                "{at}: `{wire}` must be {} for {who}; add it to the overlay",
                want.describe()
            )),
        }
    }
    if rule.constructor {
        let expected: Vec<&str> = rule
            .fields
            .iter()
            .filter(|(_, want)| matches!(want, Want::Required(_)))
            .map(|(wire, _)| *wire)
            .collect();
        let actual: Vec<&str> = fields
            .iter()
            .filter(|f| f.required)
            .map(|f| f.wire_name.as_str())
            .collect();
        if actual != expected {
            problems.push(format!(
                "{at}: {who} calls `{}::new` with {}, but the required properties are {}; teach the crate about them or change them in the overlay",
                rule.name,
                quoted(&expected),
                quoted(&actual)
            ));
        }
    }
    problems
}

fn check_enum(api: &Api, rule: &EnumRule) -> Vec<String> {
    let who = crate_file(rule.user);
    let Some(def) = find_type(api, rule.name) else {
        return vec![format!(
            "no type `{}`, which {who} uses; add it to the overlay",
            rule.name
        )];
    };
    let at = format!("type `{}` ({})", rule.name, def.source);
    let TypeKind::Enum { variants, .. } = &def.kind else {
        return vec![format!(
            "{at} must be a string enum for {who}; add it to the overlay"
        )];
    };
    rule.variants
        .iter()
        .filter(|(name, wire)| {
            !variants
                .iter()
                .any(|v| v.name.name == *name && v.wire_value == *wire)
        })
        .map(|(name, wire)| {
            format!(
                "{at}: value `{wire}` (variant `{name}`) must exist for {who}; add it to the overlay"
            )
        })
        .collect()
}

fn quoted(names: &[&str]) -> String {
    if names.is_empty() {
        return "none".to_owned();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use generator::ir::{Field, TypeRef};
    use std::path::Path;

    fn root() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
    }

    fn spec(version: &str) -> String {
        std::fs::read_to_string(root().join("spec").join(version).join("presence.yaml")).unwrap()
    }

    fn lower(module: &str, source: &str) -> Api {
        generator::Generator::new()
            .spec(module, "spec/v1.0/presence.yaml", source)
            .lower()
            .unwrap()
            .into_apis()
            .pop()
            .unwrap()
    }

    /// The committed v1.0 spec with `from` replaced once by `to` (the edit must apply).
    fn edited(from: &str, to: &str) -> String {
        let committed = spec("v1.0");
        let spec = committed.replacen(from, to, 1);
        assert_ne!(
            spec, committed,
            "the fixture edit no longer applies: {from:?}"
        );
        spec
    }

    #[test]
    fn the_committed_specs_meet_every_notifications_assumption() {
        for (version, module) in [("v1.0", "v1_0"), ("beta", "beta")] {
            let api = lower(module, &spec(version));
            assert_eq!(check_api(&api), Vec::<String>::new(), "{version}");
        }
    }

    #[test]
    fn the_v1_only_rules_are_not_applied_to_beta() {
        let api = lower("beta", &spec("beta"));
        assert_eq!(api.version, "beta");
        assert!(!Versions::V1Only.covers(&api));
        assert!(Versions::Both.covers(&api));
    }

    #[test]
    fn a_dropped_subscription_field_is_reported_with_the_spec_and_the_crate_file() {
        // `applicationId` is how the manager recognises its own subscription after a 409.
        let spec = edited(
            "          applicationId:\n",
            "          applicationIdRenamed:\n",
        );
        let api = lower("v1_0", &spec);
        let error = super::super::check([(&api, "spec/v1.0/presence.yaml")]).unwrap_err();
        assert!(
            error.contains(
                "spec/v1.0/presence.yaml: type `Subscription` (#/components/schemas/microsoft.graph.subscription): \
                 `applicationId` must be optional and a string for the notifications crate (notifications/src/manager/api.rs)"
            ),
            "{error}"
        );
        assert_eq!(check_api(&api).len(), 1, "{error}");
    }

    #[test]
    fn a_new_required_property_breaks_the_constructor_the_manager_calls() {
        let spec = edited(
            "              required:\n              - expirationDateTime\n",
            "              required:\n              - expirationDateTime\n              - notificationUrl\n",
        );
        let errors = check_api(&lower("v1_0", &spec));
        assert!(
            errors
                .iter()
                .any(|e| e.contains("`UpdateSubscriptionRequest::new`")),
            "{errors:?}"
        );
    }

    #[test]
    fn a_missing_call_is_reported_with_how_the_manager_calls_it() {
        let spec = edited(
            "  /subscriptions/{subscription-id}/reauthorize:",
            "  /subscriptions/{subscription-id}/reauthorizeNow:",
        );
        let errors = check_api(&lower("v1_0", &spec));
        assert!(
            errors.contains(
                &"no `POST /subscriptions/{subscription-id}/reauthorize` operation, which the notifications crate \
                  (notifications/src/manager/api.rs) calls as `subscription(subscription_id).reauthorize()`; add it to the overlay"
                    .to_owned()
            ),
            "{errors:?}"
        );
    }

    #[test]
    fn a_missing_lifecycle_value_is_reported() {
        let spec = edited("      - missed\n", "      - missedNotifications\n");
        let errors = check_api(&lower("v1_0", &spec));
        assert!(
            errors.iter().any(|e| e.contains(
                "type `LifecycleEventType` (#/components/schemas/microsoft.graph.lifecycleEventType): value `missed` (variant `Missed`)"
            )),
            "{errors:?}"
        );
    }

    #[test]
    fn shapes_tell_optional_from_required_and_enums_from_other_types() {
        let api = lower("v1_0", &spec("v1.0"));
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
        let text = Want::Optional(Ty::Text);
        assert!(text.fits(&api, &field(false, false, TypeRef::String)));
        let availability = TypeRef::Named("Availability".to_owned());
        assert!(text.fits(&api, &field(false, false, availability)));
        // A struct is not text.
        let presence = TypeRef::Named("Presence".to_owned());
        assert!(!text.fits(&api, &field(false, false, presence)));
        let date = Want::Required(Ty::DateTime);
        assert!(date.fits(&api, &field(true, false, TypeRef::DateTime)));
        assert!(!date.fits(&api, &field(true, true, TypeRef::DateTime)));
        assert!(!date.fits(&api, &field(false, false, TypeRef::DateTime)));
    }
}
