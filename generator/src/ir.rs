//! The intermediate representation: plain data, produced by `lower`, consumed by `emit`.
//!
//! Every decision (Rust names, types, grouping of bindings, success and error responses) has
//! already been made when a value of these types exists, so the emitters stay dumb and the IR can
//! be unit-tested and snapshotted on its own.

pub mod cli;

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

/// The path of a crate (or module) generated code names, e.g. `::msgraph_presence_runtime`:
/// checked when it is made, so emitters write its segments without parsing anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CratePath {
    /// Starts with `::` (a crate from the extern prelude).
    pub leading_colons: bool,
    /// `crate`, `self` and `super` are allowed as segments; none is raw.
    pub segments: Vec<Ident>,
}

impl CratePath {
    /// Parses a Rust path with no generic arguments; `None` when `text` is not one.
    pub fn parse(text: &str) -> Option<CratePath> {
        let path: syn::Path = syn::parse_str(text).ok()?;
        let segments = path
            .segments
            .iter()
            .map(|segment| {
                matches!(segment.arguments, syn::PathArguments::None).then(|| {
                    let name = segment.ident.to_string();
                    match name.strip_prefix("r#") {
                        Some(raw) => Ident::raw(raw),
                        None => Ident::plain(name),
                    }
                })
            })
            .collect::<Option<Vec<Ident>>>()?;
        Some(CratePath {
            leading_colons: path.leading_colon.is_some(),
            segments,
        })
    }

    /// The path as Rust source (`::msgraph_presence_runtime`).
    pub fn to_source(&self) -> String {
        let joined = self
            .segments
            .iter()
            .map(Ident::to_source)
            .collect::<Vec<_>>()
            .join("::");
        if self.leading_colons {
            format!("::{joined}")
        } else {
            joined
        }
    }
}

/// Serialized as its source text, the way snapshots and messages show it.
impl Serialize for CratePath {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_source())
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
    pub runtime_crate: CratePath,
    /// Named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// Operations (each with one or more bindings), sorted by name.
    pub operations: Vec<Operation>,
    /// The navigation tree mirroring the URL paths: `nodes[0]` is the version's `Client`, every
    /// other node a builder reached through an accessor of its parent.
    pub nodes: Vec<NavNode>,
    /// Problems that did not stop generation (e.g. an operationId used on two paths).
    pub warnings: Vec<Warning>,
}

/// Names the emitted version `Client` defines itself (`Client::new(runtime)`, the per-call
/// options, the private `send` every method ends with), so no accessor or method taken from the
/// spec may use them. `emit` names those methods from this list too, so the two cannot drift
/// apart. Builders reserve them as well, so one rule covers every node.
pub const CLIENT_OWN_METHODS: [&str; 5] = ["new", "with_options", "runtime", "options", "send"];

/// Names of locals and parameters a generated method body uses besides its path arguments.
pub const METHOD_LOCALS: [&str; 6] = [
    "params",
    "body",
    "request",
    "response",
    "client",
    "max_items",
];

/// A problem in the spec that generation worked around.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// JSON pointer of the node the warning is about.
    pub pointer: String,
    pub message: String,
    /// JSON pointer of a second node involved (e.g. the first use of a duplicated id).
    pub also_at: Option<String>,
}

/// One builder of the navigation tree: a path prefix like `/users/{user-id}/presence`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NavNode {
    /// Rust type of the builder (`Client` for the root).
    pub type_name: Ident,
    /// The path prefix the builder stands for, e.g. `/users/{user-id}/presence`.
    pub path: String,
    /// How a caller reaches it from the version client, e.g. `user(user_id).presence()`.
    pub call: String,
    /// Path parameters collected on the way here, in path order: the builder's fields.
    pub fields: Vec<Ident>,
    /// Accessors leading to child builders.
    pub children: Vec<NavChild>,
    /// Operations bound here: (index into `Api::operations`, index into its `bindings`),
    /// sorted by method name.
    pub methods: Vec<(usize, usize)>,
}

/// An accessor method from one builder to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NavChild {
    pub accessor: Ident,
    /// Index of the child in `Api::nodes`.
    pub node: usize,
    /// The ids the accessor takes (`user(user_id)`), usually none or one.
    pub params: Vec<NavParam>,
    pub docs: String,
}

/// A path parameter taken by an accessor or a method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NavParam {
    pub name: Ident,
    pub wire_name: String,
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
        /// How the struct is read from and written to JSON.
        wire: Wire,
    },
    /// A string with known values; other values are kept in the fallback variant.
    Enum {
        variants: Vec<EnumVariant>,
        fallback: Ident,
    },
    /// Another name for an existing type.
    Alias { target: TypeRef },
    /// A `oneOf`/`anyOf` of alternatives (see `lower/schemas/unions.rs` for the rule order).
    Union {
        rule: UnionRule,
        variants: Vec<UnionVariant>,
    },
}

/// How the alternatives of a union are told apart when JSON is read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum UnionRule {
    /// One property (`tag`) holds a different constant string in every alternative.
    InternallyTagged { tag: String },
    /// Every alternative is an object with exactly one required property of its own.
    ExternallyTagged,
    /// Told apart by JSON kind or by a required property only one alternative has.
    Untagged,
    /// Cannot be told apart: the type keeps the raw JSON and offers an accessor per
    /// alternative.
    Raw,
}

/// One alternative of a union.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnionVariant {
    /// The enum variant's name.
    pub name: Ident,
    /// The `as_<alternative>` accessor's name.
    pub accessor: Ident,
    pub ty: TypeRef,
    /// How a JSON value is recognised as this alternative.
    pub test: VariantTest,
    pub docs: String,
}

/// What a JSON value must look like to be read as one alternative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum VariantTest {
    /// The union's tag property holds this string.
    Tag(String),
    /// An object holding this property.
    Key(String),
    /// A value of this JSON kind.
    Kind(JsonKind),
    /// Nothing tells it apart ([`UnionRule::Raw`]).
    None,
}

/// The kinds of JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum JsonKind {
    String,
    Number,
    Boolean,
    Array,
    Object,
}

impl JsonKind {
    /// The kind's name in messages and in `serde_json::Value` (`is_<name>`).
    pub fn as_str(self) -> &'static str {
        match self {
            JsonKind::String => "string",
            JsonKind::Number => "number",
            JsonKind::Boolean => "boolean",
            JsonKind::Array => "array",
            JsonKind::Object => "object",
        }
    }
}

/// How a generated struct is read from and written to JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Wire {
    /// serde's derives (`Serialize`, `Deserialize` in `derives`), with a `#[serde]` attribute
    /// per field: for structs with a required field, whose absence serde reports.
    Derive,
    /// The runtime's `object_impls!`: one shared map visitor and writer instead of a derived one
    /// per type, for structs whose fields are all optional (most of Graph's types). Same JSON
    /// both ways; serde's derive with `flatten` for the unknown properties was most of a
    /// generated module's compile time.
    Runtime,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_paths_round_trip_through_source() {
        for text in [
            "::msgraph_presence_runtime",
            "crate",
            "crate::rt",
            "my_rt",
            "super::r#type",
        ] {
            let path = CratePath::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(path.to_source(), text);
        }
        assert!(
            CratePath::parse("::msgraph_presence_runtime")
                .unwrap()
                .leading_colons
        );
        assert!(CratePath::parse("super::r#type").unwrap().segments[1].raw);
    }

    #[test]
    fn anything_but_a_plain_path_is_refused() {
        for text in ["", "::msgraph presence", "a::<T>", "Vec<u8>", "a::b;"] {
            assert_eq!(CratePath::parse(text), None, "{text:?}");
        }
    }
}
