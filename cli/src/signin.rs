//! `login`, `logout`, `whoami` and the sign-in that `--auth device` reads: the runtime's
//! delegated device-code sign-in with its owner-only token cache. The command line only picks
//! where the cache lives and which app and tenant to sign in to; tokens never reach stdout.

use crate::errors::CliError;
use crate::support::Outcome;
use base64::Engine as _;
use clap::{Arg, ArgMatches, Command};
use msgraph_presence::Cloud;
use msgraph_presence_runtime::signin::{SignIn, SignInConfig, SignInError, TokenCache};
use serde_json::{Value, json};
use std::path::PathBuf;

/// The heading of the sign-in flags in `--help`.
const HEADING: &str = "Sign-in options (login, logout, whoami, --auth device)";

/// The advice every "no usable sign-in" error ends with.
pub const SIGN_IN_ADVICE: &str = "not signed in: run `msgraph-presence login`";

/// Environment variables standing in for the flags (a service's unit file sets them once).
const CLIENT_ID_ENV: &str = "MSGRAPH_PRESENCE_CLIENT_ID";
const TENANT_ENV: &str = "MSGRAPH_PRESENCE_TENANT";
const CACHE_ENV: &str = "MSGRAPH_PRESENCE_TOKEN_CACHE";
const AUTHORITY_ENV: &str = "MSGRAPH_PRESENCE_AUTHORITY";

/// Tenant used when none is given: any work or school account may sign in.
pub const DEFAULT_TENANT: &str = "organizations";

/// The flags every command takes, so `--auth device` finds the same cache `login` filled.
pub fn global_args() -> Vec<Arg> {
    let arg = |id: &'static str, value: &'static str, env: &'static str, help: &'static str| {
        Arg::new(id)
            .long(id)
            .global(true)
            .value_name(value)
            .help_heading(HEADING)
            .help(format!("{help} [env: {env}]"))
    };
    vec![
        arg(
            "client-id",
            "ID",
            CLIENT_ID_ENV,
            "Application (client) id of your app registration, a public client with the \
             delegated Presence.Read.All permission (no default: it must be your own app)",
        ),
        arg(
            "tenant",
            "TENANT",
            TENANT_ENV,
            "Tenant id or domain to sign in to [default: organizations]",
        ),
        arg(
            "token-cache",
            "FILE",
            CACHE_ENV,
            "The token cache file (owner-only, 0600) [default: msgraph-presence/tokens.json \
             in the user's cache directory]",
        ),
        arg(
            "authority",
            "URL",
            AUTHORITY_ENV,
            "Identity platform host instead of the cloud's (e.g. the emulator's base URL)",
        ),
    ]
}

/// `login`, `logout` and `whoami`.
pub fn commands() -> Vec<Command> {
    vec![
        Command::new("login")
            .about("Sign in with a device code and keep the sign-in in the token cache")
            .long_about(
                "Sign in as a user with a device code (RFC 8628): the instructions go to \
                 stderr, you open the address on any device and enter the code, and the \
                 refresh token is stored in the token cache (owner-only). `--auth device` \
                 then uses it, renewing the access token as it expires, for weeks.",
            ),
        Command::new("logout").about("Forget the cached sign-in of this app and tenant"),
        Command::new("whoami").about(
            "Show the signed-in user, tenant, scopes and access token expiry (never the token)",
        ),
    ]
}

/// Whether `name` is one of this module's commands.
pub fn is_command(name: &str) -> bool {
    matches!(name, "login" | "logout" | "whoami")
}

/// A flag's value, else its environment variable (empty counts as unset).
fn setting(matches: &ArgMatches, flag: &str, env: &str) -> Option<String> {
    matches
        .get_one::<String>(flag)
        .cloned()
        .or_else(|| std::env::var(env).ok())
        .filter(|v| !v.trim().is_empty())
}

/// The default cache file: `$XDG_CACHE_HOME`, else `~/.cache` (`~/Library/Caches` on macOS,
/// `%LOCALAPPDATA%` on Windows), then `msgraph-presence/tokens.json`.
pub fn default_cache_path() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|home| home.join("Library").join("Caches"))
    } else {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|home| home.join(".cache")))
    };
    base.map(|dir| dir.join("msgraph-presence").join("tokens.json"))
}

