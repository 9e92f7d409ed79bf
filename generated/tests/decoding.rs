//! Responses as Microsoft documents them, served over loopback HTTP and decoded by the generated
//! client: the presence examples of the get, setStatusMessage and getPresencesByUserId pages of
//! both versions (`reference/presence/docs/{v1.0,beta}/`), values outside the known lists, fields
//! the spec does not describe, and an OData error.

mod support;

use msgraph_presence::{Error, beta, v1_0};
use serde_json::json;
use support::{Canned, TestServer};

/// Whose presence a test reads: the three paths a presence can be read at.
#[derive(Clone, Copy)]
enum Who<'a> {
    Me,
    User(&'a str),
    Presence(&'a str),
}

/// Serves `body` as the response of one presence read of each version.
macro_rules! get_presence {
    ($name:ident, $version:ident) => {
        async fn $name(body: &str, who: Who<'_>) -> $version::models::Presence {
            let server = TestServer::start_with(Canned::json(200, body)).await;
            let client = server.client();
            let api = client.$version();
            match who {
                Who::Me => api.me().presence().get().await,
                Who::User(id) => api.user(id).presence().get().await,
                Who::Presence(id) => api.communications().presence(id).get().await,
            }
            .unwrap()
        }
    };
}
get_presence!(get_v1, v1_0);
get_presence!(get_beta, beta);

#[tokio::test]
async fn v1_0_get_presence_examples() {
    // presence-get.md, example 1 (GET /me/presence).
    let me = get_v1(
        r#"{
	"id": "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
	"availability": "Available",
	"activity": "Available"
}"#,
        Who::Me,
    )
    .await;
    assert_eq!(
        me.id.as_deref(),
        Some("fa8bf3dc-eca7-46b7-bad1-db199b62afc3")
    );
    assert_eq!(me.availability, Some(v1_0::models::Availability::Available));
    assert_eq!(me.activity, Some(v1_0::models::Activity::Available));
    assert_eq!(me.status_message, None);
    assert!(me.additional_properties.is_empty());

    // Example 2 (GET /users/66825e03-.../presence).
    let user = get_v1(
        r#"{
	"id": "66825e03-7ef5-42da-9069-724602c31f6b",
	"availability": "DoNotDisturb",
	"activity": "Presenting"
}"#,
        Who::User("66825e03-7ef5-42da-9069-724602c31f6b"),
    )
    .await;
    assert_eq!(
        user.availability,
        Some(v1_0::models::Availability::DoNotDisturb)
    );
    assert_eq!(user.activity, Some(v1_0::models::Activity::Presenting));
}

/// The v1.0 page shows a collection for its third example; it decodes as one.
#[test]
fn v1_0_get_presence_collection_example() {
    let page: v1_0::models::GetPresencesByUserIdResponse = serde_json::from_str(
        r#"{
    "value": [
        {
            "id": "dc74d9bb-6afe-433d-8eaa-e39d80d3a647",
            "availability": "Away",
            "activity": "BeRightBack"
        }
    ]
}"#,
    )
    .unwrap();
    let value = page.value.unwrap();
    assert_eq!(value.len(), 1);
    assert_eq!(
        value[0].availability,
        Some(v1_0::models::Availability::Away)
    );
    assert_eq!(value[0].activity, Some(v1_0::models::Activity::BeRightBack));
}

#[tokio::test]
async fn beta_get_presence_examples_carry_out_of_office_and_sequence_number() {
    let presence = get_beta(
        r#"{
  "id": "dc74d9bb-6afe-433d-8eaa-e39d80d3a647",
  "availability": "Away",
  "activity": "BeRightBack",
  "outOfOfficeSettings": {
    "message": null,
    "isOutOfOffice": false
  },
  "sequenceNumber": "A0129311063"
}"#,
        Who::Presence("dc74d9bb-6afe-433d-8eaa-e39d80d3a647"),
    )
    .await;
    assert_eq!(
        presence.availability,
        Some(beta::models::Availability::Away)
    );
    assert_eq!(presence.activity, Some(beta::models::Activity::BeRightBack));
    assert_eq!(presence.sequence_number.as_deref(), Some("A0129311063"));
    let ooo = presence.out_of_office_settings.unwrap();
    assert_eq!(ooo.is_out_of_office, Some(false));
    assert_eq!(ooo.message, None);

    let me = get_beta(
        r#"{
  "id": "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
  "availability": "Available",
  "activity": "Available",
  "outOfOfficeSettings": {
    "message": null,
    "isOutOfOffice": false
  },
  "sequenceNumber": "A0129311063"
}"#,
        Who::Me,
    )
    .await;
    assert_eq!(me.availability, Some(beta::models::Availability::Available));
}

