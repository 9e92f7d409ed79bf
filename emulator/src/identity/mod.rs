//! The emulated Microsoft identity platform (v2.0 endpoints) for delegated sign-in tests:
//!
//! - `POST /{tenant}/oauth2/v2.0/devicecode` (form `client_id`, `scope`)
//! - `POST /{tenant}/oauth2/v2.0/token`: grants `urn:ietf:params:oauth:grant-type:device_code`,
//!   `refresh_token` (rotating), `authorization_code` (PKCE S256) and `client_credentials`
//!   (app-only), with the platform's error codes
//! - `GET /{tenant}/oauth2/v2.0/authorize`: redirects at once to the loopback `redirect_uri`
//!   with a code for the emulator's signed-in user (no login page)
//!
//! Test controls (no token needed), all `POST` with a JSON body unless noted:
//! - `/_emulator/identity/approve` `{"userCode": "...", "user": "..."?}` → 204 (404 unknown code)
//! - `/_emulator/identity/decline` `{"userCode": "..."}` → 204
//! - `/_emulator/identity/slow-down` `{"times": 1}` → 204: the next polls answer `slow_down`
//! - `/_emulator/identity/interval` `{"seconds": 0}` → 204: the interval given to new codes
//! - `/_emulator/identity/revoke` `{"user": "..."}` → `{"revoked": n}`: refresh tokens die
//! - `/_emulator/identity/expire-refresh` `{"user": "..."}` → `{"expired": n}`
//! - `/_emulator/identity/require-interaction` `{"user": "...", "required": true}` → 204
//! - `/_emulator/identity/decline-authorize` `{"decline": true}` → 204
//! - `GET /_emulator/identity/stats` → `{"refreshes": n, "liveRefreshTokens": n}`
//!
//! Tokens it issues are JWT-shaped with the claims the Graph side reads (`scp` for delegated,
//! `roles` for app-only), so R6 is checked against a token from a real grant.

mod control;
mod grants;
mod token;

use super::clock::Clock;
use axum::Router;
use grants::Grants;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

#[derive(Debug, Clone)]
pub(crate) struct Idp(Arc<Mutex<Grants>>);

impl Idp {
    pub(crate) fn grants(&self) -> MutexGuard<'_, Grants> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The identity routes, with their own state, ready to merge into the emulator's router.
pub(crate) fn router<S: Clone + Send + Sync + 'static>(
    clock: Clock,
    default_user: String,
    base_url: String,
) -> Router<S> {
    let idp = Idp(Arc::new(Mutex::new(Grants::new(clock, default_user))));
    token::router(base_url)
        .merge(control::router())
        .with_state(idp)
}
