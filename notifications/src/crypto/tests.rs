use super::*;
use msgraph_presence::v1_0::models::ChangeNotificationEncryptedContent as EncryptedContent;

const CERT: &str = include_str!("../../tests/fixtures/test-only-subscriber.cert.pem");
const KEY: &str = include_str!("../../tests/fixtures/test-only-subscriber.key.pem");
/// Any other RSA key: the emulator's (test-only) token signing key.
const OTHER_KEY: &str =
    include_str!("../../../emulator/src/subscriptions/test-only-signing-key.pem");

fn sealed(plaintext: &[u8]) -> (PrivateKey, EncryptedContent) {
    let private = private_key_from_pem(KEY).unwrap();
    let public = public_key_from_certificate_pem(CERT).unwrap();
    let content = seal(&public, plaintext, "cert-1", "AB").unwrap();
    (private, content)
}

#[test]
fn certificate_key_matches_private_key_and_round_trips() {
    let private = private_key_from_pem(KEY).unwrap();
    let public = public_key_from_certificate_pem(CERT).unwrap();
    assert_eq!(public, private.to_public_key());
    let (private, content) = sealed(br#"{"id":"u1","availability":"Busy"}"#);
    assert_eq!(
        open(&private, &content).unwrap(),
        br#"{"id":"u1","availability":"Busy"}"#
    );
    assert_eq!(content.encryption_certificate_id, "cert-1");
}

#[test]
fn each_seal_uses_a_fresh_key() {
    let (_, a) = sealed(b"same");
    let (_, b) = sealed(b"same");
    assert_ne!(a.data, b.data);
    assert_ne!(a.data_key, b.data_key);
}

#[test]
fn tampered_data_fails_the_signature_before_decryption() {
    let (private, mut content) = sealed(b"{\"id\":\"u1\"}");
    let mut bytes = STANDARD.decode(&content.data).unwrap();
    bytes[0] ^= 1;
    content.data = STANDARD.encode(bytes);
    assert_eq!(open(&private, &content), Err(CryptoError::Signature));
}

#[test]
fn tampered_signature_is_rejected() {
    let (private, mut content) = sealed(b"{}");
    let (_, other) = sealed(b"{}");
    content.data_signature = other.data_signature;
    assert_eq!(open(&private, &content), Err(CryptoError::Signature));
}

#[test]
fn another_private_key_cannot_unwrap() {
    let (_, content) = sealed(b"{}");
    let other = private_key_from_pem(OTHER_KEY).unwrap();
    assert_eq!(open(&other, &content), Err(CryptoError::KeyUnwrap));
}

#[test]
fn bad_base64_names_the_field() {
    let (private, mut content) = sealed(b"{}");
    content.data_signature = "not base64!".into();
    assert_eq!(
        open(&private, &content),
        Err(CryptoError::Base64 {
            field: "dataSignature"
        })
    );
}

#[test]
fn aes_128_keys_are_accepted() {
    // Graph's key size is undocumented (R13): a 16-byte key must work too.
    let key = [7u8; 16];
    let ciphertext = cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &key)
        .unwrap()
        .encrypt_padded_vec::<aes::cipher::block_padding::Pkcs7>(b"hello");
    let signature = symmetric::sign(&key, &ciphertext).unwrap();
    let public = public_key_from_certificate_pem(CERT).unwrap();
    let content = EncryptedContent::new(
        STANDARD.encode(&ciphertext),
        STANDARD.encode(keys::wrap_key(&public, &key).unwrap()),
        STANDARD.encode(signature),
        "cert-1",
        "",
    );
    let private = private_key_from_pem(KEY).unwrap();
    assert_eq!(open(&private, &content).unwrap(), b"hello");
}

#[test]
fn a_pkcs1_pem_key_opens_what_was_sealed() {
    use rsa::pkcs1::EncodeRsaPrivateKey;
    use rsa::pkcs8::DecodePrivateKey;
    let pkcs1 = rsa::PrivateKey::from_pkcs8_pem(KEY)
        .unwrap()
        .to_pkcs1_pem(Default::default())
        .unwrap();
    assert!(pkcs1.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    let private = private_key_from_pem(&pkcs1).unwrap();
    let (_, content) = sealed(b"pkcs1");
    assert_eq!(open(&private, &content).unwrap(), b"pkcs1");
    assert_eq!(private.size_bits(), 2048);
}

#[test]
fn garbage_is_not_a_certificate_or_key() {
    assert!(
        public_key_from_certificate_pem(
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"
        )
        .is_err()
    );
    assert!(private_key_from_pem("nope").is_err());
}

use aes::cipher::{BlockModeEncrypt, KeyIvInit};
