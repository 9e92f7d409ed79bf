//! `presence-watch`: subscribes to a list of users and prints each presence change as it
//! arrives, decrypted.
//!
//! With no `--base-url` it needs nothing else: it starts the emulator in this process and a
//! demo driver that changes the users' presence every second, then stops after `--changes`
//! changes:
//!
//! ```sh
//! cargo run -p msgraph-presence-notifications --example presence-watch
//! ```
//!
//! Against a running `presence-emulator` (changes come from whoever calls setPresence; `--drive`
//! adds the demo driver):
//!
//! ```sh
//! cargo run -p presence-emulator -- --port 8080 &
//! cargo run -p msgraph-presence-notifications --example presence-watch -- \
//!     --base-url http://127.0.0.1:8080 --drive USER_ID...
//! ```
//!
//! The encryption certificate defaults to the repository's test-only pair, which is fine for an
//! emulator and nothing else; pass `--cert` and `--key` (PEM files) for your own.

use clap::Parser;
use msgraph_presence::{Client, v1_0};
use msgraph_presence_notifications::receiver::JwkSet;
use msgraph_presence_notifications::{
    Certificate, ClientStates, Notification, PresenceSubscriptions, Receiver, crypto,
};
use std::time::Duration;

const TEST_ONLY_CERT: &str = include_str!("../tests/fixtures/test-only-subscriber.cert.pem");
const TEST_ONLY_KEY: &str = include_str!("../tests/fixtures/test-only-subscriber.key.pem");
const DEMO_USERS: [&str; 3] = [
    "3b7e9a10-2c4d-4e6f-8a1b-2c3d4e5f6a7b",
    "4c8f0b21-3d5e-4f70-9b2c-3d4e5f6a7b8c",
    "5d9a1c32-4e6f-4a81-8c3d-4e5f6a7b8c9d",
];
/// The demo driver's presence session (a session id is the calling app's id).
const DEMO_SESSION: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";
/// The states the demo driver cycles through (pairs setPresence accepts).
const DEMO_STATES: [(&str, &str); 4] = [
    ("Busy", "InACall"),
    ("DoNotDisturb", "Presenting"),
    ("Away", "Away"),
    ("Available", "Available"),
];

#[derive(Debug, Parser)]
#[command(about = "Print each presence change of the given users as it arrives.")]
struct Args {
    /// User ids (GUIDs) to watch; three demo users by default.
    users: Vec<String>,
    /// A running emulator (or Graph-compatible server); default: start the emulator here.
    #[arg(long)]
    base_url: Option<String>,
    /// The bearer token for subscribing (the emulator accepts any).
    #[arg(long, default_value = "presence-watch")]
    token: String,
    /// The application (client) id the validation tokens are issued to.
    #[arg(long, default_value = presence_emulator::DEFAULT_APP_ID)]
    app_id: String,
    /// Run the demo driver that changes presence every second (always on without --base-url).
    #[arg(long)]
    drive: bool,
    /// Stop after this many changes (0: run until interrupted).
    #[arg(long, default_value_t = 8)]
    changes: usize,
    /// The encryption certificate (PEM); default: the test-only one.
    #[arg(long, requires = "key")]
    cert: Option<std::path::PathBuf>,
    /// The certificate's private key (PEM, PKCS#8 or PKCS#1).
    #[arg(long, requires = "cert")]
    key: Option<std::path::PathBuf>,
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Args::parse()).await {
        eprintln!("presence-watch: {error}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let users: Vec<String> = if args.users.is_empty() {
        DEMO_USERS.iter().map(|u| (*u).to_owned()).collect()
    } else {
        args.users.clone()
    };
    let (cert_pem, key_pem) = match (&args.cert, &args.key) {
        (Some(cert), Some(key)) => (
            std::fs::read_to_string(cert).map_err(|e| format!("{}: {e}", cert.display()))?,
            std::fs::read_to_string(key).map_err(|e| format!("{}: {e}", key.display()))?,
        ),
        _ => (TEST_ONLY_CERT.to_owned(), TEST_ONLY_KEY.to_owned()),
    };

    // The emulator: the one given, or one started here.
    let local = match &args.base_url {
        Some(_) => None,
        None => Some(presence_emulator::Emulator::builder().start().await?),
    };
    let base_url = match (&local, &args.base_url) {
        (Some(emulator), _) => emulator.base_url().to_owned(),
        (None, Some(url)) => url.trim_end_matches('/').to_owned(),
        (None, None) => unreachable!("one of the two is set"),
    };
    let keys: JwkSet = reqwest::get(format!("{base_url}/common/discovery/v2.0/keys"))
        .await?
        .error_for_status()?
        .json()
        .await?;

    // The webhook receiver on loopback.
    // Each subscription gets its own random clientState; the manager publishes it here and
    // the receiver compares each item with its own subscription's value.
    let client_states = ClientStates::new();
    let mut receiver = Receiver::builder()
        .app_id(&args.app_id)
        .client_states(client_states.clone())
        .certificate("presence-watch", crypto::private_key_from_pem(&key_pem)?)
        .keys(keys)
        .build()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook = format!("http://{}/", listener.local_addr()?);
    let router = receiver.router();
    tokio::spawn(async move { axum::serve(listener, router).await });

    // The subscriptions, kept alive while this runs.
    let client = Client::builder()
        .base_url(&base_url)
        .bearer_token(&args.token)
        .build()?;
    let subs = PresenceSubscriptions::builder(
        &client,
        &hook,
        Certificate::from_pem("presence-watch", &cert_pem)?,
    )
    .client_states(client_states)
    .subscribe(&users)
    .await?;
    for s in subs.subscriptions() {
        println!(
            "subscribed {} user(s) as {} until {}",
            s.user_ids.len(),
            s.id,
            s.expires
        );
    }

    if local.is_some() || args.drive {
        tokio::spawn(drive(client.clone(), users.clone()));
    }

    let mut seen = 0;
    loop {
        let notification = tokio::select! {
            n = receiver.next() => n,
            _ = tokio::signal::ctrl_c() => None,
        };
        match notification {
            None => break,
            Some(Notification::Presence(change)) => {
                println!(
                    "{}  {}  {} / {}",
                    jiff::Timestamp::now().strftime("%H:%M:%S"),
                    change.user_id,
                    change.presence.availability().unwrap_or("?"),
                    change.presence.activity().unwrap_or("?"),
                );
                seen += 1;
                if args.changes != 0 && seen >= args.changes {
                    break;
                }
            }
            Some(Notification::Lifecycle(lifecycle)) => {
                println!(
                    "lifecycle {:?} for {}",
                    lifecycle.event, lifecycle.subscription_id
                );
                subs.on_lifecycle(&lifecycle.subscription_id, lifecycle.event);
            }
        }
    }
    subs.shutdown().await;
    if let Some(emulator) = local {
        emulator.shutdown().await?;
    }
    Ok(())
}

/// Changes one user's presence every second, round robin through the demo states.
async fn drive(client: Client, users: Vec<String>) {
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    for step in 0.. {
        tick.tick().await;
        let user = &users[step % users.len()];
        let (availability, activity) = DEMO_STATES[(step / users.len()) % DEMO_STATES.len()];
        let body = v1_0::models::SetPresenceRequest::new(DEMO_SESSION, availability, activity);
        if let Err(error) = client
            .v1_0()
            .user(user)
            .presence()
            .set_presence(&body)
            .await
        {
            eprintln!("demo driver: setPresence for {user} failed: {error}");
        }
    }
}
