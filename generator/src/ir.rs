//! The intermediate representation: plain data, produced by `lower`, consumed by `emit`.
//!
//! Every decision (Rust names, types, grouping of bindings, success and error responses) has
//! already been made when a value of these types exists, so the emitters stay dumb and the IR can
//! be unit-tested and snapshotted on its own.

pub mod cli;
mod names;
mod nav;
mod operations;
mod types;

pub use names::{CratePath, Ident};
pub use nav::{NavChild, NavNode, NavParam};
pub use operations::{
    Binding, BodyEncoding, Cloud, FixedHeader, HttpMethod, Operation, Paging, Param, ParamLocation,
    PathParam, Permission, PermissionKind, RequestBody, StreamMethod, Success, SuccessBody,
};
pub use types::{
    Derive, EnumVariant, Field, JsonKind, TypeDef, TypeKind, TypeRef, UnionRule, UnionVariant,
    VariantTest, Wire,
};

use serde::Serialize;

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
