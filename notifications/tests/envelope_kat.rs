//! Known answer for the envelope (R13): a fixture sealed by the `openssl` command line (see
//! `fixtures/kat/README.md`) must open with this crate's `crypto::open` to the exact plaintext,
//! and must not open once a byte of it changes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use msgraph_presence::v1_0::models::ChangeNotificationEncryptedContent;
use msgraph_presence_notifications::crypto::{self, CryptoError};

const KEY_PEM: &str = include_str!("fixtures/kat/test-only-kat.key.pem");
const CONTENT: &str = include_str!("fixtures/kat/encrypted-content.json");
const PLAINTEXT: &str = include_str!("fixtures/kat/plaintext.json");

fn content() -> ChangeNotificationEncryptedContent {
    serde_json::from_str(CONTENT).unwrap()
}

#[test]
fn an_envelope_sealed_by_openssl_opens_to_its_plaintext() {
    let key = crypto::private_key_from_pem(KEY_PEM).unwrap();
    let opened = crypto::open(&key, &content()).unwrap();
    assert_eq!(String::from_utf8(opened).unwrap(), PLAINTEXT);
}

#[test]
fn a_changed_ciphertext_fails_the_signature_check() {
    let key = crypto::private_key_from_pem(KEY_PEM).unwrap();
    let mut content = content();
    let mut data = STANDARD.decode(&content.data).unwrap();
    data[0] ^= 1;
    content.data = STANDARD.encode(data);
    assert_eq!(crypto::open(&key, &content), Err(CryptoError::Signature));
}
