//! The presence rules, each taken from Microsoft's docs (`manage-presence-state`, the
//! setPresence, setUserPreferredPresence, clearPresence and work location pages). The module
//! docs of [`super`] list them for users; the functions here are pure so they can be tested
//! without HTTP.

use super::model::{Location, Preferred, Session, StatusMessage, UserState};
use jiff::{SignedDuration, Timestamp};

/// setPresence without `expirationDuration`: the session lasts 5 minutes.
pub(crate) const SESSION_DEFAULT_EXPIRATION: SignedDuration = SignedDuration::from_mins(5);
/// Shortest `expirationDuration` setPresence accepts (PT5M).
pub(crate) const SESSION_MIN_EXPIRATION: SignedDuration = SignedDuration::from_mins(5);
/// Longest `expirationDuration` setPresence accepts (PT4H).
pub(crate) const SESSION_MAX_EXPIRATION: SignedDuration = SignedDuration::from_hours(4);
/// An `Available` session times out after 5 minutes without a new setPresence, and again
/// after another 5.
pub(crate) const IDLE_TIMEOUT: SignedDuration = SignedDuration::from_mins(5);

/// The availability/activity pairs setPresence accepts.
const SESSION_COMBINATIONS: &[(&str, &str)] = &[
    ("Available", "Available"),
    ("Busy", "InACall"),
    ("Busy", "InAConferenceCall"),
    ("Away", "Away"),
    ("DoNotDisturb", "Presenting"),
];

/// The availability/activity pairs setUserPreferredPresence accepts.
const PREFERRED_COMBINATIONS: &[(&str, &str)] = &[
    ("Available", "Available"),
    ("Busy", "Busy"),
    ("DoNotDisturb", "DoNotDisturb"),
    ("BeRightBack", "BeRightBack"),
    ("Away", "Away"),
    ("Offline", "OffWork"),
];

/// The canonical spelling of a supported setPresence pair (matched ignoring ASCII case), or a
/// message listing the supported pairs.
pub(crate) fn session_combination(
    availability: &str,
    activity: &str,
) -> Result<(&'static str, &'static str), String> {
    find_combination(SESSION_COMBINATIONS, "setPresence", availability, activity)
}

/// The canonical spelling of a supported setUserPreferredPresence pair.
pub(crate) fn preferred_combination(
    availability: &str,
    activity: &str,
) -> Result<(&'static str, &'static str), String> {
    find_combination(
        PREFERRED_COMBINATIONS,
        "setUserPreferredPresence",
        availability,
        activity,
    )
}

fn find_combination(
    table: &[(&'static str, &'static str)],
    action: &str,
    availability: &str,
    activity: &str,
) -> Result<(&'static str, &'static str), String> {
    table
        .iter()
        .find(|(a, b)| a.eq_ignore_ascii_case(availability) && b.eq_ignore_ascii_case(activity))
        .copied()
        .ok_or_else(|| {
            let supported: Vec<String> = table.iter().map(|(a, b)| format!("{a}/{b}")).collect();
            format!(
                "{action} does not support availability '{availability}' with activity '{activity}'; supported combinations: {}.",
                supported.join(", ")
            )
        })
}

/// The session length for setPresence's `expirationDuration`, or why it is refused.
pub(crate) fn session_expiration(
    requested: Option<SignedDuration>,
) -> Result<SignedDuration, String> {
    let Some(duration) = requested else {
        return Ok(SESSION_DEFAULT_EXPIRATION);
    };
    if duration < SESSION_MIN_EXPIRATION || duration > SESSION_MAX_EXPIRATION {
        return Err(format!(
            "expirationDuration {duration} is out of range: it must be between PT5M and PT4H."
        ));
    }
    Ok(duration)
}

/// How long a preferred presence lasts: as requested (it must be positive), else 1 day for
/// `DoNotDisturb` and `Busy` and 7 days for everything else.
pub(crate) fn preferred_expiration(
    availability: &str,
    requested: Option<SignedDuration>,
) -> Result<SignedDuration, String> {
    match requested {
        Some(d) if d <= SignedDuration::ZERO => Err(format!(
            "expirationDuration {d} must be a positive duration."
        )),
        Some(d) => Ok(d),
        None if matches!(availability, "DoNotDisturb" | "Busy") => {
            Ok(SignedDuration::from_hours(24))
        }
        None => Ok(SignedDuration::from_hours(24 * 7)),
    }
}

