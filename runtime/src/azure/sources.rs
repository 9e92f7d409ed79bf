//! Which `azure_identity` credential to build for a kind of sign-in (the command line's
//! `--auth cli|env|managed-identity`), pointed at the cloud's sign-in authority.

use super::TokenCredential;
use super::cache::describe;
use crate::{Cloud, Error};
use azure_core::cloud::CloudConfiguration;
use azure_core::credentials::Secret;
use azure_core::http::ClientOptions;
use azure_identity::{
    ClientAssertionCredentialOptions, ClientSecretCredential, ClientSecretCredentialOptions,
    DeveloperToolsCredential, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    UserAssignedId, WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};
use std::str::FromStr;
use std::sync::Arc;

/// A kind of Azure sign-in, for [`credential_from`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AzureAuth {
    /// The developer signed in with `az login` (Azure CLI), else `azd auth login` (Azure
    /// Developer CLI): `azure_identity::DeveloperToolsCredential`.
    DeveloperTools,
    /// An application configured by environment variables: `AZURE_TENANT_ID`,
    /// `AZURE_CLIENT_ID` and either `AZURE_FEDERATED_TOKEN_FILE` (workload identity, e.g.
    /// Kubernetes: `WorkloadIdentityCredential`) or `AZURE_CLIENT_SECRET`
    /// (`ClientSecretCredential`). `AZURE_AUTHORITY_HOST`, when set, overrides the cloud's
    /// sign-in host.
    Environment,
    /// The managed identity of the Azure host (VM, App Service, ...):
    /// `ManagedIdentityCredential`, system-assigned, or the user-assigned identity with this
    /// client id.
    ManagedIdentity {
        /// Client id of a user-assigned identity; `None` for the system-assigned one.
        client_id: Option<String>,
    },
}

impl FromStr for AzureAuth {
    type Err = Error;

    /// `cli` (or `developer-tools`), `env` (or `environment`), `managed-identity`: the names
    /// of the command line's `--auth` option.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "cli" | "developer-tools" => Ok(AzureAuth::DeveloperTools),
            "env" | "environment" => Ok(AzureAuth::Environment),
            "managed-identity" => Ok(AzureAuth::ManagedIdentity { client_id: None }),
            other => Err(Error::InvalidInput(format!(
                "unknown Azure sign-in {other:?}: expected cli, env or managed-identity"
            ))),
        }
    }
}

/// Builds the `azure_identity` credential for `auth`, signing in with `cloud`'s authority
/// (`login.microsoftonline.com`, `.us`, or `login.chinacloudapi.cn`). Hand it to
/// `ClientBuilder::token_credential` or [`AzureCredential::new`](super::AzureCredential::new).
///
/// Nothing is fetched yet: a missing `az login` or an unreachable managed identity endpoint
/// shows up as [`Error::Auth`] on the first request. Fails here with [`Error::Auth`] when
/// [`AzureAuth::Environment`] lacks a variable (naming it, never a value).
pub fn credential_from(auth: AzureAuth, cloud: Cloud) -> Result<Arc<dyn TokenCredential>, Error> {
    credential_with_env(auth, cloud, |name| std::env::var(name).ok())
}

