//! Drives a batch handler from a queue exactly as Lambda's SQS event source does: batches up to
//! a size or a batching window, bounded concurrency, partial batch failures (failed messages are
//! left to reappear after the visibility timeout, and the redrive policy moves them on), and a
//! graceful stop that finishes the batches in flight.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tokio::time::Instant;

use super::{QueueConsumer, QueueError, ReceivedMessage};

/// Processes one batch and returns the message ids that failed (Lambda's `batchItemFailures`).
#[async_trait]
pub trait BatchHandler: Send + Sync {
    async fn handle(&self, batch: Vec<ReceivedMessage>) -> Vec<String>;
}

/// The event source mapping's settings.
#[derive(Debug, Clone)]
pub struct PollerSettings {
    /// At most this many messages per batch (Lambda's BatchSize).
    pub batch_size: usize,
    /// How long to keep gathering a batch that is not yet full (MaximumBatchingWindowInSeconds).
    pub batching_window: Duration,
    /// How long a received message stays hidden (the queue's visibility timeout).
    pub visibility_timeout: Duration,
    /// Batches in flight at once (ScalingConfig.MaximumConcurrency).
    pub max_concurrency: usize,
    /// Long-poll wait per receive; also bounds how quickly a stop is noticed.
    pub wait: Duration,
}

/// How many batch timeouts a received message stays hidden: AWS's guidance for Lambda's SQS
/// event source, and what the CDK stack sets, so a slow or throttled batch is never delivered a
/// second time while the first is still running.
pub const VISIBILITY_PER_BATCH_TIMEOUT: u32 = 6;

/// The visibility timeout for batches that may run for `batch_timeout`.
pub fn visibility_for(batch_timeout: Duration) -> Duration {
    batch_timeout.saturating_mul(VISIBILITY_PER_BATCH_TIMEOUT)
}

impl Default for PollerSettings {
    fn default() -> Self {
        Self {
            batch_size: 10,
            batching_window: Duration::from_millis(200),
            visibility_timeout: Duration::from_secs(30),
            max_concurrency: 2,
            wait: Duration::from_millis(500),
        }
    }
}

/// Receives a batch: waits for a first message, then gathers more until full or the window ends.
pub async fn gather(consumer: &dyn QueueConsumer, settings: &PollerSettings) -> Vec<ReceivedMessage> {
    let mut batch = match consumer
        .receive(settings.batch_size, settings.wait, settings.visibility_timeout)
        .await
    {
        Ok(batch) => batch,
        Err(error) => {
            tracing::warn!(error = %error, "receive failed");
            return Vec::new();
        }
    };
    if batch.is_empty() || settings.batching_window.is_zero() {
        return batch;
    }
    let window_ends = Instant::now() + settings.batching_window;
    while batch.len() < settings.batch_size {
        let left = window_ends.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match consumer
            .receive(settings.batch_size - batch.len(), left, settings.visibility_timeout)
            .await
        {
            Ok(more) => batch.extend(more),
            Err(error) => {
                tracing::warn!(error = %error, "receive failed while filling a batch");
                break;
            }
        }
    }
    batch
}

/// Runs until `stop` turns true, then waits for the batches in flight.
pub async fn run(
    consumer: Arc<dyn QueueConsumer>,
    handler: Arc<dyn BatchHandler>,
    settings: PollerSettings,
    mut stop: watch::Receiver<bool>,
) {
    let permits = Arc::new(Semaphore::new(settings.max_concurrency.max(1)));
    let mut in_flight = JoinSet::new();
    while !*stop.borrow() {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => match permit { Ok(p) => p, Err(_) => break },
            _ = stop.changed() => break,
        };
        let batch = tokio::select! {
            batch = gather(consumer.as_ref(), &settings) => batch,
            _ = stop.changed() => break,
        };
        while in_flight.try_join_next().is_some() {}
        if batch.is_empty() {
            continue;
        }
        let consumer = consumer.clone();
        let handler = handler.clone();
        in_flight.spawn(async move {
            let _permit = permit;
            settle(consumer.as_ref(), handler.as_ref(), batch).await;
        });
    }
    while in_flight.join_next().await.is_some() {}
}

/// Runs one batch through the handler and deletes what succeeded, as the event source does.
pub async fn settle(consumer: &dyn QueueConsumer, handler: &dyn BatchHandler, batch: Vec<ReceivedMessage>) {
    let receipts: Vec<(String, String)> = batch
        .iter()
        .map(|m| (m.message_id.clone(), m.receipt_handle.clone()))
        .collect();
    let failed: HashSet<String> = handler.handle(batch).await.into_iter().collect();
    for (id, receipt) in receipts {
        if failed.contains(&id) {
            continue; // left to reappear after the visibility timeout
        }
        match consumer.delete(&receipt).await {
            Ok(()) => {}
            Err(error @ QueueError::StaleReceipt { .. }) => tracing::warn!(
                message_id = %id,
                error = %error,
                "delete refused: the batch outlived its visibility timeout and the message was \
                 received again; it will be delivered again (raise the visibility timeout)"
            ),
            Err(error) => {
                tracing::warn!(message_id = %id, error = %error, "delete failed; the message will be received again")
            }
        }
    }
}
