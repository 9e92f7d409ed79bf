//! The work location actions: set/clear of the manual and automatic layers.

use super::{Call, Reply, Version};
use crate::model::Location;
use crate::odata::ApiError;
use crate::rules;
use crate::wire::{self, AnyObject, SetLocationBody};

/// Which layer a set action writes.
enum Layer {
    Manual,
    Automatic,
}

fn set_location(call: Call<'_>, layer: Layer) -> Result<Reply, ApiError> {
    let body: SetLocationBody = wire::parse_body(call.body)?;
    let kind = wire::required(&body.work_location_type, "workLocationType")?;
    let kind = rules::work_location_type(kind, call.version == Version::Beta)
        .map_err(ApiError::bad_request)?;
    let location = Some(Location {
        work_location_type: kind,
        place_id: body.place_id.filter(|p| !p.is_empty()),
    });
    let user = call.state.user_mut(call.user_id, call.now);
    match layer {
        Layer::Manual => user.manual_location = location,
        Layer::Automatic => user.automatic_location = location,
    }
    Ok(Reply::NoContent)
}

/// Sets the manual layer, which wins over automatic and scheduled.
pub(crate) fn set_manual_location(call: Call<'_>) -> Result<Reply, ApiError> {
    set_location(call, Layer::Manual)
}

/// Sets the automatic layer; a manual location still wins.
pub(crate) fn set_automatic_location(call: Call<'_>) -> Result<Reply, ApiError> {
    set_location(call, Layer::Automatic)
}

/// Clears the manual and automatic layers; the scheduled one (if any) shows again.
pub(crate) fn clear_location(call: Call<'_>) -> Result<Reply, ApiError> {
    let _: AnyObject = wire::parse_body(call.body)?;
    let user = call.state.user_mut(call.user_id, call.now);
    user.manual_location = None;
    user.automatic_location = None;
    Ok(Reply::NoContent)
}

/// Clears only the automatic layer.
pub(crate) fn clear_automatic_location(call: Call<'_>) -> Result<Reply, ApiError> {
    let _: AnyObject = wire::parse_body(call.body)?;
    call.state
        .user_mut(call.user_id, call.now)
        .automatic_location = None;
    Ok(Reply::NoContent)
}
