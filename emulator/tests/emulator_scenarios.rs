//! End-to-end scenarios: the generated client of each API version against the presence
//! emulator, over real HTTP on 127.0.0.1. The same scenarios run for v1.0 and beta (the macro
//! below instantiates them once per version module); together they call every operation of
//! both versions.

use msgraph_presence::Client;
use presence_emulator::Emulator;
use std::time::Duration;

async fn start() -> (Emulator, Client) {
    let emu = Emulator::start().await.expect("emulator starts");
    let client = Client::builder()
        .base_url(emu.base_url())
        .bearer_token("test-token")
        .build()
        .expect("client builds");
    (emu, client)
}

const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);

macro_rules! scenarios {
    ($version:ident) => {
        mod $version {
            use super::{HOUR, MINUTE, start};
            use msgraph_presence::runtime::Duration as IsoDuration;
            use msgraph_presence::$version::models::*;
            use presence_emulator::Fault;
            use std::time::Duration;

            fn api(client: &msgraph_presence::Client) -> msgraph_presence::$version::Client<'_> {
                client.$version()
            }

            fn session(
                id: &str,
                availability: Availability,
                activity: Activity,
                expiration: Option<IsoDuration>,
            ) -> SetPresenceRequest {
                SetPresenceRequest {
                    session_id: id.into(),
                    availability,
                    activity,
                    expiration_duration: expiration,
                    additional_properties: Default::default(),
                }
            }

            fn clear(id: &str) -> ClearPresenceRequest {
                ClearPresenceRequest {
                    session_id: id.into(),
                    additional_properties: Default::default(),
                }
            }

            fn preferred(
                availability: Availability,
                activity: Activity,
                expiration: Option<IsoDuration>,
            ) -> SetUserPreferredPresenceRequest {
                SetUserPreferredPresenceRequest {
                    availability,
                    activity,
                    expiration_duration: expiration,
                    additional_properties: Default::default(),
                }
            }

            /// Availability and activity from a presence read (`builder.get()` of any path).
            async fn state(
                read: impl std::future::Future<Output = msgraph_presence::Result<Presence>>,
            ) -> (Availability, Activity) {
                let presence = read.await.expect("get presence");
                (
                    presence.availability.expect("availability"),
                    presence.activity.expect("activity"),
                )
            }

            /// The seed: an app sets its session, clears it, and as it was the only one the
            /// user becomes Offline/Offline — through both bindings that carry a user id.
            #[tokio::test]
            async fn clearing_the_only_session_makes_the_user_offline() {
                let (emu, client) = start().await;
                let app = "22553876-f5ab-4529-bffb-cfe50aa89f87";
                // The same steps through `/users/{id}/presence` and `/communications/presences/{id}`.
                for (user, through_users) in [("u-seed-1", true), ("u-seed-2", false)] {
                    let body = session(
                        app,
                        Availability::Available,
                        Activity::Available,
                        Some(IsoDuration::from_hours(1)),
                    );
                    if through_users {
                        api(&client)
                            .user(user)
                            .presence()
                            .set_presence(&body)
                            .await
                            .unwrap();
                    } else {
                        api(&client)
                            .communications()
                            .presence(user)
                            .set_presence(&body)
                            .await
                            .unwrap();
                    }
                    assert_eq!(
                        state(api(&client).user(user).presence().get()).await,
                        (Availability::Available, Activity::Available)
                    );
                    if through_users {
                        api(&client)
                            .user(user)
                            .presence()
                            .clear_presence(&clear(app))
                            .await
                            .unwrap();
                    } else {
                        api(&client)
                            .communications()
                            .presence(user)
                            .clear_presence(&clear(app))
                            .await
                            .unwrap();
                    }
                    assert_eq!(
                        state(api(&client).communications().presence(user).get()).await,
                        (Availability::Offline, Activity::Offline)
                    );
                }
                emu.shutdown().await.unwrap();
            }

            #[tokio::test]
            async fn clearing_an_unknown_session_is_not_found() {
                let (emu, client) = start().await;
                let err = api(&client)
                    .user("u-404")
                    .presence()
                    .clear_presence(&clear("no-such-session"))
                    .await
                    .unwrap_err();
                assert!(err.is_not_found(), "{err}");
                let odata = err.odata().expect("OData error body");
                assert_eq!(odata.code, "NotFound");
                assert!(
                    odata.message.contains("no-such-session"),
                    "{}",
                    odata.message
                );
                let inner = odata.inner_error.as_ref().expect("innerError");
                assert!(inner.request_id.is_some() && inner.date.is_some());
                // An expired session is gone too.
                api(&client)
                    .user("u-404")
                    .presence()
                    .set_presence(&session("s", Availability::Busy, Activity::InACall, None))
                    .await
                    .unwrap();
                emu.clock().advance(5 * MINUTE);
                let err = api(&client)
                    .user("u-404")
                    .presence()
                    .clear_presence(&clear("s"))
                    .await
                    .unwrap_err();
                assert!(err.is_not_found(), "{err}");
            }

            #[tokio::test]
            async fn sessions_aggregate_by_precedence() {
                let (_emu, client) = start().await;
                let user = api(&client).user("u-precedence").presence();
                let hour = Some(IsoDuration::from_hours(1));
                user.set_presence(&session("away", Availability::Away, Activity::Away, hour))
                    .await
                    .unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Away, Activity::Away)
                );
                user.set_presence(&session(
                    "available",
                    Availability::Available,
                    Activity::Available,
                    hour,
                ))
                .await
                .unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Available, Activity::Available)
                );
                user.set_presence(&session(
                    "call",
                    Availability::Busy,
                    Activity::InAConferenceCall,
                    hour,
                ))
                .await
                .unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Busy, Activity::InAConferenceCall)
                );
                user.set_presence(&session(
                    "present",
                    Availability::DoNotDisturb,
                    Activity::Presenting,
                    hour,
                ))
                .await
                .unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::DoNotDisturb, Activity::Presenting)
                );
                user.clear_presence(&clear("present")).await.unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Busy, Activity::InAConferenceCall)
                );
                user.clear_presence(&clear("call")).await.unwrap();
                user.clear_presence(&clear("available")).await.unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Away, Activity::Away)
                );
            }

            #[tokio::test]
            async fn available_fades_and_sessions_expire_on_the_clock() {
                let (emu, client) = start().await;
                let user = api(&client).user("u-fade").presence();
                let body = session(
                    "app",
                    Availability::Available,
                    Activity::Available,
                    Some(IsoDuration::from_hours(1)),
                );
                user.set_presence(&body).await.unwrap();
                emu.clock().advance(5 * MINUTE - Duration::from_secs(1));
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Available, Activity::Available)
                );
                emu.clock().advance(Duration::from_secs(1));
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Available, Activity::AvailableInactive)
                );
                emu.clock().advance(5 * MINUTE);
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Away, Activity::Away)
                );
                // Keep-alive: setting the session again restarts the timeout and the expiration.
                user.set_presence(&body).await.unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Available, Activity::Available)
                );
                emu.clock().advance(HOUR);
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Offline, Activity::Offline)
                );
                // Without expirationDuration a session lasts five minutes.
                let busy = session("app", Availability::Busy, Activity::InACall, None);
                user.set_presence(&busy).await.unwrap();
                emu.clock().advance(5 * MINUTE - Duration::from_secs(1));
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Busy, Activity::InACall)
                );
                emu.clock().advance(Duration::from_secs(1));
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Offline, Activity::Offline)
                );
            }

            #[tokio::test]
            async fn preferred_presence_overrides_sessions_until_it_expires_or_is_cleared() {
                let (emu, client) = start().await;
                let user = api(&client).communications().presence("u-preferred");
                // Without a session the preferred presence does not show.
                user.set_user_preferred_presence(&preferred(
                    Availability::DoNotDisturb,
                    Activity::DoNotDisturb,
                    Some(IsoDuration::from_hours(8)),
                ))
                .await
                .unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Offline, Activity::Offline)
                );
                let busy = session(
                    "app",
                    Availability::Busy,
                    Activity::InACall,
                    Some(IsoDuration::from_hours(4)),
                );
                user.set_presence(&busy).await.unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::DoNotDisturb, Activity::DoNotDisturb)
                );
                user.clear_user_preferred_presence().await.unwrap();
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Busy, Activity::InACall)
                );
                // An explicit expiration.
                api(&client)
                    .user("u-preferred")
                    .presence()
                    .set_user_preferred_presence(&preferred(
                        Availability::Offline,
                        Activity::OffWork,
                        Some(IsoDuration::from_hours(1)),
                    ))
                    .await
                    .unwrap();
                emu.clock().advance(HOUR - MINUTE);
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Offline, Activity::OffWork)
                );
                emu.clock().advance(MINUTE);
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Busy, Activity::InACall)
                );
                // The default for Busy is one day; the session is kept alive meanwhile.
                user.set_user_preferred_presence(&preferred(
                    Availability::Busy,
                    Activity::Busy,
                    None,
                ))
                .await
                .unwrap();
                for _ in 0..6 {
                    user.set_presence(&busy).await.unwrap();
                    emu.clock().advance(4 * HOUR - MINUTE);
                    assert_eq!(
                        state(user.get()).await,
                        (Availability::Busy, Activity::Busy)
                    );
                }
                user.set_presence(&busy).await.unwrap();
                emu.clock().advance(6 * MINUTE);
                assert_eq!(
                    state(user.get()).await,
                    (Availability::Busy, Activity::InACall)
                );
            }

            #[tokio::test]
            async fn status_message_disappears_at_its_expiry() {
                let (emu, client) = start().await;
                let me = emu.signed_in_user().to_owned();
                let expires = emu.clock().now() + jiff::SignedDuration::from_mins(30);
                let local = expires.to_zoned(jiff::tz::TimeZone::UTC).datetime();
                let body = SetStatusMessageRequest {
                    status_message: PresenceStatusMessage {
                        message: Some(ItemBody {
                            content: Some("Hey I'm currently in a meeting.".into()),
                            content_type: Some(BodyType::Text),
                            additional_properties: Default::default(),
                        }),
                        expiry_date_time: Some(DateTimeTimeZone {
                            date_time: Some(local.to_string()),
                            time_zone: Some("UTC".into()),
                            additional_properties: Default::default(),
                        }),
                        ..Default::default()
                    },
                    additional_properties: Default::default(),
                };
                api(&client)
                    .user(&me)
                    .presence()
                    .set_status_message(&body)
                    .await
                    .unwrap();
                // Reading one's own presence shows the expiry and the publication time.
                let own = api(&client).me().presence().get().await.unwrap();
                let message = own.status_message.expect("status message");
                assert_eq!(
                    message.message.unwrap().content.as_deref(),
                    Some("Hey I'm currently in a meeting.")
                );
                assert_eq!(
                    message.expiry_date_time.unwrap().date_time,
                    Some(local.to_string())
                );
                assert_eq!(message.published_date_time, Some(emu.clock().now()));
                // Another user's view omits both (set through the other binding).
                let other = SetStatusMessageRequest {
                    status_message: PresenceStatusMessage {
                        message: Some(ItemBody {
                            content: Some("Hey I am available now".into()),
                            ..Default::default()
                        }),
                        ..Default::default()
                    },
                    additional_properties: Default::default(),
                };
                api(&client)
                    .communications()
                    .presence("u-other")
                    .set_status_message(&other)
                    .await
                    .unwrap();
                let seen = api(&client)
                    .user("u-other")
                    .presence()
                    .get()
                    .await
                    .unwrap()
                    .status_message
                    .unwrap();
                assert_eq!(
                    seen.message.unwrap().content.as_deref(),
                    Some("Hey I am available now")
                );
                assert!(seen.published_date_time.is_none() && seen.expiry_date_time.is_none());

                emu.clock().advance(30 * MINUTE - Duration::from_secs(1));
                assert!(
                    api(&client)
                        .me()
                        .presence()
                        .get()
                        .await
                        .unwrap()
                        .status_message
                        .is_some()
                );
                emu.clock().advance(Duration::from_secs(1));
                assert!(
                    api(&client)
                        .me()
                        .presence()
                        .get()
                        .await
                        .unwrap()
                        .status_message
                        .is_none()
                );
                // A message without expiry stays.
                emu.clock().advance(24 * 365 * HOUR);
                assert!(
                    api(&client)
                        .user("u-other")
                        .presence()
                        .get()
                        .await
                        .unwrap()
                        .status_message
                        .is_some()
                );

                let html = SetStatusMessageRequest {
                    status_message: PresenceStatusMessage {
                        message: Some(ItemBody {
                            content: Some("<b>hi</b>".into()),
                            content_type: Some(BodyType::Html),
                            ..Default::default()
                        }),
                        ..Default::default()
                    },
                    additional_properties: Default::default(),
                };
                let err = api(&client)
                    .user(&me)
                    .presence()
                    .set_status_message(&html)
                    .await
                    .unwrap_err();
                assert_eq!(err.status(), Some(400), "{err}");
                assert!(err.odata().unwrap().message.contains("text"), "{err}");
            }

            fn location(
                kind: WorkLocationType,
                place: Option<&str>,
            ) -> (SetManualLocationRequest, SetAutomaticLocationRequest) {
                (
                    SetManualLocationRequest {
                        work_location_type: kind.clone(),
                        place_id: place.map(Into::into),
                        additional_properties: Default::default(),
                    },
                    SetAutomaticLocationRequest {
                        work_location_type: kind,
                        place_id: place.map(Into::into),
                        additional_properties: Default::default(),
                    },
                )
            }

            /// The work location from a presence read (`builder.get()` of any path).
            async fn work_location(
                read: impl std::future::Future<Output = msgraph_presence::Result<Presence>>,
            ) -> (WorkLocationSource, WorkLocationType, Option<String>) {
                let wl = read.await.unwrap().work_location.expect("workLocation");
                (
                    wl.source.unwrap(),
                    wl.work_location_type.unwrap(),
                    wl.place_id,
                )
            }

            #[tokio::test]
            async fn work_location_layers_follow_manual_automatic_scheduled() {
                let (emu, client) = start().await;
                let me = emu.signed_in_user().to_owned();
                assert_eq!(
                    work_location(api(&client).me().presence().get()).await,
                    (
                        WorkLocationSource::None,
                        WorkLocationType::Unspecified,
                        None
                    )
                );
                emu.set_scheduled_location(&me, "remote", None).unwrap();
                assert_eq!(
                    work_location(api(&client).me().presence().get()).await.0,
                    WorkLocationSource::Scheduled
                );
                let (_, office) = location(WorkLocationType::Office, Some("building-1"));
                api(&client)
                    .me()
                    .presence()
                    .set_automatic_location(&office)
                    .await
                    .unwrap();
                assert_eq!(
                    work_location(api(&client).me().presence().get()).await,
                    (
                        WorkLocationSource::Automatic,
                        WorkLocationType::Office,
                        Some("building-1".into())
                    )
                );
                let (time_off, _) = location(WorkLocationType::TimeOff, None);
                api(&client)
                    .user(&me)
                    .presence()
                    .set_manual_location(&time_off)
                    .await
                    .unwrap();
                assert_eq!(
                    work_location(api(&client).me().presence().get()).await,
                    (WorkLocationSource::Manual, WorkLocationType::TimeOff, None)
                );
                // Clearing the automatic layer leaves the manual one in charge.
                api(&client)
                    .me()
                    .presence()
                    .clear_automatic_location()
                    .await
                    .unwrap();
                assert_eq!(
                    work_location(api(&client).me().presence().get()).await.0,
                    WorkLocationSource::Manual
                );
                api(&client)
                    .user(&me)
                    .presence()
                    .set_automatic_location(&office)
                    .await
                    .unwrap();
                // clearLocation drops manual and automatic: the schedule shows again.
                api(&client)
                    .user(&me)
                    .presence()
                    .clear_location()
                    .await
                    .unwrap();
                assert_eq!(
                    work_location(api(&client).me().presence().get()).await,
                    (
                        WorkLocationSource::Scheduled,
                        WorkLocationType::Remote,
                        None
                    )
                );
                // The /communications bindings of the set actions exist in both versions.
                let (manual, automatic) = location(WorkLocationType::Remote, None);
                api(&client)
                    .communications()
                    .presence("u-loc")
                    .set_automatic_location(&automatic)
                    .await
                    .unwrap();
                assert_eq!(
                    work_location(api(&client).user("u-loc").presence().get())
                        .await
                        .0,
                    WorkLocationSource::Automatic
                );
                api(&client)
                    .communications()
                    .presence("u-loc")
                    .set_manual_location(&manual)
                    .await
                    .unwrap();
                assert_eq!(
                    work_location(api(&client).user("u-loc").presence().get())
                        .await
                        .0,
                    WorkLocationSource::Manual
                );
                api(&client)
                    .user("u-loc")
                    .presence()
                    .clear_location()
                    .await
                    .unwrap();
                api(&client)
                    .user("u-loc")
                    .presence()
                    .clear_automatic_location()
                    .await
                    .unwrap();
                assert_eq!(
                    work_location(api(&client).user("u-loc").presence().get())
                        .await
                        .0,
                    WorkLocationSource::None
                );
                // A member outside the documented list is refused.
                let (bogus, _) = location(WorkLocationType::Other("garden".into()), None);
                let err = api(&client)
                    .me()
                    .presence()
                    .set_manual_location(&bogus)
                    .await
                    .unwrap_err();
                assert_eq!(err.status(), Some(400), "{err}");
            }

            #[tokio::test]
            async fn presences_by_user_id_in_request_order() {
                let (_emu, client) = start().await;
                let hour = Some(IsoDuration::from_hours(1));
                api(&client)
                    .user("u-a")
                    .presence()
                    .set_presence(&session("s", Availability::Busy, Activity::InACall, hour))
                    .await
                    .unwrap();
                api(&client)
                    .user("u-b")
                    .presence()
                    .set_presence(&session("s", Availability::Away, Activity::Away, hour))
                    .await
                    .unwrap();
                api(&client)
                    .user("u-b")
                    .presence()
                    .clear_presence(&clear("s"))
                    .await
                    .unwrap();
                let ids = ["u-b", "never-seen", "u-a", "u-b"]
                    .map(String::from)
                    .to_vec();
                let response = api(&client)
                    .communications()
                    .get_presences_by_user_id(&GetPresencesByUserIdRequest {
                        ids,
                        additional_properties: Default::default(),
                    })
                    .await
                    .unwrap();
                let got: Vec<(String, Availability)> = response
                    .value
                    .unwrap()
                    .into_iter()
                    .map(|p| (p.id.unwrap(), p.availability.unwrap()))
                    .collect();
                assert_eq!(
                    got,
                    vec![
                        ("u-b".to_owned(), Availability::Offline),
                        ("never-seen".to_owned(), Availability::PresenceUnknown),
                        ("u-a".to_owned(), Availability::Busy),
                    ]
                );
                let many: Vec<String> = (0..650).map(|i| format!("user-{i}")).collect();
                let response = api(&client)
                    .communications()
                    .get_presences_by_user_id(&GetPresencesByUserIdRequest {
                        ids: many.clone(),
                        additional_properties: Default::default(),
                    })
                    .await
                    .unwrap();
                assert_eq!(response.value.unwrap().len(), 650);
                let mut too_many = many;
                too_many.push("user-650".into());
                let err = api(&client)
                    .communications()
                    .get_presences_by_user_id(&GetPresencesByUserIdRequest {
                        ids: too_many,
                        additional_properties: Default::default(),
                    })
                    .await
                    .unwrap_err();
                assert_eq!(err.status(), Some(400), "{err}");
                assert!(err.odata().unwrap().message.contains("650"), "{err}");
            }

            #[tokio::test]
            async fn unsupported_combinations_and_durations_are_bad_requests() {
                let (_emu, client) = start().await;
                let user = api(&client).user("u-bad").presence();
                let cases = [
                    session("s", Availability::Busy, Activity::Busy, None),
                    session("s", Availability::Available, Activity::InAMeeting, None),
                    session(
                        "s",
                        Availability::Other("Sleeping".into()),
                        Activity::Away,
                        None,
                    ),
                    session(
                        "s",
                        Availability::Busy,
                        Activity::InACall,
                        Some(IsoDuration::from_secs(299)),
                    ),
                    session(
                        "s",
                        Availability::Busy,
                        Activity::InACall,
                        Some(IsoDuration::from_secs(4 * 3600 + 60)),
                    ),
                    session("", Availability::Busy, Activity::InACall, None),
                ];
                for body in cases {
                    let err = user.set_presence(&body).await.unwrap_err();
                    assert_eq!(err.status(), Some(400), "{body:?}: {err}");
                    let odata = err.odata().expect("OData body");
                    assert_eq!(odata.code, "BadRequest");
                    assert!(!odata.message.is_empty());
                }
                // Nothing was stored by the refused calls.
                assert_eq!(
                    state(user.get()).await,
                    (Availability::PresenceUnknown, Activity::PresenceUnknown)
                );
                for body in [
                    session(
                        "s",
                        Availability::Busy,
                        Activity::InACall,
                        Some(IsoDuration::from_mins(5)),
                    ),
                    session(
                        "s",
                        Availability::Busy,
                        Activity::InACall,
                        Some(IsoDuration::from_hours(4)),
                    ),
                ] {
                    user.set_presence(&body).await.unwrap();
                }
                for body in [
                    preferred(Availability::Busy, Activity::InACall, None),
                    preferred(Availability::DoNotDisturb, Activity::Presenting, None),
                    preferred(
                        Availability::Away,
                        Activity::Away,
                        Some(IsoDuration::from_secs(0)),
                    ),
                ] {
                    let err = user.set_user_preferred_presence(&body).await.unwrap_err();
                    assert_eq!(err.status(), Some(400), "{body:?}: {err}");
                    assert_eq!(err.odata().unwrap().code, "BadRequest");
                }
            }

            #[tokio::test]
            async fn injected_throttling_reaches_the_caller() {
                let (emu, client) = start().await;
                // Throttled on every attempt, with a zero wait: the caller sees the 429 whether
                // or not the client retries (and a retrying client does not slow the test).
                emu.inject_fault(Fault::throttled(Duration::ZERO).always());
                let err = api(&client).me().presence().get().await.unwrap_err();
                assert!(err.is_throttled(), "{err}");
                assert_eq!(err.odata().unwrap().code, "TooManyRequests");
                assert!(emu.requests().iter().all(|r| r.status == 429));
                emu.clear_faults();
                // The Retry-After header goes with it (read raw: the error type keeps no headers).
                emu.inject_fault(Fault::throttled(Duration::from_secs(2)));
                let url = format!(
                    "{}/{}/me/presence",
                    emu.base_url(),
                    stringify!($version).replace("v1_0", "v1.0")
                );
                let http = reqwest::Client::new();
                let raw = http.get(&url).bearer_auth("t").send().await.unwrap();
                assert_eq!(raw.status().as_u16(), 429);
                assert_eq!(raw.headers()["retry-after"], "2");
                let raw = http.get(&url).bearer_auth("t").send().await.unwrap();
                assert_eq!(raw.status().as_u16(), 200, "the fault was used up");

                emu.inject_fault(Fault::unavailable().retry_after(Duration::ZERO).always());
                let err = api(&client).me().presence().get().await.unwrap_err();
                assert_eq!(err.status(), Some(503), "{err}");
                assert_eq!(err.odata().unwrap().code, "ServiceUnavailable");
                emu.clear_faults();
                assert!(api(&client).me().presence().get().await.is_ok());
            }

            #[tokio::test]
            async fn throttled_call_succeeds_after_retry() {
                let (emu, client) = start().await;
                emu.inject_fault(Fault::throttled(Duration::from_secs(1)));
                let presence = api(&client)
                    .me()
                    .presence()
                    .get()
                    .await
                    .expect("retried after 429");
                assert_eq!(presence.availability, Some(Availability::PresenceUnknown));
                let statuses: Vec<u16> = emu.requests().iter().map(|r| r.status).collect();
                assert_eq!(statuses, vec![429, 200]);
            }
        }
    };
}

