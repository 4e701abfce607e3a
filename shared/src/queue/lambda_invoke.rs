//! The webhook's second durable path: an asynchronous invoke of the processor function.
//!
//! When SQS cannot take a message, Lambda's own asynchronous-invoke queue can: the processor
//! receives the same envelope as a direct event, and Lambda retries it twice on failure.

use async_trait::async_trait;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types::InvocationType;

use super::{Envelope, Queue, QueueError};

/// Delivers envelopes by `Invoke` with `InvocationType=Event` to one function.
#[derive(Debug, Clone)]
pub struct AsyncInvoke {
    client: aws_sdk_lambda::Client,
    function_name: String,
}

impl AsyncInvoke {
    /// Wraps a client built once at cold start.
    pub fn new(client: aws_sdk_lambda::Client, function_name: impl Into<String>) -> Self {
        Self {
            client,
            function_name: function_name.into(),
        }
    }
}

#[async_trait]
impl Queue for AsyncInvoke {
    #[tracing::instrument(skip_all, fields(message_sid = %envelope.message_sid))]
    async fn send(&self, envelope: &Envelope) -> Result<String, QueueError> {
        let unavailable = |reason: String| QueueError::Unavailable {
            target: format!("async invoke of {}", self.function_name),
            reason,
        };
        let output = self
            .client
            .invoke()
            .function_name(&self.function_name)
            .invocation_type(InvocationType::Event)
            .payload(Blob::new(envelope.encode()))
            .send()
            .await
            .map_err(|e| unavailable(aws_sdk_lambda::error::DisplayErrorContext(&e).to_string()))?;
        // Lambda answers 202 once the event is on its internal queue; anything else is not durable.
        if output.status_code != 202 {
            return Err(unavailable(format!("status {}", output.status_code)));
        }
        Ok(format!("lambda-event:{}", envelope.message_sid))
    }

    fn describe(&self) -> String {
        format!("async invoke of {}", self.function_name)
    }
}
