//! Checks on the configured decryption keys (issue 22 item 7): RSA sizes Graph accepts, and
//! the certificate thumbprint an item names compared with the one configured for its id, so
//! an item sealed for another certificate under a reused id is not even tried.

use sha1::{Digest, Sha1};

/// The RSA key sizes Graph accepts for encryption certificates (RICH, R14).
pub const RSA_KEY_BITS: std::ops::RangeInclusive<usize> = 2048..=4096;

/// The thumbprint Graph (and the emulator, R14) writes for a certificate: the uppercase hex
/// SHA-1 of its DER bytes. Pass it to `ReceiverBuilder::certificate_thumbprint`.
pub fn certificate_thumbprint(der: &[u8]) -> String {
    Sha1::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Whether `received` is the thumbprint configured for certificate `id`; any thumbprint passes
/// when none is configured for it. Hex case is ignored (the docs only say "hex").
pub(crate) fn thumbprint_matches(
    configured: &[(String, String)],
    id: &str,
    received: &str,
) -> bool {
    let mut expected = configured.iter().filter(|(c, _)| c == id).peekable();
    expected.peek().is_none() || expected.any(|(_, t)| t.eq_ignore_ascii_case(received))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprints_are_compared_per_certificate_id() {
        let configured = vec![("cert-1".to_owned(), "AB12".to_owned())];
        assert!(thumbprint_matches(&configured, "cert-1", "ab12"));
        assert!(!thumbprint_matches(&configured, "cert-1", "CD34"));
        assert!(thumbprint_matches(&configured, "cert-2", "anything"));
        assert_eq!(certificate_thumbprint(b"").len(), 40);
        assert_eq!(
            certificate_thumbprint(b"abc"),
            "A9993E364706816ABA3E25717850C26C9CD0D89D"
        );
    }

    #[test]
    fn key_sizes_are_measured() {
        // Throwaway keys made with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:N`.
        let pem = include_str!("../../tests/fixtures/test-only-8192.key.pem");
        let large = crate::crypto::private_key_from_pem(pem).unwrap();
        assert_eq!(large.size_bits(), 8192);
        assert!(!RSA_KEY_BITS.contains(&large.size_bits()));
        let pem = include_str!("../../tests/fixtures/test-only-subscriber.key.pem");
        let normal = crate::crypto::private_key_from_pem(pem).unwrap();
        assert!(RSA_KEY_BITS.contains(&normal.size_bits()));
        let pem = include_str!("../../tests/fixtures/test-only-1024.key.pem");
        assert!(crate::crypto::private_key_from_pem(pem).is_err());
    }
}
