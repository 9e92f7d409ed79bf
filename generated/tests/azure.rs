//! Azure SDK credentials (feature `azure-identity`): the cloud's scope, caching until shortly
//! before expiry, one fetch for concurrent callers, one renewal when Graph refuses a token, and
//! the token never shown. A fake `TokenCredential` stands in for Entra ID: no network.

mod support;

use msgraph_presence::runtime::azure::azure_core::credentials::{
    AccessToken, TokenCredential, TokenRequestOptions,
};
use msgraph_presence::runtime::azure::azure_core::error::ErrorKind;
use msgraph_presence::runtime::azure::azure_core::time::{Duration as Lifetime, OffsetDateTime};
use msgraph_presence::runtime::azure::{AzureCredential, REFRESH_BEFORE_EXPIRY};
use msgraph_presence::runtime::{RetryPolicy, TokenProvider};
use msgraph_presence::{Client, Cloud, Error};
use serde_json::json;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use support::{Reply, Server, Waits, presence_json};

/// Counts calls, records the scopes asked for, and answers `<prefix>-<n>` valid for `lifetime`.
struct FakeCredential {
    prefix: &'static str,
    lifetime: Lifetime,
    calls: AtomicUsize,
    scopes: Mutex<Vec<String>>,
    /// When set, each call waits for a permit: lets a test hold a fetch in flight.
    gate: Option<Arc<tokio::sync::Semaphore>>,
    /// When set, each call fails with this message.
    failure: Option<&'static str>,
}

impl FakeCredential {
    fn new(prefix: &'static str, lifetime: Lifetime) -> Self {
        FakeCredential {
            prefix,
            lifetime,
            calls: AtomicUsize::new(0),
            scopes: Mutex::new(Vec::new()),
            gate: None,
            failure: None,
        }
    }

    /// Valid for an hour: comfortably outside the refresh window.
    fn hour(prefix: &'static str) -> Arc<Self> {
        Arc::new(FakeCredential::new(prefix, Lifetime::hours(1)))
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn scopes(&self) -> Vec<String> {
        self.scopes.lock().unwrap().clone()
    }
}

/// Like the real credentials, shows nothing of what it hands out (`TokenCredential` needs
/// `Debug`; the prefix is the secret part of every token).
impl std::fmt::Debug for FakeCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FakeCredential")
    }
}

#[async_trait::async_trait]
impl TokenCredential for FakeCredential {
    async fn get_token(
        &self,
        scopes: &[&str],
        _: Option<TokenRequestOptions<'_>>,
    ) -> msgraph_presence::runtime::azure::azure_core::Result<AccessToken> {
        let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        self.scopes
            .lock()
            .unwrap()
            .extend(scopes.iter().map(|s| (*s).to_owned()));
        if let Some(gate) = &self.gate {
            let _permit = gate.acquire().await.unwrap();
        }
        if let Some(message) = self.failure {
            return Err(
                msgraph_presence::runtime::azure::azure_core::Error::with_message(
                    ErrorKind::Credential,
                    message,
                ),
            );
        }
        Ok(AccessToken::new(
            format!("{}-{n}", self.prefix),
            OffsetDateTime::now_utc() + self.lifetime,
        ))
    }
}

/// Graph's answer to an expired token.
fn expired_token() -> Reply {
    Reply::json(
        401,
        json!({"error": {"code": "InvalidAuthenticationToken", "message": "Lifetime validation failed, the token is expired."}}),
    )
}

fn authorizations(server: &Server) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| r.header("authorization").unwrap_or_default().to_owned())
        .collect()
}

