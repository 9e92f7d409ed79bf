//! A successful response, decoded into what the generated method returns.

use crate::Error;
use serde::de::DeserializeOwned;

/// The status and body of a success response.
#[derive(Debug, Clone)]
pub struct Response {
    pub(crate) operation: &'static str,
    pub(crate) status: u16,
    pub(crate) body: Vec<u8>,
    pub(crate) client_request_id: String,
    pub(crate) request_id: Option<String>,
}

impl Response {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The `client-request-id` sent with the request.
    pub fn client_request_id(&self) -> &str {
        &self.client_request_id
    }

    /// The service's `request-id` response header, when present.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// For operations documented without a response body; any body is ignored.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// Decodes a JSON body, naming the field that failed.
    ///
    /// The whole body must be one JSON value: text after it (`{...} garbage`, two documents)
    /// is an error, not silently ignored.
    pub fn json<T: DeserializeOwned>(self) -> Result<T, Error> {
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| Error::Decode {
            operation: self.operation,
            field: e.path().to_string(),
            message: e.into_inner().to_string(),
        })?;
        de.end().map_err(|e| Error::Decode {
            operation: self.operation,
            field: ".".to_owned(),
            message: e.to_string(),
        })?;
        Ok(value)
    }

    /// The body as text.
    pub fn text(self) -> Result<String, Error> {
        String::from_utf8(self.body).map_err(|e| Error::Decode {
            operation: self.operation,
            field: ".".to_owned(),
            message: format!("body is not UTF-8: {e}"),
        })
    }

    /// The body as a whole number written as text (OData's `$count` answers `text/plain`).
    pub fn integer(self) -> Result<i64, Error> {
        let operation = self.operation;
        let text = self.text()?;
        text.trim().parse().map_err(|e| Error::Decode {
            operation,
            field: ".".to_owned(),
            message: format!("expected a whole number, got {text:?}: {e}"),
        })
    }

    /// The raw body.
    pub fn into_bytes(self) -> Vec<u8> {
        self.body
    }
}
