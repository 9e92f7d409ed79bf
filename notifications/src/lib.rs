//! Receive Microsoft Graph presence change notifications.
//!
//! - [`crypto`]: the rich-notification envelope: check `dataSignature`, unwrap `dataKey`, decrypt
//!   `data` ([`crypto::open`]), and the inverse ([`crypto::seal`]) for emulators and tests.
//! - [`receiver`]: an axum [`Router`](axum::Router) to mount at the notification URL; it answers
//!   the validation handshake, acknowledges at once and hands checked, decrypted notifications to
//!   the application through a bounded channel.
//! - [`wire`]: the notification payload (a stand-in until the generated client has it).

#![deny(missing_docs)]

pub mod crypto;
pub mod receiver;
pub mod wire;
