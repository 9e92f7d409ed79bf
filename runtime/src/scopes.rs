//! The permissions an application must be granted for the operations it calls.

use super::operation::{Cloud, OperationInfo, PermissionKind};
use crate::Error;

/// The least-privileged permissions covering every operation in `operations` for `kind`,
/// sorted and without duplicates, e.g. to list in an app registration or a consent request:
///
/// ```
/// use msgraph_presence::runtime::{PermissionKind, required_scopes};
/// use msgraph_presence::v1_0::operations::{GET_PRESENCES_BY_USER_ID, SET_PRESENCE};
///
/// let scopes = required_scopes(
///     &[&SET_PRESENCE, &GET_PRESENCES_BY_USER_ID],
///     PermissionKind::Application,
/// )?;
/// assert_eq!(scopes, ["Presence.Read.All", "Presence.ReadWrite.All"]);
/// # Ok::<(), msgraph_presence::Error>(())
/// ```
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
    use crate::{beta, v1_0};

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
        let empty = required_scopes(&[], PermissionKind::Application).unwrap();
        assert!(empty.is_empty());
    }

    #[test]
    fn every_operation_has_a_delegated_scope() {
        for ops in [v1_0::operations::ALL, beta::operations::ALL] {
            let scopes = required_scopes(ops, PermissionKind::DelegatedWork).unwrap();
            assert!(!scopes.is_empty());
            assert!(scopes.iter().all(|s| s.starts_with("Presence.")));
        }
    }

    #[test]
    fn unsupported_kind_names_the_operation() {
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
