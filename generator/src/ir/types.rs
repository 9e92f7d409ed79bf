//! Named Rust types: structs, enums, unions and the references between them.

use super::Ident;
use serde::Serialize;

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
