//! `/_emulator/directory...`: seeding the directory over HTTP (for the standalone binary).
//! Like the other controls they need no token and never meet injected faults.
//!
//! - `POST /_emulator/directory/users` with a user or an array of users
//!   (`{"id","displayName","userPrincipalName","mail"?,"jobTitle"?}`) → 204
//! - `POST /_emulator/directory/groups` with a group or an array of groups
//!   (`{"id","displayName","members":[{"type":"user","id":".."},{"type":"group","id":".."}]}`) → 204
//! - `DELETE /_emulator/directory` → 204, forgets every user and group

use super::store::{DirectoryGroup, DirectoryUser};
use crate::odata::{ApiError, RequestIds, error_response};
use crate::state::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::sync::{Arc, PoisonError};

/// One item or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

fn items<T: DeserializeOwned>(body: &[u8]) -> Result<Vec<T>, ApiError> {
    match serde_json::from_slice::<OneOrMany<T>>(body) {
        Ok(OneOrMany::Many(items)) => Ok(items),
        Ok(OneOrMany::One(item)) => Ok(vec![item]),
        Err(e) => Err(ApiError::bad_request(format!(
            "Unreadable directory seed: {e}"
        ))),
    }
}

fn answer(shared: &Shared, outcome: Result<(), ApiError>) -> Response {
    match outcome {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(error) => {
            let ids = RequestIds::new(shared.next_serial(), None, shared.clock.now());
            error_response(&error, &ids)
        }
    }
}

pub(super) async fn add_users(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let outcome = items::<DirectoryUser>(&body).map(|users| {
        let mut directory = shared
            .directory
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        users.into_iter().for_each(|u| directory.put_user(u));
    });
    answer(&shared, outcome)
}

pub(super) async fn add_groups(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let outcome = items::<DirectoryGroup>(&body).map(|groups| {
        let mut directory = shared
            .directory
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        groups.into_iter().for_each(|g| directory.put_group(g));
    });
    answer(&shared, outcome)
}

pub(super) async fn clear(State(shared): State<Arc<Shared>>) -> Response {
    shared
        .directory
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clear();
    answer(&shared, Ok(()))
}
