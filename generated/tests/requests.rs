//! Every operation of both API versions, over real HTTP on 127.0.0.1: method, exact path (with an
//! id that needs percent-encoding), bearer token and the exact JSON body, through every builder
//! the operation is bound to. Bodies are the request examples of Microsoft's docs pages
//! (`reference/presence/docs/{v1.0,beta}/`), compared as JSON values with the documented literal.

mod support;

/// Calls `$method $args` on the builder of each named resource (`me`, `user`, `presence`: the
/// helpers of the version module below) and checks the request it sends: `$verb` on the
/// resource's path followed by `$suffix`, with `$body`.
macro_rules! on_each {
    ($server:expr, [$($at:ident),+], $method:ident $args:tt, $verb:literal, $suffix:literal, $body:expr) => {
        $(
            let client = $server.client();
            let (builder, path) = $at(&client);
            let result = builder.$method $args .await;
            check_call(&$server, result, $verb, &format!("{path}{}", $suffix), $body);
        )+
    };
}

/// The same tests for each version module; the versions differ only in their path prefix, the
/// bindings of clearLocation/clearAutomaticLocation, and the documented location example.
macro_rules! version_tests {
    (
        module: $module:ident,
        base: $base:literal,
        location_example: ($location_type:literal, $place_id:literal),
        bindings: $bindings:expr $(,)?
    ) => {
        mod $module {
            use super::support::{AWKWARD_ID, AWKWARD_ID_ENCODED, Canned, TestServer, check_call};
            use msgraph_presence::$module::{
                CommunicationsPresence, MePresence, UserPresence, models, operations,
            };
            use serde_json::json;

            const BASE: &str = $base;
            const SESSION_ID: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";

            /// The signed-in user's presence, `/me/presence`.
            fn me(client: &msgraph_presence::Client) -> (MePresence<'_>, String) {
                (client.$module().me().presence(), format!("{BASE}/me/presence"))
            }

            /// A user's presence, with an id that needs percent-encoding.
            fn user(client: &msgraph_presence::Client) -> (UserPresence<'_>, String) {
                (
                    client.$module().user(AWKWARD_ID).presence(),
                    format!("{BASE}/users/{AWKWARD_ID_ENCODED}/presence"),
                )
            }

            /// A presence under `/communications`, with an id that needs percent-encoding.
            fn presence(client: &msgraph_presence::Client) -> (CommunicationsPresence<'_>, String) {
                (
                    client.$module().communications().presence(AWKWARD_ID),
                    format!("{BASE}/communications/presences/{AWKWARD_ID_ENCODED}"),
                )
            }

            /// The (operation, path template) pairs these tests call; a spec change that adds or
            /// removes a binding fails here until a test covers it.
            #[test]
            fn every_binding_is_covered() {
                let mut actual: Vec<(&str, &str)> = operations::ALL
                    .iter()
                    .flat_map(|op| op.bindings.iter().map(move |b| (op.name, b.path)))
                    .collect();
                actual.sort();
                let mut expected: Vec<(&str, &str)> = $bindings.to_vec();
                expected.sort();
                assert_eq!(actual, expected);
            }

            #[tokio::test]
            async fn get_presence_on_every_target() {
                let server = TestServer::start_with(Canned::json(
                    200,
                    r#"{"id":"fa8bf3dc-eca7-46b7-bad1-db199b62afc3","availability":"Available","activity":"Available"}"#,
                ))
                .await;
                let client = server.client();
                let check = |result: msgraph_presence::Result<models::Presence>, path: String| {
                    let presence = check_call(&server, result, "GET", &path, None);
                    assert_eq!(
                        presence.availability,
                        Some(models::Availability::Available)
                    );
                };
                let (builder, path) = me(&client);
                check(builder.get().await, path);
                let (builder, path) = user(&client);
                check(builder.get().await, path);
                let (builder, path) = presence(&client);
                check(builder.get().await, path);
            }

            #[tokio::test]
            async fn get_presences_by_user_id_sends_the_documented_ids() {
                let server = TestServer::start_with(Canned::json(200, r#"{"value":[]}"#)).await;
                let body = models::GetPresencesByUserIdRequest {
                    ids: vec![
                        "fa8bf3dc-eca7-46b7-bad1-db199b62afc3".into(),
                        "66825e03-7ef5-42da-9069-724602c31f6b".into(),
                    ],
                    additional_properties: Default::default(),
                };
                let result = server.client().$module().communications().get_presences_by_user_id(&body).await;
                let page = check_call(
                    &server,
                    result,
                    "POST",
                    &format!("{BASE}/communications/getPresencesByUserId"),
                    Some(json!({
                        "ids": ["fa8bf3dc-eca7-46b7-bad1-db199b62afc3", "66825e03-7ef5-42da-9069-724602c31f6b"]
                    })),
                );
                assert_eq!(page.value, Some(vec![]));
            }

            #[tokio::test]
            async fn set_presence_sends_the_documented_body() {
                let server = TestServer::start().await;
                let body = models::SetPresenceRequest::new(
                    SESSION_ID,
                    models::Availability::Available,
                    models::Activity::Available,
                )
                .with_expiration_duration(msgraph_presence::runtime::Duration::from_hours(1));
                on_each!(
                    server,
                    [user, presence],
                    set_presence(&body),
                    "POST",
                    "/setPresence",
                    Some(json!({
                            "sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87",
                            "availability": "Available",
                            "activity": "Available",
                            "expirationDuration": "PT1H"
                        }))
                );
            }

            #[tokio::test]
            async fn set_presence_without_expiration_omits_it() {
                let server = TestServer::start().await;
                // `new` leaves every optional property out.
                let body = models::SetPresenceRequest::new(
                    SESSION_ID,
                    models::Availability::Busy,
                    models::Activity::InACall,
                );
                let result = server
                    .client()
                    .$module()
                    .user(AWKWARD_ID).presence().set_presence(&body)
                    .await;
                check_call(
                    &server,
                    result,
                    "POST",
                    &format!("{BASE}/users/{AWKWARD_ID_ENCODED}/presence/setPresence"),
                    Some(json!({
                        "sessionId": SESSION_ID,
                        "availability": "Busy",
                        "activity": "InACall"
                    })),
                );
            }

            #[tokio::test]
            async fn clear_presence_sends_the_seed_example() {
                let server = TestServer::start().await;
                let body = models::ClearPresenceRequest::new(SESSION_ID);
                on_each!(
                    server,
                    [user, presence],
                    clear_presence(&body),
                    "POST",
                    "/clearPresence",
                    Some(json!({"sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87"}))
                );
            }

            #[tokio::test]
            async fn set_user_preferred_presence_sends_the_documented_body() {
                let server = TestServer::start().await;
                let body = models::SetUserPreferredPresenceRequest {
                    availability: models::Availability::DoNotDisturb,
                    activity: models::Activity::DoNotDisturb,
                    expiration_duration: Some(msgraph_presence::runtime::Duration::from_hours(8)),
                    additional_properties: Default::default(),
                };
                on_each!(
                    server,
                    [user, presence],
                    set_user_preferred_presence(&body),
                    "POST",
                    "/setUserPreferredPresence",
                    Some(json!({
                            "availability": "DoNotDisturb",
                            "activity": "DoNotDisturb",
                            "expirationDuration": "PT8H"
                        }))
                );
            }

            #[tokio::test]
            async fn clear_user_preferred_presence_sends_an_empty_object() {
                let server = TestServer::start().await;
                on_each!(
                    server,
                    [user, presence],
                    clear_user_preferred_presence(),
                    "POST",
                    "/clearUserPreferredPresence",
                    Some(json!({}))
                );
            }

            #[tokio::test]
            async fn set_status_message_with_expiry_sends_the_documented_body() {
                let server = TestServer::start().await;
                let body = models::SetStatusMessageRequest {
                    status_message: models::PresenceStatusMessage {
                        message: Some(models::ItemBody {
                            content: Some("Hey I'm currently in a meeting.".into()),
                            content_type: Some(models::BodyType::Text),
                            additional_properties: Default::default(),
                        }),
                        expiry_date_time: Some(models::DateTimeTimeZone {
                            date_time: Some("2022-10-18T17:05:33.2079781".into()),
                            time_zone: Some("Pacific Standard Time".into()),
                            additional_properties: Default::default(),
                        }),
                        published_date_time: None,
                        additional_properties: Default::default(),
                    },
                    additional_properties: Default::default(),
                };
                on_each!(
                    server,
                    [user, presence],
                    set_status_message(&body),
                    "POST",
                    "/setStatusMessage",
                    Some(json!({
                            "statusMessage": {
                                "message": {
                                    "content": "Hey I'm currently in a meeting.",
                                    "contentType": "text"
                                },
                                "expiryDateTime": {
                                    "dateTime": "2022-10-18T17:05:33.2079781",
                                    "timeZone": "Pacific Standard Time"
                                }
                            }
                        }))
                );
            }

            #[tokio::test]
            async fn set_status_message_without_expiry_sends_the_documented_body() {
                let server = TestServer::start().await;
                let body = models::SetStatusMessageRequest {
                    status_message: models::PresenceStatusMessage {
                        message: Some(models::ItemBody {
                            content: Some("Hey I am available now".into()),
                            content_type: Some(models::BodyType::Text),
                            additional_properties: Default::default(),
                        }),
                        ..Default::default()
                    },
                    additional_properties: Default::default(),
                };
                let result = server
                    .client()
                    .$module()
                    .user("fa8bf3dc-eca7-46b7-bad1-db199b62afc3").presence().set_status_message(&body)
                    .await;
                check_call(
                    &server,
                    result,
                    "POST",
                    &format!("{BASE}/users/fa8bf3dc-eca7-46b7-bad1-db199b62afc3/presence/setStatusMessage"),
                    Some(json!({
                        "statusMessage": {
                            "message": {"content": "Hey I am available now", "contentType": "text"}
                        }
                    })),
                );
            }

            /// A subscription as Graph answers it (the emulator's shape, R17 timestamps).
            const SUBSCRIPTION: &str = r#"{"id":"7f105c7d-2dc5-4530-97cd-4e7ae6534c07","resource":"/communications/presences?$filter=id in ('fa8bf3dc-eca7-46b7-bad1-db199b62afc3')","changeType":"updated","clientState":"secretClientValue","notificationUrl":"https://webhook.example.com/api/send/myNotifyClient","expirationDateTime":"2026-03-20T11:00:00.0000000Z","includeResourceData":true,"encryptionCertificateId":"cert-1"}"#;

            fn expires() -> msgraph_presence::runtime::DateTime {
                "2026-03-20T11:00:00Z".parse().unwrap()
            }

            #[tokio::test]
            async fn create_subscription_sends_the_rich_presence_body() {
                let server = TestServer::start_with(Canned::json(201, SUBSCRIPTION)).await;
                let mut body = models::Subscription::new(
                    "updated",
                    expires(),
                    "https://webhook.example.com/api/send/myNotifyClient",
                    "/communications/presences?$filter=id in ('fa8bf3dc-eca7-46b7-bad1-db199b62afc3')",
                );
                body.client_state = Some("secretClientValue".into());
                body.include_resource_data = Some(true);
                body.encryption_certificate = Some("MIIB".into());
                body.encryption_certificate_id = Some("cert-1".into());
                let result = server.client().$module().subscriptions().create(&body).await;
                let created = check_call(
                    &server,
                    result,
                    "POST",
                    &format!("{BASE}/subscriptions"),
                    Some(json!({
                        "changeType": "updated",
                        "expirationDateTime": "2026-03-20T11:00:00Z",
                        "notificationUrl": "https://webhook.example.com/api/send/myNotifyClient",
                        "resource": "/communications/presences?$filter=id in ('fa8bf3dc-eca7-46b7-bad1-db199b62afc3')",
                        "clientState": "secretClientValue",
                        "includeResourceData": true,
                        "encryptionCertificate": "MIIB",
                        "encryptionCertificateId": "cert-1"
                    })),
                );
                assert_eq!(created.id.as_deref(), Some("7f105c7d-2dc5-4530-97cd-4e7ae6534c07"));
                assert_eq!(created.expiration_date_time, expires());
            }

            #[tokio::test]
            async fn list_subscriptions_reads_the_page() {
                let server = TestServer::start_with(Canned::json(
                    200,
                    format!(r#"{{"value":[{SUBSCRIPTION}]}}"#),
                ))
                .await;
                let result = server.client().$module().subscriptions().list().await;
                let page = check_call(&server, result, "GET", &format!("{BASE}/subscriptions"), None);
                assert_eq!(page.value.unwrap_or_default().len(), 1);
            }

            #[tokio::test]
            async fn get_subscription_encodes_the_id() {
                let server = TestServer::start_with(Canned::json(200, SUBSCRIPTION)).await;
                let result = server.client().$module().subscription(AWKWARD_ID).get().await;
                let read = check_call(
                    &server,
                    result,
                    "GET",
                    &format!("{BASE}/subscriptions/{AWKWARD_ID_ENCODED}"),
                    None,
                );
                assert_eq!(read.client_state.as_deref(), Some("secretClientValue"));
            }

            #[tokio::test]
            async fn update_subscription_sends_the_new_expiry() {
                let server = TestServer::start_with(Canned::json(200, SUBSCRIPTION)).await;
                let body = models::UpdateSubscriptionRequest::new(expires());
                let result = server.client().$module().subscription(AWKWARD_ID).update(&body).await;
                check_call(
                    &server,
                    result,
                    "PATCH",
                    &format!("{BASE}/subscriptions/{AWKWARD_ID_ENCODED}"),
                    Some(json!({"expirationDateTime": "2026-03-20T11:00:00Z"})),
                );
            }

            #[tokio::test]
            async fn delete_subscription_sends_no_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let result = server.client().$module().subscription(AWKWARD_ID).delete().await;
                check_call(
                    &server,
                    result,
                    "DELETE",
                    &format!("{BASE}/subscriptions/{AWKWARD_ID_ENCODED}"),
                    None,
                );
            }

            #[tokio::test]
            async fn reauthorize_subscription_posts_to_the_action() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let result = server.client().$module().subscription(AWKWARD_ID).reauthorize().await;
                check_call(
                    &server,
                    result,
                    "POST",
                    &format!("{BASE}/subscriptions/{AWKWARD_ID_ENCODED}/reauthorize"),
                    None,
                );
            }

            fn location_body() -> (models::WorkLocationType, serde_json::Value) {
                (
                    models::WorkLocationType::from($location_type),
                    json!({"workLocationType": $location_type, "placeId": $place_id}),
                )
            }

            #[tokio::test]
            async fn set_manual_location_sends_the_documented_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let (work_location_type, expected) = location_body();
                let body = models::SetManualLocationRequest {
                    work_location_type,
                    place_id: Some($place_id.into()),
                    additional_properties: Default::default(),
                };
                on_each!(
                    server,
                    [me, user, presence],
                    set_manual_location(&body),
                    "POST",
                    "/setManualLocation",
                    Some(expected.clone())
                );
            }

            #[tokio::test]
            async fn set_automatic_location_sends_the_documented_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let (work_location_type, expected) = location_body();
                let body = models::SetAutomaticLocationRequest {
                    work_location_type,
                    place_id: Some($place_id.into()),
                    additional_properties: Default::default(),
                };
                on_each!(
                    server,
                    [me, user, presence],
                    set_automatic_location(&body),
                    "POST",
                    "/setAutomaticLocation",
                    Some(expected.clone())
                );
            }

            #[tokio::test]
            async fn set_manual_location_without_place_sends_only_the_type() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let body = models::SetManualLocationRequest {
                    work_location_type: models::WorkLocationType::Remote,
                    place_id: None,
                    additional_properties: Default::default(),
                };
                let result = server
                    .client()
                    .$module()
                    .me().presence().set_manual_location(&body)
                    .await;
                check_call(
                    &server,
                    result,
                    "POST",
                    &format!("{BASE}/me/presence/setManualLocation"),
                    Some(json!({"workLocationType": "remote"})),
                );
            }

            #[tokio::test]
            async fn clear_location_sends_no_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                on_each!(
                    server,
                    [me, user],
                    clear_location(),
                    "POST",
                    "/clearLocation",
                    None
                );
            }

            #[tokio::test]
            async fn clear_automatic_location_sends_no_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                on_each!(
                    server,
                    [me, user],
                    clear_automatic_location(),
                    "POST",
                    "/clearAutomaticLocation",
                    None
                );
            }

            #[tokio::test]
            async fn location_actions_accept_200_as_well_as_204() {
                let server = TestServer::start().await;
                server.client().$module().me().presence().clear_location().await.unwrap();
                assert_eq!(server.take().len(), 1);
            }
        }
    };
}

