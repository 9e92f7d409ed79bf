//! Access tokens: the provider trait, a fixed token and a closure-backed provider.
//!
//! Tokens are asked for before every attempt (retries included), so a provider that refreshes
//! expiring tokens is always honoured. No type here prints a token.

use crate::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// The future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<String, Error>> + Send + 'a>>;

/// Supplies access tokens; called before every attempt so a refreshed token is picked up.
///
/// Implement it over `azure_identity` or any other credential source; errors should be
/// [`Error::Auth`] and must not contain the token.
pub trait TokenProvider: Send + Sync {
    /// A bearer token valid for Microsoft Graph.
    fn token(&self) -> TokenFuture<'_>;

    /// Graph refused `rejected` as expired or invalid (401 `InvalidAuthenticationToken`, or
    /// `WWW-Authenticate: Bearer error="invalid_token"`): forget it if it is cached.
    ///
    /// Return `true` when asking again may give a different token; the request is then sent
    /// once more with a fresh one (a second refusal is returned as the error). The default
    /// returns `false`, so a provider without a cache (a fixed token, a closure) never causes a
    /// resend. `rejected` lets a provider shared by concurrent calls drop a token only while it
    /// is still the cached one, so many refusals of the same stale token cost one fetch.
    fn invalidate(&self, rejected: &str) -> bool {
        let _ = rejected;
        false
    }
}

/// A shared provider, e.g. one [`ClientBuilder::token_provider`](crate::ClientBuilder::token_provider)
/// uses while the caller keeps a handle on it.
impl<T: TokenProvider + ?Sized> TokenProvider for std::sync::Arc<T> {
    fn token(&self) -> TokenFuture<'_> {
        (**self).token()
    }

    fn invalidate(&self, rejected: &str) -> bool {
        (**self).invalidate(rejected)
    }
}

/// A fixed token (tests, short scripts). Its value never appears in `Debug` output.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    /// A provider that always answers with this token.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> TokenFuture<'_> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// A provider backed by an async closure; see [`token_fn`].
#[derive(Clone)]
pub struct FnToken<F>(F);

impl<F> fmt::Debug for FnToken<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnToken(<closure>)")
    }
}

/// Wraps an async closure as a [`TokenProvider`], e.g. one that reads a token cache:
///
/// ```
/// use msgraph_presence_runtime::token_fn;
///
/// let provider = token_fn(|| async { Ok("eyJ0eXAi...".to_owned()) });
/// # let _ = provider;
/// ```
pub fn token_fn<F, Fut>(f: F) -> FnToken<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<String, Error>> + Send + 'static,
{
    FnToken(f)
}

impl<F, Fut> TokenProvider for FnToken<F>
where
    F: Fn() -> Fut + Send + Sync,
    Fut: Future<Output = Result<String, Error>> + Send + 'static,
{
    fn token(&self) -> TokenFuture<'_> {
        Box::pin((self.0)())
    }
}

/// Whether a response says the bearer token itself was refused (expired, revoked, wrong
/// audience), as opposed to a missing permission: a 401 whose OData code is
/// `InvalidAuthenticationToken`, or whose `WWW-Authenticate` challenge carries
/// `error="invalid_token"` (RFC 6750 §3.1). A 403 is never a token problem.
pub(crate) fn token_refused(
    status: u16,
    odata_code: Option<&str>,
    www_authenticate: Option<&str>,
) -> bool {
    if status != 401 {
        return false;
    }
    if odata_code.is_some_and(|code| code.eq_ignore_ascii_case("InvalidAuthenticationToken")) {
        return true;
    }
    www_authenticate.is_some_and(|challenge| {
        let challenge: String = challenge
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        challenge.contains("error=\"invalid_token\"") || challenge.contains("error=invalid_token")
    })
}

#[cfg(test)]
mod tests {
    use super::{StaticToken, TokenProvider, token_refused};

    #[test]
    fn only_a_401_about_the_token_counts_as_refused() {
        assert!(token_refused(401, Some("InvalidAuthenticationToken"), None));
        assert!(token_refused(
            401,
            None,
            Some(r#"Bearer realm="", error="invalid_token", error_description="expired""#)
        ));
        assert!(token_refused(
            401,
            None,
            Some("Bearer error = invalid_token")
        ));
        // A 401 for another reason, or a 403, is returned as it is.
        assert!(!token_refused(
            401,
            Some("Unauthorized"),
            Some("Bearer realm=\"\"")
        ));
        assert!(!token_refused(401, None, None));
        assert!(!token_refused(
            403,
            Some("InvalidAuthenticationToken"),
            None
        ));
        assert!(!token_refused(
            401,
            None,
            Some(r#"Bearer error="insufficient_scope""#)
        ));
    }

    #[test]
    fn providers_without_a_cache_ask_for_no_resend() {
        assert!(!StaticToken::new("t").invalidate("t"));
    }
}
