//! A downstream crate that generates its presence client at build time: `build.rs` is one
//! call to `generator::build`, the spec is this crate's own read-only slice
//! (`spec/presence.yaml`, corrected by `spec/overlay.yaml`), and this file includes the one
//! generated file. It needs only the hand-written runtime crate, not `msgraph-presence`:
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

include!(concat!(env!("OUT_DIR"), "/v1_0.rs"));