/// setStatusMessage example 3: another user's presence, with the message but no expiry.
#[tokio::test]
async fn status_message_example_of_both_versions() {
    let body = r#"{
  "id": "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
  "availability": "Available",
  "activity": "Available",
  "outOfOfficeSettings": {
    "message": null,
    "isOutOfOffice": false
  },
  "statusMessage": {
    "message": {
      "content": "Hey I am available now",
      "contentType": "text"
    }
  }
}"#;
    let v1 = get_v1(body, Who::User("fa8bf3dc-eca7-46b7-bad1-db199b62afc3")).await;
    let status = v1.status_message.unwrap();
    let message = status.message.unwrap();
    assert_eq!(message.content.as_deref(), Some("Hey I am available now"));
    assert_eq!(message.content_type, Some(v1_0::models::BodyType::Text));
    assert_eq!(status.expiry_date_time, None);
    assert_eq!(status.published_date_time, None);

    let b = get_beta(body, Who::User("fa8bf3dc-eca7-46b7-bad1-db199b62afc3")).await;
    let message = b.status_message.unwrap().message.unwrap();
    assert_eq!(message.content_type, Some(beta::models::BodyType::Text));
}

#[tokio::test]
async fn status_message_with_expiry_and_publication_time() {
    let presence = get_v1(
        r#"{
  "id": "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
  "statusMessage": {
    "message": {"content": "Hey I'm currently in a meeting.", "contentType": "text"},
    "expiryDateTime": {"dateTime": "2022-10-18T17:05:33.2079781", "timeZone": "Pacific Standard Time"},
    "publishedDateTime": "2022-10-18T16:05:33.2079781Z"
  }
}"#,
        Who::Me,
    )
    .await;
    let status = presence.status_message.unwrap();
    let expiry = status.expiry_date_time.unwrap();
    assert_eq!(
        expiry.date_time.as_deref(),
        Some("2022-10-18T17:05:33.2079781")
    );
    assert_eq!(expiry.time_zone.as_deref(), Some("Pacific Standard Time"));
    assert_eq!(
        status.published_date_time.unwrap().to_string(),
        "2022-10-18T16:05:33.2079781Z"
    );
}

