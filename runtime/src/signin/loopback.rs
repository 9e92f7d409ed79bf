//! Authorization code with PKCE (RFC 7636) on a loopback redirect (RFC 8252 §7.3): the browser
//! comes back to `http://127.0.0.1:{random port}/` with the code, which is exchanged with the
//! verifier only this process knows. The tokens go to the same cache as the device-code flow.

use super::error::SignInError;
use super::provider::{Account, SignIn};
use super::wire::{self, TokenReply};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// 32 random bytes, base64url: a 43-character verifier or state value.
fn random_token() -> Result<String, SignInError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| SignInError::Redirect(format!("no randomness for PKCE: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()))
}

impl SignIn {
    /// Signs in through a browser: `open` gets the `/authorize` URL to show the user (the
    /// command line opens or prints it); the redirect is awaited on a loopback port.
    pub async fn sign_in_with_browser(
        &self,
        open: impl FnOnce(&url::Url),
    ) -> Result<Account, SignInError> {
        let config = self.config();
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| SignInError::Redirect(format!("binding a loopback port: {e}")))?;
        let port = listener
            .local_addr()
            .map_err(|e| SignInError::Redirect(e.to_string()))?
            .port();
        let redirect_uri = format!("http://127.0.0.1:{port}/");
        let verifier = random_token()?;
        let state = random_token()?;
        let mut authorize = url::Url::parse(&config.endpoint("authorize"))
            .map_err(|e| SignInError::Redirect(format!("authority URL: {e}")))?;
        authorize
            .query_pairs_mut()
            .append_pair("client_id", config.client_id())
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &config.scope_param())
            .append_pair("code_challenge", &challenge_of(&verifier))
            .append_pair("code_challenge_method", "S256")
            .append_pair("state", &state);
        open(&authorize);

        let params = receive_redirect(&listener).await?;
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        if let Some(code) = get("error") {
            let description = get("error_description").unwrap_or_default();
            return Err(match code.as_str() {
                "access_denied" => SignInError::Declined,
                _ => SignInError::OAuth { code, description },
            });
        }
        // A redirect without our state did not come from the authorize request we sent.
        if get("state").as_deref() != Some(state.as_str()) {
            return Err(SignInError::Redirect(
                "the redirect's state did not match".into(),
            ));
        }
        let code =
            get("code").ok_or_else(|| SignInError::Redirect("no code in redirect".into()))?;
        let scope = config.scope_param();
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", config.client_id()),
            ("code", code.as_str()),
            ("redirect_uri", redirect_uri.as_str()),
            ("code_verifier", verifier.as_str()),
            ("scope", scope.as_str()),
        ];
        match wire::token(self.http(), &config.endpoint("token"), &form).await? {
            TokenReply::Token(answer) => self.accept(answer, None).await,
            TokenReply::Error { code, description } => {
                Err(SignInError::OAuth { code, description })
            }
        }
    }
}

/// Reads one HTTP request from the browser and answers a short page; returns its query pairs.
async fn receive_redirect(
    listener: &tokio::net::TcpListener,
) -> Result<Vec<(String, String)>, SignInError> {
    let (mut stream, _) = listener
        .accept()
        .await
        .map_err(|e| SignInError::Redirect(format!("accepting the redirect: {e}")))?;
    let mut buffer = vec![0u8; 8192];
    let mut read = 0;
    // The request line is all we need; stop at the end of the headers or a full buffer.
    while read < buffer.len() {
        let n = stream
            .read(&mut buffer[read..])
            .await
            .map_err(|e| SignInError::Redirect(format!("reading the redirect: {e}")))?;
        if n == 0 {
            break;
        }
        read += n;
        if buffer[..read].windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let text = String::from_utf8_lossy(&buffer[..read]);
    let target = text
        .lines()
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .ok_or_else(|| SignInError::Redirect("malformed redirect request".into()))?;
    let query = target.split_once('?').map(|(_, q)| q).unwrap_or("");
    let params = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let page = "<html><body>Sign-in finished; you can close this window.</body></html>";
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
        page.len()
    );
    let _ = stream.write_all(answer.as_bytes()).await;
    let _ = stream.shutdown().await;
    Ok(params)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_base64url_sha256_of_the_verifier() {
        // Expected value computed independently (Python hashlib + urlsafe_b64encode, unpadded).
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mJ92K1ppUcG7i72A7yT-Vu35lo7k-g"),
            "wLqnHRuMPZXbOBTmVRbDOzFEMuTPZklE9uiG68meatQ"
        );
    }
}
