//! The queue between the webhook and the processor: its contract and the ways to deliver to it.

pub mod envelope;
pub mod lambda_invoke;
pub mod sqs;

use async_trait::async_trait;

pub use envelope::{Envelope, EnvelopeError, MessageAttributes};

/// Why a delivery failed. Every variant means "not delivered": the caller must not answer 200.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("{target} refused or did not answer: {reason}")]
    Unavailable { target: String, reason: String },
}

/// A durable place to hand an envelope to; the webhook knows only this.
#[async_trait]
pub trait Queue: Send + Sync + std::fmt::Debug {
    /// Delivers one envelope durably and returns the id the destination gave it.
    async fn send(&self, envelope: &Envelope) -> Result<String, QueueError>;

    /// A short human description (e.g. the queue URL), printed at start-up.
    fn describe(&self) -> String;
}