#[tokio::test]
async fn get_presences_by_user_id_examples() {
    let server = TestServer::start_with(Canned::json(
        200,
        r#"{
	"value": [{
			"id": "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
			"availability": "Busy",
			"activity": "InAMeeting"
		},
		{
			"id": "66825e03-7ef5-42da-9069-724602c31f6b",
			"availability": "Away",
			"activity": "Away"
		}
	]
}"#,
    ))
    .await;
    let body = v1_0::models::GetPresencesByUserIdRequest {
        ids: vec![
            "fa8bf3dc-eca7-46b7-bad1-db199b62afc3".into(),
            "66825e03-7ef5-42da-9069-724602c31f6b".into(),
        ],
        additional_properties: Default::default(),
    };
    let page = server
        .client()
        .v1_0()
        .communications()
        .get_presences_by_user_id(&body)
        .await
        .unwrap();
    let value = page.value.unwrap();
    let states: Vec<(&str, &str, &str)> = value
        .iter()
        .map(|p| {
            (
                p.id.as_deref().unwrap(),
                p.availability.as_ref().unwrap().as_str(),
                p.activity.as_ref().unwrap().as_str(),
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("fa8bf3dc-eca7-46b7-bad1-db199b62afc3", "Busy", "InAMeeting"),
            ("66825e03-7ef5-42da-9069-724602c31f6b", "Away", "Away"),
        ]
    );
    assert_eq!(value[0].activity, Some(v1_0::models::Activity::InAMeeting));
    assert_eq!(page.odata_next_link, None);

    server.respond(Canned::json(
        200,
        r#"{
   "value":[
      {
         "id":"fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
         "availability":"Busy",
         "activity":"InAMeeting",
         "outOfOfficeSettings":{
            "message":null,
            "isOutOfOffice":false
         }
      },
      {
         "id":"66825e03-7ef5-42da-9069-724602c31f6b",
         "availability":"Away",
         "activity":"Away",
         "outOfOfficeSettings":{
            "message":null,
            "isOutOfOffice":true
         }
      }
   ]
}"#,
    ));
    let body = beta::models::GetPresencesByUserIdRequest {
        ids: vec!["fa8bf3dc-eca7-46b7-bad1-db199b62afc3".into()],
        additional_properties: Default::default(),
    };
    let page = server
        .client()
        .beta()
        .communications()
        .get_presences_by_user_id(&body)
        .await
        .unwrap();
    let value = page.value.unwrap();
    assert_eq!(
        value[1].availability,
        Some(beta::models::Availability::Away)
    );
    let out_of_office: Vec<Option<bool>> = value
        .iter()
        .map(|p| p.out_of_office_settings.as_ref().unwrap().is_out_of_office)
        .collect();
    assert_eq!(out_of_office, [Some(false), Some(true)]);
}

/// Values outside the known lists (other casing, newer values) and fields the spec does not
/// describe survive a decode and re-encode unchanged.
#[tokio::test]
async fn unknown_values_and_fields_round_trip_verbatim() {
    let wire = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('x')/presence/$entity",
        "id": "fa8bf3dc-eca7-46b7-bad1-db199b62afc3",
        "availability": "availableIdle",
        "activity": "Focusing",
        "workLocation": {"placeId": "eb706f15", "source": "manual", "workLocationType": "hybridOffice"},
        "futureField": {"nested": [1, 2, 3]}
    });
    let presence = get_v1(&wire.to_string(), Who::Me).await;

    // The newest v1.0 page spells it `availableIdle`; the canonical value is `AvailableIdle`.
    assert_eq!(
        presence.availability,
        Some(v1_0::models::Availability::Other("availableIdle".into()))
    );
    assert_eq!(
        presence.availability.as_ref().unwrap().as_str(),
        "availableIdle"
    );
    assert_eq!(presence.activity, Some(v1_0::models::Activity::Focusing));
    let location = presence.work_location.as_ref().unwrap();
    assert_eq!(
        location.source,
        Some(v1_0::models::WorkLocationSource::Manual)
    );
    assert_eq!(
        location.work_location_type,
        Some(v1_0::models::WorkLocationType::Other("hybridOffice".into()))
    );
    assert_eq!(
        presence.additional_properties.get("futureField"),
        Some(&json!({"nested": [1, 2, 3]}))
    );
    assert!(
        presence
            .additional_properties
            .contains_key("@odata.context")
    );

    assert_eq!(serde_json::to_value(&presence).unwrap(), wire);

    let beta_presence = get_beta(&wire.to_string(), Who::Me).await;
    assert_eq!(serde_json::to_value(&beta_presence).unwrap(), wire);
}

#[test]
fn every_known_value_maps_to_its_variant_and_back() {
    use v1_0::models::{Activity, Availability};
    for value in [
        "Available",
        "AvailableIdle",
        "Away",
        "BeRightBack",
        "Busy",
        "BusyIdle",
        "DoNotDisturb",
        "Offline",
        "PresenceUnknown",
    ] {
        let parsed = Availability::from(value);
        assert!(
            !matches!(parsed, Availability::Other(_)),
            "{value} should be known"
        );
        assert_eq!(parsed.as_str(), value);
    }
    for value in [
        "Available",
        "Away",
        "BeRightBack",
        "Busy",
        "DoNotDisturb",
        "InACall",
        "InAConferenceCall",
        "Inactive",
        "InAMeeting",
        "Offline",
        "OffWork",
        "OutOfOffice",
        "PresenceUnknown",
        "Presenting",
        "UrgentInterruptionsOnly",
    ] {
        let parsed = Activity::from(value);
        assert!(
            !matches!(parsed, Activity::Other(_)),
            "{value} should be known"
        );
        assert_eq!(parsed.to_string(), value);
    }
    assert_eq!(
        Activity::from("inacall"),
        Activity::Other("inacall".into()),
        "other casing is kept, not folded"
    );
}

