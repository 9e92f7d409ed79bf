//! Operations: methods, paths, parameters, bodies, responses, permissions and clouds.

use super::{Ident, NavParam, TypeRef};
use serde::Serialize;

/// One operation of the API: an action or HTTP method with the same shape on one or more paths.
/// Each binding becomes its own method on the builder of its path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// snake_case name of the operation; its types are named after it.
    pub method_name: String,
    /// Name of the static `OperationInfo` describing it, e.g. `SET_PRESENCE`.
    pub descriptor: String,
    /// The action as the API names it, e.g. `setPresence`.
    pub action: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub http_method: HttpMethod,
    pub deprecated: bool,
    /// The paths the operation is bound to, each a method on its own builder.
    pub bindings: Vec<Binding>,
    /// Query and header parameters (path parameters belong to the bindings).
    pub params: Vec<Param>,
    /// Name of the generated parameter struct, when `params` is not empty.
    pub params_type: Option<String>,
    /// Docs of the parameter struct: the calls that take it.
    pub params_docs: String,
    /// Whether the parameter struct derives `Default` (every parameter is optional).
    pub params_default: bool,
    pub body: Option<RequestBody>,
    pub success: Success,
    /// Documented error statuses (numbers or ranges like `4XX`), in spec order.
    pub error_statuses: Vec<String>,
    /// Set when the success body is a collection with a next link: each binding then also
    /// gets a stream over every item (see [`Binding::stream`]).
    pub paging: Option<Paging>,
    /// Headers the operation sends besides its parameters (`ConsistencyLevel: eventual`, from
    /// the `x-msgraph-consistency-level` extension).
    pub fixed_headers: Vec<FixedHeader>,
}

/// A paged collection: the struct of one page and the type of its items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Paging {
    /// The page's struct (the one-page method's return type), by Rust name.
    pub collection: String,
    /// The type of the items of `value`, what the stream yields.
    pub item: TypeRef,
}

/// A header with a value fixed by the spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixedHeader {
    pub name: String,
    pub value: String,
    /// Sent only when one of these (optional) parameters is given; always when empty.
    pub when_set: Vec<Ident>,
}

/// The stream method of a paged binding, beside its one-page method.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StreamMethod {
    /// Its name on the binding's builder: the one-page method's, with `_stream`.
    pub name: Ident,
    /// Its call from the version client, e.g. `subscriptions().list_stream(None)`.
    pub call: String,
    pub docs: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Head => "HEAD",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
        }
    }
}

/// One path an operation can be called on, with what the spec says about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Binding {
    pub operation_id: String,
    /// The path template as written in the spec, e.g. `/users/{user-id}/presence/setPresence`.
    pub path: String,
    /// Rust names of the path parameters, in path order.
    pub path_params: Vec<PathParam>,
    /// Name of the static `BindingInfo` describing it, e.g. `USER_PRESENCE_SET_PRESENCE`.
    pub descriptor: String,
    /// The builder (index into `Api::nodes`) the method lives on.
    pub node: usize,
    /// The method's name on that builder.
    pub method: Ident,
    /// Path parameters the method takes itself (those of a function call segment such as
    /// `getAllTranscripts(meetingOrganizerUserId='{meetingOrganizerUserId}')`), after the
    /// builder's fields in path order.
    pub method_args: Vec<NavParam>,
    /// The call from the version client, e.g. `user(user_id).presence().set_presence(..)`.
    pub call: String,
    /// The method's documentation: summary, path, permissions, clouds, errors.
    pub docs: String,
    /// The stream over every item, when the operation pages ([`Operation::paging`]).
    pub stream: Option<StreamMethod>,
    pub deprecated: bool,
    pub permissions: Vec<Permission>,
    /// National clouds the spec says this binding is available in; `None` when the spec is silent.
    pub clouds: Option<Vec<Cloud>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathParam {
    pub name: String,
    pub wire_name: String,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Permission {
    pub kind: PermissionKind,
    pub least: String,
    pub higher: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum PermissionKind {
    DelegatedWork,
    DelegatedPersonal,
    Application,
}

impl PermissionKind {
    pub const ALL: [PermissionKind; 3] = [
        PermissionKind::DelegatedWork,
        PermissionKind::DelegatedPersonal,
        PermissionKind::Application,
    ];

    /// Key of this kind in the `x-graph-permissions` extension.
    pub fn key(self) -> &'static str {
        match self {
            PermissionKind::DelegatedWork => "delegatedWork",
            PermissionKind::DelegatedPersonal => "delegatedPersonal",
            PermissionKind::Application => "application",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PermissionKind::DelegatedWork => "Delegated (work or school account)",
            PermissionKind::DelegatedPersonal => "Delegated (personal Microsoft account)",
            PermissionKind::Application => "Application",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Cloud {
    Global,
    UsGovL4,
    UsGovL5,
    China,
}

impl Cloud {
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China];

    /// Key of this cloud in the `x-graph-clouds` extension.
    pub fn key(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGovL4 => "usGovL4",
            Cloud::UsGovL5 => "usGovL5",
            Cloud::China => "china",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cloud::Global => "Global",
            Cloud::UsGovL4 => "US Government L4",
            Cloud::UsGovL5 => "US Government L5 (DoD)",
            Cloud::China => "China (21Vianet)",
        }
    }

    /// Name of the matching variant of the runtime's `Cloud` enum.
    pub fn variant(self) -> &'static str {
        match self {
            Cloud::Global => "Global",
            Cloud::UsGovL4 => "UsGovL4",
            Cloud::UsGovL5 => "UsGovL5",
            Cloud::China => "China",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub name: Ident,
    pub wire_name: String,
    pub location: ParamLocation,
    /// The spec's description, or a sentence naming the parameter when it has none.
    pub docs: String,
    pub ty: TypeRef,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub docs: Option<String>,
    pub encoding: BodyEncoding,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BodyEncoding {
    Json,
    Text,
    Binary,
    /// A body that is always the empty object (`type: object` with no properties and no
    /// `additionalProperties`): the method takes no body argument and sends `{}`, as the docs'
    /// examples show. `ty` is [`TypeRef::Json`] and names no generated type.
    EmptyObject,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Success {
    /// Status keys counted as success, as written (`200`, `204`, `2XX`).
    pub statuses: Vec<String>,
    pub body: SuccessBody,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SuccessBody {
    /// No content: the method returns `()`.
    Empty,
    Json(TypeRef),
    Text,
    /// Plain text holding a whole number (`$count`): the method returns `i64`.
    Integer,
    /// The body's bytes: binary media types, and operations whose success is not documented
    /// (`responses: {}`, or a `default` with content), where a typed or JSON decode could fail
    /// on a body nobody described.
    Binary,
}
