//! The SQS adapter for [`Queue`]: `SendMessage` with the contract's message attributes.

use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_sqs::types::{MessageAttributeValue, MessageSystemAttributeName, QueueAttributeName};
use chrono::{DateTime, Utc};

use super::{Envelope, Queue, QueueConsumer, QueueDepth, QueueError, ReceivedMessage};

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
        let attributes: Vec<(String, String)> = envelope
            .attributes()
            .pairs()
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.send_with(&envelope.encode(), &attributes).await
    }

    fn describe(&self) -> String {
        format!("SQS {}", self.queue_url)
    }
}

impl SqsQueue {
    fn error(&self, reason: impl std::fmt::Display) -> QueueError {
        QueueError::Unavailable {
            target: format!("SQS queue {}", self.queue_url),
            reason: reason.to_string(),
        }
    }

    fn stale_receipt(&self) -> QueueError {
        QueueError::StaleReceipt {
            target: format!("SQS queue {}", self.queue_url),
        }
    }

    async fn send_with(&self, body: &str, attributes: &[(String, String)]) -> Result<String, QueueError> {
        let mut request = self.client.send_message().queue_url(&self.queue_url).message_body(body);
        for (name, value) in attributes {
            let attribute = MessageAttributeValue::builder()
                .data_type("String")
                .string_value(value)
                .build()
                .map_err(|e| self.error(e))?;
            request = request.message_attributes(name, attribute);
        }
        let output = request
            .send()
            .await
            .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(&e)))?;
        Ok(output.message_id.unwrap_or_default())
    }
}

fn whole_seconds(duration: Duration, max: u64) -> i32 {
    // SQS counts in whole seconds; round up so a short wait is not a zero (non-blocking) one.
    duration.as_millis().div_ceil(1000).min(u128::from(max)) as i32
}

#[async_trait]
impl QueueConsumer for SqsQueue {
    async fn receive(
        &self,
        max: usize,
        wait: Duration,
        visibility: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError> {
        let output = self
            .client
            .receive_message()
            .queue_url(&self.queue_url)
            .max_number_of_messages(max.clamp(1, 10) as i32)
            .wait_time_seconds(whole_seconds(wait, 20))
            .visibility_timeout(whole_seconds(visibility, 43_200))
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .message_attribute_names("All")
            .send()
            .await
            .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(&e)))?;
        Ok(output
            .messages
            .unwrap_or_default()
            .into_iter()
            .map(|m| {
                let system = m.attributes.unwrap_or_default();
                let get = |name: MessageSystemAttributeName| system.get(&name).cloned().unwrap_or_default();
                let sent_ms: i64 = get(MessageSystemAttributeName::SentTimestamp).parse().unwrap_or(0);
                let mut attributes: Vec<(String, String)> = m
                    .message_attributes
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|(k, v)| v.string_value.map(|s| (k, s)))
                    .collect();
                attributes.sort();
                ReceivedMessage {
                    message_id: m.message_id.unwrap_or_default(),
                    receipt_handle: m.receipt_handle.unwrap_or_default(),
                    body: m.body.unwrap_or_default(),
                    receive_count: get(MessageSystemAttributeName::ApproximateReceiveCount)
                        .parse()
                        .unwrap_or(1),
                    sent_at: DateTime::<Utc>::from_timestamp_millis(sent_ms).unwrap_or_default(),
                    attributes,
                }
            })
            .collect())
    }

    async fn delete(&self, receipt_handle: &str) -> Result<(), QueueError> {
        self.client
            .delete_message()
            .queue_url(&self.queue_url)
            .receipt_handle(receipt_handle)
            .send()
            .await
            .map_err(|e| {
                // SQS answers success for an old handle (and may keep the message); moto deletes
                // with one. Only a handle it never issued comes back as this error.
                if e.as_service_error().is_some_and(|se| se.is_receipt_handle_is_invalid()) {
                    self.stale_receipt()
                } else {
                    self.error(aws_sdk_sqs::error::DisplayErrorContext(&e))
                }
            })?;
        Ok(())
    }

    async fn change_visibility(&self, receipt_handle: &str, timeout: Duration) -> Result<(), QueueError> {
        self.client
            .change_message_visibility()
            .queue_url(&self.queue_url)
            .receipt_handle(receipt_handle)
            .visibility_timeout(whole_seconds(timeout, 43_200))
            .send()
            .await
            .map_err(|e| {
                if e.as_service_error().is_some_and(|se| se.is_receipt_handle_is_invalid()) {
                    self.stale_receipt()
                } else {
                    self.error(aws_sdk_sqs::error::DisplayErrorContext(&e))
                }
            })?;
        Ok(())
    }

    async fn send_raw(&self, body: &str, attributes: &[(String, String)]) -> Result<String, QueueError> {
        self.send_with(body, attributes).await
    }

    async fn depth(&self) -> Result<QueueDepth, QueueError> {
        let output = self
            .client
            .get_queue_attributes()
            .queue_url(&self.queue_url)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessages)
            .attribute_names(QueueAttributeName::ApproximateNumberOfMessagesNotVisible)
            .send()
            .await
            .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(&e)))?;
        let attributes = output.attributes.unwrap_or_default();
        let count = |name: QueueAttributeName| attributes.get(&name).and_then(|v| v.parse().ok()).unwrap_or(0);
        Ok(QueueDepth {
            visible: count(QueueAttributeName::ApproximateNumberOfMessages),
            in_flight: count(QueueAttributeName::ApproximateNumberOfMessagesNotVisible),
            // SQS reports the oldest message's age only as a CloudWatch metric.
            oldest_age: None,
        })
    }
}

