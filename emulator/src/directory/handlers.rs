//! The directory endpoints of both versions: a user by id or UPN, users listed, and the users
//! among a group's direct or transitive members. Each checks the bearer token, applies
//! injected faults, and lands in the journal with request ids, like every API call.

use super::query::ListQuery;
use super::store::{Directory, DirectoryUser};
use crate::odata::{ApiError, RequestIds, error_response};
use crate::state::{RecordedRequest, Shared};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::sync::{Arc, PoisonError};

/// The only cast the emulator serves on a member list (it holds users and groups only).
const USER_CAST: &str = "microsoft.graph.user";

/// Which member list a request reads.
#[derive(Debug, Clone, Copy)]
enum Members {
    Direct,
    Transitive,
}

pub(super) async fn list_users(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let outcome = admit(&headers).and_then(|()| {
        let query = ListQuery::parse(uri.query(), eventual(&headers))?;
        let directory = lock(&shared);
        Ok(page(&shared, &uri, &query, directory.users()))
    });
    respond(&shared, &method, &uri, &headers, outcome)
}

pub(super) async fn get_user(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let outcome = admit(&headers).and_then(|()| {
        // Only $select applies to one user; the list options are read (and refused) alike.
        let query = ListQuery::parse(uri.query(), eventual(&headers))?;
        let directory = lock(&shared);
        let user = directory.user(&id).ok_or_else(|| not_found(&id))?;
        let mut body = query.project(user);
        if let Value::Object(map) = &mut body {
            map.remove("@odata.type");
        }
        Ok(body)
    });
    respond(&shared, &method, &uri, &headers, outcome)
}

pub(super) async fn direct_members(
    state: State<Arc<Shared>>,
    path: Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    members(state, path, method, uri, headers, Members::Direct)
}

pub(super) async fn transitive_members(
    state: State<Arc<Shared>>,
    path: Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    members(state, path, method, uri, headers, Members::Transitive)
}

fn members(
    State(shared): State<Arc<Shared>>,
    Path((group_id, cast)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    which: Members,
) -> Response {
    let outcome = admit(&headers).and_then(|()| {
        if cast != USER_CAST {
            return Err(if cast.starts_with("microsoft.graph.") {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "Request_UnsupportedQuery",
                    format!("The type cast '{cast}' is not supported on this relation; the emulator serves '{USER_CAST}'."),
                )
            } else {
                ApiError::unknown_segment(&cast)
            });
        }
        let query = ListQuery::parse(uri.query(), eventual(&headers))?;
        let directory = lock(&shared);
        let group = directory.group(&group_id).ok_or_else(|| not_found(&group_id))?;
        let users = match which {
            Members::Direct => directory.direct_users(group),
            Members::Transitive => directory.transitive_users(group),
        };
        Ok(page(&shared, &uri, &query, users))
    });
    respond(&shared, &method, &uri, &headers, outcome)
}

/// One page of `all` as `query` selects it: `value`, `@odata.nextLink` while more remain
/// (the same path and options, with the emulator's `$skiptoken`), and `@odata.count` on the
/// first page when `$count=true` was asked.
fn page(shared: &Shared, uri: &Uri, query: &ListQuery, all: Vec<&DirectoryUser>) -> Value {
    let selected = query.apply(all);
    let end = (query.offset + query.page_size()).min(selected.len());
    let start = query.offset.min(end);
    let value: Vec<Value> = selected[start..end]
        .iter()
        .map(|u| query.project(u))
        .collect();
    let mut body = json!({ "value": value });
    if query.count && query.offset == 0 {
        body["@odata.count"] = json!(selected.len());
    }
    if end < selected.len() {
        body["@odata.nextLink"] = json!(format!(
            "{}{}?{}",
            shared.base_url,
            uri.path(),
            query.next_query(end)
        ));
    }
    body
}

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Directory> {
    shared
        .directory
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

fn eventual(headers: &HeaderMap) -> bool {
    headers
        .get("ConsistencyLevel")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("eventual"))
}

fn not_found(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "Request_ResourceNotFound",
        format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        ),
    )
}

/// Any bearer token is accepted, but there must be one (as for every emulated call).
fn admit(headers: &HeaderMap) -> Result<(), ApiError> {
    let has_token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .is_some_and(|(scheme, token)| {
            scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()
        });
    if has_token {
        Ok(())
    } else {
        Err(ApiError::unauthenticated())
    }
}

/// Faults first (after the token), then the answer; ids stamped, journal written.
fn respond(
    shared: &Shared,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    outcome: Result<Value, ApiError>,
) -> Response {
    let client_request_id = headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok());
    let ids = RequestIds::new(shared.next_serial(), client_request_id, shared.clock.now());
    let outcome = match admit(headers) {
        Ok(()) => shared.faults().serve().and(outcome),
        Err(e) => Err(e),
    };
    let response = match outcome {
        Ok(body) => {
            let mut response = (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                body.to_string(),
            )
                .into_response();
            ids.stamp(&mut response);
            response
        }
        Err(error) => error_response(&error, &ids),
    };
    shared.record(RecordedRequest {
        method: method.to_string(),
        path: uri.path().to_owned(),
        status: response.status().as_u16(),
    });
    response
}
