//! Every operation of both API versions, over real HTTP on 127.0.0.1: method, exact path (with an
//! id that needs percent-encoding), bearer token and the exact JSON body, for every `Target`
//! variant. Bodies are the request examples of Microsoft's docs pages
//! (`reference/presence/docs/{v1.0,beta}/`), compared as JSON values with the documented literal.

mod support;

/// The same tests for each version module; the versions differ only in their path prefix, the
/// bindings of clearLocation/clearAutomaticLocation, and the documented location example.
macro_rules! version_tests {
    (
        module: $module:ident,
        base: $base:literal,
        clear_location_targets: $clear_targets:expr,
        location_example: ($location_type:literal, $place_id:literal),
        bindings: $bindings:expr $(,)?
    ) => {
        mod $module {
            use super::support::{AWKWARD_ID, AWKWARD_ID_ENCODED, Canned, TestServer, check_call};
            use msgraph_presence::$module::{Target, models, operations};
            use serde_json::json;

            const BASE: &str = $base;
            const SESSION_ID: &str = "22553876-f5ab-4529-bffb-cfe50aa89f87";

            /// Every `Target` variant, with the path of the resource it names (id encoded).
            fn targets() -> [(Target<'static>, String); 3] {
                [
                    (Target::Me, format!("{BASE}/me/presence")),
                    (
                        Target::User(AWKWARD_ID),
                        format!("{BASE}/users/{AWKWARD_ID_ENCODED}/presence"),
                    ),
                    (
                        Target::Presence(AWKWARD_ID),
                        format!("{BASE}/communications/presences/{AWKWARD_ID_ENCODED}"),
                    ),
                ]
            }

            const SESSION_TARGETS: &[&str] = &["User", "Presence"];
            const ALL_TARGETS: &[&str] = &["Me", "User", "Presence"];

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
                for (target, path) in targets() {
                    let result = client.$module().get_presence(target).await;
                    let presence =
                        check_call(&server, result, target.name(), ALL_TARGETS, "GET", &path, None)
                            .expect("every target is supported");
                    assert_eq!(
                        presence.availability,
                        Some(models::Availability::Available)
                    );
                }
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
                let result = server.client().$module().get_presences_by_user_id(&body).await;
                let page = check_call(
                    &server,
                    result,
                    "-",
                    &["-"],
                    "POST",
                    &format!("{BASE}/communications/getPresencesByUserId"),
                    Some(json!({
                        "ids": ["fa8bf3dc-eca7-46b7-bad1-db199b62afc3", "66825e03-7ef5-42da-9069-724602c31f6b"]
                    })),
                )
                .unwrap();
                assert_eq!(page.value, Some(vec![]));
            }

            #[tokio::test]
            async fn set_presence_sends_the_documented_body() {
                let server = TestServer::start().await;
                let client = server.client();
                let body = models::SetPresenceRequest::new(
                    SESSION_ID,
                    models::Availability::Available,
                    models::Activity::Available,
                )
                .with_expiration_duration(msgraph_presence::runtime::Duration::from_hours(1));
                for (target, path) in targets() {
                    let result = client.$module().set_presence(target, &body).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        SESSION_TARGETS,
                        "POST",
                        &format!("{path}/setPresence"),
                        Some(json!({
                            "sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87",
                            "availability": "Available",
                            "activity": "Available",
                            "expirationDuration": "PT1H"
                        })),
                    );
                }
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
                    .set_presence(Target::User(AWKWARD_ID), &body)
                    .await;
                check_call(
                    &server,
                    result,
                    "User",
                    SESSION_TARGETS,
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
                let client = server.client();
                let body = models::ClearPresenceRequest::new(SESSION_ID);
                for (target, path) in targets() {
                    let result = client.$module().clear_presence(target, &body).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        SESSION_TARGETS,
                        "POST",
                        &format!("{path}/clearPresence"),
                        Some(json!({"sessionId": "22553876-f5ab-4529-bffb-cfe50aa89f87"})),
                    );
                }
            }

            #[tokio::test]
            async fn set_user_preferred_presence_sends_the_documented_body() {
                let server = TestServer::start().await;
                let client = server.client();
                let body = models::SetUserPreferredPresenceRequest {
                    availability: models::Availability::DoNotDisturb,
                    activity: models::Activity::DoNotDisturb,
                    expiration_duration: Some(msgraph_presence::runtime::Duration::from_hours(8)),
                    additional_properties: Default::default(),
                };
                for (target, path) in targets() {
                    let result = client.$module().set_user_preferred_presence(target, &body).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        SESSION_TARGETS,
                        "POST",
                        &format!("{path}/setUserPreferredPresence"),
                        Some(json!({
                            "availability": "DoNotDisturb",
                            "activity": "DoNotDisturb",
                            "expirationDuration": "PT8H"
                        })),
                    );
                }
            }

            #[tokio::test]
            async fn clear_user_preferred_presence_sends_an_empty_object() {
                let server = TestServer::start().await;
                let client = server.client();
                for (target, path) in targets() {
                    let result = client.$module().clear_user_preferred_presence(target).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        SESSION_TARGETS,
                        "POST",
                        &format!("{path}/clearUserPreferredPresence"),
                        Some(json!({})),
                    );
                }
            }

            #[tokio::test]
            async fn set_status_message_with_expiry_sends_the_documented_body() {
                let server = TestServer::start().await;
                let client = server.client();
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
                for (target, path) in targets() {
                    let result = client.$module().set_status_message(target, &body).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        SESSION_TARGETS,
                        "POST",
                        &format!("{path}/setStatusMessage"),
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
                        })),
                    );
                }
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
                    .set_status_message(Target::User("fa8bf3dc-eca7-46b7-bad1-db199b62afc3"), &body)
                    .await;
                check_call(
                    &server,
                    result,
                    "User",
                    SESSION_TARGETS,
                    "POST",
                    &format!("{BASE}/users/fa8bf3dc-eca7-46b7-bad1-db199b62afc3/presence/setStatusMessage"),
                    Some(json!({
                        "statusMessage": {
                            "message": {"content": "Hey I am available now", "contentType": "text"}
                        }
                    })),
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
                let client = server.client();
                let (work_location_type, expected) = location_body();
                let body = models::SetManualLocationRequest {
                    work_location_type,
                    place_id: Some($place_id.into()),
                    additional_properties: Default::default(),
                };
                for (target, path) in targets() {
                    let result = client.$module().set_manual_location(target, &body).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        ALL_TARGETS,
                        "POST",
                        &format!("{path}/setManualLocation"),
                        Some(expected.clone()),
                    );
                }
            }

            #[tokio::test]
            async fn set_automatic_location_sends_the_documented_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let client = server.client();
                let (work_location_type, expected) = location_body();
                let body = models::SetAutomaticLocationRequest {
                    work_location_type,
                    place_id: Some($place_id.into()),
                    additional_properties: Default::default(),
                };
                for (target, path) in targets() {
                    let result = client.$module().set_automatic_location(target, &body).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        ALL_TARGETS,
                        "POST",
                        &format!("{path}/setAutomaticLocation"),
                        Some(expected.clone()),
                    );
                }
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
                    .set_manual_location(Target::Me, &body)
                    .await;
                check_call(
                    &server,
                    result,
                    "Me",
                    ALL_TARGETS,
                    "POST",
                    &format!("{BASE}/me/presence/setManualLocation"),
                    Some(json!({"workLocationType": "remote"})),
                );
            }

            #[tokio::test]
            async fn clear_location_sends_no_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let client = server.client();
                for (target, path) in targets() {
                    let result = client.$module().clear_location(target).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        $clear_targets,
                        "POST",
                        &format!("{path}/clearLocation"),
                        None,
                    );
                }
            }

            #[tokio::test]
            async fn clear_automatic_location_sends_no_body() {
                let server = TestServer::start_with(Canned::empty(204)).await;
                let client = server.client();
                for (target, path) in targets() {
                    let result = client.$module().clear_automatic_location(target).await;
                    check_call(
                        &server,
                        result,
                        target.name(),
                        $clear_targets,
                        "POST",
                        &format!("{path}/clearAutomaticLocation"),
                        None,
                    );
                }
            }

            #[tokio::test]
            async fn location_actions_accept_200_as_well_as_204() {
                let server = TestServer::start().await;
                server.client().$module().clear_location(Target::Me).await.unwrap();
                assert_eq!(server.take().len(), 1);
            }
        }
    };
}

version_tests! {
    module: v1_0,
    base: "/v1.0",
    // The v1.0 docs bind clearLocation and clearAutomaticLocation to /me and /users only.
    clear_location_targets: &["Me", "User"],
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
    ],
}

version_tests! {
    module: beta,
    base: "/beta",
    clear_location_targets: &["Me", "User", "Presence"],
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
    ],
}

/// The v1.0 docs give clearLocation no `/communications/presences/{id}` binding: the call must be
/// refused locally, with no request on the wire.
#[tokio::test]
async fn v1_0_clear_location_on_a_presence_target_sends_nothing() {
    let server = support::TestServer::start().await;
    let err = server
        .client()
        .v1_0()
        .clear_location(msgraph_presence::v1_0::Target::Presence(
            "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
        ))
        .await
        .expect_err("v1.0 clearLocation has no presence binding");
    match &err {
        msgraph_presence::Error::UnsupportedTarget { operation, target } => {
            assert_eq!(*operation, "clearLocation");
            assert_eq!(*target, "Presence");
        }
        other => panic!("expected UnsupportedTarget, got {other:?}"),
    }
    assert!(err.to_string().contains("Target::Presence"), "{err}");
    assert!(server.take().is_empty(), "a request reached the server");
}