impl SqsQueue {
    /// The queue's ARN.
    pub async fn arn(&self) -> Result<String, QueueError> {
        let output = self
            .client
            .get_queue_attributes()
            .queue_url(&self.queue_url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await
            .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(&e)))?;
        output
            .attributes
            .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
            .ok_or_else(|| self.error("no QueueArn attribute"))
    }

    /// Starts SQS's own DLQ redrive from this queue (a DLQ) to `destination_arn`; returns the
    /// task handle. An endpoint without the API (moto) answers an error and the caller loops.
    pub async fn start_move_task(&self, destination_arn: &str, per_second: u32) -> Result<String, QueueError> {
        let source = self.arn().await?;
        let output = self
            .client
            .start_message_move_task()
            .source_arn(source)
            .destination_arn(destination_arn)
            .max_number_of_messages_per_second(per_second.clamp(1, 500) as i32)
            .send()
            .await
            .map_err(|e| self.error(aws_sdk_sqs::error::DisplayErrorContext(&e)))?;
        Ok(output.task_handle.unwrap_or_default())
    }
}

impl SqsQueue {
    /// Creates a queue and its DLQ with the redrive policy (for moto, tests and local set-ups;
    /// production queues come from the CDK stack). Returns (queue, dead-letter queue).
    pub async fn create_with_dlq(
        client: &aws_sdk_sqs::Client,
        name: &str,
        max_receives: u32,
    ) -> Result<(Self, Self), QueueError> {
        let failed = |e: String| QueueError::Unavailable {
            target: format!("SQS create {name}"),
            reason: e,
        };
        let dlq_url = client
            .create_queue()
            .queue_name(format!("{name}-dlq"))
            .send()
            .await
            .map_err(|e| failed(aws_sdk_sqs::error::DisplayErrorContext(&e).to_string()))?
            .queue_url
            .ok_or_else(|| failed("no queue URL".into()))?;
        let dlq = Self::new(client.clone(), dlq_url);
        let redrive = serde_json::json!({ "deadLetterTargetArn": dlq.arn().await?, "maxReceiveCount": max_receives });
        let url = client
            .create_queue()
            .queue_name(name)
            .attributes(QueueAttributeName::RedrivePolicy, redrive.to_string())
            .send()
            .await
            .map_err(|e| failed(aws_sdk_sqs::error::DisplayErrorContext(&e).to_string()))?
            .queue_url
            .ok_or_else(|| failed("no queue URL".into()))?;
        Ok((Self::new(client.clone(), url), dlq))
    }
}
