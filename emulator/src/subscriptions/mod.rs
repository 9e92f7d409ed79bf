//! Change-notification subscriptions for presence, and their delivery (SUBSCRIPTIONS.md).
//!
//! Routes (both versions): `POST|GET /{v}/subscriptions`, `GET|PATCH|DELETE
//! /{v}/subscriptions/{id}`, `POST /{v}/subscriptions/{id}/reauthorize` (also spelled
//! `microsoft.graph.reauthorize`); the JWKS at `/common/discovery/v2.0/keys` and its OpenID
//! configuration; the test controls `POST /_emulator/subscriptions/{id}/lifecycle` and the
//! delivery faults of `chaos_control.rs`.

mod chaos;
mod chaos_control;
pub(crate) mod delivery;
mod events;
mod handlers;
mod handshake;
pub(crate) mod identity;
mod signing;
pub(crate) mod store;
mod validate;

pub use chaos::{DeliveryFaults, FaultCounts};
pub use delivery::DeliveryAttempt;
pub(crate) use events::{presence_changed, send_lifecycle, tick};

use super::state::Shared;
use axum::Router;
use axum::routing::{get, post, put};
use std::sync::Arc;

pub(crate) fn router() -> Router<Arc<Shared>> {
    let mut router = Router::new();
    for version in ["v1.0", "beta"] {
        router = router
            .route(
                &format!("/{version}/subscriptions"),
                post(handlers::create).get(handlers::list),
            )
            .route(
                &format!("/{version}/subscriptions/{{id}}"),
                get(handlers::get_one)
                    .patch(handlers::update)
                    .delete(handlers::delete),
            )
            .route(
                &format!("/{version}/subscriptions/{{id}}/reauthorize"),
                post(handlers::reauthorize),
            )
            .route(
                &format!("/{version}/subscriptions/{{id}}/microsoft.graph.reauthorize"),
                post(handlers::reauthorize),
            );
    }
    router
        .route("/common/discovery/v2.0/keys", get(handlers::jwks))
        .route("/common/discovery/keys", get(handlers::jwks))
        .route(
            "/common/v2.0/.well-known/openid-configuration",
            get(handlers::openid_configuration),
        )
        .route(
            "/_emulator/subscriptions/{id}/lifecycle",
            post(handlers::lifecycle_control),
        )
        .route(
            "/_emulator/subscriptions/{id}/delivery-faults",
            put(chaos_control::set_one)
                .delete(chaos_control::clear_one)
                .get(chaos_control::counts),
        )
        .route(
            "/_emulator/delivery-faults",
            put(chaos_control::set_default).delete(chaos_control::clear_default),
        )
}
