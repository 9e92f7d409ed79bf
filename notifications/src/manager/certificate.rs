//! The encryption certificate Graph seals rich notifications for (R14).

use super::ManagerError;

/// The caller's encryption certificate for rich notifications (R7, R14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    id: String,
    base64_der: String,
}

impl Certificate {
    /// A certificate from the base64 of its DER encoding, as Graph wants it; `id` is the
    /// application's own label (at most 128 characters, R14) the receiver picks the key by.
    pub fn new(id: impl Into<String>, base64_der: impl Into<String>) -> Result<Self, ManagerError> {
        let id = id.into();
        let base64_der: String = base64_der.into();
        if id.is_empty() || id.chars().count() > 128 {
            return Err(ManagerError::Certificate(
                "the certificate id must have 1 to 128 characters".into(),
            ));
        }
        let valid = !base64_der.is_empty()
            && base64_der
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        if !valid {
            return Err(ManagerError::Certificate(
                "the certificate must be standard base64 of its DER encoding, without line breaks"
                    .into(),
            ));
        }
        Ok(Certificate { id, base64_der })
    }

    /// A certificate from PEM text: the armor and whitespace are stripped, leaving base64 DER
    /// (R14, as Microsoft's own Node sample does).
    pub fn from_pem(id: impl Into<String>, pem: &str) -> Result<Self, ManagerError> {
        let body: String = pem
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("-----"))
            .collect();
        if !pem.contains("-----BEGIN CERTIFICATE-----") {
            return Err(ManagerError::Certificate(
                "PEM text without a `-----BEGIN CERTIFICATE-----` block".into(),
            ));
        }
        Certificate::new(id, body)
    }

    /// The application's label for the certificate (`encryptionCertificateId`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The certificate as sent (`encryptionCertificate`).
    pub fn base64_der(&self) -> &str {
        &self.base64_der
    }
}
