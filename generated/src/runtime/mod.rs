//! The hand-written runtime the generated code calls: transport, paths, errors, descriptors.
//!
//! Generated modules stay thin: they build a [`Request`] and hand it to [`Runtime::send`].

mod odata;
mod operation;
mod param;
mod path;
mod request;
mod response;
mod time;
mod transport;

pub use odata::{ODataError, ODataErrorDetail, ODataInnerError};
pub use operation::{BindingInfo, Cloud, OperationInfo, PermissionInfo, PermissionKind};
pub use param::ParamValue;
pub use path::{PathPart, build_path};
pub use request::Request;
pub use reqwest::Method;
pub use response::Response;
pub use time::{Date, DateTime, Duration};
pub use transport::{Runtime, StaticToken, TokenProvider};

/// The crate's error and result types, re-exported for generated code.
pub use crate::{Error, Result};