/// A session's state at `now`, after timeouts: `Available/Available` becomes
/// `Available/AvailableInactive` 5 minutes after the last setPresence and `Away/Away` 5 minutes
/// later (the docs' example, taken literally). Other states do not time out.
pub(crate) fn session_state_at(session: &Session, now: Timestamp) -> (&'static str, &'static str) {
    if session.availability != "Available" {
        return (session.availability, session.activity);
    }
    let idle = now.duration_since(session.set_at);
    if idle >= IDLE_TIMEOUT.saturating_mul(2) {
        ("Away", "Away")
    } else if idle >= IDLE_TIMEOUT {
        ("Available", "AvailableInactive")
    } else {
        (session.availability, session.activity)
    }
}

/// Session precedence: DoNotDisturb > Busy > Available > Away; anything else ranks lowest.
fn session_rank(availability: &str) -> u8 {
    match availability {
        "DoNotDisturb" => 4,
        "Busy" => 3,
        "Available" => 2,
        "Away" => 1,
        _ => 0,
    }
}

/// The user's aggregated availability and activity at `now`:
/// 1. a user the emulator has never seen: `PresenceUnknown/PresenceUnknown`;
/// 2. no live session: `Offline/Offline` (preferred presence needs at least one session);
/// 3. a preferred presence that has not expired: that pair;
/// 4. otherwise the highest-ranked session state ([`session_rank`]); between equal ranks the
///    session set most recently wins.
///
/// `user` must be pruned at `now`.
pub(crate) fn aggregate(user: Option<&UserState>, now: Timestamp) -> (&'static str, &'static str) {
    let Some(user) = user else {
        return ("PresenceUnknown", "PresenceUnknown");
    };
    if user.sessions.is_empty() {
        return ("Offline", "Offline");
    }
    if let Some(Preferred {
        availability,
        activity,
        ..
    }) = user.preferred
    {
        return (availability, activity);
    }
    user.sessions
        .values()
        .map(|s| (session_state_at(s, now), s.set_at))
        .max_by_key(|((availability, _), set_at)| (session_rank(availability), *set_at))
        .map(|(state, _)| state)
        .unwrap_or(("Offline", "Offline"))
}

/// Where the work location comes from: manual > automatic > scheduled > none.
pub(crate) fn work_location(user: Option<&UserState>) -> (&'static str, Option<&Location>) {
    let Some(user) = user else {
        return ("none", None);
    };
    [
        ("manual", &user.manual_location),
        ("automatic", &user.automatic_location),
        ("scheduled", &user.scheduled_location),
    ]
    .into_iter()
    .find_map(|(source, layer)| layer.as_ref().map(|l| (source, Some(l))))
    .unwrap_or(("none", None))
}

/// `workLocationType` members a caller may set: the v1.0 pages list four, beta adds
/// `unknownFutureValue`.
pub(crate) fn work_location_type(
    value: &str,
    allow_unknown_future: bool,
) -> Result<&'static str, String> {
    let allowed: &[&'static str] = if allow_unknown_future {
        &[
            "unspecified",
            "office",
            "remote",
            "timeOff",
            "unknownFutureValue",
        ]
    } else {
        &["unspecified", "office", "remote", "timeOff"]
    };
    allowed
        .iter()
        .find(|m| m.eq_ignore_ascii_case(value))
        .copied()
        .ok_or_else(|| {
            format!(
                "workLocationType '{value}' is not one of: {}.",
                allowed.join(", ")
            )
        })
}

