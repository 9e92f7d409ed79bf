//! The emulator's HTTP contract, checked with raw requests: every binding path of the spec is
//! served, errors are OData bodies, auth is required, and the `/_emulator` controls work.

use msgraph_presence::runtime::OperationInfo;
use presence_emulator::{Clock, Emulator, RecordedRequest};
use serde_json::{Value, json};

fn valid_body(operation: &str) -> Option<Value> {
    Some(match operation {
        "setPresence" => {
            json!({"sessionId": "s", "availability": "Available", "activity": "Available"})
        }
        "clearPresence" => json!({"sessionId": "s"}),
        "setUserPreferredPresence" => json!({"availability": "Away", "activity": "Away"}),
        "clearUserPreferredPresence" => json!({}),
        "setStatusMessage" => {
            json!({"statusMessage": {"message": {"content": "hi", "contentType": "text"}}})
        }
        "setManualLocation" | "setAutomaticLocation" => json!({"workLocationType": "office"}),
        "getPresencesByUserId" => json!({"ids": ["u1"]}),
        _ => return None,
    })
}

/// Sends every operation on every binding the spec lists, in an order where each call is valid
/// (setPresence before clearPresence), and expects a success each time.
#[tokio::test]
async fn every_binding_of_both_versions_is_served() {
    let emu = Emulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let tables: [&[&OperationInfo]; 2] = [
        msgraph_presence::v1_0::operations::ALL,
        msgraph_presence::beta::operations::ALL,
    ];
    let mut served = 0;
    for table in tables {
        for operation in table {
            for binding in operation.bindings {
                // Subscriptions are served by explicit routes, not from this table.
                if binding.path.starts_with("/subscriptions") {
                    continue;
                }
                let path = binding
                    .path
                    .replace("{user-id}", "u1")
                    .replace("{presence-id}", "u1");
                // clearPresence needs a session to clear: make one through the same user.
                if operation.name == "clearPresence" {
                    let set = http
                        .post(format!(
                            "{}{}/users/u1/presence/setPresence",
                            emu.base_url(),
                            operation.base_path
                        ))
                        .bearer_auth("t")
                        .json(&valid_body("setPresence").unwrap())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(set.status().as_u16(), 200);
                }
                let url = format!("{}{}{}", emu.base_url(), operation.base_path, path);
                let mut request = http
                    .request(operation.method.clone(), &url)
                    .bearer_auth("t");
                if let Some(body) = valid_body(operation.name) {
                    request = request.json(&body);
                }
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                let text = response.text().await.unwrap();
                assert!(
                    (200..300).contains(&status),
                    "{} {url}: {status} {text}",
                    operation.method
                );
                served += 1;
            }
        }
    }
    // 24 bindings in v1.0; beta adds /communications/presences/{id} for the two location clears.
    assert_eq!(served, 50);
}

async fn get(
    emu: &Emulator,
    path: &str,
    token: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", emu.base_url()));
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

#[tokio::test]
async fn a_bearer_token_is_required() {
    let emu = Emulator::start().await.unwrap();
    for header in [None, Some("Basic abc"), Some("Bearer "), Some("Bearer")] {
        let (status, _, body) = get(&emu, "/v1.0/me/presence", header).await;
        assert_eq!(status, 401, "{header:?}");
        assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
        assert!(body["error"]["innerError"]["request-id"].is_string());
    }
    let (status, _, body) = get(&emu, "/beta/me/presence", Some("bearer anything-at-all")).await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], emu.signed_in_user());
}

#[tokio::test]
async fn errors_carry_ids_and_say_what_is_wrong() {
    let emu = Emulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let response = http
        .post(format!(
            "{}/v1.0/users/u1/presence/setPresence",
            emu.base_url()
        ))
        .bearer_auth("t")
        .header("client-request-id", "my-correlation-id")
        .header("content-type", "application/json")
        .body(r#"{"sessionId": "s", "availability": 7}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(response.headers()["client-request-id"], "my-correlation-id");
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body["error"]["innerError"]["client-request-id"],
        "my-correlation-id"
    );
    assert!(
        body["error"]["innerError"]["date"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("availability"), "{message}");

    let (status, _, body) = get(&emu, "/v2.0/me/presence", Some("Bearer t")).await;
    assert_eq!(status, 400);
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("version"),
        "{body}"
    );
    let (status, _, body) = get(
        &emu,
        "/v1.0/users/u1/presence/setPresence",
        Some("Bearer t"),
    )
    .await;
    assert_eq!(status, 405);
    assert_eq!(body["error"]["code"], "MethodNotAllowed");
    let (status, _, body) = get(&emu, "/v1.0/me/presence/nonsense", Some("Bearer t")).await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "Resource not found for the segment 'nonsense'."
    );
    let missing = http
        .post(format!(
            "{}/beta/users/u1/presence/clearPresence",
            emu.base_url()
        ))
        .bearer_auth("t")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status().as_u16(), 400);
    let body: Value = missing.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sessionId")
    );
}

