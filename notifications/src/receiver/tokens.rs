//! `validationTokens`: one JWT per (app, tenant) in a batch of rich notifications (§5.4, R15).

use super::keys::KeyStore;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use serde::Deserialize;

/// The app id of "Microsoft Graph Change Tracking", the publisher of change notifications.
pub const CHANGE_TRACKING_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

/// Tolerated clock difference for `exp` and `nbf`, as jsonwebtoken's default.
const LEEWAY_SECONDS: i64 = 60;

/// Where "now" comes from when checking `exp` and `nbf`.
pub(crate) type Now = std::sync::Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// What to check tokens against.
#[derive(Clone)]
pub(crate) struct TokenPolicy {
    pub keys: KeyStore,
    pub audiences: Vec<String>,
    pub now: Now,
}

impl std::fmt::Debug for TokenPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenPolicy")
            .field("keys", &self.keys.len())
            .field("audiences", &self.audiences)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Deserialize)]
struct Claims {
    iss: String,
    exp: i64,
    #[serde(default)]
    nbf: Option<i64>,
    #[serde(default)]
    ver: Option<String>,
    #[serde(default)]
    azp: Option<String>,
    #[serde(default)]
    appid: Option<String>,
}

impl TokenPolicy {
    /// Checks one token; `tenants` are the tenant ids of the rich items it covers.
    /// Returns the tenant the token is for, or why it fails.
    pub fn check(&self, token: &str, tenants: &[&str]) -> Result<String, String> {
        let header = decode_header(token).map_err(|e| format!("unreadable token header: {e}"))?;
        let kid = header.kid.ok_or("token header has no kid")?;
        let jwk = self
            .keys
            .find(&kid)
            .ok_or_else(|| format!("no key with kid {kid:?} in the current key set"))?;
        let key = DecodingKey::from_jwk(&jwk).map_err(|e| format!("key {kid} unusable: {e}"))?;
        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_audience(&self.audiences);
        // exp and nbf are checked below against the configured clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_required_spec_claims(&["exp", "aud", "iss"]);
        let claims = decode::<Claims>(token, &key, &validation)
            .map_err(|e| format!("token rejected: {e}"))?
            .claims;
        check_times(claims.exp, claims.nbf, (self.now)().as_second())?;
        let tenant = issuer_tenant(&claims.iss, tenants).ok_or_else(|| {
            format!(
                "issuer {} is not Microsoft's for the items' tenant",
                claims.iss
            )
        })?;
        // RICH: v1.0 tokens name the caller in appid, v2.0 tokens in azp; checking the other
        // claim could admit another publisher.
        let caller = match claims.ver.as_deref() {
            Some("1.0") => claims.appid.as_deref(),
            _ => claims.azp.as_deref(),
        };
        if caller != Some(CHANGE_TRACKING_APP_ID) {
            return Err(format!(
                "token caller {caller:?} is not Microsoft Graph Change Tracking"
            ));
        }
        Ok(tenant)
    }
}

/// The tenant a Microsoft issuer names: one of `tenants` (the decoded rich items'), or else any
/// well-formed tenant id. The fallback matters when the only item of a tenant was dropped as
/// `Malformed`: its genuine token must not fail the batch and cost the other tenants' items
/// (issue 22 item 3). Coverage stays strict: every decoded rich item's tenant still needs a
/// token of its own, so an extra token admits nothing.
fn issuer_tenant(iss: &str, tenants: &[&str]) -> Option<String> {
    let is_issuer_of = |tid: &str| {
        iss == format!("https://sts.windows.net/{tid}/")
            || iss == format!("https://login.microsoftonline.com/{tid}/v2.0")
    };
    if let Some(tid) = tenants.iter().find(|tid| is_issuer_of(tid)) {
        return Some((*tid).to_owned());
    }
    let tid = iss
        .strip_prefix("https://sts.windows.net/")
        .and_then(|rest| rest.strip_suffix('/'))
        .or_else(|| {
            iss.strip_prefix("https://login.microsoftonline.com/")
                .and_then(|rest| rest.strip_suffix("/v2.0"))
        })?;
    let well_formed = !tid.is_empty()
        && tid.len() <= 64
        && tid.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    well_formed.then(|| tid.to_owned())
}

/// Checks `exp` and `nbf` (seconds since the epoch) against `now`, with [`LEEWAY_SECONDS`].
///
/// Saturating: the claims come from the token, and `i64::MAX + leeway` would panic in a debug
/// build and, wrapped in a release one, turn a token valid forever into an expired one.
fn check_times(exp: i64, nbf: Option<i64>, now: i64) -> Result<(), String> {
    if exp.saturating_add(LEEWAY_SECONDS) < now {
        return Err(format!("token expired at {exp} (now {now})"));
    }
    if let Some(nbf) = nbf
        && nbf > now.saturating_add(LEEWAY_SECONDS)
    {
        return Err(format!("token not valid before {nbf} (now {now})"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuers_name_their_tenant_and_nothing_else() {
        let t = "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";
        let v2 = format!("https://login.microsoftonline.com/{t}/v2.0");
        let v1 = format!("https://sts.windows.net/{t}/");
        assert_eq!(issuer_tenant(&v2, &[t]).as_deref(), Some(t));
        assert_eq!(issuer_tenant(&v1, &["other", t]).as_deref(), Some(t));
        // A tenant no decoded item has (its only item was malformed) is still read.
        assert_eq!(issuer_tenant(&v2, &["other"]).as_deref(), Some(t));
        for bad in [
            "https://evil.example/6f1c/v2.0",
            "https://login.microsoftonline.com//v2.0",
            "https://login.microsoftonline.com/a/b/v2.0",
            "https://sts.windows.net/a",
            "https://sts.windows.net/a b/",
        ] {
            assert_eq!(issuer_tenant(bad, &[]), None, "{bad}");
        }
    }

    #[test]
    fn expiry_and_not_before_with_leeway() {
        let now = 1_000_000;
        assert!(check_times(now, None, now).is_ok());
        assert!(check_times(now - LEEWAY_SECONDS, Some(now + LEEWAY_SECONDS), now).is_ok());
        assert!(check_times(now - LEEWAY_SECONDS - 1, None, now).is_err());
        assert!(check_times(now, Some(now + LEEWAY_SECONDS + 1), now).is_err());
    }

    #[test]
    fn extreme_claims_cannot_overflow() {
        assert!(check_times(i64::MAX, None, 0).is_ok());
        assert!(check_times(i64::MAX, Some(i64::MIN), i64::MAX).is_ok());
        assert!(check_times(i64::MIN, None, 0).is_err());
        assert!(check_times(i64::MAX, Some(i64::MAX), 0).is_err());
        // A clock at the end of time must not overflow either.
        assert!(check_times(i64::MAX, Some(i64::MAX), i64::MAX).is_ok());
    }
}
