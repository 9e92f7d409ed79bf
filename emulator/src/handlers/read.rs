//! GET presence and getPresencesByUserId.

use super::{Call, Reply};
use crate::odata::ApiError;
use crate::wire::{self, IdsBody};
use serde_json::json;

/// getPresencesByUserId accepts at most this many ids per request.
pub(crate) const MAX_IDS: usize = 650;

/// `GET .../presence`: the aggregated presence of one user.
pub(crate) fn get_presence(call: Call<'_>) -> Result<Reply, ApiError> {
    let own = call.user_id == call.signed_in_user;
    let user = call.state.user(call.user_id, call.now);
    Ok(Reply::Json(wire::presence(
        call.user_id,
        user,
        call.now,
        own,
    )))
}

/// `POST /communications/getPresencesByUserId`: one presence per distinct id, in the order
/// given (a repeated id is answered once, at its first position).
pub(crate) fn get_presences_by_user_id(call: Call<'_>) -> Result<Reply, ApiError> {
    let body: IdsBody = wire::parse_body(call.body)?;
    let ids = body.ids.ok_or_else(|| {
        ApiError::bad_request("The request body must include 'ids', an array of user ids.")
    })?;
    if ids.len() > MAX_IDS {
        return Err(ApiError::bad_request(format!(
            "'ids' has {} entries; at most {MAX_IDS} user ids are supported per request.",
            ids.len()
        )));
    }
    if let Some(position) = ids.iter().position(|id| id.trim().is_empty()) {
        return Err(ApiError::bad_request(format!(
            "'ids[{position}]' is empty."
        )));
    }
    let mut seen = std::collections::HashSet::new();
    let mut value = Vec::with_capacity(ids.len());
    for id in ids.iter().filter(|id| seen.insert(id.as_str())) {
        let own = id == call.signed_in_user;
        let user = call.state.user(id, call.now);
        value.push(wire::presence(id, user, call.now, own));
    }
    Ok(Reply::Json(json!({ "value": value })))
}
