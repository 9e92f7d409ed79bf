//! A request as the generated code describes it, before the transport sends it.

use super::operation::{BindingInfo, OperationInfo};
use super::param::ParamValue;
use crate::Error;

/// What to send: built by a generated method, sent by [`super::Runtime::send`].
#[derive(Debug, Clone)]
pub struct Request {
    pub(crate) operation: &'static OperationInfo,
    pub(crate) binding: &'static BindingInfo,
    /// Encoded path below the version prefix, e.g. `/users/abc/presence`.
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    /// Content type and bytes; `Bytes` so a retry resends the body without copying it.
    pub(crate) body: Option<(&'static str, bytes::Bytes)>,
    /// An absolute URL to GET instead of the operation's path (an `@odata.nextLink`).
    pub(crate) next_link: Option<String>,
}

impl Request {
    /// A request for one binding of an operation, with its path already encoded and no
    /// query, headers or body yet.
    pub fn new(
        operation: &'static OperationInfo,
        binding: &'static BindingInfo,
        path: String,
    ) -> Self {
        Request {
            operation,
            binding,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            next_link: None,
        }
    }

    /// A request for `binding`, its path template filled with `args` (one per `{parameter}`,
    /// in template order, each percent-encoded): what a generated method starts from.
    #[doc(hidden)]
    pub fn for_binding(binding: &'static BindingInfo, args: &[&str]) -> Result<Self, Error> {
        let path = super::path::expand(binding.path, args)?;
        Ok(Request::new(binding.operation, binding, path))
    }

    /// A GET of a collection's next page, at the `@odata.nextLink` the previous page returned.
    /// The transport refuses links outside the client's base URL, so the token is never sent
    /// to another host.
    pub fn next_page(
        operation: &'static OperationInfo,
        binding: &'static BindingInfo,
        next_link: impl Into<String>,
    ) -> Self {
        let mut request = Request::new(operation, binding, String::new());
        request.next_link = Some(next_link.into());
        request
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::InvalidInput(format!(
                "{}: the request body cannot be serialized: {e}",
                self.operation.name
            ))
        })?;
        self.body = Some(("application/json", bytes.into()));
        Ok(self)
    }

    /// Sets the body `{}`, for actions whose body Graph requires but which carry nothing, so
    /// generated code needs no JSON crate of its own.
    pub fn empty_json_object(mut self) -> Self {
        self.body = Some(("application/json", bytes::Bytes::from_static(b"{}")));
        self
    }

    /// Sets a plain-text body.
    pub fn text(mut self, body: &str) -> Self {
        self.body = Some(("text/plain", bytes::Bytes::copy_from_slice(body.as_bytes())));
        self
    }

    /// Sets a binary body.
    pub fn bytes(mut self, body: &[u8]) -> Self {
        self.body = Some((
            "application/octet-stream",
            bytes::Bytes::copy_from_slice(body),
        ));
        self
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) -> Self {
        self.query.push((name, value.param_value()));
        self
    }

    /// Adds a header parameter.
    pub fn header(mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) -> Self {
        self.headers.push((name, value.param_value()));
        self
    }

    /// The operation this request belongs to.
    pub fn operation(&self) -> &'static OperationInfo {
        self.operation
    }

    /// The binding (path template) being called.
    pub fn binding(&self) -> &'static BindingInfo {
        self.binding
    }

    /// The encoded path below the version prefix.
    pub fn path(&self) -> &str {
        &self.path
    }
}
