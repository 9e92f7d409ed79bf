//! The intermediate representation: plain data, produced by `lower`, consumed by `emit`.
//!
//! Every decision (Rust names, types, grouping of bindings, success and error responses) has
//! already been made when a value of these types exists, so the emitters stay dumb and the IR can
//! be unit-tested and snapshotted on its own.

use serde::Serialize;

/// A Rust identifier chosen by `lower`.
///
/// `name` is the identifier without any `r#` prefix (what docs, derived names and messages use);
/// `raw` says whether it is a keyword and must be written `r#name`. Emitters turn it into a
/// `proc_macro2::Ident` without looking at its text, so no `r#` stripping happens outside `lower`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Ident {
    pub name: String,
    pub raw: bool,
}

impl Ident {
    /// An identifier that is not a keyword.
    pub fn plain(name: impl Into<String>) -> Self {
        Ident {
            name: name.into(),
            raw: false,
        }
    }

    /// A keyword used as an identifier, written `r#name`.
    pub fn raw(name: impl Into<String>) -> Self {
        Ident {
            name: name.into(),
            raw: true,
        }
    }

    /// The identifier as it appears in Rust source (`r#type` for a raw one).
    pub fn to_source(&self) -> String {
        if self.raw {
            format!("r#{}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// Compares the bare name, so tests and lookups can write `def.name == "Presence"`.
impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.name == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.name == *other
    }
}

impl std::fmt::Display for Ident {
    /// The bare name, for docs and messages.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// One API version, ready to emit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Api {
    /// Version label from the spec's `info.version`, e.g. `v1.0` or `beta`.
    pub version: String,
    /// Rust module name for this version, e.g. `v1_0`.
    pub module: String,
    /// Path prefix every operation path is appended to, e.g. `/v1.0`.
    pub base_path: String,
    /// Title of the source document.
    pub title: String,
    /// Path of the runtime crate, imported as `runtime` (`::msgraph_presence_runtime`).
    pub runtime_crate: String,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations (one per Rust method), sorted by Rust method name.
    pub operations: Vec<Operation>,
    /// Variants of the version's `Target` enum (empty when no operation has several bindings).
    pub targets: Vec<TargetVariant>,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypeDef {
    pub name: Ident,
    /// Where the type comes from, e.g. `#/components/schemas/microsoft.graph.presence`.
    pub source: String,
    /// Rustdoc markdown, always present: the spec's description (escaped), or a sentence in words
    /// saying what the type is for when the spec has none.
    pub docs: String,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TypeKind {
    /// A JSON object with known properties; unknown ones are kept in a catch-all map.
    Struct {
        fields: Vec<Field>,
        /// Name of the catch-all field holding properties the spec does not describe.
        extras_field: Ident,
        /// Traits the struct derives, in the order written.
        derives: Vec<Derive>,
        /// Whether the struct gets `new` (taking its required fields) and `with_*` setters: only
        /// structs with a required field, which cannot derive `Default`.
        constructor: bool,
    },
    /// A string with known values; other values are kept in the fallback variant.
    Enum {
        variants: Vec<EnumVariant>,
        fallback: Ident,
    },
    /// Another name for an existing type.
    Alias { target: TypeRef },
}

/// A trait a generated struct derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Derive {
    Debug,
    Clone,
    PartialEq,
    /// Only when every field can be left out (see `lower::defaults`).
    Default,
    Serialize,
    Deserialize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Field {
    pub name: Ident,
    pub wire_name: String,
    /// Rustdoc markdown, always present (see [`TypeDef::docs`]).
    pub docs: String,
    /// The type before optionality is applied.
    pub ty: TypeRef,
    /// `false` means the field is `Option<T>` and omitted when `None`.
    pub required: bool,
    /// The value may be JSON `null`; a required nullable field is `Option<T>` serialized as `null`.
    pub nullable: bool,
    pub read_only: bool,
    pub deprecated: bool,
    /// Constructor and setter take `impl Into<T>` (strings and string enums), so `"id"` and
    /// `Availability::Busy` both work without `.into()`.
    pub takes_into: bool,
    /// The `with_*` setter of an optional field of a struct that has a constructor.
    pub setter: Option<Ident>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnumVariant {
    pub name: Ident,
    pub wire_value: String,
    /// Rustdoc markdown, only when it says more than the variant's name (a wire spelling the
    /// name does not show, such as `unknownFutureValue` or `*`).
    pub docs: Option<String>,
}

/// A Rust type expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// RFC 3339 instant (`format: date-time`).
    DateTime,
    /// Calendar date (`format: date`).
    Date,
    /// ISO 8601 duration (`format: duration`).
    Duration,
    /// Raw bytes (binary request and response bodies).
    Bytes,
    /// Any JSON value.
    Json,
    /// A generated type, by its Rust name. Type names are never raw: every Rust keyword but
    /// `Self` is lowercase, and `lower::naming::pascal` turns `Self` into `Self_`.
    Named(String),
    /// A named type that must be boxed to break a recursive cycle.
    Boxed(String),
    Vec(Box<TypeRef>),
    Map(Box<TypeRef>),
}

/// One Rust method of the version's client.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Operation {
    /// snake_case method name.
    pub method_name: String,
    /// The action as the API names it, e.g. `setPresence`.
    pub action: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub http_method: HttpMethod,
    pub deprecated: bool,
    /// The ways to reach this operation; several bindings mean the method takes a `Target`.
    pub bindings: Vec<Binding>,
    /// Query and header parameters (path parameters belong to the bindings).
    pub params: Vec<Param>,
    /// Name of the generated parameter struct, when `params` is not empty.
    pub params_type: Option<String>,
    pub body: Option<RequestBody>,
    pub success: Success,
    /// Documented error statuses (numbers or ranges like `4XX`), in spec order.
    pub error_statuses: Vec<String>,
}

impl Operation {
    /// True when the method takes a `Target` instead of path parameters.
    pub fn uses_target(&self) -> bool {
        self.bindings.len() > 1
    }
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
    pub segments: Vec<PathSegment>,
    /// Rust names of the path parameters, in path order.
    pub path_params: Vec<PathParam>,
    /// Variant of `Target` this binding answers to, when the operation uses a target.
    pub target: Option<String>,
    pub permissions: Vec<Permission>,
    /// National clouds the spec says this binding is available in; `None` when the spec is silent.
    pub clouds: Option<Vec<Cloud>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    Literal(String),
    /// Index into the binding's `path_params`.
    Param(usize),
    /// A parameter between single quotes, an OData string literal of a function call
    /// (`getAllTranscripts(meetingOrganizerUserId='{meetingOrganizerUserId}')`): the value's own
    /// quotes must be doubled or they would end the literal.
    QuotedParam(usize),
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

/// A variant of the version's `Target` enum: one way of naming the resource acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetVariant {
    pub name: String,
    /// Rust names of the variant's fields (the binding's path parameters).
    pub fields: Vec<String>,
    /// A sample path showing what the variant addresses, for the docs.
    pub example_path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub docs: Option<String>,
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
    Binary,
}
