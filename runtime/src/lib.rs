//! The hand-written runtime of the `msgraph-presence` client: transport, retries, auth, request
//! options, national clouds, permission scopes, tracing and the one [`Error`] type.
//!
//! With the `azure-identity` feature, the `azure` module turns any Azure SDK credential (Azure
//! CLI sign-in, client secret, managed identity, workload identity) into a token provider for
//! the cloud's Graph scope, and `ClientBuilder::token_credential` takes one directly.
//!
//! Users depend on the `msgraph-presence` crate, which re-exports what they need from here
//! (`msgraph_presence::{Client, Cloud, Error, Result}`, `msgraph_presence::runtime::*`). The
//! generated version modules call this crate directly (`::msgraph_presence_runtime`), so code a
//! build script generates into another crate needs only this one, not the client's entry.
//!
//! Generated methods stay thin: they hand a static operation descriptor and the path arguments
//! to [`Runtime`]. The items they use for that are hidden from these docs: they are plumbing
//! between generated and hand-written code, not API, and may change with the generator.

// Every public item carries docs; the compiler checks it.
#![deny(missing_docs)]

// Unit tests of the rules (paths, retries, scopes, durations, base URLs) live next to the code.
// The behaviour over HTTP (errors, retries, auth, tracing, clouds, options) is tested through the
// client crate in `generated/tests/`, as users call it: those tests need generated operations to
// send, and the client crate depends on this one, not the other way round.

mod auth;
#[cfg(feature = "azure-identity")]
pub mod azure;
mod base_url;
mod body;
mod builder;
mod error;
mod model_support;
mod odata;
mod operation;
mod options;
mod paging;
mod param;
mod path;
mod request;
mod response;
mod retry;
mod retry_decision;
mod scopes;
mod server_clock;
#[cfg(feature = "signin")]
pub mod signin;
mod time;
mod transport;
mod transport_attempt;
mod transport_exchange;

pub use auth::{FnToken, StaticToken, TokenFuture, TokenProvider, token_fn};
pub use body::MAX_BODY_BYTES;
pub use builder::ClientBuilder;
pub use error::{Error, Result, TransportKind};
/// The trait of what generated `*_stream` methods return (the `futures` crate's `Stream`):
/// read it with `futures::StreamExt` or `futures_util::StreamExt`.
pub use futures_core::Stream;
pub use model_support::AdditionalProperties;
#[doc(hidden)]
pub use model_support::{ObjectWriter, WireObject, deserialize_object};
pub use odata::{ODataError, ODataErrorDetail, ODataInnerError};
pub use operation::{BindingInfo, Cloud, OperationInfo, PermissionInfo, PermissionKind};
pub use options::RequestOptions;
/// The HTTP client type [`ClientBuilder::http_client`] accepts.
pub use reqwest::Client as HttpClient;
/// The HTTP method of an [`OperationInfo`].
pub use reqwest::Method;
pub use retry::{
    MAX_RETRIES_CAP, MAX_RETRY_AFTER, MAX_TOTAL_WAIT_CAP, RETRYABLE_STATUSES, RetryPolicy,
    SleepFuture, Sleeper,
};
pub use scopes::required_scopes;
pub use server_clock::MAX_CLOCK_OFFSET;
pub use time::{Date, DateTime, Duration};
pub use transport::Runtime;

// Plumbing the generated code (and the client crate's batch helper) calls: public because
// generated code in other crates calls it, hidden because callers never should. Kept at the
// root, so generated code writes `runtime::Request` with `use <runtime crate> as runtime;`.
#[doc(hidden)]
pub use param::ParamValue;
#[doc(hidden)]
pub use request::Request;
#[doc(hidden)]
pub use response::Response;
