// Hand-written, not generated: the user-facing part of the runtime crate, re-exported so users
// depend on one crate and write `msgraph_presence::runtime::RetryPolicy` and friends.

//! Retries, auth, per-call options, national clouds, permission scopes and date/time types: the
//! user-facing API of the hand-written runtime crate `msgraph-presence-runtime`.
//!
//! The plumbing generated methods call (request building, path encoding) is not re-exported:
//! generated code names the runtime crate itself.

pub use msgraph_presence_runtime::{
    AdditionalProperties, BindingInfo, Cloud, Date, DateTime, Duration, Error, FnToken, HttpClient,
    MAX_BODY_BYTES, MAX_RETRIES_CAP, MAX_TOTAL_WAIT_CAP, Method, ODataError, ODataErrorDetail,
    ODataInnerError, OperationInfo, PermissionInfo, PermissionKind, RETRYABLE_STATUSES,
    RequestOptions, Result, RetryPolicy, Runtime, SleepFuture, Sleeper, StaticToken, TokenFuture,
    TokenProvider, TransportKind, required_scopes, token_fn,
};

/// Credentials from the Azure SDK for Rust (feature `azure-identity`): `az login`, client
/// secrets, managed and workload identities as token providers for the cloud's Graph scope.
#[cfg(feature = "azure-identity")]
pub use msgraph_presence_runtime::azure;
