//! Tokens from the Azure SDK for Rust (feature `azure-identity`): any `azure_core`
//! [`TokenCredential`] becomes a [`TokenProvider`](crate::TokenProvider) that asks for the
//! cloud's Graph scope and caches the token until shortly before it expires.
//!
//! The OAuth flows (Azure CLI, client secret, managed identity, workload identity) are
//! `azure_identity`'s; this module only picks the scope, caches and maps errors.

mod cache;
mod sources;

pub use cache::{AzureCredential, REFRESH_BEFORE_EXPIRY};
pub use sources::{AzureAuth, credential_from};

/// The Azure SDK's credential trait, re-exported so callers need not name `azure_core`.
pub use azure_core::credentials::TokenCredential;

/// The Azure SDK crates this module is built on, so callers name the same versions (e.g. to
/// build a credential with options `credential_from` does not cover, or to write their own
/// `TokenCredential`).
pub use {azure_core, azure_identity};
