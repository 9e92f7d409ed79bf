//! The two form posts of the identity platform: device authorization (RFC 8628 §3.1) and the
//! token endpoint (RFC 6749 §5, shared by every grant). Error answers are parsed into
//! [`SignInError`]s here so callers match on codes, not on strings.

use super::error::SignInError;
use super::secret::Secret;
use serde::Deserialize;

/// The device authorization answer.
#[derive(Deserialize)]
pub(crate) struct DeviceAuthorization {
    pub(crate) device_code: Secret,
    pub(crate) user_code: String,
    pub(crate) verification_uri: String,
    pub(crate) expires_in: u64,
    #[serde(default = "default_interval")]
    pub(crate) interval: u64,
    #[serde(default)]
    pub(crate) message: Option<String>,
}

fn default_interval() -> u64 {
    5
}

/// A successful token answer.
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    pub(crate) access_token: Secret,
    #[serde(default)]
    pub(crate) refresh_token: Option<Secret>,
    pub(crate) expires_in: u64,
    #[serde(default)]
    pub(crate) id_token: Option<String>,
}

#[derive(Deserialize)]
struct OAuthErrorBody {
    error: String,
    #[serde(default)]
    error_description: String,
}

/// What the token endpoint said: a token, or an OAuth error code the caller decides about.
pub(crate) enum TokenReply {
    Token(TokenAnswer),
    Error { code: String, description: String },
}

async fn post_form(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<(reqwest::StatusCode, bytes::Bytes), SignInError> {
    // Encoded here rather than with reqwest's `form` feature, which the workspace leaves off.
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let response = http
        .post(url)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .await
        .map_err(|e| SignInError::Http(format!("POST {url}: {}", e.without_url())))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| SignInError::Http(format!("reading {url}: {}", e.without_url())))?;
    Ok((status, body))
}

pub(crate) async fn device_authorization(
    http: &reqwest::Client,
    url: &str,
    client_id: &str,
    scope: &str,
) -> Result<DeviceAuthorization, SignInError> {
    let (status, body) =
        post_form(http, url, &[("client_id", client_id), ("scope", scope)]).await?;
    if !status.is_success() {
        return Err(oauth_error(status, &body));
    }
    serde_json::from_slice(&body)
        .map_err(|e| SignInError::Http(format!("unreadable device authorization answer: {e}")))
}

pub(crate) async fn token(
    http: &reqwest::Client,
    url: &str,
    form: &[(&str, &str)],
) -> Result<TokenReply, SignInError> {
    let (status, body) = post_form(http, url, form).await?;
    if status.is_success() {
        // The token answer's parse error is not quoted back: it could hold token text.
        return serde_json::from_slice(&body)
            .map(TokenReply::Token)
            .map_err(|_| SignInError::Http("unreadable token answer".into()));
    }
    match serde_json::from_slice::<OAuthErrorBody>(&body) {
        Ok(error) => Ok(TokenReply::Error {
            code: error.error,
            description: error.error_description,
        }),
        Err(_) => Err(SignInError::Http(format!(
            "token endpoint answered {status}"
        ))),
    }
}

fn oauth_error(status: reqwest::StatusCode, body: &[u8]) -> SignInError {
    match serde_json::from_slice::<OAuthErrorBody>(body) {
        Ok(error) => SignInError::OAuth {
            code: error.error,
            description: error.error_description,
        },
        Err(_) => SignInError::Http(format!("identity platform answered {status}")),
    }
}

/// The user an id token names (`preferred_username`, else `oid`, else `sub`). The token is not
/// verified: it only labels the cache entry; Graph checks the access token itself.
pub(crate) fn user_of(id_token: Option<&str>) -> Option<String> {
    use base64::Engine;
    let payload = id_token?.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    ["preferred_username", "oid", "sub"]
        .iter()
        .find_map(|name| claims.get(name)?.as_str().map(str::to_owned))
}
