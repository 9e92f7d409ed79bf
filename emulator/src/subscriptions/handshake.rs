//! The validation handshake before a subscription is stored (R8).

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use std::time::Duration;

/// How long the subscriber has to answer.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// POSTs `validationToken=<token>` to `url` and checks the answer: 200, `text/plain`, the body
/// equal to the token. The error says what was wrong, for the 400 the create call gets.
pub(crate) async fn validate(http: &reqwest::Client, url: &str, name: &str) -> Result<(), String> {
    // Characters that must be URL-decoded (space, +, /, =), as the rulings ask.
    let token = format!("Validation: emulator+{}/token=", uuid::Uuid::new_v4());
    let separator = if url.contains('?') { '&' } else { '?' };
    let target = format!(
        "{url}{separator}validationToken={}",
        utf8_percent_encode(&token, NON_ALPHANUMERIC)
    );
    let response = http
        .post(&target)
        .header("content-type", "text/plain; charset=utf-8")
        .timeout(HANDSHAKE_TIMEOUT)
        .send()
        .await
        .map_err(|e| format!("Subscription validation request to {name} failed: {e}"))?;
    let status = response.status();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("Subscription validation response from {name} unreadable: {e}"))?;
    if status != reqwest::StatusCode::OK {
        return Err(format!(
            "Subscription validation request to {name} answered {status}, not 200."
        ));
    }
    if media.as_deref() != Some("text/plain") {
        return Err(format!(
            "Subscription validation response from {name} is not text/plain."
        ));
    }
    if body.as_ref() != token.as_bytes() {
        return Err(format!(
            "Subscription validation response from {name} does not echo the token."
        ));
    }
    Ok(())
}
