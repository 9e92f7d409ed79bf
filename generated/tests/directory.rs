//! The directory part on the wire (cargo feature `directory`): exact paths (the
//! `microsoft.graph.user` cast kept, a UPN percent-encoded), OData options as Graph reads them
//! (`$select` comma-separated), `ConsistencyLevel: eventual` exactly when `$search` or `$count`
//! is given (and on every page of a stream), and the operation descriptors' permissions and
//! clouds.

mod support;

use futures_util::StreamExt;
use msgraph_presence::Cloud;
use msgraph_presence::directory_v1_0::models::{
    GetUserParams, ListMemberAsUserParams, ListTransitiveMemberAsUserParams, ListUserParams,
};
use msgraph_presence::runtime::{PermissionKind, required_scopes};
use serde_json::json;
use support::{Recorded, Reply, Server};

fn users_page(request: &Recorded) -> Reply {
    // One user (`/users/{id}`) is the object itself; a list is a page.
    if request.path.matches('/').count() == 3 && request.path.contains("/users/") {
        return Reply::json(
            200,
            json!({"id": "u1", "userPrincipalName": "ann@contoso.test"}),
        );
    }
    let base = format!("http://{}", request.header("host").unwrap());
    let next = (!request.target.contains("skiptoken"))
        .then(|| format!("{base}{}?$skiptoken=p2", request.path));
    let mut body = json!({"value": [{"id": "u1", "displayName": "Ann", "userPrincipalName": "ann@contoso.test"}]});
    if let Some(next) = next {
        body["@odata.nextLink"] = json!(next);
    }
    Reply::json(200, body)
}

#[tokio::test]
async fn paths_options_and_the_consistency_header() {
    let server = Server::start(|_, request| users_page(request)).await;
    let client = server.builder().build().unwrap();
    let dir = client.directory_v1_0();

    let select = GetUserParams {
        select: Some(vec!["id".into(), "mail".into()]),
    };
    dir.user("ann@contoso.test").get(&select).await.unwrap();
    let basic = ListUserParams {
        filter: Some("startsWith(displayName,'A')".into()),
        top: Some(5),
        ..Default::default()
    };
    dir.users().list(&basic).await.unwrap();
    let counted = ListUserParams {
        count: Some(true),
        ..Default::default()
    };
    dir.users().list(&counted).await.unwrap();
    let search = ListMemberAsUserParams {
        search: Some("\"displayName:ann\"".into()),
        ..Default::default()
    };
    dir.group("g/1").members().user(&search).await.unwrap();
    dir.group("g1")
        .transitive_members()
        .user(&ListTransitiveMemberAsUserParams::default())
        .await
        .unwrap();

    let sent = server.take_requests();
    let wire: Vec<(&str, Option<&str>)> = sent
        .iter()
        .map(|r| (r.target.as_str(), r.header("consistencylevel")))
        .collect();
    assert_eq!(
        wire,
        [
            ("/v1.0/users/ann%40contoso.test?%24select=id%2Cmail", None),
            (
                "/v1.0/users?%24filter=startsWith%28displayName%2C%27A%27%29&%24top=5",
                None
            ),
            ("/v1.0/users?%24count=true", Some("eventual")),
            (
                "/v1.0/groups/g%2F1/members/microsoft.graph.user?%24search=%22displayName%3Aann%22",
                Some("eventual")
            ),
            (
                "/v1.0/groups/g1/transitiveMembers/microsoft.graph.user",
                None
            ),
        ]
    );
    assert!(sent.iter().all(|r| r.method == "GET"));

    // A stream sends the header on every page, the next link as given.
    let all: Vec<_> = dir.users().list_stream(&counted, None).collect().await;
    assert_eq!(all.len(), 2);
    let sent = server.take_requests();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].target, "/v1.0/users?$skiptoken=p2");
    assert!(
        sent.iter()
            .all(|r| r.header("consistencylevel") == Some("eventual"))
    );
}

#[tokio::test]
async fn beta_has_the_same_directory() {
    let server = Server::start(|_, request| users_page(request)).await;
    let client = server.builder().build().unwrap();
    let user = client
        .directory_beta()
        .user("u1")
        .get(&Default::default())
        .await
        .unwrap();
    assert_eq!(
        user.user_principal_name.as_deref(),
        Some("ann@contoso.test")
    );
    assert_eq!(server.take_requests()[0].target, "/beta/users/u1");
}

#[test]
fn permissions_and_clouds_are_the_documented_ones() {
    use msgraph_presence::directory_v1_0::operations as ops;
    let scopes = required_scopes(
        &[&ops::LIST_USER, &ops::LIST_MEMBER_AS_USER],
        PermissionKind::Application,
    )
    .unwrap();
    assert_eq!(scopes, ["GroupMember.Read.All", "User.Read.All"]);
    let delegated = required_scopes(&[&ops::GET_USER], PermissionKind::DelegatedWork).unwrap();
    assert_eq!(delegated, ["User.ReadBasic.All"]);
    // Unlike presence, the directory is in every national cloud, China included.
    for cloud in [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5, Cloud::China] {
        for op in ops::ALL {
            for binding in op.bindings {
                assert!(
                    binding.clouds.is_some_and(|c| c.contains(&cloud)),
                    "{} in {cloud:?}",
                    op.name
                );
            }
        }
    }
}
