//! One handler per operation. Each takes the parsed call and the locked state and returns the
//! reply or an [`ApiError`]; HTTP concerns (auth, faults, ids) stay in [`super::routes`].

mod location;
mod preferred;
mod read;
mod sessions;
mod status_message;

use super::model::State;
use super::odata::ApiError;
use jiff::Timestamp;
use serde_json::Value;

/// The API version a request came in on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Version {
    V1_0,
    Beta,
}

/// One request, ready for its operation's handler.
pub(crate) struct Call<'a> {
    pub version: Version,
    /// The user the path names (`/me` resolved to the signed-in user); empty for
    /// getPresencesByUserId.
    pub user_id: &'a str,
    pub signed_in_user: &'a str,
    pub now: Timestamp,
    pub body: &'a [u8],
    pub state: &'a mut State,
}

/// A success, as Graph answers it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Reply {
    /// `200 OK` without a body (the five classic actions).
    Ok,
    /// `204 No Content` (the location actions).
    NoContent,
    /// `200 OK` with a JSON body.
    Json(Value),
}

/// An operation's handler.
pub(crate) type Handler = fn(Call<'_>) -> Result<Reply, ApiError>;

/// The handler for an operation of the spec, by its name (any ASCII case) and method; `None`
/// when the emulator does not implement it (the route then answers 501).
pub(crate) fn for_operation(name: &str, method: &axum::http::Method) -> Option<Handler> {
    if method == axum::http::Method::GET {
        return Some(read::get_presence);
    }
    Some(match name.to_ascii_lowercase().as_str() {
        "getpresencesbyuserid" => read::get_presences_by_user_id,
        "setpresence" => sessions::set_presence,
        "clearpresence" => sessions::clear_presence,
        "setuserpreferredpresence" => preferred::set_user_preferred_presence,
        "clearuserpreferredpresence" => preferred::clear_user_preferred_presence,
        "setstatusmessage" => status_message::set_status_message,
        "setmanuallocation" => location::set_manual_location,
        "setautomaticlocation" => location::set_automatic_location,
        "clearlocation" => location::clear_location,
        "clearautomaticlocation" => location::clear_automatic_location,
        _ => return None,
    })
}
