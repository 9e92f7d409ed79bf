//! Proof that a document in Microsoft's own style gives working code: `cargo xtask codegen`
//! generates `generator/tests/fixtures/graph-upstream-style.yaml` into the test-output crate as an
//! outside crate would (runtime `::msgraph_presence_runtime`; warnings are errors there) and this file
//! calls it over loopback HTTP.

// The loopback server the client crate's own request tests use, shared rather than copied.
#[path = "../../../../generated/tests/support/mod.rs"]
mod support;

use generator_test_output::upstream_style::{Client, models};
use support::{AWKWARD_ID, AWKWARD_ID_ENCODED, Canned, TestServer, assert_request};

/// Query parameters as sent, decoded (`%24top` → `$top`).
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

#[tokio::test]
async fn set_presence_posts_to_the_namespaced_action_path() {
    let server = TestServer::start().await;
    let client = server.client();
    let body = models::SetPresenceRequest {
        session_id: Some("22553876-f5ab-4529-bffb-cfe50aa89f87".into()),
        availability: Some("Available".into()),
        activity: Some("Available".into()),
        expiration_duration: Some(msgraph_presence::runtime::Duration::from_hours(1)),
        additional_properties: Default::default(),
    };
    let api = Client::new(client.runtime());
    // The fixture deprecates this path (not the `/communications` one): only this method warns.
    #[allow(deprecated)]
    api.user(AWKWARD_ID)
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
    assert_request(
        &server.take_one(),
        "POST",
        &format!("/v1.0/users/{AWKWARD_ID_ENCODED}/presence/microsoft.graph.setPresence"),
        Some(serde_json::json!({
            "sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87",
            "availability": "Available",
            "activity": "Available",
            "expirationDuration": "PT1H"
        })),
    );
    api.communications()
        .presence("dc74d9bb")
        .set_presence(&body)
        .await
        .unwrap();
    assert_eq!(
        server.take_one().path,
        "/v1.0/communications/presences/dc74d9bb/microsoft.graph.setPresence"
    );
}

#[tokio::test]
async fn list_presence_sends_odata_query_options_and_decodes_the_page() {
    let server = TestServer::start_with(Canned::json(
        200,
        r#"{
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#communications/presences",
            "@odata.count": 1,
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/communications/presences?$skip=1",
            "value": [{"id": "fa8bf3dc", "availability": "Busy", "activity": "InAMeeting"}]
        }"#,
    ))
    .await;
    let client = server.client();
    let params = models::ListPresenceParams {
        top: Some(1),
        count: Some(true),
        select: Some(vec![
            models::ListPresenceSelectItem::Id,
            models::ListPresenceSelectItem::Availability,
        ]),
        orderby: Some(vec![models::ListPresenceOrderbyItem::from("activity desc")]),
        expand: Some(vec![models::ListPresenceExpandItem::All]),
        ..Default::default()
    };
    let page = Client::new(client.runtime())
        .communications()
        .presences()
        .list(&params)
        .await
        .unwrap();

    let seen = server.take_one();
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/v1.0/communications/presences");
    let query = query_pairs(seen.query.as_deref());
    let expected: Vec<(String, String)> = [
        ("$top", "1"),
        ("$count", "true"),
        ("$orderby", "activity desc"),
        ("$select", "id,availability"),
        ("$expand", "*"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(query, expected);

    assert_eq!(page.odata_count, Some(1));
    assert_eq!(
        page.odata_next_link.as_deref(),
        Some("https://graph.microsoft.com/v1.0/communications/presences?$skip=1")
    );
    let value = page.value.expect("value");
    assert_eq!(value[0].id.as_deref(), Some("fa8bf3dc"));
    assert_eq!(value[0].availability.as_deref(), Some("Busy"));
    assert!(page.additional_properties.contains_key("@odata.context"));
}

#[tokio::test]
async fn delete_sends_if_match_and_count_reads_plain_text() {
    let server = TestServer::start_with(Canned::empty(204)).await;
    let client = server.client();
    let api = Client::new(client.runtime());
    let params = models::DeletePresenceParams {
        if_match: Some("W/\"etag-1\"".into()),
    };
    api.communications()
        .presence(AWKWARD_ID)
        .delete(&params)
        .await
        .unwrap();
    let seen = server.take_one();
    assert_eq!(seen.method, "DELETE");
    assert_eq!(
        seen.path,
        format!("/v1.0/communications/presences/{AWKWARD_ID_ENCODED}")
    );
    assert_eq!(seen.header("if-match"), Some("W/\"etag-1\""));
    assert!(seen.body.is_empty());

    server.respond(Canned::text(200, "42"));
    let count = api
        .communications()
        .presences()
        .count(&models::CountPresencesParams::default())
        .await
        .unwrap();
    assert_eq!(count, 42);
    assert_eq!(
        server.take_one().path,
        "/v1.0/communications/presences/$count"
    );
}

#[tokio::test]
async fn errors_of_the_default_response_carry_the_odata_body() {
    let server = TestServer::start_with(Canned::json(
        404,
        r#"{"error":{"code":"NotFound","message":"No presence for this user."}}"#,
    ))
    .await;
    let client = server.client();
    let err = Client::new(client.runtime())
        .communications()
        .get_presences_by_user_id(&models::GetPresencesByUserIdRequest {
            ids: Some(vec!["nobody".into()]),
            additional_properties: Default::default(),
        })
        .await
        .expect_err("404");
    assert!(err.is_not_found());
    assert_eq!(err.odata().map(|e| e.code.as_str()), Some("NotFound"));
    assert_eq!(
        server.take_one().path,
        "/v1.0/communications/microsoft.graph.getPresencesByUserId"
    );
}

#[tokio::test]
async fn get_on_me_reads_the_signed_in_users_presence() {
    let server =
        TestServer::start_with(Canned::json(200, r#"{"id":"me-id","activity":"Away"}"#)).await;
    let client = server.client();
    let api = Client::new(client.runtime());
    let presence = api
        .me()
        .presence()
        .get(&models::GetPresenceParams::default())
        .await
        .unwrap();
    assert_eq!(presence.activity.as_deref(), Some("Away"));
    assert_request(&server.take_one(), "GET", "/v1.0/me/presence", None);
    // The fixture binds setPresence to users and presences only, so `api.me().presence()` has
    // no `set_presence` method: that call does not compile.
}
