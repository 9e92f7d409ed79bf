//! setUserPreferredPresence and clearUserPreferredPresence.

use super::{Call, Reply};
use crate::model::Preferred;
use crate::odata::ApiError;
use crate::rules;
use crate::wire::{self, AnyObject, SetPreferredBody};

/// Sets the preferred presence; it shows only while the user has at least one session.
pub(crate) fn set_user_preferred_presence(call: Call<'_>) -> Result<Reply, ApiError> {
    let body: SetPreferredBody = wire::parse_body(call.body)?;
    let availability = wire::required(&body.availability, "availability")?;
    let activity = wire::required(&body.activity, "activity")?;
    let (availability, activity) =
        rules::preferred_combination(availability, activity).map_err(ApiError::bad_request)?;
    let requested = wire::duration(&body.expiration_duration, "expirationDuration")?;
    let lasts =
        rules::preferred_expiration(availability, requested).map_err(ApiError::bad_request)?;
    call.state.user_mut(call.user_id, call.now).preferred = Some(Preferred {
        availability,
        activity,
        expires_at: call.now.saturating_add(lasts).unwrap_or(call.now),
    });
    Ok(Reply::Ok)
}

/// Drops the preferred presence (a no-op when none is set, as Graph documents no error).
pub(crate) fn clear_user_preferred_presence(call: Call<'_>) -> Result<Reply, ApiError> {
    let _: AnyObject = wire::parse_body(call.body)?;
    call.state.user_mut(call.user_id, call.now).preferred = None;
    Ok(Reply::Ok)
}
