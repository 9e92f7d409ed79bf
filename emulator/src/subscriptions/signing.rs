//! The emulator's identity-platform stand-in: it signs `validationTokens` (R15) with a fixed
//! test-only RSA key and serves that key as JWKS, so receivers under test can trust it. A
//! rotation replaces it with a freshly generated key under a new `kid` (the old one is gone
//! from the JWKS), so tests can check that receivers follow Microsoft's key rollover.

use jiff::Timestamp;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;

/// NOT A SECRET: a key generated for this emulator and published with its source, so tests
/// anywhere can verify its tokens. Never trust it outside tests.
const SIGNING_KEY_PEM: &str = include_str!("test-only-signing-key.pem");
/// The `kid` of that key.
pub(crate) const KEY_ID: &str = "presence-emulator-test-only-1";
/// "Microsoft Graph Change Tracking", the publisher named in `azp` (R15).
const CHANGE_TRACKING_APP_ID: &str = "0bf30f3b-4a52-48df-9a82-234910c4a086";

#[derive(Clone)]
pub(crate) struct Signer {
    kid: String,
    key: EncodingKey,
    jwks: JwkSet,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize)]
struct Claims<'a> {
    aud: &'a str,
    iss: String,
    azp: &'a str,
    azpacr: &'a str,
    ver: &'a str,
    tid: &'a str,
    iat: i64,
    nbf: i64,
    exp: i64,
}

impl Signer {
    pub(crate) fn new() -> Result<Self, String> {
        let key =
            EncodingKey::from_rsa_pem(SIGNING_KEY_PEM.as_bytes()).map_err(|e| e.to_string())?;
        Self::with_key(KEY_ID.to_owned(), key)
    }

    /// A new random 2048-bit key named `kid`, for a rotation.
    pub(crate) fn generate(kid: String) -> Result<Self, String> {
        use rsa::pkcs1::EncodeRsaPrivateKey as _;
        let private =
            rsa::PrivateKey::new(&mut getrandom::SysRng, 2048).map_err(|e| e.to_string())?;
        let der = private.to_pkcs1_der().map_err(|e| e.to_string())?;
        Self::with_key(kid, EncodingKey::from_rsa_der(der.as_bytes()))
    }

    fn with_key(kid: String, key: EncodingKey) -> Result<Self, String> {
        let mut jwk = Jwk::from_encoding_key(&key, Algorithm::RS256).map_err(|e| e.to_string())?;
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(jsonwebtoken::jwk::PublicKeyUse::Signature);
        Ok(Signer {
            kid,
            key,
            jwks: JwkSet { keys: vec![jwk] },
        })
    }

    /// The `kid` tokens are signed under.
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// The public keys, as `/common/discovery/v2.0/keys` serves them.
    pub(crate) fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// A v2.0 token for (audience, tenant), valid 24 h from `now` on the emulator's clock.
    pub(crate) fn token(&self, audience: &str, tenant: &str, now: Timestamp) -> Option<String> {
        let iat = now.as_second();
        let claims = Claims {
            aud: audience,
            iss: format!("https://login.microsoftonline.com/{tenant}/v2.0"),
            azp: CHANGE_TRACKING_APP_ID,
            azpacr: "2",
            ver: "2.0",
            tid: tenant,
            iat,
            nbf: iat,
            exp: iat + 24 * 3600,
        };
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, &claims, &self.key).ok()
    }
}
