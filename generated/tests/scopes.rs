//! The permission scopes the generated descriptors add up to (the rule itself is unit-tested in
//! the runtime crate; these check the permissions the spec gave each operation).

use msgraph_presence::runtime::{PermissionKind, required_scopes};
use msgraph_presence::{beta, v1_0};

#[test]
fn union_of_least_privileged_scopes() {
    let delegated = required_scopes(
        &[
            &v1_0::operations::GET_PRESENCE,
            &v1_0::operations::SET_PRESENCE,
            &v1_0::operations::CLEAR_PRESENCE,
        ],
        PermissionKind::DelegatedWork,
    )
    .unwrap();
    assert_eq!(delegated, ["Presence.Read", "Presence.ReadWrite"]);
    let application = required_scopes(
        &[
            &v1_0::operations::SET_PRESENCE,
            &v1_0::operations::GET_PRESENCES_BY_USER_ID,
        ],
        PermissionKind::Application,
    )
    .unwrap();
    assert_eq!(application, ["Presence.Read.All", "Presence.ReadWrite.All"]);
}

#[test]
fn every_operation_has_a_delegated_scope() {
    for ops in [v1_0::operations::ALL, beta::operations::ALL] {
        let scopes = required_scopes(ops, PermissionKind::DelegatedWork).unwrap();
        assert!(!scopes.is_empty());
        // Listing subscriptions needs only Subscription.Read.All (LIST1); everything else is a
        // presence permission.
        assert!(
            scopes
                .iter()
                .all(|s| s.starts_with("Presence.") || *s == "Subscription.Read.All"),
            "{scopes:?}"
        );
        assert!(scopes.contains(&"Subscription.Read.All"));
    }
}

#[test]
fn delegated_only_operations_refuse_application_scopes() {
    let err = required_scopes(
        &[
            &v1_0::operations::GET_PRESENCE,
            &v1_0::operations::CLEAR_LOCATION,
        ],
        PermissionKind::Application,
    )
    .unwrap_err();
    assert!(err.to_string().contains("clearLocation"), "{err}");
}
