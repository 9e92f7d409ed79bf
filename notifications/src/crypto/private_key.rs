//! The subscriber's RSA private key, held by aws-lc-rs: unwrapping each notification's one-time
//! key is the receiver's one costly step, and aws-lc-rs does it about as fast as `openssl speed`
//! (RustCrypto's `rsa` is roughly 9x slower; figures in BENCHMARKS.md).

use super::{CryptoError, PublicKey};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use rsa::pkcs8::DecodePublicKey;

/// An RSA private key for unwrapping `dataKey` (RSA-OAEP, SHA-1, MGF1-SHA-1, no label).
///
/// Read one with [`super::private_key_from_pem`]. Cloning shares the key; `Debug` prints no
/// key material.
#[derive(Clone)]
pub struct PrivateKey {
    key: std::sync::Arc<OaepPrivateDecryptingKey>,
    /// The public half as SubjectPublicKeyInfo DER, kept because the OAEP key hides it.
    public_der: std::sync::Arc<[u8]>,
}

impl PrivateKey {
    /// Wraps a PKCS#8 DER document; aws-lc-rs accepts 2048- to 8192-bit keys.
    pub(super) fn from_pkcs8_der(der: &[u8]) -> Result<Self, String> {
        let key = PrivateDecryptingKey::from_pkcs8(der).map_err(|e| e.to_string())?;
        let public_der = key.public_key().as_der().map_err(|e| e.to_string())?;
        let public_der = std::sync::Arc::from(public_der.as_ref());
        let key = OaepPrivateDecryptingKey::new(key).map_err(|e| e.to_string())?;
        Ok(PrivateKey {
            key: std::sync::Arc::new(key),
            public_der,
        })
    }

    /// The matching public key (to compare with a certificate's, or to seal for).
    ///
    /// # Panics
    ///
    /// Never: the DER was written by aws-lc-rs from a key it accepted.
    pub fn to_public_key(&self) -> PublicKey {
        PublicKey::from_public_key_der(&self.public_der)
            .expect("aws-lc-rs writes a standard SubjectPublicKeyInfo")
    }

    /// The key size in bits.
    pub fn size_bits(&self) -> usize {
        self.key.key_size_bits()
    }

    /// RSA-OAEP-SHA-1 decryption of a wrapped key.
    pub(super) fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut out = vec![0u8; self.key.min_output_size()];
        let plain = self
            .key
            .decrypt(&OAEP_SHA1_MGF1SHA1, wrapped, &mut out, None)
            .map_err(|_| CryptoError::KeyUnwrap)?;
        Ok(plain.to_vec())
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.size_bits())
            .finish_non_exhaustive()
    }
}
