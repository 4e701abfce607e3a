//! One record through the pipeline: claim → analyse → store → reply → done.

use std::time::Duration;

use sha2::Digest as _;
use tipline_shared::analysis::reply::{fallback_reply, verdict_reply};
use tipline_shared::analysis::Tip;
use tipline_shared::queue::Envelope;
use tipline_shared::store::{ClaimOutcome, NewClaim, NewSubmission, ReplyKind, ReplyStatus};
use tipline_shared::twilio::InboundMessage;
use tokio::time::Instant;
use tracing::{field, Instrument};
use uuid::Uuid;

use crate::outcome::{ProcessError, RecordOutcome};
use crate::reply::send_once;
use crate::state::AppState;

/// One queue record, as the batch engine hands it over.
#[derive(Debug, Clone)]
pub struct RecordInput {
    pub sqs_message_id: String,
    pub body: String,
    /// SQS's `ApproximateReceiveCount`: 1 on the first delivery.
    pub receive_count: u32,
}

/// Processes one record to its end state; never panics on bad input, never returns early
/// without recording why.
pub async fn process_record(state: &AppState, input: RecordInput, deadline: Instant) -> RecordOutcome {
    let span = tracing::info_span!(
        "record",
        message_sid = field::Empty,
        sqs_message_id = %input.sqs_message_id,
        receive_count = input.receive_count,
    );
    async move {
        let outcome = run(state, &input, deadline).await;
        match &outcome {
            RecordOutcome::Done => tracing::info!("processed"),
            RecordOutcome::Duplicate => tracing::info!("duplicate delivery acknowledged without work"),
            RecordOutcome::Permanent(reason) => tracing::warn!(error = %reason, "permanent failure recorded"),
            RecordOutcome::Retryable(reason) => tracing::warn!(error = %reason, "retryable failure"),
        }
        outcome
    }
    .instrument(span)
    .await
}

async fn run(state: &AppState, input: &RecordInput, deadline: Instant) -> RecordOutcome {
    let (envelope, message) = match Envelope::decode(&input.body).and_then(|e| e.message().map(|m| (e, m))) {
        Ok(parsed) => parsed,
        Err(error) => return reject(state, input, &ProcessError::from(error)).await,
    };
    tracing::Span::current().record("message_sid", message.message_sid.as_str());
    let sid = message.message_sid.clone();
    let payload_hash = hex_sha256(&serde_json::to_string(&envelope.params).unwrap_or_default());

    let lease = deadline.saturating_duration_since(Instant::now()) + state.settings.lease_slack;
    let claim = NewClaim {
        message_sid: sid.clone(),
        payload_hash: payload_hash.clone(),
        sender: message.from.as_address(),
        received_at: envelope.received_at,
        lease,
    };
    match state.store.claim(&claim).await {
        Err(error) => return RecordOutcome::Retryable(error.to_string()),
        Ok(ClaimOutcome::Claimed { .. }) => {}
        Ok(ClaimOutcome::AlreadyDone | ClaimOutcome::AlreadyFailed) => return RecordOutcome::Duplicate,
        Ok(ClaimOutcome::Busy) => return RecordOutcome::Retryable(ProcessError::Busy.to_string()),
        Ok(ClaimOutcome::Conflict) => {
            return match state.store.record_conflict(&sid, &payload_hash).await {
                Ok(()) => RecordOutcome::Permanent(ProcessError::PayloadConflict.to_string()),
                Err(error) => RecordOutcome::Retryable(error.to_string()),
            };
        }
    }

    let work_deadline = deadline
        .checked_sub(state.settings.finish_margin)
        .unwrap_or_else(Instant::now);
    let result = tokio::time::timeout_at(work_deadline, work(state, &message, work_deadline))
        .await
        .unwrap_or(Err(ProcessError::Deadline));
    match result {
        Ok(submission_id) => match state.store.complete(&sid, submission_id).await {
            Ok(()) => RecordOutcome::Done,
            // The reply is recorded, so the retry completes without sending it again.
            Err(error) => {
                release(state, &sid, &error.to_string()).await;
                RecordOutcome::Retryable(error.to_string())
            }
        },
        Err(error) if !error.is_retryable() => match state.store.fail(&sid, &error.to_string()).await {
            Ok(()) => RecordOutcome::Permanent(error.to_string()),
            Err(store_error) => RecordOutcome::Retryable(store_error.to_string()),
        },
        Err(error) => {
            if input.receive_count >= state.settings.max_receives {
                last_attempt_fallback(state, &message, deadline).await;
            }
            release(state, &sid, &error.to_string()).await;
            RecordOutcome::Retryable(error.to_string())
        }
    }
}

