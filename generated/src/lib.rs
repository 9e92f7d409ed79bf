// Hand-written, not generated: the client crate's thin entry (`Client`, the re-exported runtime
// API). It lives beside the @generated version modules because it is what users depend on.

//! Typed async client for the Microsoft Graph **presence** API, v1.0 and beta side by side.
//!
//! The version modules ([`v1_0`], [`beta`]) are generated from the OpenAPI documents in the
//! repository's `spec/` directory. This file and [`batch`] are written by hand; [`runtime`]
//! re-exports the user-facing part of the hand-written runtime crate,
//! `msgraph-presence-runtime` (transport, retries, auth, options, errors).
//!
//! ```no_run
//! use msgraph_presence::{Client, v1_0};
//!
//! # async fn run() -> msgraph_presence::Result<()> {
//! let client = Client::builder().bearer_token("eyJ0eXAi...").build()?;
//! let body = v1_0::models::ClearPresenceRequest::new("22553876-f5ab-4529-bffb-cfe50aa89f87");
//! client
//!     .v1_0()
//!     .user("fa8bf3dc-eca7-46b7-bad1-db199b62afc3")
//!     .presence()
//!     .clear_presence(&body)
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Calls read like Graph's URLs
//!
//! `POST /users/{user-id}/presence/clearPresence` is
//! `client.v1_0().user(id).presence().clear_presence(&body)`; `/me/presence` is
//! `me().presence()`, `/communications/presences/{presence-id}` is
//! `communications().presence(id)`. A method exists only where the API binds the operation, so a
//! wrong binding is a compile error. Beta binds `clearLocation` to a communications presence:
//!
//! ```no_run
//! # async fn run(client: &msgraph_presence::Client) -> msgraph_presence::Result<()> {
//! client.beta().communications().presence("fa8bf3dc").clear_location().await?;
//! # Ok(())
//! # }
//! ```
//!
//! v1.0 does not, so the same call does not compile:
//!
//! ```compile_fail,E0599
//! # async fn run(client: &msgraph_presence::Client) -> msgraph_presence::Result<()> {
//! client.v1_0().communications().presence("fa8bf3dc").clear_location().await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Errors, retries, auth and clouds
//!
//! Errors are one type, [`Error`], with helpers such as [`Error::is_not_found`] and
//! [`Error::client_request_id`]. 429, 503 and 504 are retried as [`runtime::RetryPolicy`] says
//! (3 retries by default, honouring `Retry-After`). Tokens come from a
//! [`runtime::TokenProvider`], asked before every attempt. Operations the spec does not offer in
//! the chosen [`Cloud`] fail before sending. The repository README explains each default.
//!
//! ```no_run
//! use msgraph_presence::runtime::{PermissionKind, RequestOptions, RetryPolicy, required_scopes};
//! use msgraph_presence::{Client, Cloud, Error, v1_0};
//! use std::time::Duration;
//!
//! async fn run(user: &str, session: &str, team: &[String]) -> msgraph_presence::Result<()> {
//!     // The scopes to consent to, from the operations this program calls.
//!     let scopes = required_scopes(
//!         &[
//!             &v1_0::operations::CLEAR_PRESENCE,
//!             &v1_0::operations::GET_PRESENCES_BY_USER_ID,
//!         ],
//!         PermissionKind::Application,
//!     )?;
//!     assert_eq!(scopes, ["Presence.Read.All", "Presence.ReadWrite.All"]);
//!
//!     // US Government L4; a token is asked for before every attempt, so refreshes are seen.
//!     let client = Client::builder()
//!         .cloud(Cloud::UsGovL4)
//!         .token_fn(|| async {
//!             std::env::var("GRAPH_TOKEN").map_err(|_| Error::Auth("GRAPH_TOKEN is not set".into()))
//!         })
//!         .timeout(Duration::from_secs(10))
//!         .retry(RetryPolicy::default().max_total_wait(Duration::from_secs(60)))
//!         .build()?;
//!
//!     // clearPresence answers 404 when the session is already gone: not a failure here.
//!     let body = v1_0::models::ClearPresenceRequest::new(session);
//!     match client.v1_0().user(user).presence().clear_presence(&body).await {
//!         Ok(()) => {}
//!         Err(e) if e.is_not_found() => {}
//!         Err(e) => return Err(e),
//!     }
//!
//!     // One latency-sensitive call: short timeout, no retries.
//!     let quick = RequestOptions::new()
//!         .timeout(Duration::from_secs(2))
//!         .retry(RetryPolicy::disabled());
//!     match client.v1_0().with_options(&quick).user(user).presence().get().await {
//!         Ok(presence) => println!("{:?}", presence.availability),
//!         Err(e) if e.is_throttled() || e.is_timeout() => {
//!             eprintln!("later (client-request-id {:?})", e.client_request_id());
//!         }
//!         Err(Error::Status { status, odata, .. }) => {
//!             eprintln!("HTTP {status}: {:?}", odata.map(|o| o.code));
//!         }
//!         Err(e) => return Err(e),
//!     }
//!
//!     // Any number of users: 650 ids per request, results in input order.
//!     let presences = client.v1_0().get_presences_for_users(team).await?;
//!     for (id, presence) in team.iter().zip(&presences) {
//!         println!("{id}: {:?}", presence.as_ref().and_then(|p| p.availability.as_ref()));
//!     }
//!     Ok(())
//! }
//! ```

// Every public item, generated or hand-written, carries docs; the compiler checks it.
#![deny(missing_docs)]

pub mod batch;
pub mod runtime;

// Generated modules keep prettyplease's layout; rustfmt is told to leave them alone so
// `cargo fmt` and `cargo xtask codegen --check` never disagree.
#[rustfmt::skip]
pub mod beta;
#[rustfmt::skip]
pub mod v1_0;
// The directory (users, a group's members), generated from spec/<version>/directory/ into its
// own modules so the default build compiles exactly what it did before.
#[cfg(feature = "directory")]
#[rustfmt::skip]
pub mod directory_beta;
#[cfg(feature = "directory")]
#[rustfmt::skip]
pub mod directory_v1_0;

pub use msgraph_presence_runtime::{Cloud, Error, Result, TransportKind};

/// Builder of a [`Client`]: the runtime crate's builder, set to build this crate's `Client`.
pub type ClientBuilder = msgraph_presence_runtime::ClientBuilder<Client>;

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

    /// The v1.0 directory: users by id or userPrincipalName, users listed, the users among a
    /// group's direct and transitive members (cargo feature `directory`).
    #[cfg(feature = "directory")]
    pub fn directory_v1_0(&self) -> directory_v1_0::Client<'_> {
        directory_v1_0::Client::new(&self.runtime)
    }

    /// The beta directory (cargo feature `directory`; beta may change without notice).
    #[cfg(feature = "directory")]
    pub fn directory_beta(&self) -> directory_beta::Client<'_> {
        directory_beta::Client::new(&self.runtime)
    }

    /// The connection settings the version clients share, e.g. to hand to a client generated
    /// into another crate by a build script.
    pub fn runtime(&self) -> &runtime::Runtime {
        &self.runtime
    }
}

/// Wraps a runtime built elsewhere; what [`ClientBuilder::build`] calls.
impl From<runtime::Runtime> for Client {
    fn from(runtime: runtime::Runtime) -> Self {
        Client { runtime }
    }
}
