//! A client for a real tenant: the scopes to ask for, a national cloud, a token from the
//! environment, a retry budget, one latency-sensitive call without retries, and many users at
//! once. Built by `cargo test`; run it with a token: `GRAPH_TOKEN=... cargo run -p
//! msgraph-presence --example tenant -- USER_ID [USER_ID ...]`.

use msgraph_presence::runtime::{PermissionKind, RequestOptions, RetryPolicy, required_scopes};
use msgraph_presence::{Client, Cloud, Error, v1_0};
use std::time::Duration;

#[tokio::main]
async fn main() -> msgraph_presence::Result<()> {
    let users: Vec<String> = std::env::args().skip(1).collect();
    let Some(first) = users.first() else {
        eprintln!("usage: tenant USER_ID [USER_ID ...]   (GRAPH_TOKEN in the environment)");
        std::process::exit(2);
    };

    // The application permissions the calls below need, from the operations' descriptors.
    let scopes = required_scopes(
        &[
            &v1_0::operations::GET_PRESENCE,
            &v1_0::operations::GET_PRESENCES_BY_USER_ID,
        ],
        PermissionKind::Application,
    )?;
    eprintln!("needs: {}", scopes.join(", "));

    let client = Client::builder()
        .cloud(Cloud::Global)
        .token_fn(|| async {
            std::env::var("GRAPH_TOKEN").map_err(|_| Error::Auth("GRAPH_TOKEN is not set".into()))
        })
        .retry(RetryPolicy::default().max_total_wait(Duration::from_secs(60)))
        .build()?;

    // One latency-sensitive call: a short timeout and no retries.
    let quick = RequestOptions::new()
        .timeout(Duration::from_secs(2))
        .retry(RetryPolicy::disabled());
    match client
        .v1_0()
        .with_options(&quick)
        .user(first)
        .presence()
        .get()
        .await
    {
        Ok(presence) => println!("{first}: {:?}", presence.availability),
        Err(e) if e.is_throttled() || e.is_timeout() => {
            eprintln!("later (client-request-id {:?})", e.client_request_id())
        }
        Err(e) => return Err(e),
    }

    // Any number of users: chunks of 650, results in input order.
    let presences = client.v1_0().get_presences_for_users(&users).await?;
    println!(
        "{} of {} users answered",
        presences.iter().flatten().count(),
        users.len()
    );
    Ok(())
}
