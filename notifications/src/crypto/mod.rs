//! The rich-notification envelope (SUBSCRIPTIONS.md §5.2, ruling R13).
//!
//! Opening: unwrap the one-time key with RSA-OAEP (SHA-1, MGF1-SHA-1, no label), check
//! HMAC-SHA256 over the decoded ciphertext in constant time, and only then decrypt AES-CBC with
//! PKCS#7 padding and IV = the key's first 16 bytes. The AES variant follows the key length
//! (16, 24 or 32 bytes). Sealing does the inverse with a fresh 32-byte key.
//!
//! The private-key operation runs on aws-lc-rs ([`PrivateKey`]); everything else on RustCrypto.

mod keys;
mod private_key;
mod symmetric;

pub use keys::{
    CertificateError, PrivateKeyError, private_key_from_pem, public_key_from_certificate_der,
    public_key_from_certificate_pem,
};
pub use private_key::PrivateKey;
/// A certificate's RSA public key (RustCrypto's): sealing is a public-key operation, cheap
/// enough not to need the private key's backend.
pub use rsa::PublicKey;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use msgraph_presence::v1_0::models::ChangeNotificationEncryptedContent as EncryptedContent;

/// Why an envelope could not be opened; each variant names the field or step at fault.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    /// A field is not standard base64.
    #[error("encryptedContent.{field} is not valid base64")]
    Base64 {
        /// The JSON name of the field.
        field: &'static str,
    },
    /// RSA-OAEP could not unwrap `dataKey` with the private key (wrong key or tampered).
    #[error(
        "encryptedContent.dataKey does not decrypt with the private key for this certificate id"
    )]
    KeyUnwrap,
    /// The unwrapped key is not 16, 24 or 32 bytes long.
    #[error("the symmetric key is {0} bytes long; AES needs 16, 24 or 32")]
    KeyLength(usize),
    /// `dataSignature` does not match `data`: the payload was changed or the key is wrong.
    #[error("encryptedContent.dataSignature does not match data (tampered payload)")]
    Signature,
    /// The ciphertext does not decrypt to correctly padded plaintext.
    #[error("encryptedContent.data does not decrypt (bad length or padding)")]
    Decrypt,
    /// Sealing failed: no randomness, or the public key cannot wrap the key (too small).
    #[error("cannot seal: {0}")]
    Wrap(String),
}

/// Opens a rich notification's `encryptedContent`: returns the plaintext resource JSON.
///
/// The signature is checked before anything is decrypted, as RICH requires.
///
/// # Errors
///
/// Any failure of the steps above; the caller must drop the item.
pub fn open(private_key: &PrivateKey, content: &EncryptedContent) -> Result<Vec<u8>, CryptoError> {
    let wrapped = decode(&content.data_key, "dataKey")?;
    let data = decode(&content.data, "data")?;
    let signature = decode(&content.data_signature, "dataSignature")?;
    let key = keys::unwrap_key(private_key, &wrapped)?;
    symmetric::verify(&key, &data, &signature)?;
    symmetric::decrypt(&key, &data)
}

/// Seals `plaintext` for the holder of `public_key`, as Graph does: a fresh 32-byte key,
/// AES-256-CBC, HMAC-SHA256, RSA-OAEP-SHA-1. For emulators, tests and benchmarks.
///
/// # Errors
///
/// The public key is too small to wrap 32 bytes with OAEP-SHA-1.
pub fn seal(
    public_key: &PublicKey,
    plaintext: &[u8],
    certificate_id: &str,
    thumbprint: &str,
) -> Result<EncryptedContent, CryptoError> {
    let key = symmetric::fresh_key()?;
    let data = symmetric::encrypt(&key, plaintext)?;
    let signature = symmetric::sign(&key, &data)?;
    let wrapped = keys::wrap_key(public_key, &key)?;
    Ok(EncryptedContent::new(
        STANDARD.encode(data),
        STANDARD.encode(wrapped),
        STANDARD.encode(signature),
        certificate_id,
        thumbprint,
    ))
}

fn decode(value: &str, field: &'static str) -> Result<Vec<u8>, CryptoError> {
    STANDARD
        .decode(value.trim())
        .map_err(|_| CryptoError::Base64 { field })
}

#[cfg(test)]
mod tests;
