//! The directory a presence app starts from (the client's `directory` part): users with UPN
//! and mail, groups with members (nested groups for transitiveMembers), served on both
//! versions. Routes: `GET /{v}/users`, `GET /{v}/users/{id or UPN}`,
//! `GET /{v}/groups/{id}/members/microsoft.graph.user` and `.../transitiveMembers/microsoft.graph.user`;
//! the seeding controls of [`control`]. Rules: [`query`] (paging, advanced queries, filters).

mod control;
mod handlers;
mod query;
mod seed;
mod store;

pub use seed::DirectorySeed;
pub(crate) use store::Directory;
pub use store::{DirectoryGroup, DirectoryUser, GroupMember};

use crate::state::Shared;
use axum::Router;
use axum::routing::{delete, get, post};
use std::sync::Arc;

pub(crate) fn router() -> Router<Arc<Shared>> {
    let mut router = Router::new();
    for version in ["v1.0", "beta"] {
        // `{p0}`, `{p1}`: the parameter names the presence routes under `/users/` use, so the
        // two route sets share one tree.
        router = router
            .route(&format!("/{version}/users"), get(handlers::list_users))
            .route(&format!("/{version}/users/{{p0}}"), get(handlers::get_user))
            .route(
                &format!("/{version}/groups/{{p0}}/members/{{p1}}"),
                get(handlers::direct_members),
            )
            .route(
                &format!("/{version}/groups/{{p0}}/transitiveMembers/{{p1}}"),
                get(handlers::transitive_members),
            );
    }
    router
        .route("/_emulator/directory/users", post(control::add_users))
        .route("/_emulator/directory/groups", post(control::add_groups))
        .route("/_emulator/directory", delete(control::clear))
}
