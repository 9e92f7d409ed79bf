//! The navigation tree: builders mirroring the URL paths, and their accessors.

use super::Ident;
use serde::Serialize;

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
