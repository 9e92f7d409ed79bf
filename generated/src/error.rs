//! The crate's one error type.

use crate::runtime::{Cloud, ODataError};

/// Everything a call can fail with. Match on the variant, or use the helpers
/// ([`Error::status`], [`Error::is_not_found`], ...).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete: connection refused, TLS failure, timeout, ...
    #[error("{method} {path}: transport error: {source}")]
    Transport {
        method: &'static str,
        /// Path template of the operation, e.g. `/users/{user-id}/presence`.
        path: &'static str,
        #[source]
        source: reqwest::Error,
    },

    /// The service answered with a status that is not a success.
    #[error("{method} {path}: HTTP {status}{}", odata_suffix(.odata.as_deref()))]
    Status {
        method: &'static str,
        path: &'static str,
        status: u16,
        /// The parsed OData error body, when the body was one.
        odata: Option<Box<ODataError>>,
        /// The raw body (truncated to 4 KiB), useful when it is not OData.
        body: String,
    },

    /// A success response whose body does not match the expected type.
    #[error("{operation}: could not decode the response at `{field}`: {message}")]
    Decode {
        operation: &'static str,
        /// Path of the field that failed, e.g. `value[3].availability` (`.` for the root).
        field: String,
        message: String,
    },

    /// The call was refused before sending because an argument is unusable.
    #[error("invalid input: {0}")]
    InvalidInput(String),

    /// The operation has no path for the given [`Target`](crate::v1_0::Target) variant.
    #[error("{operation} cannot be called on Target::{target}: the API has no such binding")]
    UnsupportedTarget {
        operation: &'static str,
        target: &'static str,
    },

    /// The operation is not available in the client's national cloud; nothing was sent.
    #[error("{operation} is not available in the {cloud} cloud")]
    CloudUnavailable {
        operation: &'static str,
        cloud: Cloud,
    },

    /// The token provider failed.
    #[error("could not get an access token: {0}")]
    Auth(String),
}

fn odata_suffix(odata: Option<&ODataError>) -> String {
    match odata {
        Some(e) => format!(" {}: {}", e.code, e.message),
        None => String::new(),
    }
}

impl Error {
    /// The HTTP status of an [`Error::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The parsed OData error of an [`Error::Status`].
    pub fn odata(&self) -> Option<&ODataError> {
        match self {
            Error::Status { odata, .. } => odata.as_deref(),
            _ => None,
        }
    }

    /// True for a 404: for `clear_presence`, the presence session does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True for a 429 (too many requests).
    pub fn is_throttled(&self) -> bool {
        self.status() == Some(429)
    }

    /// Used by generated code, which may live in another crate (a build script's output).
    #[doc(hidden)]
    pub fn unsupported_target(
        operation: &crate::runtime::OperationInfo,
        target: &'static str,
    ) -> Self {
        Error::UnsupportedTarget {
            operation: operation.name,
            target,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
