//! The permissions an application must be granted for the operations it calls.

use super::operation::{Cloud, OperationInfo, PermissionKind};
use crate::Error;

/// The least-privileged permissions covering every operation in `operations` for `kind`,
/// sorted and without duplicates, e.g. to list in an app registration or a consent request.
/// The operations are the generated descriptors, e.g.
/// `required_scopes(&[&v1_0::operations::SET_PRESENCE], PermissionKind::Application)` (the
/// client crate's docs show it in full).
///
/// An operation with several paths uses the first path that accepts `kind` (as
/// [`OperationInfo::least_privileged`] does). Fails with [`Error::InvalidInput`] naming the
/// first operation that cannot be called with `kind` at all, rather than returning a list
/// that would not be enough.
pub fn required_scopes(
    operations: &[&OperationInfo],
    kind: PermissionKind,
) -> Result<Vec<&'static str>, Error> {
    let mut scopes = Vec::with_capacity(operations.len());
    for operation in operations {
        let scope = operation.least_privileged(kind).ok_or_else(|| {
            Error::InvalidInput(format!(
                "{} ({}) cannot be called with {kind} permissions",
                operation.name, operation.version
            ))
        })?;
        scopes.push(scope);
    }
    scopes.sort_unstable();
    scopes.dedup();
    Ok(scopes)
}

impl Cloud {
    /// A permission as a fully qualified scope for this cloud's token requests, e.g.
    /// `https://graph.microsoft.us/Presence.Read.All`.
    pub fn scope(self, permission: &str) -> String {
        format!("{}/{permission}", self.base_url())
    }

    /// The `.default` scope of this cloud, used by application (client-credentials) tokens.
    pub fn default_scope(self) -> String {
        self.scope(".default")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BindingInfo, Method, PermissionInfo};

    const fn permission(kind: PermissionKind, least: &'static str) -> PermissionInfo {
        PermissionInfo {
            kind,
            least,
            higher: &[],
        }
    }

    /// Readable by a user and by the application itself.
    static READ: OperationInfo = OperationInfo {
        name: "readThing",
        version: "v1.0",
        base_path: "/v1.0",
        method: Method::GET,
        bindings: &[&READ_THING],
    };
    static READ_THING: BindingInfo = BindingInfo {
        operation: &READ,
        operation_id: "thing.read",
        path: "/thing",
        permissions: &[
            permission(PermissionKind::DelegatedWork, "Thing.Read"),
            permission(PermissionKind::Application, "Thing.Read.All"),
        ],
        clouds: None,
    };

    /// Writable only on behalf of a user; its second path is the one with a permission.
    static WRITE: OperationInfo = OperationInfo {
        name: "writeThing",
        version: "v1.0",
        base_path: "/v1.0",
        method: Method::POST,
        bindings: &[&ME_WRITE_THING, &WRITE_THING],
    };
    static ME_WRITE_THING: BindingInfo = BindingInfo {
        operation: &WRITE,
        operation_id: "me.thing.write",
        path: "/me/thing/write",
        permissions: &[],
        clouds: None,
    };
    static WRITE_THING: BindingInfo = BindingInfo {
        operation: &WRITE,
        operation_id: "thing.write",
        path: "/thing/write",
        permissions: &[permission(PermissionKind::DelegatedWork, "Thing.ReadWrite")],
        clouds: None,
    };

    #[test]
    fn union_of_least_privileged_scopes_sorted_without_duplicates() {
        let delegated =
            required_scopes(&[&WRITE, &READ, &WRITE], PermissionKind::DelegatedWork).unwrap();
        assert_eq!(delegated, ["Thing.Read", "Thing.ReadWrite"]);
        let empty = required_scopes(&[], PermissionKind::Application).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn unsupported_kind_names_the_operation() {
        let err = required_scopes(&[&READ, &WRITE], PermissionKind::Application).unwrap_err();
        assert!(err.to_string().contains("writeThing"), "{err}");
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
    }

    #[test]
    fn scopes_carry_the_cloud_host() {
        assert_eq!(
            Cloud::UsGovL4.scope("Presence.Read"),
            "https://graph.microsoft.us/Presence.Read"
        );
        assert_eq!(
            Cloud::China.default_scope(),
            "https://microsoftgraph.chinacloudapi.cn/.default"
        );
    }
}
