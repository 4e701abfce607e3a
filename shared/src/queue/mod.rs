//! The queue between the webhook and the processor: its contract and the ways to deliver to it.

pub mod envelope;
pub mod lambda_invoke;
pub mod memory;
pub mod poller;
pub mod redrive;
pub mod sqs;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use envelope::{Envelope, EnvelopeError, MessageAttributes};

/// Why a queue operation failed. For a send every variant means "not delivered": the caller must
/// not answer 200.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error("{target} refused or did not answer: {reason}")]
    Unavailable { target: String, reason: String },
    /// A delete or visibility change named a receipt that is not the message's latest: it was
    /// received again meanwhile (its visibility timeout ran out), or the handle was never issued.
    /// Nothing changed: the message stays and is delivered again.
    #[error("{target}: the receipt handle is stale or unknown, so the message was left as it was")]
    StaleReceipt { target: String },
}

/// A durable place to hand an envelope to; the webhook knows only this.
#[async_trait]
pub trait Queue: Send + Sync + std::fmt::Debug {
    /// Delivers one envelope durably and returns the id the destination gave it.
    async fn send(&self, envelope: &Envelope) -> Result<String, QueueError>;

    /// A short human description (e.g. the queue URL), printed at start-up.
    fn describe(&self) -> String;
}

/// A message as a consumer receives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMessage {
    pub message_id: String,
    /// Proof of this receive: deleting or re-timing the message needs it.
    pub receipt_handle: String,
    pub body: String,
    /// How many times the message has been received, this time included.
    pub receive_count: u32,
    pub sent_at: DateTime<Utc>,
    /// The message attributes (name, string value).
    pub attributes: Vec<(String, String)>,
}

/// How full a queue is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueueDepth {
    /// Waiting to be received.
    pub visible: u64,
    /// Received and not yet deleted.
    pub in_flight: u64,
    /// Age of the oldest message, where the queue can tell.
    pub oldest_age: Option<Duration>,
}

/// The receiving side of a queue, with SQS's semantics: a received message is hidden for a
/// visibility timeout and comes back unless deleted.
#[async_trait]
pub trait QueueConsumer: Send + Sync + std::fmt::Debug {
    /// Receives up to `max` messages, waiting up to `wait` for the first one.
    async fn receive(
        &self,
        max: usize,
        wait: Duration,
        visibility: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError>;
    /// Deletes a received message for good; [`QueueError::StaleReceipt`] where the queue can tell
    /// the handle is not the latest receive's (SQS itself may instead answer success).
    async fn delete(&self, receipt_handle: &str) -> Result<(), QueueError>;
    /// Changes how long a received message stays hidden (zero: visible at once).
    async fn change_visibility(&self, receipt_handle: &str, timeout: Duration) -> Result<(), QueueError>;
    /// Puts a raw body back on the queue (DLQ redrive), keeping its attributes.
    async fn send_raw(&self, body: &str, attributes: &[(String, String)]) -> Result<String, QueueError>;
    /// How many messages wait and are in flight.
    async fn depth(&self) -> Result<QueueDepth, QueueError>;
}
