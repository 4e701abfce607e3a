//! Hands polled batches to the processor as the Lambda SQS event source would: a real
//! `SqsEvent` in, the `batchItemFailures` ids out. The local stack, `tipline bench` and the
//! reliability suite all poll a queue through this one handler.

use std::sync::Arc;
use std::time::Duration;

use crate::{process_batch, AppState};
use async_trait::async_trait;
use aws_lambda_events::event::sqs::SqsEvent;
use tipline_shared::queue::poller::BatchHandler;
use tipline_shared::queue::ReceivedMessage;

/// Runs each batch through the processor's batch engine with a Lambda-like deadline.
#[derive(Debug)]
pub struct ProcessorHandler {
    pub state: Arc<AppState>,
    /// The time each batch gets, as a Lambda timeout would give it.
    pub timeout: Duration,
    /// The ARN the events name as their source.
    pub source_arn: String,
}

/// Builds the event Lambda would deliver for these messages.
pub fn to_sqs_event(batch: &[ReceivedMessage], source_arn: &str) -> Result<SqsEvent, serde_json::Error> {
    let records: Vec<serde_json::Value> = batch
        .iter()
        .map(|m| {
            let attributes: serde_json::Map<String, serde_json::Value> = m
                .attributes
                .iter()
                .map(|(k, v)| (k.clone(), serde_json::json!({"stringValue": v, "dataType": "String"})))
                .collect();
            serde_json::json!({
                "messageId": m.message_id,
                "receiptHandle": m.receipt_handle,
                "body": m.body,
                "attributes": {
                    "ApproximateReceiveCount": m.receive_count.to_string(),
                    "SentTimestamp": m.sent_at.timestamp_millis().to_string(),
                },
                "messageAttributes": attributes,
                "eventSource": "aws:sqs",
                "eventSourceARN": source_arn,
                "awsRegion": "local",
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({ "Records": records }))
}

#[async_trait]
impl BatchHandler for ProcessorHandler {
    async fn handle(&self, batch: Vec<ReceivedMessage>) -> Vec<String> {
        let ids: Vec<String> = batch.iter().map(|m| m.message_id.clone()).collect();
        let event = match to_sqs_event(&batch, &self.source_arn) {
            Ok(event) => event,
            Err(error) => {
                // Cannot happen with well-formed messages; failing the batch loses nothing.
                tracing::error!(error = %error, "could not build the SQS event");
                return ids;
            }
        };
        let deadline = tokio::time::Instant::now() + self.timeout;
        let result = process_batch(self.state.clone(), event, deadline).await;
        tracing::debug!(counts = ?result.counts, "batch processed");
        result
            .response
            .batch_item_failures
            .into_iter()
            .map(|f| f.item_identifier)
            .collect()
    }
}
