//! The batch engine: a raw `SqsEvent` in, `SqsBatchResponse` with only the failed ids out.
//!
//! Records are grouped by sender (see [`crate::record`]); groups run concurrently up to a bound,
//! each in its own task so a panic fails only that group's records; none starts once the
//! invocation is too close to its deadline, and those are reported failed so SQS delivers them
//! again. An id is reported only if it came in the batch: an empty
//! or unknown id would make Lambda retry the whole batch.

use std::sync::Arc;

use aws_lambda_events::event::sqs::{SqsBatchResponse, SqsEvent};
use futures::StreamExt as _;
use tokio::time::Instant;

use crate::metrics::BatchCounts;
use crate::outcome::RecordOutcome;
use crate::record::{plan, process_unit, RecordInput};
use crate::state::AppState;

/// What a batch produced: Lambda's response and the counts behind it.
#[derive(Debug, Clone)]
pub struct BatchResult {
    pub response: SqsBatchResponse,
    pub counts: BatchCounts,
    /// Each record's outcome, by SQS message id, in completion order.
    pub outcomes: Vec<(String, RecordOutcome)>,
}

/// Processes one SQS batch.
pub async fn process_batch(state: Arc<AppState>, event: SqsEvent, deadline: Instant) -> BatchResult {
    let mut inputs = Vec::with_capacity(event.records.len());
    for record in event.records {
        let Some(id) = record.message_id.filter(|id| !id.is_empty()) else {
            // Lambda always sends an id; without one there is nothing to report or retry.
            tracing::error!("record without a message id skipped");
            continue;
        };
        let receive_count = record
            .attributes
            .get("ApproximateReceiveCount")
            .and_then(|c| c.parse::<u32>().ok())
            .unwrap_or(1);
        inputs.push(RecordInput {
            sqs_message_id: id,
            body: record.body.unwrap_or_default(),
            receive_count,
        });
    }

    let concurrency = state.settings.concurrency;
    let outcomes: Vec<(String, RecordOutcome)> = futures::stream::iter(plan(inputs))
        .map(|unit| {
            let state = state.clone();
            async move {
                let ids = unit.ids();
                let every = |outcome: RecordOutcome| -> Vec<(String, RecordOutcome)> {
                    ids.iter().map(|id| (id.clone(), outcome.clone())).collect()
                };
                if Instant::now() + state.settings.start_margin >= deadline {
                    return every(RecordOutcome::Retryable(
                        "not started: too close to the invocation deadline".into(),
                    ));
                }
                let task = tokio::spawn(async move { process_unit(&state, unit, deadline).await });
                match task.await {
                    Ok(outcomes) => outcomes,
                    Err(error) if error.is_panic() => {
                        tracing::error!(sqs_message_ids = ?ids, "group panicked; only its records fail");
                        every(RecordOutcome::Retryable("panicked while processing".into()))
                    }
                    Err(_) => every(RecordOutcome::Retryable("cancelled".into())),
                }
            }
        })
        .buffer_unordered(concurrency)
        .flat_map(futures::stream::iter)
        .collect()
        .await;

    let mut response = SqsBatchResponse::default();
    let mut counts = BatchCounts::default();
    for (id, outcome) in &outcomes {
        match outcome {
            RecordOutcome::Done => counts.processed += 1,
            RecordOutcome::Duplicate => counts.duplicate += 1,
            RecordOutcome::Permanent(_) => counts.permanent += 1,
            RecordOutcome::Retryable(_) => {
                counts.retryable += 1;
                response.add_failure(id.clone());
            }
        }
    }
    counts.take_events();
    BatchResult {
        response,
        counts,
        outcomes,
    }
}
