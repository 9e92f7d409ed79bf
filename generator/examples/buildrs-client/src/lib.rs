//! The Microsoft Graph v1.0 presence client, generated at build time by `build.rs` from
//! `spec/v1.0/presence.yaml` rather than committed. It needs only the hand-written runtime
//! crate, `msgraph-presence-runtime`, not the client crate:
//!
//! ```no_run
//! # async fn run() -> msgraph_presence_runtime::Result<()> {
//! let runtime = msgraph_presence_runtime::Runtime::builder()
//!     .bearer_token("eyJ0eXAi...")
//!     .build()?;
//! let presence = buildrs_client::v1_0::Client::new(&runtime)
//!     .me()
//!     .presence()
//!     .get()
//!     .await?;
//! println!("{:?}", presence.availability);
//! # Ok(())
//! # }
//! ```

/// Where `build.rs` wrote the generated module, for tests that compare it with the committed one.
pub const GENERATED_DIR: &str = concat!(env!("OUT_DIR"), "/v1_0");

// `#[path = concat!(env!("OUT_DIR"), ..)]` is rejected (the attribute takes only a literal),
// so build.rs writes `OUT_DIR/v1_0.rs`: `#[path = "<OUT_DIR>/v1_0/mod.rs"] pub mod v1_0;`.
// The generated `mod.rs` declares `mod client;` etc. and includes its `README.md`; both resolve
// next to it in `OUT_DIR`, because `#[path]` makes that file the module's root.
include!(concat!(env!("OUT_DIR"), "/v1_0.rs"));