#[tokio::test]
async fn not_found_gives_a_status_error_with_the_odata_body() {
    let server = TestServer::start_with(Canned::json(
        404,
        r#"{
  "error": {
    "code": "NotFound",
    "message": "The presence session was not found.",
    "innerError": {
      "date": "2026-11-23T05:00:00",
      "request-id": "9b0e5d2a-1c3f-4e6a-8b7d-2f4c6e8a0b1d",
      "client-request-id": "3c8f1a2b-5d6e-4f70-9a1b-c2d3e4f5a6b7"
    }
  }
}"#,
    ))
    .await;
    let body = v1_0::models::ClearPresenceRequest {
        session_id: "22553876-f5ab-4529-bffb-cfe50aa89f87".into(),
        additional_properties: Default::default(),
    };
    let err = server
        .client()
        .v1_0()
        .user("fa8bf3dc-eca7-46b7-bad1-db199b62afc3")
        .presence()
        .clear_presence(&body)
        .await
        .expect_err("404");
    assert!(err.is_not_found());
    assert!(!err.is_throttled());
    assert_eq!(err.status(), Some(404));
    let Error::Status {
        method,
        path,
        status,
        odata,
        body,
        ..
    } = &err
    else {
        panic!("expected Error::Status, got {err:?}");
    };
    assert_eq!(*method, "POST");
    assert_eq!(*path, "/users/{user-id}/presence/clearPresence");
    assert_eq!(*status, 404);
    assert!(body.contains("NotFound"), "raw body kept: {body}");
    let odata = odata.as_deref().expect("parsed OData error");
    assert_eq!(odata.code, "NotFound");
    assert_eq!(odata.message, "The presence session was not found.");
    let inner = odata.inner_error.as_ref().expect("innerError");
    assert_eq!(
        inner.request_id.as_deref(),
        Some("9b0e5d2a-1c3f-4e6a-8b7d-2f4c6e8a0b1d")
    );
    assert_eq!(
        inner.client_request_id.as_deref(),
        Some("3c8f1a2b-5d6e-4f70-9a1b-c2d3e4f5a6b7")
    );
    assert_eq!(inner.date.as_deref(), Some("2026-11-23T05:00:00"));
    let shown = err.to_string();
    assert!(
        shown.contains("404") && shown.contains("NotFound"),
        "{shown}"
    );
}

#[tokio::test]
async fn an_error_body_that_is_not_odata_is_kept_raw() {
    let server = TestServer::start_with(Canned::text(502, "Bad Gateway")).await;
    let err = server
        .client()
        .beta()
        .me()
        .presence()
        .get()
        .await
        .expect_err("502");
    assert_eq!(err.status(), Some(502));
    assert!(err.odata().is_none());
    assert!(matches!(&err, Error::Status { body, .. } if body == "Bad Gateway"));
}

#[tokio::test]
async fn a_malformed_success_body_names_the_field() {
    let server = TestServer::start_with(Canned::json(
        200,
        r#"{"id": "x", "outOfOfficeSettings": {"isOutOfOffice": "yes"}}"#,
    ))
    .await;
    let err = server
        .client()
        .v1_0()
        .me()
        .presence()
        .get()
        .await
        .expect_err("isOutOfOffice is not a boolean");
    match err {
        Error::Decode {
            operation, field, ..
        } => {
            assert_eq!(operation, "GetPresence");
            assert_eq!(field, "outOfOfficeSettings.isOutOfOffice");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}
