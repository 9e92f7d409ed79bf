//! `team-wallboard`: given a group, lists its members (nested groups included, paged), reads
//! everyone's presence (650 ids a request) and prints each change as it arrives.
//!
//! One command, against an emulator started in this process with a demo team and a driver
//! that changes someone's presence every second:
//!
//! ```sh
//! cargo run -p msgraph-presence-notifications --example team-wallboard -- --emulator
//! ```
//!
//! Against a running emulator or Graph-compatible server (one `--token` per 650 members: Graph
//! allows one presence subscription per application and signed-in user):
//!
//! ```sh
//! cargo run -p presence-emulator -- --port 8080 --demo-directory demo-team &
//! cargo run -p msgraph-presence-notifications --example team-wallboard -- \
//!     --base-url http://127.0.0.1:8080 --group demo-team
//! ```
//!
//! The encryption certificate is the repository's test-only pair: fine for an emulator and
//! nothing else.

mod wallboard;

use clap::Parser;
use msgraph_presence::{Client, v1_0};
use presence_emulator::{DirectorySeed, Emulator};
use std::time::Duration;
use wallboard::{Subscriber, Wallboard};

const TEST_ONLY_CERT: &str = include_str!("../../tests/fixtures/test-only-subscriber.cert.pem");
const TEST_ONLY_KEY: &str = include_str!("../../tests/fixtures/test-only-subscriber.key.pem");
const DEMO_GROUP: &str = "demo-team";
/// The demo driver's presence session.
const DEMO_SESSION: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";
const DEMO_STATES: [(&str, &str); 4] = [
    ("Busy", "InACall"),
    ("DoNotDisturb", "Presenting"),
    ("Away", "Away"),
    ("Available", "Available"),
];

#[derive(Debug, Parser)]
#[command(about = "A group's members and their presence, live.")]
struct Args {
    /// Start an emulator here, seeded with a demo team, and change presence every second.
    #[arg(long, conflicts_with = "base_url")]
    emulator: bool,
    /// A running emulator or Graph-compatible server.
    #[arg(long, required_unless_present = "emulator")]
    base_url: Option<String>,
    /// The group's object id (default with --emulator: the demo team).
    #[arg(long, required_unless_present = "emulator")]
    group: Option<String>,
    /// Bearer tokens: the first reads the directory and presence and subscribes the first 650
    /// members, each further one subscribes the next 650 (the emulator accepts any).
    #[arg(long = "token", default_value = "team-wallboard")]
    tokens: Vec<String>,
    /// The application (client) id the validation tokens are issued to.
    #[arg(long, default_value = presence_emulator::DEFAULT_APP_ID)]
    app_id: String,
    /// Members of the demo team (with --emulator): two thirds direct, the rest in a nested group.
    #[arg(long, default_value_t = 12)]
    demo_size: usize,
    /// Stop after this many changes (0: run until interrupted).
    #[arg(long, default_value_t = 8)]
    changes: usize,
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Args::parse()).await {
        eprintln!("team-wallboard: {error}");
        std::process::exit(1);
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let local = if args.emulator {
        let emulator = Emulator::start().await?;
        let direct = args.demo_size * 2 / 3;
        emulator.seed_directory(DirectorySeed::demo_team(
            DEMO_GROUP,
            direct,
            args.demo_size - direct,
        ));
        Some(emulator)
    } else {
        None
    };
    let base_url = match (&local, &args.base_url) {
        (Some(emulator), _) => emulator.base_url().to_owned(),
        (None, Some(url)) => url.trim_end_matches('/').to_owned(),
        (None, None) => return Err("--base-url or --emulator is required".into()),
    };
    let group = args.group.clone().unwrap_or_else(|| DEMO_GROUP.to_owned());
    let client_for = |token: &str| {
        Client::builder()
            .base_url(&base_url)
            .bearer_token(token)
            .build()
    };
    let client = client_for(&args.tokens[0])?;
    let mut tokens = args.tokens.clone();
    if local.is_some() {
        // The emulator tells signed-in users apart by a JWT-shaped token's `oid`.
        let needed = args.demo_size.div_ceil(650).max(1);
        tokens = (0..needed).map(|i| demo_token(&args.app_id, i)).collect();
    }
    let subscribers = tokens
        .iter()
        .map(|t| client_for(t))
        .collect::<Result<Vec<_>, _>>()?;

    // Random (R12): a forged notification cannot guess it.
    let client_state = msgraph_presence_notifications::ClientStates::random_value();
    let who = Subscriber {
        app_id: &args.app_id,
        client_state: &client_state,
        cert_pem: TEST_ONLY_CERT,
        key_pem: TEST_ONLY_KEY,
    };
    let mut board = Wallboard::start(&client, &subscribers, &base_url, &group, &who).await?;
    println!("{} member(s) of {group}:", board.members().len());
    for line in board.board() {
        println!("  {line}");
    }
    if local.is_some() {
        let ids = board.members().iter().map(|m| m.id.clone()).collect();
        tokio::spawn(drive(client.clone(), ids));
    }
    let mut changes = board
        .take_changes()
        .ok_or("the view's changes were taken")?;
    let mut seen = 0;
    loop {
        let update = tokio::select! {
            u = changes.recv() => u,
            _ = tokio::signal::ctrl_c() => None,
        };
        let Some(update) = update else { break };
        println!(
            "{}  {}",
            jiff::Timestamp::now().strftime("%H:%M:%S"),
            board.line(&update)
        );
        seen += 1;
        if args.changes != 0 && seen >= args.changes {
            break;
        }
    }
    board.shutdown().await;
    if let Some(emulator) = local {
        emulator.shutdown().await?;
    }
    Ok(())
}

/// A delegated-looking token of demo signed-in user `n` (the emulator checks no signature).
fn demo_token(app_id: &str, n: usize) -> String {
    use base64::Engine as _;
    let claims = serde_json::json!({
        "appid": app_id,
        "oid": format!("7e1a0000-0000-4000-b000-{n:012}"),
        "scp": "Presence.Read.All User.ReadBasic.All GroupMember.Read.All",
    });
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("e30.{payload}.x")
}

/// Changes one member's presence every second, round robin through the demo states.
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
