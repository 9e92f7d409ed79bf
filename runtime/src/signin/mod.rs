//! Delegated sign-in that a service can keep for weeks: device code (RFC 8628), a refresh token
//! kept in an owner-only cache file, and a [`TokenProvider`](crate::TokenProvider) that renews
//! the access token before it expires.
//!
//! Presence subscriptions need a user's token (app-only tokens get 403), so a watcher that runs
//! unattended needs a refresh token it can rotate; this module is that piece.
//!
//! # Which OAuth crate
//! None. The Azure SDK for Rust 1.0 (`azure_identity`) has no device-code or authorization-code
//! credential (only developer tools, secrets, certificates, assertions and managed identity),
//! and `oauth2` 5.0's HTTP integration pins reqwest 0.12, a second HTTP stack beside the
//! workspace's reqwest 0.13. The exchanges needed here are two small form posts (device
//! authorization and the token endpoint), so they are written directly on the workspace's
//! reqwest, which also lets tests point the authority at a loopback emulator.

mod cache;
#[cfg(feature = "azure-identity")]
mod credential;
mod error;
mod loopback;
mod provider;
mod secret;
mod wire;

pub use cache::{CacheKey, TokenCache};
#[cfg(feature = "azure-identity")]
pub use credential::SignInCredential;
pub use error::{CacheError, SignInError};
pub use provider::{Account, DeviceCodeMessage, SignIn, SignInConfig, TimeSource};
pub use secret::Secret;