#[tokio::test]
async fn percent_encoded_ids_name_one_user() {
    let emu = Emulator::start().await.unwrap();
    let http = reqwest::Client::new();
    let set = http
        .post(format!("{}/v1.0/users/a%2Fb%20c/presence/setPresence", emu.base_url()))
        .bearer_auth("t")
        .json(&json!({"sessionId": "s", "availability": "away", "activity": "AWAY", "expirationDuration": "PT1H"}))
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 200);
    let (status, _, body) = get(
        &emu,
        "/v1.0/communications/presences/a%2Fb%20c",
        Some("Bearer t"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["id"], "a/b c");
    // Case-insensitive match, documented spelling stored.
    assert_eq!(
        (body["availability"].as_str(), body["activity"].as_str()),
        (Some("Away"), Some("Away"))
    );
}

#[tokio::test]
async fn journal_and_known_users() {
    let emu = Emulator::start().await.unwrap();
    emu.add_user("known");
    let (_, _, body) = get(&emu, "/v1.0/users/known/presence", Some("Bearer t")).await;
    assert_eq!(body["availability"], "Offline");
    let (_, _, body) = get(&emu, "/v1.0/users/stranger/presence", None).await;
    assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
    assert_eq!(
        emu.requests(),
        vec![
            RecordedRequest {
                method: "GET".into(),
                path: "/v1.0/users/known/presence".into(),
                status: 200
            },
            RecordedRequest {
                method: "GET".into(),
                path: "/v1.0/users/stranger/presence".into(),
                status: 401
            },
        ]
    );
    assert!(emu.set_scheduled_location("known", "moon", None).is_err());
}

/// The HTTP controls the standalone binary relies on.
#[tokio::test]
async fn control_endpoints_move_the_clock_and_inject_faults() {
    let start: jiff::Timestamp = "2026-03-01T09:00:00Z".parse().unwrap();
    let emu = Emulator::builder()
        .clock(Clock::manual(start))
        .signed_in_user("me-1")
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let base = emu.base_url();
    let now: Value = http
        .get(format!("{base}/_emulator/clock"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(now["now"], "2026-03-01T09:00:00Z");
    let moved: Value = http
        .post(format!("{base}/_emulator/clock/advance"))
        .json(&json!({"by": "PT1H30M"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(moved["now"], "2026-03-01T10:30:00Z");
    assert_eq!(emu.clock().now().to_string(), "2026-03-01T10:30:00Z");
    let refused = http
        .post(format!("{base}/_emulator/clock/advance"))
        .json(&json!({"by": "soon"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);

    let added = http
        .post(format!("{base}/_emulator/faults"))
        .json(&json!({"status": 429, "retryAfterSeconds": 3, "times": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status().as_u16(), 204);
    for _ in 0..2 {
        let (status, headers, body) = get(&emu, "/beta/me/presence", Some("Bearer t")).await;
        assert_eq!(status, 429);
        assert_eq!(headers["retry-after"], "3");
        assert_eq!(body["error"]["code"], "TooManyRequests");
    }
    let (status, _, body) = get(&emu, "/beta/me/presence", Some("Bearer t")).await;
    assert_eq!((status, body["id"].as_str()), (200, Some("me-1")));
    http.post(format!("{base}/_emulator/faults"))
        .json(&json!({"status": 503}))
        .send()
        .await
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            get(&emu, "/v1.0/me/presence", Some("Bearer t")).await.0,
            503
        );
    }
    let cleared = http
        .delete(format!("{base}/_emulator/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status().as_u16(), 204);
    assert_eq!(
        get(&emu, "/v1.0/me/presence", Some("Bearer t")).await.0,
        200
    );
    emu.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_closes_the_port() {
    let emu = Emulator::start().await.unwrap();
    let base = emu.base_url().to_owned();
    emu.shutdown().await.unwrap();
    let result = reqwest::Client::new()
        .get(format!("{base}/v1.0/me/presence"))
        .send()
        .await;
    assert!(result.is_err(), "the server still answers after shutdown");
}
