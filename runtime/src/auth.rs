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
