//! RSA keys: loading them, and wrapping the one-time key with OAEP-SHA-1 (R13).

use super::{CryptoError, PrivateKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey};
use rsa::{Oaep, PublicKey};
use sha1::Sha1;

/// A private key could not be read.
#[derive(Debug, thiserror::Error)]
#[error("not an RSA private key in PKCS#8 or PKCS#1 PEM: {0}")]
pub struct PrivateKeyError(String);

/// A certificate could not be read.
#[derive(Debug, thiserror::Error)]
#[error("not a PEM X.509 certificate with an RSA public key: {0}")]
pub struct CertificateError(String);

/// Reads an RSA private key from PEM (`BEGIN PRIVATE KEY` or `BEGIN RSA PRIVATE KEY`).
///
/// # Errors
///
/// The text is neither form, or the key is not 2048 to 8192 bits long (aws-lc-rs's range;
/// Graph asks for at least 2048).
pub fn private_key_from_pem(pem: &str) -> Result<PrivateKey, PrivateKeyError> {
    // RustCrypto reads both PEM forms; aws-lc-rs, which does the decryption, takes PKCS#8 DER.
    let parsed = rsa::PrivateKey::from_pkcs8_pem(pem).or_else(|pkcs8| {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        rsa::PrivateKey::from_pkcs1_pem(pem).map_err(|_| PrivateKeyError(pkcs8.to_string()))
    })?;
    let der = parsed
        .to_pkcs8_der()
        .map_err(|e| PrivateKeyError(e.to_string()))?;
    PrivateKey::from_pkcs8_der(der.as_bytes()).map_err(PrivateKeyError)
}

/// The RSA public key in a PEM certificate (armor and whitespace are ignored, so plain
/// base64 of the DER works too), for [`super::seal`].
///
/// # Errors
///
/// No certificate, or its key is not RSA.
pub fn public_key_from_certificate_pem(pem: &str) -> Result<PublicKey, CertificateError> {
    use base64::Engine as _;
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .flat_map(|line| line.chars().filter(|c| !c.is_whitespace()))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| CertificateError(e.to_string()))?;
    public_key_from_certificate_der(&der)
}

/// The RSA public key in a DER certificate.
///
/// # Errors
///
/// Not a certificate, or its key is not RSA.
pub fn public_key_from_certificate_der(der: &[u8]) -> Result<PublicKey, CertificateError> {
    let spki = spki_of(der).ok_or_else(|| CertificateError("no subjectPublicKeyInfo".into()))?;
    PublicKey::from_public_key_der(spki).map_err(|e| CertificateError(e.to_string()))
}

/// The DER `subjectPublicKeyInfo` of a DER certificate: the seventh element of `tbsCertificate`
/// (after the explicit version, serial, signature algorithm, issuer, validity and subject).
fn spki_of(der: &[u8]) -> Option<&[u8]> {
    let (certificate, _) = tlv(der)?;
    let (tbs, _) = tlv(certificate.content)?;
    let mut rest = tbs.content;
    let mut index = 0;
    // Without the optional [0] version the key is the sixth element.
    let skip = if rest.first() == Some(&0xa0) { 6 } else { 5 };
    while index < skip {
        let (_, after) = tlv(rest)?;
        rest = after;
        index += 1;
    }
    let (spki, _) = tlv(rest)?;
    Some(spki.whole)
}

struct Tlv<'a> {
    whole: &'a [u8],
    content: &'a [u8],
}

/// One DER element: (element, bytes after it). Definite lengths only, as DER requires.
fn tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let first = *input.get(1)?;
    let (length, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let bytes = input.get(2..2 + count)?;
        let length = bytes
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (length, 2 + count)
    };
    let end = header.checked_add(length)?;
    let whole = input.get(..end)?;
    Some((
        Tlv {
            whole,
            content: &whole[header..],
        },
        &input[end..],
    ))
}

pub(super) fn unwrap_key(private_key: &PrivateKey, wrapped: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let key = private_key.unwrap(wrapped)?;
    match key.len() {
        16 | 24 | 32 => Ok(key),
        other => Err(CryptoError::KeyLength(other)),
    }
}

pub(super) fn wrap_key(public_key: &PublicKey, key: &[u8]) -> Result<Vec<u8>, CryptoError> {
    public_key
        .encrypt(&mut getrandom::SysRng, Oaep::<Sha1>::new(), key)
        .map_err(|e| CryptoError::Wrap(e.to_string()))
}
