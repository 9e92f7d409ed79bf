//! The sign-in as an Azure SDK `TokenCredential` (features `signin` and `azure-identity`), so
//! code written against the Azure SDK's credential trait (including
//! [`ClientBuilder::token_credential`](crate::ClientBuilder::token_credential)) can use a
//! delegated, cached sign-in like any other credential.

use super::error::SignInError;
use super::provider::SignIn;
use azure_core::credentials::{AccessToken, TokenCredential, TokenRequestOptions};
use azure_core::error::ErrorKind;
use azure_core::time::OffsetDateTime;
use std::sync::Arc;

/// A [`SignIn`] behind the Azure SDK's [`TokenCredential`] trait.
///
/// The scopes are the sign-in's own ([`SignInConfig::scopes`](super::SignInConfig::scopes)):
/// its refresh token was granted for them, so a request for a scope of another resource is
/// refused rather than answered with a token for the wrong audience. A `.default` scope of the
/// same resource (what the client asks for) is answered.
#[derive(Debug, Clone)]
pub struct SignInCredential {
    sign_in: Arc<SignIn>,
}

impl SignInCredential {
    /// Wraps a sign-in; the same `Arc` may also be used as a
    /// [`TokenProvider`](crate::TokenProvider), sharing one cache and one refresh.
    pub fn new(sign_in: Arc<SignIn>) -> Self {
        SignInCredential { sign_in }
    }

    /// The sign-in behind the credential.
    pub fn sign_in(&self) -> &Arc<SignIn> {
        &self.sign_in
    }
}

/// The resource a scope belongs to: `https://graph.microsoft.com/Presence.Read.All` →
/// `https://graph.microsoft.com`; a bare scope (`User.Read`, `offline_access`) is `None`.
fn resource_of(scope: &str) -> Option<&str> {
    let (resource, _) = scope.rsplit_once('/')?;
    resource
        .contains("://")
        .then(|| resource.trim_end_matches('/'))
}

fn credential_error(message: String) -> azure_core::Error {
    azure_core::Error::with_message(ErrorKind::Credential, message)
}

#[async_trait::async_trait]
impl TokenCredential for SignInCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _options: Option<TokenRequestOptions<'_>>,
    ) -> azure_core::Result<AccessToken> {
        let ours: Vec<&str> = self
            .sign_in
            .config()
            .requested_scopes()
            .iter()
            .filter_map(|s| resource_of(s))
            .collect();
        if let Some(other) = scopes
            .iter()
            .find(|s| resource_of(s).is_some_and(|r| !ours.contains(&r)))
        {
            return Err(credential_error(format!(
                "the sign-in holds tokens for {ours:?}, not for the scope {other}"
            )));
        }
        let (token, expires) = self
            .sign_in
            .access_token_until()
            .await
            .map_err(|error: SignInError| credential_error(error.to_string()))?;
        let expires_on = OffsetDateTime::from_unix_timestamp(expires.as_second())
            .map_err(|e| credential_error(format!("token expiry out of range: {e}")))?;
        Ok(AccessToken::new(token.expose().to_owned(), expires_on))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_name_their_resource() {
        assert_eq!(
            resource_of("https://graph.microsoft.com/.default"),
            Some("https://graph.microsoft.com")
        );
        assert_eq!(
            resource_of("https://graph.microsoft.us/Presence.Read.All"),
            Some("https://graph.microsoft.us")
        );
        assert_eq!(resource_of("offline_access"), None);
        assert_eq!(resource_of("Presence.Read.All"), None);
    }
}
