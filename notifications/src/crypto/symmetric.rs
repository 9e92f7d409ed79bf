//! AES-CBC and HMAC-SHA256 with the one-time key (IV = key[0..16], R13).

use super::CryptoError;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// A fresh 32-byte key from the operating system's generator.
pub(super) fn fresh_key() -> Result<[u8; 32], CryptoError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| CryptoError::Wrap(e.to_string()))?;
    Ok(key)
}

/// Checks `signature` = HMAC-SHA256(key, data) in constant time.
pub(super) fn verify(key: &[u8], data: &[u8], signature: &[u8]) -> Result<(), CryptoError> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key).map_err(|_| CryptoError::KeyLength(key.len()))?;
    mac.update(data);
    // verify_slice compares in constant time (it is built on `subtle`).
    mac.verify_slice(signature)
        .map_err(|_| CryptoError::Signature)
}

pub(super) fn sign(key: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key).map_err(|_| CryptoError::KeyLength(key.len()))?;
    mac.update(data);
    Ok(mac.finalize().into_bytes().to_vec())
}

pub(super) fn decrypt(key: &[u8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let iv = key.get(..16).ok_or(CryptoError::KeyLength(key.len()))?;
    let result = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map(|d| d.decrypt_padded_vec::<Pkcs7>(data)),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map(|d| d.decrypt_padded_vec::<Pkcs7>(data)),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map(|d| d.decrypt_padded_vec::<Pkcs7>(data)),
        other => return Err(CryptoError::KeyLength(other)),
    };
    match result {
        Ok(Ok(plain)) => Ok(plain),
        _ => Err(CryptoError::Decrypt),
    }
}

pub(super) fn encrypt(key: &[u8; 32], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let encryptor = cbc::Encryptor::<aes::Aes256>::new_from_slices(key, &key[..16])
        .map_err(|_| CryptoError::KeyLength(key.len()))?;
    Ok(encryptor.encrypt_padded_vec::<Pkcs7>(plaintext))
}
