//! The processor Lambda's logic: SQS batches (or direct fallback invokes) in, replies out.
//!
//! `main.rs` builds [`AppState`] once and hands each invocation to [`handle_event`]; tests and
//! the local stack call [`process_batch`] directly.

pub mod batch;
pub mod channel;
pub mod deadline;
pub mod event_source;
pub mod media_text;
pub mod metrics;
pub mod outcome;
pub mod record;
pub mod reply;
pub mod settings;
pub mod state;

use std::sync::Arc;

use aws_lambda_events::event::sqs::SqsEvent;
use tokio::time::Instant;

pub use batch::{process_batch, BatchResult};
pub use event_source::ProcessorHandler;
pub use outcome::RecordOutcome;
pub use settings::Settings;
pub use state::AppState;

/// Why an invocation as a whole failed (Lambda then retries it).
#[derive(Debug, thiserror::Error)]
pub enum InvocationError {
    #[error("the invocation is neither an SQS event nor a queue envelope: {0}")]
    Shape(String),
    #[error("the directly invoked message failed and should be retried: {0}")]
    Retry(String),
}

/// Handles one invocation: an SQS batch, or the webhook's fallback path (an asynchronous invoke
/// carrying one envelope, retried by Lambda when this returns an error).
pub async fn handle_event(
    state: Arc<AppState>,
    payload: serde_json::Value,
    deadline: Instant,
) -> Result<serde_json::Value, InvocationError> {
    if payload.get("Records").is_some() {
        let event: SqsEvent = serde_json::from_value(payload).map_err(|e| InvocationError::Shape(e.to_string()))?;
        let result = process_batch(state, event, deadline).await;
        result.counts.emit();
        return serde_json::to_value(result.response).map_err(|e| InvocationError::Shape(e.to_string()));
    }
    if payload.get("v").is_some() {
        let input = record::RecordInput {
            sqs_message_id: "direct-invoke".into(),
            body: payload.to_string(),
            receive_count: 1,
        };
        return match record::process_record(&state, input, deadline).await {
            RecordOutcome::Retryable(reason) => Err(InvocationError::Retry(reason)),
            _ => Ok(serde_json::Value::Null),
        };
    }
    Err(InvocationError::Shape("no `Records` and no `v`".into()))
}
