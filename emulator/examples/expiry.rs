//! The emulator in a test: publish a session, read it back, let an hour pass on the emulator's
//! clock and see the session expire, then make the next call a 429.
//! `cargo run -p presence-emulator --example expiry`.

use msgraph_presence::runtime::Duration as IsoDuration;
use msgraph_presence::{Client, v1_0};
use presence_emulator::{Emulator, Fault};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emu = Emulator::start().await?;
    let client = Client::builder()
        .base_url(emu.base_url())
        .bearer_token("any")
        .build()?;
    let user = client
        .v1_0()
        .user("fa8bf3dc-eca7-46b7-bad1-db199b62afc3")
        .presence();

    let session = v1_0::models::SetPresenceRequest::new(
        "22553876-f5ab-4529-bffb-cfe50aa89f87",
        v1_0::models::Availability::Busy,
        v1_0::models::Activity::InACall,
    )
    .with_expiration_duration(IsoDuration::from_hours(1));
    user.set_presence(&session).await?;
    let now = user.get().await?;
    assert_eq!(now.activity, Some(v1_0::models::Activity::InACall));
    println!("set:   {:?} / {:?}", now.availability, now.activity);

    emu.clock().advance(Duration::from_secs(3600));
    let later = user.get().await?;
    assert_eq!(
        later.availability,
        Some(v1_0::models::Availability::Offline)
    );
    println!("+1 h:  {:?} / {:?}", later.availability, later.activity);

    emu.inject_fault(Fault::throttled(Duration::from_secs(0)));
    let throttled = client
        .v1_0()
        .with_options(
            &msgraph_presence::runtime::RequestOptions::new()
                .retry(msgraph_presence::runtime::RetryPolicy::disabled()),
        )
        .user("fa8bf3dc-eca7-46b7-bad1-db199b62afc3")
        .presence()
        .get()
        .await;
    assert!(throttled.is_err_and(|e| e.is_throttled()));
    println!("fault: 429 as asked");
    emu.shutdown().await?;
    Ok(())
}
