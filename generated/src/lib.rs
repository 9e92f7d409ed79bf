//! Typed async client for the Microsoft Graph **presence** API, v1.0 and beta side by side.
//!
//! The version modules ([`v1_0`], [`beta`]) are generated from the OpenAPI documents in the
//! repository's `spec/` directory; [`runtime`] and this file are written by hand.
//!
//! ```no_run
//! use msgraph_presence::{Client, v1_0};
//!
//! # async fn run() -> msgraph_presence::Result<()> {
//! let client = Client::builder().bearer_token("eyJ0eXAi...").build()?;
//! let body = v1_0::models::ClearPresenceRequest {
//!     session_id: "22553876-f5ab-4529-bffb-cfe50aa89f87".into(),
//!     additional_properties: Default::default(),
//! };
//! client
//!     .v1_0()
//!     .clear_presence(v1_0::Target::User("fa8bf3dc-eca7-46b7-bad1-db199b62afc3"), &body)
//!     .await?;
//! # Ok(())
//! # }
//! ```

mod builder;
mod error;
pub mod runtime;

// Generated modules keep prettyplease's layout; rustfmt is told to leave them alone so
// `cargo fmt` and `cargo xtask codegen --check` never disagree.
#[rustfmt::skip]
pub mod beta;
#[rustfmt::skip]
pub mod v1_0;

pub use builder::ClientBuilder;
pub use error::{Error, Result};
pub use runtime::Cloud;

/// Entry point: holds the connection settings, hands out one client per API version.
#[derive(Debug, Clone)]
pub struct Client {
    runtime: runtime::Runtime,
}

impl Client {
    /// Starts configuring a client (cloud, base URL, token).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// The v1.0 API.
    pub fn v1_0(&self) -> v1_0::Client<'_> {
        v1_0::Client::new(&self.runtime)
    }

    /// The beta API (may change without notice, as Microsoft says of beta).
    pub fn beta(&self) -> beta::Client<'_> {
        beta::Client::new(&self.runtime)
    }

    /// The runtime, to send requests built by hand.
    pub fn runtime(&self) -> &runtime::Runtime {
        &self.runtime
    }
}

// The repository README's code blocks are compiled as doctests of this crate, so its usage
// example cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
