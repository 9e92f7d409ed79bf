//! Reads response bodies with a size cap.

use crate::Error;

/// Largest response body read; a larger one is an error rather than unbounded memory use.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Why a body could not be read: too large (a decode error) or the connection failed.
pub(crate) enum BodyError {
    TooLarge(Error),
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk, failing once it passes [`MAX_BODY_BYTES`].
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    operation: &'static str,
) -> Result<Vec<u8>, BodyError> {
    let too_large = || {
        BodyError::TooLarge(Error::Decode {
            operation,
            field: ".".to_owned(),
            message: format!("response body larger than {MAX_BODY_BYTES} bytes"),
        })
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > MAX_BODY_BYTES {
                    return Err(too_large());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => return Err(BodyError::Transport(e)),
        }
    }
}
