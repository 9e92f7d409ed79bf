//! Delegated sign-in (runtime `signin` feature) against the emulated identity platform, over
//! loopback: every grant and its errors, the cache, and 30 emulated days of hourly renewals.

use msgraph_presence_runtime::signin::{SignIn, SignInConfig, SignInError, TokenCache};
use msgraph_presence_runtime::{Cloud, Sleeper, TokenProvider};
use presence_emulator::Emulator;
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CLIENT: &str = "11111111-2222-3333-4444-555555555555";

struct Rig {
    emu: Emulator,
    http: reqwest::Client,
    cache_path: std::path::PathBuf,
    waits: Arc<Mutex<Vec<Duration>>>,
}

impl Rig {
    async fn start() -> Rig {
        let emu = Emulator::start().await.expect("emulator starts");
        let dir = std::env::temp_dir().join(format!("signin-test-{}", uuid::Uuid::new_v4()));
        Rig {
            emu,
            http: reqwest::Client::new(),
            cache_path: dir.join("tokens.json"),
            waits: Arc::default(),
        }
    }

    /// A sign-in on the emulator's clock whose polls wait a millisecond but record the
    /// interval they were asked to wait.
    fn sign_in(&self) -> SignIn {
        let waits = Arc::clone(&self.waits);
        let sleeper: Sleeper = Arc::new(move |d| {
            waits.lock().unwrap().push(d);
            Box::pin(tokio::time::sleep(Duration::from_millis(2)))
        });
        let clock = self.emu.clock().clone();
        let config = SignInConfig::new(
            Cloud::Global,
            "organizations",
            CLIENT,
            TokenCache::new(&self.cache_path),
        )
        .authority(self.emu.base_url());
        SignIn::new(config)
            .sleeper(sleeper)
            .time_source(Arc::new(move || clock.now()))
    }

