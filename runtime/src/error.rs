//! The crate's one error type.

use crate::{Cloud, ODataError};

/// Everything a call can fail with. Match on the variant, or use the helpers
/// ([`Error::status`], [`Error::is_not_found`], ...).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete: connection refused, TLS failure, timeout, ...
    #[error("{method} {path}: {kind} (client-request-id {client_request_id}): {source}")]
    Transport {
        /// The HTTP method, e.g. `POST`.
        method: &'static str,
        /// Path template of the operation, e.g. `/users/{user-id}/presence`.
        path: &'static str,
        /// Which stage failed, to tell a refused connection from a slow service.
        kind: TransportKind,
        /// The `client-request-id` header sent with the request.
        client_request_id: String,
        /// The underlying `reqwest` error.
        #[source]
        source: reqwest::Error,
    },

    /// The service answered with a status that is not a success.
    #[error(
        "{method} {path}: HTTP {status}{} (client-request-id {client_request_id}{})",
        odata_suffix(.odata.as_deref()),
        request_id_suffix(.request_id.as_deref())
    )]
    Status {
        /// The HTTP method, e.g. `POST`.
        method: &'static str,
        /// Path template of the operation, e.g. `/users/{user-id}/presence`.
        path: &'static str,
        /// The HTTP status code, e.g. `404`.
        status: u16,
        /// The parsed OData error body, when the body was one.
        odata: Option<Box<ODataError>>,
        /// The raw body (truncated to 4 KiB), useful when it is not OData.
        body: String,
        /// The service's `request-id` (response header, else `error.innerError`).
        request_id: Option<String>,
        /// The `client-request-id` header sent with the request.
        client_request_id: String,
    },

    /// A success response whose body does not match the expected type.
    #[error("{operation}: could not decode the response at `{field}`: {message}")]
    Decode {
        /// The operation whose response failed to decode, e.g. `getPresence`.
        operation: &'static str,
        /// Path of the field that failed, e.g. `value[3].availability` (`.` for the root).
        field: String,
        /// What the decoder objected to.
        message: String,
    },

    /// The call was refused before sending because an argument is unusable.
    #[error("invalid input: {0}")]
    InvalidInput(String),

    /// The operation is not available in the client's national cloud; nothing was sent.
    #[error("{operation} is not available in the {cloud} cloud")]
    CloudUnavailable {
        /// The operation called, e.g. `setPresence`.
        operation: &'static str,
        /// The cloud the client was built for.
        cloud: Cloud,
    },

    /// The token provider failed.
    #[error("could not get an access token: {0}")]
    Auth(String),

    /// The token provider says the signed-in user must sign in again (the refresh token was
    /// revoked or expired, or the platform wants interaction): retrying cannot help, so a
    /// long-running caller should stop and say so.
    #[error("sign in again: {0}")]
    SignInAgain(String),

    /// A page's `@odata.nextLink` points outside the client's base URL (another host, scheme
    /// or port, or a fragment), so it was not followed: the token would have gone with it.
    /// Nothing was sent.
    #[error(
        "@odata.nextLink {link:?} is not below the client's base URL {base_url:?}; not following it"
    )]
    NextLinkRefused {
        /// The link the service returned.
        link: String,
        /// The client's base URL, which every followed link must be below.
        base_url: String,
    },
}

/// Which stage of an HTTP exchange failed in an [`Error::Transport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportKind {
    /// No connection could be made (refused, DNS, TLS handshake).
    Connect,
    /// The request or its response took longer than the timeout.
    Timeout,
    /// The connection broke while sending or receiving.
    Other,
}

impl TransportKind {
    pub(crate) fn of(error: &reqwest::Error) -> Self {
        if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() {
            TransportKind::Connect
        } else {
            TransportKind::Other
        }
    }
}

impl std::fmt::Display for TransportKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Other => "transport error",
        })
    }
}

fn request_id_suffix(request_id: Option<&str>) -> String {
    match request_id {
        Some(id) => format!(", request-id {id}"),
        None => String::new(),
    }
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

    /// True when the user must sign in again ([`Error::SignInAgain`]); nothing else helps.
    pub fn is_sign_in_again(&self) -> bool {
        matches!(self, Error::SignInAgain(_))
    }

    /// True for a 404: for `clear_presence`, the presence session does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// True for a 429 (too many requests).
    pub fn is_throttled(&self) -> bool {
        self.status() == Some(429)
    }

    /// True when the request or its response exceeded the timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        )
    }

    /// True when no connection could be made.
    pub fn is_connect(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            }
        )
    }

    /// The service's `request-id` for an [`Error::Status`], to quote to Microsoft support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Status { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The `client-request-id` sent with the failed request (the same on every retry), to
    /// find the call in your own logs and in Microsoft's.
    pub fn client_request_id(&self) -> Option<&str> {
        match self {
            Error::Status {
                client_request_id, ..
            }
            | Error::Transport {
                client_request_id, ..
            } => Some(client_request_id),
            _ => None,
        }
    }

    /// The raw body of an [`Error::Status`] (at most 4 KiB), e.g. a proxy's HTML page.
    pub fn body(&self) -> Option<&str> {
        match self {
            Error::Status { body, .. } => Some(body),
            _ => None,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
