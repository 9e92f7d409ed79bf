//! The OData error body Graph returns with every non-success status.

use serde::{Deserialize, Serialize};

/// `{"error": {...}}` as Graph sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ODataErrorBody {
    pub error: ODataError,
}

/// The `error` object of an OData error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ODataError {
    /// Machine-readable code, e.g. `NotFound` or `TooManyRequests`.
    #[serde(default)]
    pub code: String,
    /// Human-readable message.
    #[serde(default)]
    pub message: String,
    /// The part of the request the error is about, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Further errors, when given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<ODataErrorDetail>,
    /// Diagnostics (request ids, date), when given.
    #[serde(
        default,
        rename = "innerError",
        alias = "innererror",
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<ODataInnerError>,
}

/// One entry of `error.details`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ODataErrorDetail {
    /// Machine-readable code of this detail.
    #[serde(default)]
    pub code: String,
    /// Human-readable message of this detail.
    #[serde(default)]
    pub message: String,
    /// The part of the request the detail is about, when the service says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// `error.innerError`: the ids to quote when asking Microsoft support about a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ODataInnerError {
    /// The service's id for the request (`request-id`).
    #[serde(
        default,
        rename = "request-id",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// The `client-request-id` the client sent, echoed back.
    #[serde(
        default,
        rename = "client-request-id",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_request_id: Option<String>,
    /// When the service handled the request, as the service formatted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Anything else the service put there.
    #[serde(flatten)]
    pub additional_properties: serde_json::Map<String, serde_json::Value>,
}

impl ODataError {
    /// Parses a response body as an OData error, if it is one.
    pub fn parse(body: &[u8]) -> Option<Self> {
        serde_json::from_slice::<ODataErrorBody>(body)
            .ok()
            .map(|b| b.error)
    }
}