scenarios!(v1_0);
scenarios!(beta);

/// v1.0 binds clearLocation and clearAutomaticLocation only to /me and /users; beta also to
/// /communications/presences/{id}. The v1.0 client has no such method (a `compile_fail` example in
/// the crate docs shows it), and the emulator answers such a path like Graph answers an unknown
/// segment.
#[tokio::test]
async fn location_clears_on_communications_exist_only_in_beta() {
    let (emu, client) = start().await;
    client
        .beta()
        .communications()
        .presence("u1")
        .clear_location()
        .await
        .unwrap();
    client
        .beta()
        .communications()
        .presence("u1")
        .clear_automatic_location()
        .await
        .unwrap();

    let http = reqwest::Client::new();
    for action in ["clearLocation", "clearAutomaticLocation"] {
        let v1 = http
            .post(format!(
                "{}/v1.0/communications/presences/u1/{action}",
                emu.base_url()
            ))
            .bearer_auth("t")
            .send()
            .await
            .unwrap();
        assert_eq!(v1.status().as_u16(), 400);
        let body: serde_json::Value = v1.json().await.unwrap();
        assert_eq!(body["error"]["code"], "BadRequest");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(action),
            "{body}"
        );
        let beta = http
            .post(format!(
                "{}/beta/communications/presences/u1/{action}",
                emu.base_url()
            ))
            .bearer_auth("t")
            .send()
            .await
            .unwrap();
        assert_eq!(beta.status().as_u16(), 204);
    }
}

/// Both versions read and write one tenant: what v1.0 sets, beta sees.
#[tokio::test]
async fn versions_share_one_tenant() {
    use msgraph_presence::{beta, v1_0};
    let (emu, client) = start().await;
    let body = v1_0::models::SetPresenceRequest {
        session_id: "app".into(),
        availability: v1_0::models::Availability::DoNotDisturb,
        activity: v1_0::models::Activity::Presenting,
        expiration_duration: None,
        additional_properties: Default::default(),
    };
    client
        .v1_0()
        .user("shared")
        .presence()
        .set_presence(&body)
        .await
        .unwrap();
    let seen = client.beta().user("shared").presence().get().await.unwrap();
    assert_eq!(seen.activity, Some(beta::models::Activity::Presenting));
    let clear = beta::models::ClearPresenceRequest {
        session_id: "app".into(),
        additional_properties: Default::default(),
    };
    client
        .beta()
        .communications()
        .presence("shared")
        .clear_presence(&clear)
        .await
        .unwrap();
    let seen = client.v1_0().user("shared").presence().get().await.unwrap();
    assert_eq!(seen.availability, Some(v1_0::models::Availability::Offline));
    emu.shutdown().await.unwrap();
}
