//! The errors of signing in and of the token cache. None of them carries a token: messages hold
//! the identity platform's error code and description, paths, and modes only.

use std::path::PathBuf;

/// Signing in or renewing the access token failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignInError {
    /// The refresh token no longer works (`invalid_grant`: revoked, expired; or
    /// `interaction_required`: e.g. MFA now needed). Not retryable: run the sign-in again.
    #[error("sign in again: the identity platform answered {code}: {description}")]
    SignInAgain {
        /// `invalid_grant` or `interaction_required`.
        code: String,
        /// The platform's `error_description` (AADSTS code and text).
        description: String,
    },
    /// No cached sign-in for this authority, tenant and client id.
    #[error(
        "not signed in: no cached sign-in for this authority, tenant and client id; run the sign-in"
    )]
    NotSignedIn,
    /// The user declined the device-code sign-in.
    #[error("the user declined the sign-in")]
    Declined,
    /// The device code expired before the user finished; start again.
    #[error("the device code expired before the sign-in finished; start again")]
    Expired,
    /// The token endpoint did not recognise the device code.
    #[error("the identity platform did not recognise the device code")]
    BadVerificationCode,
    /// Any other OAuth error answer.
    #[error("the identity platform answered {code}: {description}")]
    OAuth {
        /// The `error` field.
        code: String,
        /// The `error_description` field.
        description: String,
    },
    /// The identity platform could not be reached, or answered something unreadable.
    #[error("identity platform request failed: {0}")]
    Http(String),
    /// The loopback redirect of the authorization-code flow failed.
    #[error("loopback redirect failed: {0}")]
    Redirect(String),
    /// The token cache refused to load or save.
    #[error(transparent)]
    Cache(#[from] CacheError),
}

impl SignInError {
    /// Whether the user must sign in again (nothing else will help).
    pub fn needs_sign_in(&self) -> bool {
        matches!(
            self,
            SignInError::SignInAgain { .. } | SignInError::NotSignedIn
        )
    }
}

/// The cache file was refused; it is left exactly as it was.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    /// The file is not a cache this version wrote.
    #[error(
        "token cache {path} is corrupt ({reason}); it was left unchanged: delete it and sign in again"
    )]
    Corrupt {
        /// The cache file.
        path: PathBuf,
        /// What failed to parse (never the content).
        reason: String,
    },
    /// The file belongs to another user.
    #[error(
        "token cache {path} belongs to uid {owner}, not to this process's uid {me}; refusing to use it"
    )]
    NotOwner {
        /// The cache file.
        path: PathBuf,
        /// The file's owner.
        owner: u32,
        /// This process's uid.
        me: u32,
    },
    /// Group or others may read or write the file.
    #[error(
        "token cache {path} has mode {mode:o}; it must be readable by its owner only (chmod 600)"
    )]
    TooOpen {
        /// The cache file.
        path: PathBuf,
        /// The permission bits found.
        mode: u32,
    },
    /// Reading or writing failed.
    #[error("token cache {path}: {source}")]
    Io {
        /// The cache file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}