version_tests! {
    module: v1_0,
    base: "/v1.0",
    // The v1.0 docs bind clearLocation and clearAutomaticLocation to /me and /users only.
    location_example: ("office", "eb706f15-137e-4722-b4d1-b601481d9251"),
    bindings: [
        ("clearAutomaticLocation", "/me/presence/clearAutomaticLocation"),
        ("clearAutomaticLocation", "/users/{user-id}/presence/clearAutomaticLocation"),
        ("clearLocation", "/me/presence/clearLocation"),
        ("clearLocation", "/users/{user-id}/presence/clearLocation"),
        ("clearPresence", "/users/{user-id}/presence/clearPresence"),
        ("clearPresence", "/communications/presences/{presence-id}/clearPresence"),
        ("clearUserPreferredPresence", "/users/{user-id}/presence/clearUserPreferredPresence"),
        ("clearUserPreferredPresence", "/communications/presences/{presence-id}/clearUserPreferredPresence"),
        ("GetPresence", "/me/presence"),
        ("GetPresence", "/users/{user-id}/presence"),
        ("GetPresence", "/communications/presences/{presence-id}"),
        ("getPresencesByUserId", "/communications/getPresencesByUserId"),
        ("setAutomaticLocation", "/me/presence/setAutomaticLocation"),
        ("setAutomaticLocation", "/users/{user-id}/presence/setAutomaticLocation"),
        ("setAutomaticLocation", "/communications/presences/{presence-id}/setAutomaticLocation"),
        ("setManualLocation", "/me/presence/setManualLocation"),
        ("setManualLocation", "/users/{user-id}/presence/setManualLocation"),
        ("setManualLocation", "/communications/presences/{presence-id}/setManualLocation"),
        ("setPresence", "/users/{user-id}/presence/setPresence"),
        ("setPresence", "/communications/presences/{presence-id}/setPresence"),
        ("setStatusMessage", "/users/{user-id}/presence/setStatusMessage"),
        ("setStatusMessage", "/communications/presences/{presence-id}/setStatusMessage"),
        ("setUserPreferredPresence", "/users/{user-id}/presence/setUserPreferredPresence"),
        ("setUserPreferredPresence", "/communications/presences/{presence-id}/setUserPreferredPresence"),
        // Change notifications (issue 12).
        ("CreateSubscription", "/subscriptions"),
        ("ListSubscription", "/subscriptions"),
        ("GetSubscription", "/subscriptions/{subscription-id}"),
        ("UpdateSubscription", "/subscriptions/{subscription-id}"),
        ("DeleteSubscription", "/subscriptions/{subscription-id}"),
        ("reauthorize", "/subscriptions/{subscription-id}/reauthorize"),
    ],
}