/// Hands the claim back so the next receive can take it at once.
async fn release(state: &AppState, sid: &tipline_shared::domain::MessageSid, error: &str) {
    if let Err(release_error) = state.store.release(sid, error).await {
        // The lease still expires on its own; the next receive takes over then.
        tracing::warn!(error = %release_error, "could not release the claim");
    }
}

/// The work under a claim. Returns the submission's id.
async fn work(state: &AppState, message: &InboundMessage, deadline: Instant) -> Result<Option<Uuid>, ProcessError> {
    let sid = &message.message_sid;
    // A retry after the verdict went out only has to finish the bookkeeping.
    if let Some(reply) = state.store.reply(sid, ReplyKind::Verdict).await? {
        if reply.status != ReplyStatus::Failed {
            let submission = state.store.submission_by_message(sid.as_str()).await?;
            return Ok(submission.map(|s| s.id));
        }
    }

    let started = std::time::Instant::now();
    let tip = Tip {
        text: message.body.clone(),
        forwarded: message.forwarded,
        frequently_forwarded: message.frequently_forwarded,
        media: Vec::new(),
    };
    let analysis = state.analyzer.analyze(&tip, deadline).await?;
    let prediction = serde_json::json!({
        "label": analysis.verdict.label.as_str(),
        "confidence": analysis.verdict.confidence,
        "reasons": analysis.verdict.reasons,
        "advice": analysis.verdict.advice,
        "model": analysis.model,
        "latency_ms": analysis.latency_ms,
    });
    let submission = NewSubmission {
        id: Uuid::now_v7(),
        message_id: sid.to_string(),
        phone_number: message.from.as_address(),
        image_url: None,
        s3_key: None,
        prediction_result: prediction,
        confidence_score: analysis.verdict.confidence,
        scam_label: analysis.verdict.label.as_str().to_owned(),
        processing_time_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
        input_text: message.body.clone(),
    };
    let submission_id = state.store.save_submission(&submission).await?;
    send_once(
        state,
        sid,
        ReplyKind::Verdict,
        &message.from,
        &verdict_reply(&analysis.verdict),
        deadline,
    )
    .await?;
    Ok(Some(submission_id))
}

/// On the last receive, the sender still hears from us before the message goes to the DLQ.
async fn last_attempt_fallback(state: &AppState, message: &InboundMessage, deadline: Instant) {
    if let Ok(Some(reply)) = state.store.reply(&message.message_sid, ReplyKind::Verdict).await {
        if reply.status != ReplyStatus::Failed {
            return;
        }
    }
    let attempt = tokio::time::timeout_at(
        deadline
            .checked_sub(Duration::from_millis(200))
            .unwrap_or_else(Instant::now),
        send_once(
            state,
            &message.message_sid,
            ReplyKind::Fallback,
            &message.from,
            &fallback_reply(),
            deadline,
        ),
    )
    .await;
    match attempt {
        Ok(Ok(_)) => tracing::info!("last attempt failed; fallback reply handled"),
        Ok(Err(error)) => tracing::error!(error = %error, "last attempt failed and so did the fallback reply"),
        Err(_) => tracing::error!("last attempt failed and the fallback reply ran out of time"),
    }
}

/// An unreadable record is recorded and acknowledged: redelivery cannot make it readable.
async fn reject(state: &AppState, input: &RecordInput, error: &ProcessError) -> RecordOutcome {
    let excerpt: String = input.body.chars().take(200).collect();
    // The excerpt may hold a phone number or a message: it stays in the database, never the log.
    match state
        .store
        .record_rejected(&input.sqs_message_id, &error.to_string(), &excerpt)
        .await
    {
        Ok(()) => RecordOutcome::Permanent(error.to_string()),
        Err(store_error) => RecordOutcome::Retryable(store_error.to_string()),
    }
}

fn hex_sha256(text: &str) -> String {
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}
