//! Where the token comes from (`--auth`). Never from the command line itself: a token in argv
//! ends up in shell history and in every `ps` listing.

use crate::errors::CliError;
use clap::ArgMatches;
use msgraph_presence::runtime::azure::{AzureAuth, credential_from};
use msgraph_presence::{ClientBuilder, Cloud, Error};
use std::ffi::OsString;

/// The `--auth` methods, for the help.
pub const AUTH_HELP: &str = "Where the token comes from: `cli` (the Azure CLI's `az login`, else \
`azd auth login`), `env` (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or \
AZURE_FEDERATED_TOKEN_FILE), `managed-identity` (user-assigned when AZURE_CLIENT_ID is set), or \
`token-env VAR` (a bearer token in the environment variable VAR), or `device` (the sign-in \
`msgraph-presence login` cached, renewed as it expires). Default: `cli`. A token is never taken \
on the command line.";

/// One `--auth` choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    /// The developer signed in with `az login`.
    AzureCli,
    /// An app registration from the `AZURE_*` environment variables.
    Environment,
    ManagedIdentity,
    /// A bearer token read from this environment variable before every request.
    TokenEnv(String),
    /// The delegated sign-in `login` left in the token cache.
    Device,
}

/// Turns `--auth token-env VAR` into `--auth token-env=VAR`, so `--auth` takes one value and
/// `--auth cli get` cannot read the subcommand as a variable name.
pub fn join_token_env(args: Vec<OsString>) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.into_iter().peekable();
    while let Some(arg) = iter.next() {
        if arg == "--" {
            out.push(arg);
            out.extend(iter);
            break;
        }
        let is_auth = arg == "--auth";
        out.push(arg);
        if is_auth && iter.peek().is_some_and(|next| next == "token-env") {
            iter.next();
            match iter.next() {
                Some(var) => {
                    let mut joined = OsString::from("token-env=");
                    joined.push(var);
                    out.push(joined);
                }
                None => out.push(OsString::from("token-env")),
            }
        }
    }
    out
}

/// Parses the value of `--auth` (after [`join_token_env`]).
pub fn parse(value: Option<&str>) -> Result<AuthMethod, CliError> {
    match value {
        None | Some("cli") => Ok(AuthMethod::AzureCli),
        Some("env") => Ok(AuthMethod::Environment),
        Some("managed-identity") => Ok(AuthMethod::ManagedIdentity),
        Some("device") => Ok(AuthMethod::Device),
        Some(v) => match v.strip_prefix("token-env=") {
            Some(var) if !var.is_empty() => Ok(AuthMethod::TokenEnv(var.to_owned())),
            _ if v.starts_with("token-env") => Err(CliError::BadInput(
                "--auth token-env needs the name of an environment variable: --auth token-env VAR"
                    .into(),
            )),
            // The value is not echoed: it may be a token pasted by mistake.
            _ => Err(CliError::BadInput(
                "--auth: expected cli, env, managed-identity, device or token-env VAR (a token \
                 is never taken on the command line)"
                    .into(),
            )),
        },
    }
}

/// Sets the client's token source.
pub fn apply(
    builder: ClientBuilder,
    method: &AuthMethod,
    cloud: Cloud,
    matches: &ArgMatches,
) -> Result<ClientBuilder, CliError> {
    match method {
        AuthMethod::Device => {
            let sign_in = crate::signin::sign_in(matches, cloud)?;
            // Checked now so the first request does not fail with a less helpful message.
            if sign_in.account().map_err(crate::signin::error)?.is_none() {
                return Err(CliError::Auth(crate::signin::SIGN_IN_ADVICE.into()));
            }
            Ok(builder.token_provider(sign_in))
        }
        AuthMethod::TokenEnv(var) => {
            if std::env::var_os(var).is_none() {
                return Err(CliError::Auth(format!(
                    "--auth token-env {var}: the environment variable {var} is not set"
                )));
            }
            let var = var.clone();
            Ok(builder.token_fn(move || {
                let var = var.clone();
                async move {
                    std::env::var(&var).map_err(|_| {
                        Error::Auth(format!("the environment variable {var} is not set"))
                    })
                }
            }))
        }
        azure => azure_credential(builder, azure, cloud),
    }
}

/// `--auth cli|env|managed-identity`: the Azure SDK credential (`DeveloperToolsCredential`,
/// `ClientSecretCredential` or `WorkloadIdentityCredential` from the environment,
/// `ManagedIdentityCredential`), signing in at the cloud's authority. The client wraps it in the
/// runtime's cache, which asks for the cloud's Graph scope.
fn azure_credential(
    builder: ClientBuilder,
    method: &AuthMethod,
    cloud: Cloud,
) -> Result<ClientBuilder, CliError> {
    let auth = match method {
        AuthMethod::AzureCli => AzureAuth::DeveloperTools,
        AuthMethod::Environment => AzureAuth::Environment,
        AuthMethod::ManagedIdentity => AzureAuth::ManagedIdentity {
            client_id: std::env::var("AZURE_CLIENT_ID")
                .ok()
                .filter(|v| !v.is_empty()),
        },
        AuthMethod::TokenEnv(_) | AuthMethod::Device => {
            return Err(CliError::Other(
                "internal: token-env and device are not Azure credentials".into(),
            ));
        }
    };
    let credential = credential_from(auth, cloud).map_err(CliError::Api)?;
    Ok(builder.token_credential(credential))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_method() {
        assert_eq!(parse(None).unwrap(), AuthMethod::AzureCli);
        assert_eq!(parse(Some("env")).unwrap(), AuthMethod::Environment);
        assert_eq!(parse(Some("device")).unwrap(), AuthMethod::Device);
        assert_eq!(
            parse(Some("token-env=GRAPH_TOKEN")).unwrap(),
            AuthMethod::TokenEnv("GRAPH_TOKEN".into())
        );
        assert!(parse(Some("token-env")).is_err());
        let pasted = parse(Some("eyJ0eXAi.secret")).unwrap_err().report();
        assert!(pasted.contains("expected cli, env"), "{pasted}");
        assert!(!pasted.contains("eyJ0eXAi"), "{pasted}");
    }

    #[test]
    fn token_env_takes_the_next_word() {
        let args = |v: &[&str]| v.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            join_token_env(args(&["p", "--auth", "token-env", "T", "get"])),
            args(&["p", "--auth", "token-env=T", "get"])
        );
        assert_eq!(
            join_token_env(args(&["p", "--auth", "cli", "get"])),
            args(&["p", "--auth", "cli", "get"])
        );
        assert_eq!(
            join_token_env(args(&["p", "--", "--auth", "token-env", "T"])),
            args(&["p", "--", "--auth", "token-env", "T"])
        );
    }
}
