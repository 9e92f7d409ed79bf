//! setPresence and clearPresence: application presence sessions.

use super::{Call, Reply};
use crate::model::Session;
use crate::odata::ApiError;
use crate::rules;
use crate::wire::{self, ClearPresenceBody, SetPresenceBody};

/// Creates or refreshes the session `sessionId` of the user.
pub(crate) fn set_presence(call: Call<'_>) -> Result<Reply, ApiError> {
    let body: SetPresenceBody = wire::parse_body(call.body)?;
    let session_id = wire::required(&body.session_id, "sessionId")?;
    let availability = wire::required(&body.availability, "availability")?;
    let activity = wire::required(&body.activity, "activity")?;
    let (availability, activity) =
        rules::session_combination(availability, activity).map_err(ApiError::bad_request)?;
    let requested = wire::duration(&body.expiration_duration, "expirationDuration")?;
    let lasts = rules::session_expiration(requested).map_err(ApiError::bad_request)?;
    let session = Session {
        availability,
        activity,
        set_at: call.now,
        expires_at: call.now.saturating_add(lasts).unwrap_or(call.now),
    };
    call.state
        .user_mut(call.user_id, call.now)
        .sessions
        .insert(session_id.to_owned(), session);
    Ok(Reply::Ok)
}

/// Ends the session `sessionId`; 404 when it does not exist (or has expired).
pub(crate) fn clear_presence(call: Call<'_>) -> Result<Reply, ApiError> {
    let body: ClearPresenceBody = wire::parse_body(call.body)?;
    let session_id = wire::required(&body.session_id, "sessionId")?;
    let exists = call
        .state
        .user(call.user_id, call.now)
        .is_some_and(|u| u.sessions.contains_key(session_id));
    if !exists {
        return Err(ApiError::not_found(format!(
            "The presence session '{session_id}' does not exist for user '{}'.",
            call.user_id
        )));
    }
    call.state
        .user_mut(call.user_id, call.now)
        .sessions
        .remove(session_id);
    Ok(Reply::Ok)
}
