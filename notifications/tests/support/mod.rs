// Each test binary uses part of the support module.
#![allow(dead_code)]

//! A subscriber wired to the emulator over loopback: the webhook receiver served on 127.0.0.1,
//! clients that act as signed-in users, and a forwarder that hands lifecycle notifications to
//! the renewal task and presence changes to the test.

use msgraph_presence::Client;
use msgraph_presence_notifications::crypto::{self, PrivateKey};
use msgraph_presence_notifications::receiver::{ApiVersion, JwkSet, PresenceChange, Stats};
use msgraph_presence_notifications::{Certificate, Notification, Receiver, Subscriptions};
use presence_emulator::{DEFAULT_APP_ID, Emulator};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

mod genuine;
#[allow(unused_imports)]
pub use genuine::*;
pub mod chaos;

pub const CERT_PEM: &str = include_str!("../fixtures/test-only-subscriber.cert.pem");
pub const KEY_PEM: &str = include_str!("../fixtures/test-only-subscriber.key.pem");
pub const CERT_ID: &str = "presence-watch-cert-1";
pub const CLIENT_STATE: &str = "e2e-client-state-0123456789";

pub fn certificate() -> Certificate {
    Certificate::from_pem(CERT_ID, CERT_PEM).unwrap()
}

pub fn private_key() -> PrivateKey {
    crypto::private_key_from_pem(KEY_PEM).unwrap()
}

/// `count` user ids (GUIDs, as the emulator requires, R2).
pub fn users(count: usize) -> Vec<String> {
    (0..count)
        .map(|i| format!("4c8f0b21-3d5e-4f70-9b2c-{i:012x}"))
        .collect()
}

/// A bearer token the emulator reads as a delegated token of `user` (R6); it checks no
/// signature.
pub fn token_for(user: &str) -> String {
    use base64::Engine as _;
    let claims = serde_json::json!({
        "appid": DEFAULT_APP_ID,
        "oid": user,
        "scp": "Presence.Read.All Presence.ReadWrite",
    });
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("e30.{payload}.x")
}

pub fn client(emu: &Emulator, token: &str) -> Client {
    Client::builder()
        .base_url(emu.base_url())
        .bearer_token(token)
        .build()
        .unwrap()
}

/// The receiver, served on 127.0.0.1.
pub struct Hook {
    pub url: String,
    pub receiver: Receiver,
    pub server: AbortOnDrop,
}

/// Stops the served receiver when the test ends.
pub struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl AbortOnDrop {
    pub fn new(task: tokio::task::JoinHandle<()>) -> Self {
        AbortOnDrop(task)
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub async fn hook(emu: &Emulator, version: ApiVersion, max_body: Option<usize>) -> Hook {
    let keys: JwkSet = serde_json::from_value(emu.jwks()).unwrap();
    let mut builder = Receiver::builder()
        .app_id(DEFAULT_APP_ID)
        .client_state(CLIENT_STATE)
        .certificate(CERT_ID, private_key())
        .keys(keys)
        .api_version(version)
        .clock({
            // The emulator signs validation tokens on its own clock, which tests move ahead.
            let clock = emu.clock().clone();
            move || clock.now()
        });
    if let Some(bytes) = max_body {
        builder = builder.max_body_bytes(bytes);
    }
    let receiver = builder.build().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let router = receiver.router();
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    Hook {
        url,
        receiver,
        server: AbortOnDrop(server),
    }
}

/// Runs the application side: lifecycle notifications go to the renewal task, presence
/// changes to the returned channel.
pub struct Forwarder {
    pub changes: mpsc::UnboundedReceiver<PresenceChange>,
    pub stats: Stats,
    pub lifecycle_seen: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub fn forward(mut receiver: Receiver, subs: Arc<Mutex<Option<Subscriptions>>>) -> Forwarder {
    let (tx, changes) = mpsc::unbounded_channel();
    let stats = receiver.stats();
    let lifecycle_seen = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&lifecycle_seen);
    let task = tokio::spawn(async move {
        while let Some(notification) = receiver.next().await {
            match notification {
                Notification::Presence(change) => {
                    let _ = tx.send(*change);
                }
                Notification::Lifecycle(lifecycle) => {
                    seen.lock().unwrap().push(format!("{:?}", lifecycle.event));
                    if let Some(subs) = subs.lock().unwrap().as_ref() {
                        subs.on_lifecycle(&lifecycle.subscription_id, lifecycle.event);
                    }
                }
            }
        }
    });
    Forwarder {
        changes,
        stats,
        lifecycle_seen,
        task,
    }
}

/// The next presence change, failing the test after `within`.
pub async fn next_change(
    changes: &mut mpsc::UnboundedReceiver<PresenceChange>,
    within: Duration,
) -> PresenceChange {
    tokio::time::timeout(within, changes.recv())
        .await
        .expect("no presence change arrived in time")
        .expect("the forwarder stopped")
}