    async fn control(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(format!("{}/_emulator/identity/{path}", self.emu.base_url()))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    async fn stats(&self) -> serde_json::Value {
        self.http
            .get(format!("{}/_emulator/identity/stats", self.emu.base_url()))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Runs a device-code sign-in, letting `decide` answer for the user once the code is shown.
    async fn device_sign_in(
        &self,
        sign_in: &SignIn,
        decide: &str,
    ) -> Result<msgraph_presence_runtime::signin::Account, SignInError> {
        let (tx, rx) = tokio::sync::oneshot::channel::<String>();
        let flow = sign_in.sign_in_with_device_code(move |m| {
            assert!(m.message.contains(&m.user_code), "{}", m.message);
            tx.send(m.user_code.clone()).unwrap();
        });
        let user = async {
            let code = rx.await.unwrap();
            if !decide.is_empty() {
                let r = self
                    .control(decide, serde_json::json!({ "userCode": code }))
                    .await;
                assert_eq!(r.status(), 204);
            }
        };
        let (result, ()) = tokio::join!(flow, user);
        result
    }

    async fn graph_status(&self, token: &str, path: &str) -> u16 {
        self.http
            .get(format!("{}{path}", self.emu.base_url()))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

#[tokio::test]
async fn device_code_sign_in_gives_a_delegated_token_graph_accepts() {
    let rig = Rig::start().await;
    let sign_in = rig.sign_in();
    let account = rig.device_sign_in(&sign_in, "approve").await.unwrap();
    assert_eq!(account.user, rig.emu.signed_in_user());
    let token = sign_in.token().await.unwrap();
    assert_eq!(rig.graph_status(&token, "/v1.0/subscriptions").await, 200);
    // A second process reading the same cache renews from the stored refresh token.
    let other = rig.sign_in();
    let renewed = other.access_token().await.unwrap();
    assert_ne!(renewed.expose(), token);
    assert_eq!(rig.stats().await["refreshes"], 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        assert_eq!(
            std::fs::metadata(&rig.cache_path).unwrap().mode() & 0o777,
            0o600
        );
    }
}

#[tokio::test]
async fn app_only_tokens_from_client_credentials_are_refused_on_subscriptions() {
    let rig = Rig::start().await;
    let answer: serde_json::Value = rig
        .http
        .post(format!(
            "{}/organizations/oauth2/v2.0/token",
            rig.emu.base_url()
        ))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=client_credentials&client_id={CLIENT}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = answer["access_token"].as_str().unwrap();
    assert_eq!(rig.graph_status(token, "/v1.0/subscriptions").await, 403);
    // The old convention still works: any opaque bearer token is the signed-in user.
    assert_eq!(rig.graph_status("opaque", "/v1.0/subscriptions").await, 200);
}

#[tokio::test]
async fn declined_device_code_is_a_typed_error_and_caches_nothing() {
    let rig = Rig::start().await;
    let sign_in = rig.sign_in();
    let error = rig.device_sign_in(&sign_in, "decline").await.unwrap_err();
    assert!(matches!(error, SignInError::Declined), "{error}");
    assert!(!rig.cache_path.exists());
}

#[tokio::test]
async fn slow_down_adds_five_seconds_to_the_interval() {
    let rig = Rig::start().await;
    rig.control("slow-down", serde_json::json!({ "times": 2 }))
        .await;
    let sign_in = rig.sign_in();
    rig.device_sign_in(&sign_in, "approve").await.unwrap();
    let waits = rig.waits.lock().unwrap().clone();
    assert_eq!(waits[..3], [5, 10, 15].map(Duration::from_secs));
}

#[tokio::test]
async fn an_unapproved_device_code_expires() {
    let rig = Rig::start().await;
    let sign_in = rig.sign_in();
    // Nobody approves: the poller gives up once it has waited `expires_in` (900 s).
    let error = rig.device_sign_in(&sign_in, "").await.unwrap_err();
    assert!(matches!(error, SignInError::Expired), "{error}");
    assert_eq!(rig.waits.lock().unwrap().len(), 180);
}

#[tokio::test]
async fn the_platform_answers_expired_token_once_its_clock_passes_the_code_lifetime() {
    let rig = Rig::start().await;
    let sign_in = rig.sign_in();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let flow = sign_in.sign_in_with_device_code(move |_| tx.send(()).unwrap());
    let jump = async {
        rx.await.unwrap();
        rig.emu.clock().advance(Duration::from_secs(16 * 60));
    };
    let (result, ()) = tokio::join!(flow, jump);
    assert!(matches!(result, Err(SignInError::Expired)), "{result:?}");
}

#[tokio::test]
async fn revoked_expired_and_interaction_required_refresh_tokens_say_sign_in_again() {
    for (control, body, code) in [
        ("revoke", serde_json::json!({}), "invalid_grant"),
        ("expire-refresh", serde_json::json!({}), "invalid_grant"),
        (
            "require-interaction",
            serde_json::json!({ "required": true }),
            "interaction_required",
        ),
    ] {
        let rig = Rig::start().await;
        let sign_in = rig.sign_in();
        rig.device_sign_in(&sign_in, "approve").await.unwrap();
        rig.control(control, body).await;
        rig.emu.clock().advance(Duration::from_secs(2 * 3600));
        let error = sign_in.access_token().await.unwrap_err();
        match &error {
            SignInError::SignInAgain { code: got, .. } => assert_eq!(got, code, "{control}"),
            other => panic!("{control}: {other}"),
        }
        assert!(error.needs_sign_in());
        // The refresh token is not in the error, and the cache entry is kept for inspection.
        let cached = std::fs::read_to_string(&rig.cache_path).unwrap();
        let refresh: serde_json::Value = serde_json::from_str(&cached).unwrap();
        let refresh = refresh["entries"][0]["refresh_token"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(!error.to_string().contains(&refresh));
        assert!(!format!("{error:?}").contains(&refresh));
        assert!(!format!("{sign_in:?}").contains(&refresh));
    }
}

#[tokio::test]
async fn concurrent_callers_cause_one_refresh() {
    let rig = Rig::start().await;
    let sign_in = Arc::new(rig.sign_in());
    rig.device_sign_in(&sign_in, "approve").await.unwrap();
    rig.emu.clock().advance(Duration::from_secs(2 * 3600));
    let calls: Vec<_> = (0..8)
        .map(|_| {
            let s = Arc::clone(&sign_in);
            tokio::spawn(async move { s.token().await.unwrap() })
        })
        .collect();
    let mut tokens = Vec::new();
    for call in calls {
        tokens.push(call.await.unwrap());
    }
    tokens.dedup();
    assert_eq!(tokens.len(), 1);
    assert_eq!(rig.stats().await["refreshes"], 1);
}

#[tokio::test]
async fn authorization_code_with_pkce_on_a_loopback_redirect() {
    let rig = Rig::start().await;
    let sign_in = rig.sign_in();
    // The "browser": follows the emulator's redirect to the loopback listener.
    let browser = reqwest::Client::new();
    let (tx, rx) = tokio::sync::oneshot::channel::<url::Url>();
    let flow = sign_in.sign_in_with_browser(move |url| tx.send(url.clone()).unwrap());
    let visit = async {
        let url = rx.await.unwrap();
        assert!(url.as_str().contains("code_challenge_method=S256"));
        let page = browser.get(url).send().await.unwrap();
        assert_eq!(page.status(), 200);
    };
    let (account, ()) = tokio::join!(flow, visit);
    assert_eq!(account.unwrap().user, rig.emu.signed_in_user());
    let token = sign_in.token().await.unwrap();
    assert_eq!(rig.graph_status(&token, "/v1.0/subscriptions").await, 200);
}

#[tokio::test]
async fn a_declined_consent_on_authorize_is_a_typed_error() {
    let rig = Rig::start().await;
    rig.control("decline-authorize", serde_json::json!({ "decline": true }))
        .await;
    let sign_in = rig.sign_in();
    let (tx, rx) = tokio::sync::oneshot::channel::<url::Url>();
    let flow = sign_in.sign_in_with_browser(move |url| tx.send(url.clone()).unwrap());
    let visit = async {
        let _ = reqwest::get(rx.await.unwrap()).await;
    };
    let (result, ()) = tokio::join!(flow, visit);
    assert!(matches!(result, Err(SignInError::Declined)), "{result:?}");
}

#[tokio::test]
async fn token_endpoint_refuses_a_wrong_pkce_verifier_and_a_reused_code() {
    let rig = Rig::start().await;
    let base = rig.emu.base_url().to_owned();
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let redirect = "http://127.0.0.1:9/";
    let authorize = format!(
        "{base}/organizations/oauth2/v2.0/authorize?client_id={CLIENT}&response_type=code&redirect_uri={}&code_challenge=abc&code_challenge_method=S256&state=s",
        url::form_urlencoded::byte_serialize(redirect.as_bytes()).collect::<String>()
    );
    let answer = no_redirects.get(authorize).send().await.unwrap();
    assert_eq!(answer.status(), 302);
    let location = url::Url::parse(answer.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .into_owned();
    let exchange = |code: String| {
        let http = rig.http.clone();
        let base = base.clone();
        async move {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs([
                    ("grant_type", "authorization_code"),
                    ("client_id", CLIENT),
                    ("code", code.as_str()),
                    ("redirect_uri", redirect),
                    ("code_verifier", "not-the-verifier"),
                ])
                .finish();
            let r = http
                .post(format!("{base}/organizations/oauth2/v2.0/token"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.json::<serde_json::Value>().await.unwrap(),
            )
        }
    };
    let (status, body) = exchange(code.clone()).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("AADSTS501481")
    );
    // The code was spent by the failed attempt.
    let (_, body) = exchange(code).await;
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("AADSTS70008")
    );
}

#[tokio::test]
async fn thirty_days_of_hourly_renewals_with_rotation_revocation_and_sign_in_again() {
    let rig = Rig::start().await;
    let sign_in = rig.sign_in();
    rig.device_sign_in(&sign_in, "approve").await.unwrap();
    let mut stopped_on = None;
    let mut hour = 0;
    while hour < 30 * 24 {
        hour += 1;
        rig.emu.clock().advance(Duration::from_secs(3600));
        if hour == 20 * 24 {
            rig.control("revoke", serde_json::json!({})).await;
        }
        match sign_in.access_token().await {
            Ok(token) => {
                // The hourly renewal of the watcher's work: a delegated call Graph accepts.
                assert_eq!(
                    rig.graph_status(token.expose(), "/v1.0/subscriptions")
                        .await,
                    200
                );
            }
            Err(error) => {
                assert!(error.needs_sign_in(), "hour {hour}: {error}");
                // A clean stop: report once, then a person signs in again and it resumes.
                assert!(stopped_on.is_none(), "stopped twice");
                stopped_on = Some(hour);
                rig.device_sign_in(&sign_in, "approve").await.unwrap();
            }
        }
    }
    assert_eq!(stopped_on, Some(20 * 24));
    let stats = rig.stats().await;
    // Every hour but the revoked one and the two sign-ins renewed by refresh.
    assert_eq!(stats["refreshes"], 30 * 24 - 1);
    // Rotation: only the newest refresh token is alive.
    assert_eq!(stats["liveRefreshTokens"], 1);
}

#[tokio::test]
async fn the_sign_in_is_an_azure_sdk_token_credential() {
    use msgraph_presence_runtime::azure::TokenCredential;
    use msgraph_presence_runtime::signin::SignInCredential;
    let rig = Rig::start().await;
    let sign_in = Arc::new(rig.sign_in());
    rig.device_sign_in(&sign_in, "approve").await.unwrap();
    let credential = SignInCredential::new(Arc::clone(&sign_in));
    let token = credential
        .get_token(&["https://graph.microsoft.com/.default"], None)
        .await
        .unwrap();
    assert_eq!(
        rig.graph_status(token.token.secret(), "/v1.0/subscriptions")
            .await,
        200
    );
    // The expiry reported is the access token's, on the emulator's clock (an hour ahead).
    let ahead = token.expires_on.unix_timestamp() - rig.emu.clock().now().as_second();
    assert!((3000..=3600).contains(&ahead), "{ahead}");
    // Another resource's scope is refused: the refresh token was not granted for it.
    let other = credential
        .get_token(&["https://management.azure.com/.default"], None)
        .await
        .unwrap_err();
    assert!(
        other.to_string().contains("management.azure.com"),
        "{other}"
    );
    // Through the client builder, like any other credential.
    let client = msgraph_presence_runtime::Runtime::builder()
        .base_url(rig.emu.base_url())
        .token_credential(Arc::new(credential.clone()))
        .build();
    assert!(client.is_ok());
    // A revoked sign-in is an error saying so.
    rig.control("revoke", serde_json::json!({})).await;
    rig.emu.clock().advance(Duration::from_secs(2 * 3600));
    let error = credential
        .get_token(&["https://graph.microsoft.com/.default"], None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("sign in again"), "{error}");
}

#[tokio::test]
async fn a_dead_refresh_token_is_the_typed_runtime_error() {
    let rig = Rig::start().await;
    let sign_in = rig.sign_in();
    rig.device_sign_in(&sign_in, "approve").await.unwrap();
    rig.control("revoke", serde_json::json!({})).await;
    rig.emu.clock().advance(Duration::from_secs(2 * 3600));
    let error = sign_in.token().await.unwrap_err();
    assert!(error.is_sign_in_again(), "{error}");
}