fn client(server: &Server, credential: Arc<FakeCredential>) -> Client {
    Client::builder()
        .base_url(&server.base_url)
        .token_credential(credential)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_token_is_reused_until_shortly_before_it_expires() {
    let server = Server::start(|_, _| Reply::json(200, presence_json("me", "Available"))).await;
    let credential = FakeCredential::hour("long");
    let client = client(&server, credential.clone());
    for _ in 0..3 {
        client.v1_0().me().presence().get().await.unwrap();
    }
    assert_eq!(credential.calls(), 1);
    assert_eq!(authorizations(&server), ["Bearer long-1"; 3]);

    // Inside the refresh window (4 minutes left of a 5-minute margin): asked for every time.
    let short = Arc::new(FakeCredential::new("short", Lifetime::minutes(4)));
    let provider = AzureCredential::new(short.clone(), Cloud::Global);
    assert_eq!(provider.token().await.unwrap(), "short-1");
    assert_eq!(provider.token().await.unwrap(), "short-2");
    assert_eq!(short.calls(), 2);
    // Just outside it: cached.
    let margin = Lifetime::seconds(REFRESH_BEFORE_EXPIRY.as_secs() as i64 + 60);
    let edge = Arc::new(FakeCredential::new("edge", margin));
    let provider = AzureCredential::new(edge.clone(), Cloud::Global);
    assert_eq!(provider.token().await.unwrap(), "edge-1");
    assert_eq!(provider.token().await.unwrap(), "edge-1");
    assert_eq!(edge.calls(), 1);
}

#[tokio::test]
async fn each_cloud_asks_for_its_own_graph_scope() {
    let expected = [
        (Cloud::Global, "https://graph.microsoft.com/.default"),
        (Cloud::UsGovL4, "https://graph.microsoft.us/.default"),
        (Cloud::UsGovL5, "https://dod-graph.microsoft.us/.default"),
        (
            Cloud::China,
            "https://microsoftgraph.chinacloudapi.cn/.default",
        ),
    ];
    for (cloud, scope) in expected {
        let credential = FakeCredential::hour("t");
        let provider = AzureCredential::new(credential.clone(), cloud);
        assert_eq!(provider.scope(), scope);
        provider.token().await.unwrap();
        assert_eq!(credential.scopes(), [scope], "{cloud}");
    }
}

#[tokio::test]
async fn the_builder_uses_its_cloud_even_when_set_after_the_credential() {
    let server = Server::start(|_, _| Reply::json(200, presence_json("me", "Available"))).await;
    let credential = FakeCredential::hour("gov");
    let client = Client::builder()
        .token_credential(credential.clone())
        .cloud(Cloud::UsGovL4)
        .base_url(&server.base_url)
        .build()
        .unwrap();
    client.v1_0().me().presence().get().await.unwrap();
    assert_eq!(credential.scopes(), ["https://graph.microsoft.us/.default"]);
    assert_eq!(authorizations(&server), ["Bearer gov-1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_fetch() {
    let gate = Arc::new(tokio::sync::Semaphore::new(0));
    let credential = Arc::new(FakeCredential {
        gate: Some(gate.clone()),
        ..FakeCredential::new("shared", Lifetime::hours(1))
    });
    let provider = Arc::new(AzureCredential::new(credential.clone(), Cloud::Global));
    let callers: Vec<_> = (0..8)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.token().await.unwrap() })
        })
        .collect();
    // Hold the first fetch until it has started; everyone else queues behind it.
    while credential.calls() == 0 {
        tokio::task::yield_now().await;
    }
    for _ in 0..100 {
        tokio::task::yield_now().await;
    }
    gate.add_permits(100);
    for caller in callers {
        assert_eq!(caller.await.unwrap(), "shared-1");
    }
    assert_eq!(credential.calls(), 1);
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_request_resent() {
    let server = Server::start(|n, _| match n {
        0 => expired_token(),
        _ => Reply::json(200, presence_json("me", "Busy")),
    })
    .await;
    let credential = FakeCredential::hour("tok");
    let client = client(&server, credential.clone());
    client.v1_0().me().presence().get().await.unwrap();
    assert_eq!(authorizations(&server), ["Bearer tok-1", "Bearer tok-2"]);
    assert_eq!(credential.calls(), 2);
    // The resend is the same request: same client-request-id, numbered as a resend.
    let requests = server.requests();
    assert_eq!(
        requests[0].header("client-request-id"),
        requests[1].header("client-request-id")
    );
    assert_eq!(requests[1].header("retry-attempt"), Some("1"));
    // The renewed token is cached for the next call.
    client.v1_0().me().presence().get().await.unwrap();
    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn a_www_authenticate_invalid_token_challenge_also_renews() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(401).header(
            "www-authenticate",
            r#"Bearer realm="", error="invalid_token", error_description="The token expired""#,
        ),
        _ => Reply::status(200),
    })
    .await;
    let credential = FakeCredential::hour("w");
    let client = client(&server, credential.clone());
    client
        .v1_0()
        .me()
        .presence()
        .clear_location()
        .await
        .unwrap();
    assert_eq!(authorizations(&server), ["Bearer w-1", "Bearer w-2"]);
}

