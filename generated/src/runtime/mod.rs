//! The hand-written runtime the generated code calls: transport, paths, errors, descriptors.
//!
//! Generated modules stay thin: they build a [`Request`] and hand it to [`Runtime::send`].

mod auth;
mod body;
mod odata;
mod operation;
pub(crate) mod options;
mod param;
mod path;
mod request;
mod response;
pub(crate) mod retry;
mod scopes;
mod time;
mod transport;

pub use auth::{FnToken, StaticToken, TokenFuture, TokenProvider, token_fn};
pub use body::MAX_BODY_BYTES;
pub use odata::{ODataError, ODataErrorDetail, ODataInnerError};
pub use operation::{BindingInfo, Cloud, OperationInfo, PermissionInfo, PermissionKind};
pub use options::RequestOptions;
pub use param::ParamValue;
pub use request::Request;
/// The HTTP client type [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) accepts.
pub use reqwest::Client as HttpClient;
pub use reqwest::Method;
pub use response::Response;
pub use retry::{
    MAX_RETRIES_CAP, MAX_TOTAL_WAIT_CAP, RETRYABLE_STATUSES, RetryPolicy, SleepFuture, Sleeper,
};
pub use scopes::required_scopes;
pub use time::{Date, DateTime, Duration};
pub use transport::Runtime;

/// The crate's error and result types, re-exported for generated code.
pub use crate::{Error, Result, TransportKind};