/// The identity platform host: `--authority`, else the cloud's own.
pub fn authority(matches: &ArgMatches, cloud: Cloud) -> String {
    setting(matches, "authority", AUTHORITY_ENV).unwrap_or_else(|| {
        match cloud {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::UsGovL4 | Cloud::UsGovL5 => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
        .to_owned()
    })
}

/// The sign-in the flags describe.
pub fn sign_in(matches: &ArgMatches, cloud: Cloud) -> Result<SignIn, CliError> {
    let client_id = setting(matches, "client-id", CLIENT_ID_ENV).ok_or_else(|| {
        CliError::BadInput(format!(
            "--client-id (or {CLIENT_ID_ENV}) is required: the application id of your app \
             registration (a public client with delegated Presence.Read.All)"
        ))
    })?;
    let tenant = setting(matches, "tenant", TENANT_ENV).unwrap_or_else(|| DEFAULT_TENANT.into());
    let path = match setting(matches, "token-cache", CACHE_ENV) {
        Some(path) => PathBuf::from(path),
        None => default_cache_path().ok_or_else(|| {
            CliError::BadInput(format!(
                "no cache directory (HOME is not set): give --token-cache FILE or {CACHE_ENV}"
            ))
        })?,
    };
    let mut config = SignInConfig::new(cloud, tenant, client_id, TokenCache::new(path));
    if let Some(authority) = setting(matches, "authority", AUTHORITY_ENV) {
        config = config.authority(authority);
    }
    Ok(SignIn::new(config))
}

/// A sign-in error as the command line reports it: every "sign in again" case ends with the
/// same advice, so a script or a person knows the one thing to do.
pub fn error(error: SignInError) -> CliError {
    if error.needs_sign_in() {
        match error {
            SignInError::NotSignedIn => CliError::Auth(SIGN_IN_ADVICE.into()),
            other => CliError::Auth(format!("{other}; {SIGN_IN_ADVICE}")),
        }
    } else {
        CliError::Auth(error.to_string())
    }
}

/// Runs `login`, `logout` or `whoami`.
pub async fn run(name: &str, matches: &ArgMatches, cloud: Cloud) -> Outcome {
    let sign_in = sign_in(matches, cloud)?;
    match name {
        "login" => {
            let account = sign_in
                .sign_in_with_device_code(|m| eprintln!("{}", m.message))
                .await
                .map_err(error)?;
            eprintln!("signed in as {}", account.user);
            Ok(json!({
                "user": account.user,
                "tenant": account.tenant,
                "clientId": account.client_id,
                "tokenCache": sign_in.config().cache().path().display().to_string(),
            }))
        }
        "logout" => {
            let removed = sign_in.sign_out().await.map_err(error)?;
            Ok(json!({ "removed": removed }))
        }
        _ => whoami(&sign_in).await,
    }
}

/// `whoami`: the cached account, and the claims of a current access token (renewed if needed,
/// which also proves the sign-in still works).
async fn whoami(sign_in: &SignIn) -> Outcome {
    let account = sign_in
        .account()
        .map_err(error)?
        .ok_or_else(|| CliError::Auth(SIGN_IN_ADVICE.into()))?;
    let token = sign_in.access_token().await.map_err(error)?;
    let claims = claims(token.expose()).unwrap_or(Value::Null);
    let scopes: Vec<&str> = claims["scp"]
        .as_str()
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_default();
    let expires = claims["exp"]
        .as_i64()
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .map(|t| t.to_string());
    Ok(json!({
        "user": account.user,
        "tenant": claims["tid"].as_str().unwrap_or(&account.tenant),
        "clientId": account.client_id,
        "authority": account.authority,
        "scopes": scopes,
        "expires": expires,
    }))
}

/// The payload of a JWT-shaped access token, unverified: only for display. Graph's tokens are
/// JWTs today, but Microsoft calls them opaque, so a token that is not one gives `None`.
fn claims(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_read_from_the_middle_segment() {
        let body = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"scp":"Presence.Read.All User.Read","exp":1800000000}"#);
        let value = claims(&format!("e30.{body}.sig")).unwrap();
        assert_eq!(value["scp"], "Presence.Read.All User.Read");
        assert!(claims("opaque-token").is_none());
        assert!(claims("a.!!!.c").is_none());
    }

    #[test]
    fn every_needs_sign_in_error_gives_the_same_advice() {
        for e in [
            SignInError::NotSignedIn,
            SignInError::SignInAgain {
                code: "invalid_grant".into(),
                description: "AADSTS70008".into(),
            },
        ] {
            let report = error(e).report();
            assert!(report.contains(SIGN_IN_ADVICE), "{report}");
        }
        let other = error(SignInError::Declined).report();
        assert!(!other.contains(SIGN_IN_ADVICE), "{other}");
    }

    #[test]
    fn the_default_cache_is_under_the_users_cache_directory() {
        let path = default_cache_path().expect("HOME is set in tests");
        assert!(path.ends_with("msgraph-presence/tokens.json"), "{path:?}");
    }
}