#[tokio::test]
async fn a_second_refusal_is_returned_even_with_retries_disabled() {
    let server = Server::start(|_, _| expired_token()).await;
    let credential = FakeCredential::hour("bad");
    let client = Client::builder()
        .base_url(&server.base_url)
        .token_credential(credential.clone())
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.odata().unwrap().code, "InvalidAuthenticationToken");
    assert_eq!(authorizations(&server), ["Bearer bad-1", "Bearer bad-2"]);
    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn other_refusals_are_not_resent() {
    let replies = [
        // A 401 that is not about the token's validity.
        Reply::json(
            401,
            json!({"error": {"code": "Unauthorized", "message": "no"}}),
        ),
        // A missing permission: a new token would not help.
        Reply::json(
            403,
            json!({"error": {"code": "Forbidden", "message": "Insufficient privileges"}}),
        ),
    ];
    for reply in replies {
        let status = reply.status;
        let server = Server::start(move |_, _| reply.clone()).await;
        let credential = FakeCredential::hour("t");
        let client = client(&server, credential.clone());
        let err = client.v1_0().me().presence().get().await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(server.requests().len(), 1, "{status}");
        assert_eq!(credential.calls(), 1, "{status}");
    }
}

#[tokio::test]
async fn renewal_and_throttling_retries_combine() {
    let server = Server::start(|n, _| match n {
        0 => Reply::status(429).header("retry-after", "2"),
        1 => expired_token(),
        2 => Reply::status(503).header("retry-after", "1"),
        _ => Reply::json(200, presence_json("me", "Away")),
    })
    .await;
    let credential = FakeCredential::hour("mix");
    let waits = Waits::default();
    let client = waits
        .install(
            Client::builder()
                .base_url(&server.base_url)
                .token_credential(credential.clone()),
        )
        .retry(RetryPolicy::default().max_retries(2))
        .build()
        .unwrap();
    client.v1_0().me().presence().get().await.unwrap();
    assert_eq!(
        authorizations(&server),
        [
            "Bearer mix-1",
            "Bearer mix-1",
            "Bearer mix-2",
            "Bearer mix-2"
        ]
    );
    // Two throttling retries (the policy's limit) plus the renewal, which is not one of them.
    assert_eq!(
        waits.all(),
        [
            std::time::Duration::from_secs(2),
            std::time::Duration::from_secs(1)
        ]
    );
    let attempts: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("retry-attempt").map(str::to_owned))
        .collect();
    assert_eq!(
        attempts,
        [None, Some("1".into()), Some("2".into()), Some("3".into())]
    );
}

#[tokio::test]
async fn concurrent_refusals_of_one_stale_token_cost_one_fetch() {
    let server = Server::start(|_, request| {
        if request.header("authorization") == Some("Bearer stale-1") {
            expired_token()
        } else {
            Reply::json(200, presence_json("me", "Available"))
        }
    })
    .await;
    let credential = FakeCredential::hour("stale");
    let client = client(&server, credential.clone());
    let calls = (0..6).map(|_| async { client.v1_0().me().presence().get().await });
    for result in futures_util::future::join_all(calls).await {
        result.unwrap();
    }
    assert_eq!(credential.calls(), 2);
}

#[tokio::test]
async fn a_failing_credential_is_an_auth_error_and_sends_nothing() {
    let server = Server::start(|_, _| Reply::status(200)).await;
    let credential = Arc::new(FakeCredential {
        failure: Some("Azure CLI not found on path"),
        ..FakeCredential::new("never", Lifetime::hours(1))
    });
    let client = client(&server, credential);
    let err = client.v1_0().me().presence().get().await.unwrap_err();
    assert!(
        matches!(&err, Error::Auth(m) if m.contains("Azure CLI not found on path")),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

const SECRET: &str = "eyJ-AZURE-SECRET-91b2";

/// Collects what a `tracing` fmt subscriber writes (the only test here that installs one).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn the_token_never_shows_in_debug_errors_or_traces() {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    let captured = CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).unwrap();
            captured
        })
        .clone();
    let server = Server::start(|_, _| expired_token()).await;
    // The fake answers `<prefix>-<n>`: the secret is the prefix of every token it gives.
    let credential = FakeCredential::hour(SECRET);
    let provider = AzureCredential::new(credential.clone(), Cloud::Global);
    provider.token().await.unwrap();
    let client = client(&server, credential.clone());
    let err = client.v1_0().me().presence().get().await.unwrap_err();

    let shown = [
        format!("{provider:?}"),
        format!("{client:?}"),
        format!("{err:?}"),
        err.to_string(),
        format!(
            "{:?}",
            Client::builder().token_credential(credential.clone())
        ),
    ];
    for text in &shown {
        assert!(!text.contains(SECRET), "{text}");
    }
    assert!(
        shown[0].contains("graph.microsoft.com/.default"),
        "{}",
        shown[0]
    );
    let traces = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    assert!(
        traces.contains("fetched an access token") && traces.contains("token refused"),
        "the trace must record the fetches and the renewal: {traces}"
    );
    assert!(!traces.contains(SECRET), "{traces}");
}
