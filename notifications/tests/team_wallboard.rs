//! The team-wallboard example's logic against the emulator: 700 members (a nested group
//! included) listed over 7 pages of 100, their presence read in two getPresencesByUserId
//! calls (650 + 50) and subscribed through two signed-in users, then a change printed by name.

mod support;
#[path = "../examples/team-wallboard/wallboard.rs"]
mod wallboard;

use msgraph_presence::v1_0::models::SetPresenceRequest;
use presence_emulator::{DEFAULT_APP_ID, DirectorySeed, Emulator};
use std::time::Duration;
use wallboard::{Subscriber, Wallboard};

#[tokio::test]
async fn the_wallboard_lists_a_nested_team_reads_everyone_and_prints_changes() {
    let emu = Emulator::start().await.unwrap();
    emu.seed_directory(DirectorySeed::demo_team("team", 600, 100));
    let reader = support::client(&emu, "reader");
    let subscribers = [
        support::client(
            &emu,
            &support::token_for("7e1a0000-0000-4000-b000-000000000001"),
        ),
        support::client(
            &emu,
            &support::token_for("7e1a0000-0000-4000-b000-000000000002"),
        ),
    ];
    let who = Subscriber {
        app_id: DEFAULT_APP_ID,
        client_state: support::CLIENT_STATE,
        cert_pem: support::CERT_PEM,
        key_pem: support::KEY_PEM,
    };
    let mut board = Wallboard::start(&reader, &subscribers, emu.base_url(), "team", &who)
        .await
        .unwrap();

    assert_eq!(board.members().len(), 700);
    let requests = emu.requests();
    let pages = requests
        .iter()
        .filter(|r| r.path == "/v1.0/groups/team/transitiveMembers/microsoft.graph.user")
        .count();
    assert_eq!(pages, 7, "700 members in pages of 100");
    let reads = requests
        .iter()
        .filter(|r| r.path.ends_with("/communications/getPresencesByUserId"))
        .count();
    assert_eq!(reads, 2, "650 ids a read");
    let subscriptions = requests
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1.0/subscriptions" && r.status == 201)
        .count();
    assert_eq!(subscriptions, 2, "one subscription per 650 members");

    let lines = board.board();
    assert_eq!(lines.len(), 700);
    assert_eq!(
        lines[0],
        "Bo Demo1 <bo.demo1@contoso.test>  Offline / Offline"
    );
    // The nested group's members come after the direct ones.
    assert!(
        lines[699].starts_with("Eli Demo700 <eli.demo700@contoso.test>"),
        "{}",
        lines[699]
    );

    // A change of the last (nested, second-subscription) member arrives as a line by name.
    let mut changes = board.take_changes().unwrap();
    let last = board.members()[699].id.clone();
    let body = SetPresenceRequest::new("22553876-f5ab-4529-bffb-cfe50aa89f87", "Busy", "InACall");
    reader
        .v1_0()
        .user(&last)
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
    let update = tokio::time::timeout(Duration::from_secs(10), changes.recv())
        .await
        .expect("a change within 10 s")
        .unwrap();
    assert_eq!(
        board.line(&update),
        "Eli Demo700: Offline / Offline -> Busy / InACall"
    );
    assert!(board.board()[699].ends_with("Busy / InACall"));
    board.shutdown().await;
    emu.shutdown().await.unwrap();
}
