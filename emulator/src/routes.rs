//! The HTTP surface: one route per binding path of every operation in the generated
//! `operations::ALL` tables (so the emulator serves exactly what `spec/` describes), plus
//! auth, injected faults, request ids and the request journal around every call.

use super::handlers::{self, Call, Handler, Reply, Version};
use super::odata::{ApiError, RequestIds, error_response};
use super::state::{RecordedRequest, Shared};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawPathParams, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, PoisonError};

/// Where an operation's user comes from.
#[derive(Debug, Clone, Copy)]
enum Subject {
    /// `/me/...`: the emulator's signed-in user.
    SignedIn,
    /// `/users/{id}/...` or `/communications/presences/{id}/...`: the path parameter.
    PathParameter,
    /// `/communications/getPresencesByUserId`: none (the ids are in the body).
    None,
}

/// The router serving both versions and the `/_emulator` control endpoints.
pub(crate) fn router(shared: Arc<Shared>, hosts: super::host_check::AllowedHosts) -> Router {
    let mut paths: BTreeMap<String, MethodRouter<Arc<Shared>>> = BTreeMap::new();
    let mut registered = HashSet::new();
    let versions = [
        (Version::V1_0, msgraph_presence::v1_0::operations::ALL),
        (Version::Beta, msgraph_presence::beta::operations::ALL),
    ];
    for (version, operations) in versions {
        for operation in operations {
            let handler = handlers::for_operation(operation.name, &operation.method);
            let Ok(filter) = MethodFilter::try_from(operation.method.clone()) else {
                continue;
            };
            for binding in operation.bindings {
                // Subscriptions have hand-written routes (super::subscriptions).
                if !served_from_table(binding.path) {
                    continue;
                }
                let subject = if binding.path.starts_with("/me/") {
                    Subject::SignedIn
                } else if binding.path.contains('{') {
                    Subject::PathParameter
                } else {
                    Subject::None
                };
                let route = format!("{}{}", operation.base_path, axum_template(binding.path));
                let endpoint = move |State(shared): State<Arc<Shared>>,
                                     params: RawPathParams,
                                     method: Method,
                                     uri: Uri,
                                     headers: HeaderMap,
                                     body: Bytes| async move {
                    let user = match subject {
                        Subject::SignedIn => shared.signed_in_user.clone(),
                        Subject::PathParameter => params
                            .iter()
                            .next()
                            .map(|(_, value)| value.to_owned())
                            .unwrap_or_default(),
                        Subject::None => String::new(),
                    };
                    let call = Incoming {
                        method: &method,
                        uri: &uri,
                        headers: &headers,
                    };
                    serve(&shared, call, || {
                        let handler = handler.ok_or_else(|| not_implemented(operation.name))?;
                        run(&shared, handler, version, &user, &body)
                    })
                };
                // Two operations on one path and method would make axum panic; the first wins.
                if !registered.insert((route.clone(), operation.method.clone())) {
                    continue;
                }
                let methods = paths.remove(&route).unwrap_or_default();
                paths.insert(route, methods.on(filter, endpoint));
            }
        }
    }
    let mut router = Router::new();
    for (route, methods) in paths {
        router = router.route(&route, methods.fallback(method_not_allowed));
    }
    router
        .merge(super::control::router())
        .merge(super::subscriptions::router())
        .merge(super::directory::router())
        .merge(super::identity::router(
            shared.clock.clone(),
            shared.signed_in_user.clone(),
            shared.base_url.clone(),
        ))
        .fallback(unknown_route)
        .with_state(shared)
        .layer(axum::middleware::from_fn_with_state(
            hosts,
            super::host_check::check,
        ))
}

/// Whether a binding path gets its route from the operations table. Subscription paths
/// (`/subscriptions...`) do not: their behaviour (validation handshake, delivery) is not a
/// presence handler, so they are left to explicit routes, and two routes for one path would
/// make axum panic.
fn served_from_table(path: &str) -> bool {
    path != "/subscriptions" && !path.starts_with("/subscriptions/")
}

/// `/users/{user-id}/presence` → `/users/{p0}/presence`: numbered names keep spec parameter
/// names (any characters) out of axum's syntax; the user is the first parameter.
fn axum_template(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    let mut index = 0;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        out.push_str(&format!("{{p{index}}}"));
        index += 1;
        rest = rest[open..]
            .find('}')
            .map_or("", |close| &rest[open + close + 1..]);
    }
    out.push_str(rest);
    out
}

/// The parts of a request every answer needs.
struct Incoming<'a> {
    method: &'a Method,
    uri: &'a Uri,
    headers: &'a HeaderMap,
}