/// [`credential_from`] reading the environment through `var`, so tests need not set any.
fn credential_with_env(
    auth: AzureAuth,
    cloud: Cloud,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Arc<dyn TokenCredential>, Error> {
    let failed = |e: azure_core::Error| Error::Auth(describe(&e));
    // `azure_identity` reads AZURE_AUTHORITY_HOST only when no cloud is configured.
    let client_options = || ClientOptions {
        cloud: var("AZURE_AUTHORITY_HOST")
            .is_none()
            .then(|| Arc::new(authority(cloud))),
        ..ClientOptions::default()
    };
    Ok(match auth {
        AzureAuth::DeveloperTools => DeveloperToolsCredential::new(None).map_err(failed)?,
        AzureAuth::ManagedIdentity { client_id } => {
            ManagedIdentityCredential::new(Some(ManagedIdentityCredentialOptions {
                user_assigned_id: client_id.map(UserAssignedId::ClientId),
                ..ManagedIdentityCredentialOptions::default()
            }))
            .map_err(failed)?
        }
        AzureAuth::Environment => {
            let required = |name: &str| {
                var(name).filter(|v| !v.is_empty()).ok_or_else(|| {
                    Error::Auth(format!(
                        "environment sign-in needs {name} (with AZURE_TENANT_ID, AZURE_CLIENT_ID \
                         and AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE)"
                    ))
                })
            };
            let tenant_id = required("AZURE_TENANT_ID")?;
            let client_id = required("AZURE_CLIENT_ID")?;
            match var("AZURE_FEDERATED_TOKEN_FILE").filter(|v| !v.is_empty()) {
                Some(token_file) => {
                    WorkloadIdentityCredential::new(Some(WorkloadIdentityCredentialOptions {
                        credential_options: ClientAssertionCredentialOptions {
                            client_options: client_options(),
                        },
                        client_id: Some(client_id),
                        tenant_id: Some(tenant_id),
                        token_file_path: Some(token_file.into()),
                    }))
                    .map_err(failed)?
                }
                None => {
                    let secret = required("AZURE_CLIENT_SECRET")?;
                    ClientSecretCredential::new(
                        &tenant_id,
                        client_id,
                        Secret::new(secret),
                        Some(ClientSecretCredentialOptions {
                            client_options: client_options(),
                        }),
                    )
                    .map_err(failed)?
                }
            }
        }
    })
}

/// The Entra ID sign-in authority of a Graph cloud (both US Government clouds sign in at
/// `login.microsoftonline.us`).
fn authority(cloud: Cloud) -> CloudConfiguration {
    match cloud {
        Cloud::Global => CloudConfiguration::AzurePublic,
        Cloud::UsGovL4 | Cloud::UsGovL5 => CloudConfiguration::AzureGovernment,
        Cloud::China => CloudConfiguration::AzureChina,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    const TENANT: &str = "00000000-0000-0000-0000-000000000001";

    #[test]
    fn auth_names_of_the_command_line() {
        assert_eq!(
            "cli".parse::<AzureAuth>().unwrap(),
            AzureAuth::DeveloperTools
        );
        assert_eq!("env".parse::<AzureAuth>().unwrap(), AzureAuth::Environment);
        assert_eq!(
            "managed-identity".parse::<AzureAuth>().unwrap(),
            AzureAuth::ManagedIdentity { client_id: None }
        );
        let err = "password".parse::<AzureAuth>().unwrap_err();
        assert!(err.to_string().contains("\"password\""), "{err}");
    }

    #[test]
    fn environment_sign_in_names_the_missing_variable_not_the_values() {
        let vars = [("AZURE_TENANT_ID", TENANT), ("AZURE_CLIENT_ID", "app")];
        let err =
            credential_with_env(AzureAuth::Environment, Cloud::Global, env(&vars)).unwrap_err();
        assert!(
            matches!(&err, Error::Auth(m) if m.contains("needs AZURE_CLIENT_SECRET")),
            "{err:?}"
        );
        let err = credential_with_env(AzureAuth::Environment, Cloud::Global, env(&[])).unwrap_err();
        assert!(err.to_string().contains("needs AZURE_TENANT_ID"), "{err}");
        assert!(!err.to_string().contains(TENANT));
    }

    #[test]
    fn environment_sign_in_builds_a_secret_or_workload_credential() {
        let secret = [
            ("AZURE_TENANT_ID", TENANT),
            ("AZURE_CLIENT_ID", "app"),
            ("AZURE_CLIENT_SECRET", "s3cr3t-value"),
        ];
        for cloud in [Cloud::Global, Cloud::UsGovL5, Cloud::China] {
            let credential =
                credential_with_env(AzureAuth::Environment, cloud, env(&secret)).unwrap();
            let shown = format!("{credential:?}");
            assert!(shown.contains("ClientSecretCredential"), "{shown}");
            assert!(!shown.contains("s3cr3t-value"), "{shown}");
        }
    }

    #[test]
    fn a_federated_token_file_selects_workload_identity() {
        // The credential reads the file when built: a missing one is reported by name.
        let path = std::env::temp_dir().join(format!(
            "msgraph-presence-federated-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        let path_text = path.to_str().unwrap().to_owned();
        let workload = [
            ("AZURE_TENANT_ID", TENANT),
            ("AZURE_CLIENT_ID", "app"),
            ("AZURE_FEDERATED_TOKEN_FILE", path_text.as_str()),
            ("AZURE_CLIENT_SECRET", "ignored"),
        ];
        let err =
            credential_with_env(AzureAuth::Environment, Cloud::Global, env(&workload)).unwrap_err();
        assert!(
            matches!(&err, Error::Auth(m) if m.contains(&path_text)),
            "{err:?}"
        );
        std::fs::write(&path, "kubernetes-service-account-token").unwrap();
        let built = credential_with_env(AzureAuth::Environment, Cloud::Global, env(&workload));
        std::fs::remove_file(&path).unwrap();
        let shown = format!("{:?}", built.unwrap());
        assert!(shown.contains("WorkloadIdentityCredential"), "{shown}");
    }

    #[test]
    fn clouds_sign_in_at_their_own_authority() {
        assert_eq!(authority(Cloud::Global), CloudConfiguration::AzurePublic);
        assert_eq!(
            authority(Cloud::UsGovL4),
            CloudConfiguration::AzureGovernment
        );
        assert_eq!(
            authority(Cloud::UsGovL5),
            CloudConfiguration::AzureGovernment
        );
        assert_eq!(authority(Cloud::China), CloudConfiguration::AzureChina);
    }

    #[test]
    fn developer_tools_and_managed_identity_build_without_signing_in() {
        credential_from(AzureAuth::DeveloperTools, Cloud::Global).unwrap();
        credential_from(
            AzureAuth::ManagedIdentity {
                client_id: Some("11111111-1111-1111-1111-111111111111".into()),
            },
            Cloud::Global,
        )
        .unwrap();
    }
}
