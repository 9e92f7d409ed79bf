//! Who is calling: the emulator accepts any bearer token, but reads the claims of one shaped
//! like a JWT (no signature check) so tests can act as several apps, users and tenants.

use super::super::odata::ApiError;
use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use serde::Deserialize;

/// The app id used when the token names none.
pub const DEFAULT_APP_ID: &str = "3f0f7a4c-6d2b-4a57-9c1e-5b8d2e7a9c10";
/// The tenant id used when the token names none.
pub const DEFAULT_TENANT_ID: &str = "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";

/// The caller of a subscription request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Caller {
    pub app_id: String,
    pub user_id: String,
    pub tenant_id: String,
}

#[derive(Debug, Default, Deserialize)]
struct Claims {
    appid: Option<String>,
    azp: Option<String>,
    oid: Option<String>,
    tid: Option<String>,
    scp: Option<String>,
    roles: Option<Vec<String>>,
}

/// The caller, or 401 without a token and 403 for an app-only token or one without
/// `Presence.Read.All` (R6).
pub(crate) fn caller(headers: &HeaderMap, signed_in_user: &str) -> Result<Caller, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, token)| scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .map(|(_, token)| token.trim())
        .ok_or_else(ApiError::unauthenticated)?;
    let claims = jwt_claims(token).unwrap_or_default();
    if claims.scp.is_none() && claims.roles.is_some() {
        return Err(forbidden(
            "An app-only token cannot manage presence subscriptions; a delegated token with Presence.Read.All is required.",
        ));
    }
    if let Some(scopes) = &claims.scp
        && !scopes
            .split(' ')
            .any(|s| s.eq_ignore_ascii_case("Presence.Read.All"))
    {
        return Err(forbidden("The token's scp lacks Presence.Read.All."));
    }
    Ok(Caller {
        app_id: claims
            .appid
            .or(claims.azp)
            .unwrap_or_else(|| DEFAULT_APP_ID.to_owned()),
        user_id: claims.oid.unwrap_or_else(|| signed_in_user.to_owned()),
        tenant_id: claims.tid.unwrap_or_else(|| DEFAULT_TENANT_ID.to_owned()),
    })
}

fn forbidden(message: &str) -> ApiError {
    ApiError::new(StatusCode::FORBIDDEN, "Forbidden", message)
}

/// The payload of `header.payload.signature`, if the token has that shape.
fn jwt_claims(token: &str) -> Option<Claims> {
    let mut parts = token.split('.');
    let (_, payload, _) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(token: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            format!("Bearer {token}").parse().unwrap(),
        );
        h
    }

    fn jwt(claims: &str) -> String {
        let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims);
        format!("e30.{b}.x")
    }

    #[test]
    fn opaque_tokens_act_as_the_default_app_and_signed_in_user() {
        let c = caller(&headers("any"), "me").unwrap();
        assert_eq!(
            (c.app_id.as_str(), c.user_id.as_str()),
            (DEFAULT_APP_ID, "me")
        );
    }

    #[test]
    fn jwt_claims_name_app_user_and_tenant() {
        let t = jwt(r#"{"appid":"a","oid":"u","tid":"t","scp":"User.Read Presence.Read.All"}"#);
        let c = caller(&headers(&t), "me").unwrap();
        assert_eq!(
            (c.app_id.as_str(), c.user_id.as_str(), c.tenant_id.as_str()),
            ("a", "u", "t")
        );
    }

    #[test]
    fn app_only_and_unscoped_tokens_are_forbidden() {
        let t = jwt(r#"{"roles":["Presence.Read.All"]}"#);
        assert_eq!(
            caller(&headers(&t), "me").unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        let t = jwt(r#"{"scp":"User.Read"}"#);
        assert_eq!(
            caller(&headers(&t), "me").unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            caller(&HeaderMap::new(), "me").unwrap_err().status,
            StatusCode::UNAUTHORIZED
        );
    }
}
