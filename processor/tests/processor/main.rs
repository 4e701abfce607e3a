//! The processor's integration tests: real Postgres (a fresh database per test), local HTTP
//! stand-ins for Twilio, and the moto server's SQS for the redrive policy.

mod batch;
mod helpers;
mod idempotency;
mod moto;
mod replies;
