//! Descriptions of operations, generated as constants in each version's `operations` module.

use std::fmt;

/// One operation and every path it is bound to.
#[derive(Debug, Clone)]
pub struct OperationInfo {
    /// The action as the API names it, e.g. `setPresence`.
    pub name: &'static str,
    /// API version label, e.g. `v1.0`.
    pub version: &'static str,
    /// Path prefix of the version, e.g. `/v1.0`.
    pub base_path: &'static str,
    /// The HTTP method, the same for every binding.
    pub method: reqwest::Method,
    /// Every path the operation is bound to, one per [`BindingInfo`].
    pub bindings: &'static [&'static BindingInfo],
}

/// One path of an operation, with its permissions and national clouds.
///
/// This is the static descriptor a generated method hands the runtime: its `path` template is
/// the only place the path is written, and the runtime fills in the (percent-encoded) ids.
#[derive(Clone, Copy)]
pub struct BindingInfo {
    /// The operation this path belongs to (which lists this binding among its `bindings`).
    pub operation: &'static OperationInfo,
    /// The `operationId` of this path in the API description.
    pub operation_id: &'static str,
    /// Path template, e.g. `/users/{user-id}/presence/setPresence`.
    pub path: &'static str,
    /// Permissions needed, one entry per permission type.
    pub permissions: &'static [PermissionInfo],
    /// Clouds the operation is available in; `None` when the API description does not say.
    pub clouds: Option<&'static [Cloud]>,
}

/// The permissions one permission type needs for a binding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionInfo {
    /// The permission type (delegated work or personal account, or application).
    pub kind: PermissionKind,
    /// The least-privileged permission that allows the call.
    pub least: &'static str,
    /// Permissions that also allow it but grant more.
    pub higher: &'static [&'static str],
}

impl PermissionInfo {
    /// Delegated access on behalf of a work or school account.
    pub const fn delegated_work(least: &'static str, higher: &'static [&'static str]) -> Self {
        PermissionInfo {
            kind: PermissionKind::DelegatedWork,
            least,
            higher,
        }
    }

    /// Delegated access on behalf of a personal Microsoft account.
    pub const fn delegated_personal(least: &'static str, higher: &'static [&'static str]) -> Self {
        PermissionInfo {
            kind: PermissionKind::DelegatedPersonal,
            least,
            higher,
        }
    }

    /// Access as the application itself, with no signed-in user.
    pub const fn application(least: &'static str, higher: &'static [&'static str]) -> Self {
        PermissionInfo {
            kind: PermissionKind::Application,
            least,
            higher,
        }
    }
}

/// How the application is authorised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PermissionKind {
    /// On behalf of a signed-in work or school user.
    DelegatedWork,
    /// On behalf of a signed-in personal Microsoft account.
    DelegatedPersonal,
    /// As the application itself, without a user.
    Application,
}

/// A Microsoft Graph national cloud deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cloud {
    /// The global service, `https://graph.microsoft.com`.
    Global,
    /// US Government L4, `https://graph.microsoft.us`.
    UsGovL4,
    /// US Government L5 (DoD), `https://dod-graph.microsoft.us`.
    UsGovL5,
    /// China, operated by 21Vianet, `https://microsoftgraph.chinacloudapi.cn`.
    China,
}

impl Cloud {
    /// The root URL of the cloud's Graph endpoint.
    pub fn base_url(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5 => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cloud::Global => "Global",
            Cloud::UsGovL4 => "US Government L4",
            Cloud::UsGovL5 => "US Government L5 (DoD)",
            Cloud::China => "China (21Vianet)",
        })
    }
}

impl fmt::Display for PermissionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PermissionKind::DelegatedWork => "delegated (work or school account)",
            PermissionKind::DelegatedPersonal => "delegated (personal Microsoft account)",
            PermissionKind::Application => "application",
        })
    }
}

// Not derived: `operation` points back at an `OperationInfo` listing this binding, so a derived
// `Debug` would recurse forever.
impl fmt::Debug for BindingInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BindingInfo")
            .field("operation", &self.operation.name)
            .field("operation_id", &self.operation_id)
            .field("path", &self.path)
            .field("permissions", &self.permissions)
            .field("clouds", &self.clouds)
            .finish()
    }
}

impl BindingInfo {
    /// The least-privileged permission for `kind`, or `None` when that kind cannot call it.
    pub fn least_privileged(&self, kind: PermissionKind) -> Option<&'static str> {
        self.permissions
            .iter()
            .find(|p| p.kind == kind)
            .map(|p| p.least)
    }

    /// Whether the binding may be called in `cloud` (unknown availability counts as yes).
    pub fn available_in(&self, cloud: Cloud) -> bool {
        self.clouds.is_none_or(|clouds| clouds.contains(&cloud))
    }
}

impl OperationInfo {
    /// The least-privileged permission for `kind` on any binding, e.g. to request scopes up
    /// front; `None` when no binding can be called with that kind.
    pub fn least_privileged(&self, kind: PermissionKind) -> Option<&'static str> {
        self.bindings.iter().find_map(|b| b.least_privileged(kind))
    }
}