/// The status message still shown at `now` (an expired one is gone).
pub(crate) fn live_status_message(user: Option<&UserState>) -> Option<&StatusMessage> {
    user?.status_message.as_ref()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Timestamp {
        let start: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
        start + SignedDuration::from_mins(minutes)
    }

    fn session(availability: &'static str, activity: &'static str, set: i64) -> Session {
        Session {
            availability,
            activity,
            set_at: at(set),
            expires_at: at(set + 240),
        }
    }

    #[test]
    fn combinations_are_checked_and_canonicalised() {
        assert_eq!(
            session_combination("busy", "inacall"),
            Ok(("Busy", "InACall"))
        );
        let err = session_combination("Busy", "Busy").unwrap_err();
        assert!(err.contains("Busy/InACall"), "{err}");
        assert!(preferred_combination("Busy", "Busy").is_ok());
        assert!(preferred_combination("Offline", "OffWork").is_ok());
        assert!(preferred_combination("Busy", "InACall").is_err());
    }

    #[test]
    fn session_expiration_bounds() {
        assert_eq!(session_expiration(None), Ok(SignedDuration::from_mins(5)));
        assert!(session_expiration(Some(SignedDuration::from_mins(5))).is_ok());
        assert!(session_expiration(Some(SignedDuration::from_hours(4))).is_ok());
        assert!(session_expiration(Some(SignedDuration::from_secs(299))).is_err());
        assert!(session_expiration(Some(SignedDuration::from_secs(4 * 3600 + 1))).is_err());
    }

    #[test]
    fn preferred_defaults() {
        assert_eq!(
            preferred_expiration("Busy", None),
            Ok(SignedDuration::from_hours(24))
        );
        assert_eq!(
            preferred_expiration("Away", None),
            Ok(SignedDuration::from_hours(168))
        );
        assert!(preferred_expiration("Away", Some(SignedDuration::ZERO)).is_err());
    }

    #[test]
    fn available_fades_in_two_stages() {
        let s = session("Available", "Available", 0);
        assert_eq!(session_state_at(&s, at(4)), ("Available", "Available"));
        assert_eq!(
            session_state_at(&s, at(5)),
            ("Available", "AvailableInactive")
        );
        assert_eq!(session_state_at(&s, at(10)), ("Away", "Away"));
        let busy = session("Busy", "InACall", 0);
        assert_eq!(session_state_at(&busy, at(60)), ("Busy", "InACall"));
    }

    #[test]
    fn aggregation_follows_precedence() {
        assert_eq!(
            aggregate(None, at(0)),
            ("PresenceUnknown", "PresenceUnknown")
        );
        let mut user = UserState::default();
        assert_eq!(aggregate(Some(&user), at(0)), ("Offline", "Offline"));
        user.sessions.insert("a".into(), session("Away", "Away", 0));
        user.sessions
            .insert("b".into(), session("Available", "Available", 1));
        assert_eq!(aggregate(Some(&user), at(2)), ("Available", "Available"));
        user.sessions
            .insert("c".into(), session("DoNotDisturb", "Presenting", 0));
        assert_eq!(
            aggregate(Some(&user), at(2)),
            ("DoNotDisturb", "Presenting")
        );
        user.preferred = Some(Preferred {
            availability: "BeRightBack",
            activity: "BeRightBack",
            expires_at: at(100),
        });
        assert_eq!(
            aggregate(Some(&user), at(2)),
            ("BeRightBack", "BeRightBack")
        );
        user.sessions.clear();
        assert_eq!(aggregate(Some(&user), at(2)), ("Offline", "Offline"));
    }

    #[test]
    fn work_location_precedence() {
        let loc = |t| Location {
            work_location_type: t,
            place_id: None,
        };
        let mut user = UserState {
            scheduled_location: Some(loc("remote")),
            ..UserState::default()
        };
        assert_eq!(work_location(Some(&user)).0, "scheduled");
        user.automatic_location = Some(loc("office"));
        assert_eq!(work_location(Some(&user)).0, "automatic");
        user.manual_location = Some(loc("timeOff"));
        let (source, location) = work_location(Some(&user));
        assert_eq!(
            (source, location.unwrap().work_location_type),
            ("manual", "timeOff")
        );
        assert_eq!(work_location(None), ("none", None));
        assert!(work_location_type("unknownFutureValue", false).is_err());
        assert_eq!(work_location_type("TIMEOFF", true), Ok("timeOff"));
    }
}
