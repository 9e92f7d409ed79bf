//! Fuzzing the response side: whatever bytes a server sends, decoding ends in a value or a
//! typed error, never a panic. 64 cases per property by default; set `PROPTEST_CASES` for more
//! (`PROPTEST_CASES=10000 cargo test -p msgraph-presence --test decode_fuzz`).

mod support;

use msgraph_presence::runtime::{Duration, ODataError};
use msgraph_presence::{Error, beta, v1_0};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value};
use support::{Reply, TestServer};

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Keys and strings the service really uses, so generated JSON reaches deep into the models.
const KEYS: &[&str] = &[
    "error",
    "code",
    "message",
    "target",
    "details",
    "innerError",
    "innererror",
    "request-id",
    "client-request-id",
    "date",
    "id",
    "availability",
    "activity",
    "statusMessage",
    "outOfOfficeSettings",
    "sequenceNumber",
    "workLocation",
    "expiryDateTime",
    "dateTime",
    "timeZone",
    "publishedDateTime",
    "isOutOfOffice",
    "value",
    "workLocationType",
    "source",
    "placeId",
    "@odata.type",
    "",
];
const STRINGS: &[&str] = &[
    "Available",
    "Busy",
    "Away",
    "PresenceUnknown",
    "2024-01-01T00:00:00Z",
    "2024-13-45T99:99:99",
    "PT1H",
    "P1DT2H",
    "PT",
    "P",
    "-PT1S",
    "PT99999999999999999999H",
    "9999-12-31",
    "",
    "null",
    "office",
    "remote",
    "\u{0}",
    "🦀",
];

fn json() -> impl Strategy<Value = Value> {
    json_with(any::<f64>().prop_map(Value::from))
}

/// JSON without fractional numbers: serde_json's default float parsing is not exact (that is
/// its `float_roundtrip` feature), which a round-trip property would otherwise report.
fn json_without_floats() -> impl Strategy<Value = Value> {
    json_with(Just(Value::from(0.5)))
}

fn json_with(
    float: impl Strategy<Value = Value> + Clone + 'static,
) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        float,
        prop::sample::select(STRINGS).prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
                Value::Object(
                    kv.into_iter()
                        .map(|(k, v)| (k.to_owned(), v))
                        .collect::<Map<_, _>>(),
                )
            }),
        ]
    })
}

/// Bytes a server might send: raw noise, or JSON (possibly cut short or with a tail).
fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        (json(), any::<prop::sample::Index>()).prop_map(|(v, cut)| {
            let bytes = serde_json::to_vec(&v).unwrap();
            bytes[..cut.index(bytes.len() + 1)].to_vec()
        }),
        json().prop_map(|v| serde_json::to_vec(&serde_json::json!({ "error": v })).unwrap()),
    ]
}

/// Every decoder a response body can meet.
fn decode_everything(bytes: &[u8]) {
    let _ = ODataError::parse(bytes);
    let _ = serde_json::from_slice::<v1_0::models::Presence>(bytes);
    let _ = serde_json::from_slice::<beta::models::Presence>(bytes);
    let _ = serde_json::from_slice::<v1_0::models::GetPresencesByUserIdResponse>(bytes);
    let _ = serde_json::from_slice::<beta::models::GetPresencesByUserIdResponse>(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        let _ = text.parse::<Duration>();
        let _ = serde_json::from_value::<Duration>(Value::from(text));
    }
}

#[test]
fn decoders_never_panic_on_arbitrary_bodies() {
    let mut runner = TestRunner::new(config());
    runner
        .run(&body(), |bytes| {
            decode_everything(&bytes);
            Ok(())
        })
        .unwrap();
}

#[test]
fn odata_errors_round_trip_whatever_they_hold() {
    let mut runner = TestRunner::new(config());
    runner
        .run(&json_without_floats(), |inner| {
            let bytes = serde_json::to_vec(&serde_json::json!({ "error": inner })).unwrap();
            if let Some(parsed) = ODataError::parse(&bytes) {
                // What was understood survives a round trip unchanged.
                let again = serde_json::to_vec(&serde_json::json!({ "error": parsed })).unwrap();
                prop_assert_eq!(ODataError::parse(&again), Some(parsed));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_client_never_panics_on_any_server_response() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(TestServer::start());
    let client = server.client();
    let mut runner = TestRunner::new(config());
    let strategy = (
        prop_oneof![Just(200u16), Just(201), Just(204), 100u16..600],
        body(),
    );
    runner
        .run(&strategy, |(status, bytes)| {
            // 1xx statuses are interim responses, not answers; a server cannot end with one.
            let status = if status < 200 { 200 } else { status };
            server.respond(Reply::status(status).body(bytes));
            // Requests are not inspected here; draining them keeps long runs flat in memory.
            server.take();
            let result = rt.block_on(client.v1_0().me().presence().get());
            match result {
                Ok(_) => prop_assert!((200..300).contains(&status)),
                Err(Error::Status { status: s, .. }) => prop_assert_eq!(s, status),
                Err(Error::Decode { .. }) => prop_assert!((200..300).contains(&status)),
                Err(other) => prop_assert!(false, "unexpected error for {status}: {other}"),
            }
            Ok(())
        })
        .unwrap();
}
