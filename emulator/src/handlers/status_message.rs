//! setStatusMessage.

use super::{Call, Reply};
use crate::model::StatusMessage;
use crate::odata::ApiError;
use crate::timezone;
use crate::wire::{self, SetStatusMessageBody};

/// Sets (or replaces) the status message; with `expiryDateTime` it disappears at that instant
/// of the emulator clock. Only `contentType: text` is supported, as the docs say.
pub(crate) fn set_status_message(call: Call<'_>) -> Result<Reply, ApiError> {
    let body: SetStatusMessageBody = wire::parse_body(call.body)?;
    let status = body
        .status_message
        .ok_or_else(|| ApiError::bad_request("The request body must include 'statusMessage'."))?;
    let message = status
        .message
        .ok_or_else(|| ApiError::bad_request("'statusMessage.message' is required."))?;
    if let Some(kind) = message.content_type.as_deref()
        && !kind.eq_ignore_ascii_case("text")
    {
        return Err(ApiError::bad_request(format!(
            "'statusMessage.message.contentType' is '{kind}'; only 'text' is supported."
        )));
    }
    let expiry = match status.expiry_date_time {
        None => None,
        Some(expiry) => {
            let date_time =
                wire::required(&expiry.date_time, "statusMessage.expiryDateTime.dateTime")?;
            let at = timezone::resolve(date_time, expiry.time_zone.as_deref())
                .map_err(ApiError::bad_request)?;
            Some((serde_json::to_value(&expiry).unwrap_or_default(), at))
        }
    };
    let message = serde_json::to_value(&message).unwrap_or_default();
    call.state.user_mut(call.user_id, call.now).status_message = Some(StatusMessage {
        message,
        expiry,
        published_at: call.now,
    });
    Ok(Reply::Ok)
}
