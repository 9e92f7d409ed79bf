//! The emulated directory over loopback, through the generated directory client (and raw
//! requests where the client would not send the wrong thing): users by id or UPN, paging by
//! 100 or `$top`, advanced queries and their header, direct and transitive members with the
//! user cast, the documented errors, and seeding from the library and the control API.

use futures_util::StreamExt;
use msgraph_presence::directory_v1_0::models::{
    GetUserParams, ListMemberAsUserParams, ListTransitiveMemberAsUserParams, ListUserParams,
};
use msgraph_presence::{Client, Error};
use presence_emulator::{DirectoryGroup, DirectorySeed, DirectoryUser, Emulator, GroupMember};
use serde_json::Value;

async fn start(seed: DirectorySeed) -> (Emulator, Client) {
    let emu = Emulator::start().await.unwrap();
    emu.seed_directory(seed);
    let client = Client::builder()
        .base_url(emu.base_url())
        .bearer_token("any")
        .build()
        .unwrap();
    (emu, client)
}

/// `count` users `u000`.. with display names `Person <n>`.
fn many_users(count: usize) -> DirectorySeed {
    DirectorySeed {
        users: (0..count)
            .map(|n| {
                DirectoryUser::new(
                    format!("u{n:03}"),
                    format!("Person {n}"),
                    format!("p{n}@contoso.test"),
                )
            })
            .collect(),
        groups: vec![],
    }
}

fn code(error: &Error) -> (Option<u16>, Option<String>) {
    (error.status(), error.odata().map(|o| o.code.clone()))
}

async fn raw(emu: &Emulator, path_and_query: &str, eventual: bool) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .get(format!("{}{path_and_query}", emu.base_url()))
        .bearer_auth("any");
    if eventual {
        request = request.header("ConsistencyLevel", "eventual");
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn a_user_is_read_by_id_or_upn_with_select_and_an_unknown_one_is_404() {
    let (emu, client) = start(DirectorySeed::demo_team("team", 2, 1)).await;
    let id = "00000000-0000-4000-a000-000000000001";
    let dir = client.directory_v1_0();
    let by_id = dir.user(id).get(&GetUserParams::default()).await.unwrap();
    assert_eq!(
        by_id.user_principal_name.as_deref(),
        Some("bo.demo1@contoso.test")
    );
    assert_eq!(by_id.mail.as_deref(), Some("bo.demo1@contoso.test"));
    let by_upn = dir
        .user("Bo.Demo1@contoso.test")
        .get(&GetUserParams {
            select: Some(vec!["id".into(), "mail".into()]),
        })
        .await
        .unwrap();
    assert_eq!(by_upn.id.as_deref(), Some(id));
    assert_eq!(
        by_upn.display_name, None,
        "$select leaves out what it does not name"
    );

    let err = dir
        .user("nobody@contoso.test")
        .get(&GetUserParams::default())
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        code(&err),
        (Some(404), Some("Request_ResourceNotFound".into()))
    );
    // Beta serves the same directory.
    let beta = client
        .directory_beta()
        .user(id)
        .get(&Default::default())
        .await
        .unwrap();
    assert_eq!(beta.id.as_deref(), Some(id));
    emu.shutdown().await.unwrap();
}

#[tokio::test]
async fn users_page_by_100_or_top_and_the_stream_follows_next_links() {
    let (emu, client) = start(many_users(250)).await;
    let users = client.directory_v1_0().users();
    let first = users.list(&ListUserParams::default()).await.unwrap();
    assert_eq!(first.value.as_ref().unwrap().len(), 100);
    let next = first.odata_next_link.unwrap();
    assert!(
        next.starts_with(&format!("{}/v1.0/users?", emu.base_url())),
        "{next}"
    );

    let before = emu.requests().len();
    let all: Vec<_> = users
        .list_stream(&ListUserParams::default(), None)
        .collect()
        .await;
    let ids: Vec<String> = all.into_iter().map(|u| u.unwrap().id.unwrap()).collect();
    assert_eq!(ids.len(), 250);
    assert_eq!(ids.first().map(String::as_str), Some("u000"));
    assert_eq!(ids.last().map(String::as_str), Some("u249"));
    assert_eq!(emu.requests().len() - before, 3, "pages of 100, 100 and 50");

    let big = ListUserParams {
        top: Some(999),
        ..Default::default()
    };
    let page = users.list(&big).await.unwrap();
    assert_eq!(page.value.unwrap().len(), 250);
    assert!(page.odata_next_link.is_none());

    let small = ListUserParams {
        top: Some(40),
        ..Default::default()
    };
    let before = emu.requests().len();
    let capped: Vec<_> = users.list_stream(&small, Some(90)).collect().await;
    assert_eq!(capped.len(), 90);
    assert_eq!(
        emu.requests().len() - before,
        3,
        "pages of 40 until 90 items"
    );

    let too_big = ListUserParams {
        top: Some(1000),
        ..Default::default()
    };
    let err = users.list(&too_big).await.unwrap_err();
    assert_eq!(code(&err), (Some(400), Some("Request_BadRequest".into())));
    emu.shutdown().await.unwrap();
}

