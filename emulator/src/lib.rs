//! A stateful presence emulator for tests that cannot reach a tenant: a library for in-process
//! tests, and the `presence-emulator` binary for tools and SDKs in any language.
//!
//! [`Emulator::start`] runs a real HTTP server on 127.0.0.1 (an ephemeral port) that serves
//! every operation and binding path of both API versions (`/v1.0/...` and `/beta/...`) as the
//! `spec/` documents describe them, keeping presence state per user the way Microsoft's docs
//! say Graph does. Point the client at [`Emulator::base_url`]:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use msgraph_presence::{Client, v1_0};
//! use presence_emulator::Emulator;
//!
//! let emu = Emulator::start().await?;
//! let client = Client::builder().base_url(emu.base_url()).bearer_token("any").build()?;
//! let presence = client.v1_0().user("someone").presence().get().await?;
//! assert_eq!(presence.availability, Some(v1_0::models::Availability::PresenceUnknown));
//! emu.shutdown().await?;
//! # Ok(())
//! # }
//! ```
//!
//! # The rules it applies
//!
//! From the setPresence, clearPresence, setUserPreferredPresence, setStatusMessage, work
//! location and "Manage presence state" pages. Both versions share one tenant's state and
//! follow the same rules except where noted.
//!
//! **Requests.** Every API request needs an `Authorization: Bearer <anything>` header, else
//! `401 InvalidAuthenticationToken`. Errors are OData bodies
//! `{"error":{"code","message","innerError":{"request-id","client-request-id","date"}}}`; the
//! `client-request-id` header is echoed. A path no operation of that version binds (e.g. v1.0
//! `/communications/presences/{id}/clearLocation`, which only beta has) gets `400 BadRequest`
//! "Resource not found for the segment ...", as Graph answers; a wrong method gets 405.
//! Enumerated strings (availability, activity, `workLocationType`) match ignoring ASCII case and
//! are stored in their documented spelling.
//!
//! **Sessions (setPresence / clearPresence).** One session per (user, `sessionId`).
//! Supported pairs: Available/Available, Busy/InACall, Busy/InAConferenceCall, Away/Away,
//! DoNotDisturb/Presenting; anything else is `400`. `expirationDuration` defaults to PT5M and
//! must lie within PT5M..=PT4H (`400` otherwise); calling setPresence again refreshes the session
//! (keep-alive). A session whose expiration passed is gone. An `Available` session times out in
//! two stages counted from its last setPresence: after 5 minutes it reads
//! `Available/AvailableInactive`, after 10 minutes `Away/Away` (the docs' example, taken
//! literally); other states do not time out. clearPresence of a session that does not exist
//! (never set, already cleared or expired) is `404 NotFound`.
//!
//! **Aggregation**, in order:
//! 1. a user the emulator has never seen (no write names it, no [`Emulator::add_user`]) reads
//!    `PresenceUnknown/PresenceUnknown` — also in getPresencesByUserId;
//! 2. a user without a live session reads `Offline/Offline` (so clearing the only session gives
//!    `Offline/Offline`, and a preferred presence alone shows nothing);
//! 3. an unexpired user preferred presence wins over every session;
//! 4. otherwise sessions rank DoNotDisturb > Busy > Available > Away by their (timed-out)
//!    availability; between equal ranks the session set most recently wins.
//!
//! **Preferred presence.** Supported pairs: Available/Available, Busy/Busy,
//! DoNotDisturb/DoNotDisturb, BeRightBack/BeRightBack, Away/Away, Offline/OffWork (`400`
//! otherwise). Without `expirationDuration` it lasts 1 day for DoNotDisturb and Busy, 7 days
//! otherwise; a given duration must be positive (the docs set no upper bound).
//! clearUserPreferredPresence removes it (no error when none is set).
//!
//! **Status message.** setStatusMessage replaces the message; only `contentType: text` is
//! accepted. `expiryDateTime` is a local `dateTime` (no offset) in `timeZone` (IANA names, UTC and
//! common Windows names such as "Pacific Standard Time"; missing means UTC); at that instant of
//! the emulator clock the message disappears. `expiryDateTime` and `publishedDateTime` are
//! returned only when reading the signed-in user's own presence.
//!
//! **Work location.** Layers manual > automatic > scheduled; with none, `source: none` and
//! `workLocationType: unspecified`. setManualLocation / setAutomaticLocation set their layer
//! (v1.0 accepts `unspecified, office, remote, timeOff`; beta also `unknownFutureValue`) and answer
//! `204`; clearLocation clears manual and automatic, clearAutomaticLocation only automatic. The
//! scheduled layer has no API; set it with [`Emulator::set_scheduled_location`].
//!
//! **getPresencesByUserId.** At most 650 ids (`400` beyond, and for an empty id); one presence
//! per distinct id, in request order.
//!
//! **Test controls.** The [`Clock`] (manual by default) decides every expiry and timeout;
//! [`Emulator::inject_fault`] makes the next requests fail (429 with `Retry-After`, 503, ...);
//! [`Emulator::requests`] lists what was answered. The same controls exist over HTTP for the
//! standalone `presence-emulator` binary; they need no token and never meet injected faults:
//!
//! | Request | Effect |
//! |---|---|
//! | `GET /_emulator/clock` | `{"now": "2026-01-01T00:00:00Z"}` |
//! | `POST /_emulator/clock/advance` with `{"by": "PT5M"}` | moves the clock, returns the new `now` |
//! | `POST /_emulator/faults` with `{"status": 429, "retryAfterSeconds": 2, "times": 1}` | queues a fault (`code` optional; no `times`: until cleared) |
//! | `DELETE /_emulator/faults` | drops queued faults |
//! | `POST /_emulator/signing-keys/rotate` | a new token signing key and `kid` ([`Emulator::rotate_signing_key`]) |
//! | `POST /_emulator/subscriptions/{id}/lifecycle` with `{"event": "missed"}` | sends that lifecycle notification |
//! | `PUT /_emulator/subscriptions/{id}/delivery-faults` with `{"seed": 7, "duplicate": 0.1, "reorder": 0.1, "reorderMaxSeconds": 5, "drop": 0.02, "fullPayload": true}` | that subscription's [`DeliveryFaults`] (`DELETE` clears, `GET` counts) |
//! | `PUT /_emulator/delivery-faults` (same body) | the faults of every subscription without its own (`DELETE` clears) |
//!
//! **Directory** (`directory/`, both versions): users with UPN and mail and groups with
//! members (users or nested groups), seeded with [`Emulator::seed_directory`] (or
//! [`DirectorySeed::demo_team`]), the binary's `--directory FILE` / `--demo-directory ID`, or
//! `POST /_emulator/directory/users` and `/groups` (`DELETE /_emulator/directory` clears).
//! `GET /{v}/users/{id or UPN}`, `GET /{v}/users`, and the users among a group's direct or
//! transitive members (`/groups/{id}/members/microsoft.graph.user`, `transitiveMembers`; nested
//! groups flattened, each user once). Pages of 100 unless `$top` (1-999), `@odata.nextLink`
//! with an opaque `$skiptoken`; `@odata.count` on the first page with `$count=true`. `$search`,
//! `$count` and the advanced filters (`endsWith`, `ne`: also `$count=true`) need
//! `ConsistencyLevel: eventual`, else `400 Request_UnsupportedQuery`, as is any cast but
//! `microsoft.graph.user`; an unknown user or group is `404 Request_ResourceNotFound`; a filter
//! the emulator does not read (it reads `startsWith`, `endsWith`, `eq`, `ne`) is `400
//! Request_BadRequest`.
//!
//! **Subscriptions** (`/{v}/subscriptions`, both versions; SUBSCRIPTIONS.md rulings): presence
//! resources only, `changeType: updated`, at most 650 distinct GUIDs, expiry at most 60 minutes
//! ahead (earlier values are raised to 45), one presence subscription per (app, user) (`409`),
//! delegated tokens only (a JWT-shaped bearer is read for `appid`/`azp`, `oid`, `tid`, `scp`,
//! `roles`; any other token is the [`DEFAULT_APP_ID`] and the signed-in user), and a validation
//! handshake against `notificationUrl` (and `lifecycleNotificationUrl`) before storing. Every
//! presence write that changes availability or activity posts a notification to each watching
//! subscription: sealed with its certificate when `includeResourceData` is set, with a
//! `validationTokens` JWT signed by a test-only key served at [`Emulator::jwks_url`]; failed
//! deliveries are retried with exponential backoff ([`Emulator::deliveries`] lists attempts).
//! Subscriptions expire on the emulator clock, which also drives `reauthorizationRequired`.

// Every public item carries docs; the compiler checks it.
#![deny(missing_docs)]

mod clock;
mod control;
mod directory;
mod fault;
mod handlers;
mod host_check;
mod identity;
mod journal;
mod model;
mod odata;
mod routes;
mod rules;
mod server;
mod state;
mod subscriptions;
mod timezone;
mod wire;

// The README's examples are compiled as doctests, so the documented code cannot rot. They run
// here because this is the one crate that sees everything they use (the client, the runtime
// and the emulator) without a dependency cycle.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

pub use clock::Clock;
pub use directory::{DirectoryGroup, DirectorySeed, DirectoryUser, GroupMember};
pub use fault::Fault;
pub use journal::DEFAULT_JOURNAL_CAPACITY;
pub use server::{DEFAULT_SIGNED_IN_USER, Emulator, EmulatorBuilder};
pub use state::RecordedRequest;
pub use subscriptions::identity::{DEFAULT_APP_ID, DEFAULT_TENANT_ID};
pub use subscriptions::{DeliveryAttempt, DeliveryFaults, FaultCounts};