version_tests! {
    module: beta,
    base: "/beta",
    // The beta pages show the placeholders verbatim; the open enum must send them unchanged.
    location_example: ("String", "String"),
    bindings: [
        ("clearAutomaticLocation", "/me/presence/clearAutomaticLocation"),
        ("clearAutomaticLocation", "/users/{user-id}/presence/clearAutomaticLocation"),
        ("clearAutomaticLocation", "/communications/presences/{presence-id}/clearAutomaticLocation"),
        ("clearLocation", "/me/presence/clearLocation"),
        ("clearLocation", "/users/{user-id}/presence/clearLocation"),
        ("clearLocation", "/communications/presences/{presence-id}/clearLocation"),
        ("clearPresence", "/users/{user-id}/presence/clearPresence"),
        ("clearPresence", "/communications/presences/{presence-id}/clearPresence"),
        ("clearUserPreferredPresence", "/users/{user-id}/presence/clearUserPreferredPresence"),
        ("clearUserPreferredPresence", "/communications/presences/{presence-id}/clearUserPreferredPresence"),
        ("GetPresence", "/me/presence"),
        ("GetPresence", "/users/{user-id}/presence"),
        ("GetPresence", "/communications/presences/{presence-id}"),
        ("getPresencesByUserId", "/communications/getPresencesByUserId"),
        ("setAutomaticLocation", "/me/presence/setAutomaticLocation"),
        ("setAutomaticLocation", "/users/{user-id}/presence/setAutomaticLocation"),
        ("setAutomaticLocation", "/communications/presences/{presence-id}/setAutomaticLocation"),
        ("setManualLocation", "/me/presence/setManualLocation"),
        ("setManualLocation", "/users/{user-id}/presence/setManualLocation"),
        ("setManualLocation", "/communications/presences/{presence-id}/setManualLocation"),
        ("setPresence", "/users/{user-id}/presence/setPresence"),
        ("setPresence", "/communications/presences/{presence-id}/setPresence"),
        ("setStatusMessage", "/users/{user-id}/presence/setStatusMessage"),
        ("setStatusMessage", "/communications/presences/{presence-id}/setStatusMessage"),
        ("setUserPreferredPresence", "/users/{user-id}/presence/setUserPreferredPresence"),
        ("setUserPreferredPresence", "/communications/presences/{presence-id}/setUserPreferredPresence"),
        // Change notifications (issue 12).
        ("CreateSubscription", "/subscriptions"),
        ("ListSubscription", "/subscriptions"),
        ("GetSubscription", "/subscriptions/{subscription-id}"),
        ("UpdateSubscription", "/subscriptions/{subscription-id}"),
        ("DeleteSubscription", "/subscriptions/{subscription-id}"),
        ("reauthorize", "/subscriptions/{subscription-id}/reauthorize"),
    ],
}

/// Beta also binds the two location clears to `/communications/presences/{id}` (v1.0 does not,
/// so there the method does not exist: see the `compile_fail` example in the crate docs).
#[tokio::test]
async fn beta_clears_locations_of_a_communications_presence() {
    use support::{AWKWARD_ID, AWKWARD_ID_ENCODED, Canned, TestServer, check_call};
    let server = TestServer::start_with(Canned::empty(204)).await;
    let client = server.client();
    let presence = client.beta().communications().presence(AWKWARD_ID);
    let path = format!("/beta/communications/presences/{AWKWARD_ID_ENCODED}");
    let result = presence.clear_location().await;
    check_call(
        &server,
        result,
        "POST",
        &format!("{path}/clearLocation"),
        None,
    );
    let result = presence.clear_automatic_location().await;
    check_call(
        &server,
        result,
        "POST",
        &format!("{path}/clearAutomaticLocation"),
        None,
    );
}
