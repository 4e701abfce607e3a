//! The processor's integration tests: real Postgres (a fresh database per test), local HTTP
//! stand-ins for Twilio, and the moto server's SQS for the redrive policy.

mod aggregation;
mod batch;
mod channel;
mod exactly_once;
mod feedback;
mod helpers;
mod idempotency;
mod media;
mod media_text;
mod moto;
mod openai;
mod pipeline;
mod privacy;
mod replies;