#[tokio::test]
async fn advanced_queries_need_consistency_level_which_the_client_sends() {
    let (emu, client) = start(many_users(150)).await;
    // Without the header Graph refuses $count and $search.
    for query in ["$count=true", "$search=%22displayName:Person%201%22"] {
        let (status, body) = raw(&emu, &format!("/v1.0/users?{query}"), false).await;
        assert_eq!(status, 400, "{query}");
        assert_eq!(body["error"]["code"], "Request_UnsupportedQuery", "{query}");
    }
    // The client marks $count and $search, so it sends the header, also on the next pages.
    let users = client.directory_v1_0().users();
    let counted = ListUserParams {
        count: Some(true),
        ..Default::default()
    };
    let page = users.list(&counted).await.unwrap();
    assert_eq!(page.odata_count, Some(150));
    let streamed: Vec<_> = users.list_stream(&counted, None).collect().await;
    assert_eq!(streamed.len(), 150);
    assert!(streamed.iter().all(Result::is_ok));

    let search = ListUserParams {
        search: Some("\"displayName:Person 14\"".into()),
        ..Default::default()
    };
    let found: Vec<String> = users
        .list(&search)
        .await
        .unwrap()
        .value
        .unwrap()
        .into_iter()
        .filter_map(|u| u.id)
        .collect();
    assert_eq!(
        found,
        [
            "u014", "u140", "u141", "u142", "u143", "u144", "u145", "u146", "u147", "u148", "u149"
        ]
    );

    // Basic filters need no header; endsWith is advanced and wants $count=true too.
    let starts = ListUserParams {
        filter: Some("startsWith(displayName,'person 12')".into()),
        ..Default::default()
    };
    assert_eq!(users.list(&starts).await.unwrap().value.unwrap().len(), 11);
    let by_mail = ListUserParams {
        filter: Some("mail eq 'p7@contoso.test'".into()),
        ..Default::default()
    };
    let hit = users.list(&by_mail).await.unwrap().value.unwrap();
    assert_eq!(hit[0].id.as_deref(), Some("u007"));
    let ends = ListUserParams {
        filter: Some("endsWith(mail,'9@contoso.test')".into()),
        ..Default::default()
    };
    let err = users.list(&ends).await.unwrap_err();
    assert_eq!(
        code(&err),
        (Some(400), Some("Request_UnsupportedQuery".into()))
    );
    let ends_counted = ListUserParams {
        count: Some(true),
        ..ends
    };
    assert_eq!(
        users.list(&ends_counted).await.unwrap().odata_count,
        Some(15)
    );
    let unreadable = ListUserParams {
        filter: Some("length(mail) gt 3".into()),
        ..Default::default()
    };
    let err = users.list(&unreadable).await.unwrap_err();
    assert_eq!(code(&err), (Some(400), Some("Request_BadRequest".into())));
    emu.shutdown().await.unwrap();
}

#[tokio::test]
async fn direct_and_transitive_members_with_the_user_cast() {
    let (emu, client) = start(DirectorySeed::demo_team("team", 3, 2)).await;
    let group = client.directory_v1_0().group("team");
    let direct: Vec<String> = group
        .members()
        .user_stream(&ListMemberAsUserParams::default(), None)
        .map(|u| u.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(direct.len(), 3, "the nested group is not a user");
    let transitive: Vec<String> = group
        .transitive_members()
        .user_stream(
            &ListTransitiveMemberAsUserParams {
                top: Some(2),
                ..Default::default()
            },
            None,
        )
        .map(|u| u.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(
        transitive.len(),
        5,
        "nested members flattened, over three pages of 2"
    );
    assert_eq!(transitive[..3], direct[..]);

    let err = client
        .directory_v1_0()
        .group("no-such-group")
        .members()
        .user(&Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        code(&err),
        (Some(404), Some("Request_ResourceNotFound".into()))
    );
    let (status, body) = raw(
        &emu,
        "/v1.0/groups/team/members/microsoft.graph.presence",
        false,
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("Request_UnsupportedQuery"))
    );
    // No token, no answer.
    let status = reqwest::get(format!("{}/v1.0/users", emu.base_url()))
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401);
    emu.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_control_api_and_the_library_seed_the_directory() {
    let (emu, client) = start(DirectorySeed::default()).await;
    let http = reqwest::Client::new();
    let users = serde_json::json!([
        {"id": "x1", "displayName": "Xia One", "userPrincipalName": "xia@contoso.test", "mail": "xia@contoso.test"},
        {"id": "x2", "displayName": "Xavier Two", "userPrincipalName": "xavier@contoso.test"}
    ]);
    let status = http
        .post(format!("{}/_emulator/directory/users", emu.base_url()))
        .json(&users)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 204);
    let group = serde_json::json!({"id": "g", "displayName": "G", "members": [{"type": "user", "id": "x2"}]});
    let status = http
        .post(format!("{}/_emulator/directory/groups", emu.base_url()))
        .json(&group)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 204);
    emu.add_directory_user(DirectoryUser::new("x3", "Xena Three", "xena@contoso.test"));
    emu.add_group(DirectoryGroup {
        id: "outer".into(),
        display_name: "Outer".into(),
        members: vec![
            GroupMember::User("x3".into()),
            GroupMember::Group("g".into()),
        ],
    });
    let dir = client.directory_v1_0();
    assert_eq!(
        dir.user("xavier@contoso.test")
            .get(&Default::default())
            .await
            .unwrap()
            .id
            .as_deref(),
        Some("x2")
    );
    let ids: Vec<String> = dir
        .group("outer")
        .transitive_members()
        .user(&Default::default())
        .await
        .unwrap()
        .value
        .unwrap()
        .into_iter()
        .filter_map(|u| u.id)
        .collect();
    assert_eq!(ids, ["x3", "x2"]);
    let bad = http
        .post(format!("{}/_emulator/directory/users", emu.base_url()))
        .body("{")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(bad, 400);
    let status = http
        .delete(format!("{}/_emulator/directory", emu.base_url()))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 204);
    assert!(
        dir.user("x1")
            .get(&Default::default())
            .await
            .unwrap_err()
            .is_not_found()
    );
    emu.shutdown().await.unwrap();
}