/// Runs `handle` for a request after the checks Graph makes first (bearer token, then any
/// injected fault), renders its result and records it in the journal.
fn serve(
    shared: &Shared,
    incoming: Incoming<'_>,
    handle: impl FnOnce() -> Result<Reply, ApiError>,
) -> Response {
    let client_request_id = incoming
        .headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok());
    let ids = RequestIds::new(shared.next_serial(), client_request_id, shared.clock.now());
    let outcome = check_bearer(incoming.headers)
        .and_then(|()| shared.faults().serve())
        .and_then(|()| handle());
    let response = match outcome {
        Ok(reply) => {
            let mut response = render(reply);
            ids.stamp(&mut response);
            response
        }
        Err(error) => error_response(&error, &ids),
    };
    shared.record(RecordedRequest {
        method: incoming.method.to_string(),
        path: incoming.uri.path().to_owned(),
        status: response.status().as_u16(),
    });
    response
}

fn run(
    shared: &Shared,
    handler: Handler,
    version: Version,
    user: &str,
    body: &[u8],
) -> Result<Reply, ApiError> {
    let now = shared.clock.now();
    let mut state = shared.state.lock().unwrap_or_else(PoisonError::into_inner);
    let before = presence_of(&mut state, user, now);
    let reply = handler(Call {
        version,
        user_id: user,
        signed_in_user: &shared.signed_in_user,
        now,
        body,
        state: &mut state,
    })?;
    // Every write that changes availability or activity notifies the subscribers.
    let after = presence_of(&mut state, user, now);
    if let (Some(before), Some(after)) = (before, after) {
        let sequence = state.user(user, now).map(|u| u.sequence);
        super::subscriptions::presence_changed(shared, user, before, after, sequence);
    }
    Ok(reply)
}

/// The user's aggregated (availability, activity); `None` for calls without a user.
fn presence_of(
    state: &mut super::model::State,
    user: &str,
    now: jiff::Timestamp,
) -> Option<(&'static str, &'static str)> {
    if user.is_empty() {
        return None;
    }
    Some(super::rules::aggregate(state.user(user, now), now))
}

/// Any bearer token is accepted, but there must be one.
fn check_bearer(headers: &HeaderMap) -> Result<(), ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then_some(token.trim())
        });
    match token {
        Some(token) if !token.is_empty() => Ok(()),
        _ => Err(ApiError::unauthenticated()),
    }
}

fn render(reply: Reply) -> Response {
    match reply {
        Reply::Ok => StatusCode::OK.into_response(),
        Reply::NoContent => StatusCode::NO_CONTENT.into_response(),
        Reply::Json(value) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            value.to_string(),
        )
            .into_response(),
    }
}

fn not_implemented(operation: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "NotImplemented",
        format!("The emulator does not implement the operation '{operation}'."),
    )
}

async fn method_not_allowed(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let incoming = Incoming {
        method: &method,
        uri: &uri,
        headers: &headers,
    };
    let message = format!("The method {method} is not supported on {}.", uri.path());
    serve(&shared, incoming, || {
        Err(ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            message,
        ))
    })
}

/// Graph answers a path it has no resource for with 400 naming the segment.
async fn unknown_route(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path().to_owned();
    let incoming = Incoming {
        method: &method,
        uri: &uri,
        headers: &headers,
    };
    serve(&shared, incoming, || {
        let versioned = ["/v1.0/", "/beta/"].iter().any(|v| path.starts_with(v));
        if !versioned {
            return Err(ApiError::bad_request(format!(
                "Invalid version in '{path}': the emulator serves /v1.0 and /beta."
            )));
        }
        let segment = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        Err(ApiError::unknown_segment(segment))
    })
}

#[cfg(test)]
mod tests {
    use super::{axum_template, served_from_table};

    #[test]
    fn subscription_paths_are_left_to_explicit_routes() {
        assert!(!served_from_table("/subscriptions"));
        assert!(!served_from_table("/subscriptions/{subscription-id}"));
        assert!(!served_from_table(
            "/subscriptions/{subscription-id}/reauthorize"
        ));
        assert!(served_from_table("/me/presence"));
        assert!(served_from_table("/subscriptionsX"));
    }

    #[test]
    fn templates_use_one_parameter_name() {
        assert_eq!(
            axum_template("/users/{user-id}/presence/setPresence"),
            "/users/{p0}/presence/setPresence"
        );
        assert_eq!(axum_template("/me/presence"), "/me/presence");
        assert_eq!(
            axum_template("/communications/presences/{presence-id}"),
            "/communications/presences/{p0}"
        );
        assert_eq!(axum_template("/a/{x}/b/{y}"), "/a/{p0}/b/{p1}");
    }
}
