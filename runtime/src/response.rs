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
        // The plain decoder is the fast path; tracking the field path costs on every value, so
        // it only runs again to explain a failure.
        match serde_json::from_slice(&self.body) {
            Ok(value) => Ok(value),
            Err(plain) => Err(self.explain_decode_error::<T>(plain)),
        }
    }

    /// The decode error of [`Response::json`], naming the field that failed.
    fn explain_decode_error<T: DeserializeOwned>(&self, plain: serde_json::Error) -> Error {
        let de = &mut serde_json::Deserializer::from_slice(&self.body);
        let (field, message) = match serde_path_to_error::deserialize::<_, T>(&mut *de) {
            Err(e) => (e.path().to_string(), e.into_inner().to_string()),
            // The value itself decoded, so what failed is the text after it.
            Ok(_) => (".".to_owned(), plain.to_string()),
        };
        Error::Decode {
            operation: self.operation,
            field,
            message,
        }
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
