//! The tipline library: domain types, contracts, and the adapters every binary shares.
//!
//! A reader finds each concept by its file: the Twilio signature in `twilio/signature.rs`, the
//! queue contract in `queue/envelope.rs`, SQL in `store/`.

pub mod analysis;
pub mod aws;
pub mod channel;
pub mod config;
pub mod conversation;
pub mod domain;
pub mod media;
pub mod privacy;
pub mod queue;
pub mod secret;
pub mod secrets;
pub mod store;
pub mod telemetry;
pub mod twilio;

pub use secret::Secret;
