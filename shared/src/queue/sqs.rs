//! The SQS adapter for [`Queue`]: `SendMessage` with the contract's message attributes.

use async_trait::async_trait;
use aws_sdk_sqs::types::MessageAttributeValue;

use super::{Envelope, Queue, QueueError};

/// Sends envelopes to one SQS queue (or the moto server, through `AWS_ENDPOINT_URL`).
#[derive(Debug, Clone)]
pub struct SqsQueue {
    client: aws_sdk_sqs::Client,
    queue_url: String,
}

impl SqsQueue {
    /// Wraps a client built once at cold start.
    pub fn new(client: aws_sdk_sqs::Client, queue_url: impl Into<String>) -> Self {
        Self {
            client,
            queue_url: queue_url.into(),
        }
    }

    /// The queue's URL.
    pub fn url(&self) -> &str {
        &self.queue_url
    }
}

#[async_trait]
impl Queue for SqsQueue {
    #[tracing::instrument(skip_all, fields(message_sid = %envelope.message_sid))]
    async fn send(&self, envelope: &Envelope) -> Result<String, QueueError> {
        let mut request = self
            .client
            .send_message()
            .queue_url(&self.queue_url)
            .message_body(envelope.encode());
        for (name, value) in envelope.attributes().pairs() {
            let attribute = MessageAttributeValue::builder()
                .data_type("String")
                .string_value(value)
                .build()
                .map_err(|e| QueueError::Unavailable {
                    target: "SQS".into(),
                    reason: e.to_string(),
                })?;
            request = request.message_attributes(name, attribute);
        }
        let output = request.send().await.map_err(|e| QueueError::Unavailable {
            target: format!("SQS queue {}", self.queue_url),
            reason: aws_sdk_sqs::error::DisplayErrorContext(&e).to_string(),
        })?;
        Ok(output.message_id.unwrap_or_default())
    }

    fn describe(&self) -> String {
        format!("SQS {}", self.queue_url)
    }
}
