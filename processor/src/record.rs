//! One unit of work: the records one sender sent in a batch, through claim → (feedback | help |
//! privacy | deletion | download → store → analyse → save) → reply → done.
//!
//! A person forwarding a scam often sends a text and a few screenshots at once; Twilio makes each
//! its own message, and they arrive in one batch. They are answered together: every MessageSid
//! is still claimed on its own (so a duplicate or a busy member is handled individually), the
//! claimed ones get one analysis, one submission and one reply, and they succeed or fail together.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::Digest as _;
use tipline_shared::analysis::language::Lang;
use tipline_shared::analysis::reply::{
    fallback_reply, feedback_ack, feedback_prompt, help_reply, unsupported_reply, verdict_reply_in, Rating,
};
use tipline_shared::analysis::{Tip, TipMedia};
use tipline_shared::conversation::{classify, is_confirmation, Intent};
use tipline_shared::domain::{MessageSid, ReplyText, WhatsAppAddress};
use tipline_shared::media::{media_key, media_prefix, MediaError};
use tipline_shared::privacy::{self, Language};
use tipline_shared::queue::{Envelope, EnvelopeError};
use tipline_shared::store::{
    ClaimOutcome, DeletionState, GroupRecord, LastVerdict, NewClaim, NewSubmission, ReplyKind, ReplyStatus, Route,
};
use tipline_shared::twilio::InboundMessage;
use tokio::time::Instant;
use tracing::{field, Instrument};
use uuid::Uuid;

use crate::media_text;
use crate::metrics::{self, Event};
use crate::outcome::{ProcessError, RecordOutcome};
use crate::reply::{send_once, went_out};
use crate::state::AppState;

/// One queue record, as the batch engine hands it over.
#[derive(Debug, Clone)]
pub struct RecordInput {
    pub sqs_message_id: String,
    pub body: String,
    /// SQS's `ApproximateReceiveCount`: 1 on the first delivery.
    pub receive_count: u32,
}

/// A readable record: its envelope and message.
#[derive(Debug, Clone)]
pub struct Member {
    pub input: RecordInput,
    pub envelope: Envelope,
    pub message: InboundMessage,
}

/// What the batch engine runs as one task.
#[derive(Debug)]
pub enum Unit {
    /// A record that is not a message this build can read: recorded and acknowledged.
    Unreadable(RecordInput, EnvelopeError),
    /// The readable records of one sender, in batch order.
    Group(Vec<Member>),
}

impl Unit {
    /// The SQS ids of the records in this unit.
    pub fn ids(&self) -> Vec<String> {
        match self {
            Self::Unreadable(input, _) => vec![input.sqs_message_id.clone()],
            Self::Group(members) => members.iter().map(|m| m.input.sqs_message_id.clone()).collect(),
        }
    }
}

/// Reads every record and groups the readable ones by sender, keeping batch order.
pub fn plan(inputs: Vec<RecordInput>) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    for input in inputs {
        let parsed = Envelope::decode(&input.body).and_then(|e| e.message().map(|m| (e, m)));
        match parsed {
            Err(error) => units.push(Unit::Unreadable(input, error)),
            Ok((envelope, message)) => {
                let member = Member {
                    input,
                    envelope,
                    message,
                };
                let same_sender = units.iter_mut().find_map(|unit| match unit {
                    Unit::Group(members) if members[0].message.from == member.message.from => Some(members),
                    _ => None,
                });
                match same_sender {
                    Some(members) => members.push(member),
                    None => units.push(Unit::Group(vec![member])),
                }
            }
        }
    }
    units
}

/// Processes one record on its own (the webhook's direct-invoke fallback path).
pub async fn process_record(state: &AppState, input: RecordInput, deadline: Instant) -> RecordOutcome {
    let mut outcomes = process_unit(state, plan(vec![input]).remove(0), deadline).await;
    outcomes
        .pop()
        .map(|(_, outcome)| outcome)
        .unwrap_or_else(|| RecordOutcome::Retryable("the record produced no outcome".into()))
}

/// Processes one unit to the end state of each of its records; never panics on bad input,
/// never returns early without recording why.
pub async fn process_unit(state: &AppState, unit: Unit, deadline: Instant) -> Vec<(String, RecordOutcome)> {
    match unit {
        Unit::Unreadable(input, error) => {
            let span = tracing::info_span!("record", sqs_message_id = %input.sqs_message_id);
            let outcome = reject(state, &input, &ProcessError::from(error)).instrument(span).await;
            vec![(input.sqs_message_id, outcome)]
        }
        Unit::Group(members) => {
            let span = tracing::info_span!(
                "group",
                message_sid = %members[0].message.message_sid,
                records = members.len(),
                receive_count = field::Empty,
            );
            run_group(state, members, deadline).instrument(span).await
        }
    }
}

async fn run_group(state: &AppState, members: Vec<Member>, deadline: Instant) -> Vec<(String, RecordOutcome)> {
    let mut outcomes = Vec::with_capacity(members.len());
    let mut claimed = Vec::with_capacity(members.len());
    for member in members {
        match claim(state, &member, deadline).await {
            None => claimed.push(member),
            Some(outcome) => {
                log_outcome(&member, &outcome);
                outcomes.push((member.input.sqs_message_id, outcome));
            }
        }
    }
    if claimed.is_empty() {
        return outcomes;
    }
    let receive_count = claimed.iter().map(|m| m.input.receive_count).max().unwrap_or(1);
    tracing::Span::current().record("receive_count", receive_count);
    let sids: Vec<MessageSid> = claimed.iter().map(|m| m.message.message_sid.clone()).collect();
    let from = claimed[0].message.from.clone();

    let outcome = match state.store.join_group(&sids).await {
        Err(error) => {
            let error = ProcessError::from(error);
            release_all(state, &claimed, &error.to_string()).await;
            RecordOutcome::Retryable(error.to_string())
        }
        Ok(group) => {
            let work_deadline = deadline
                .checked_sub(state.settings.finish_margin)
                .unwrap_or_else(Instant::now);
            let result = tokio::time::timeout_at(work_deadline, work(state, &group, &claimed, work_deadline))
                .await
                .unwrap_or(Err(ProcessError::Deadline));
            finish_group(state, &group, &from, &claimed, &sids, result, receive_count, deadline).await
        }
    };
    for member in claimed {
        log_outcome(&member, &outcome);
        outcomes.push((member.input.sqs_message_id, outcome.clone()));
    }
    outcomes
}

/// Ends a group's claims by the result of its work: done together, failed with an honest reply,
/// or released for the next receive (with the fallback reply on the last one).
#[allow(clippy::too_many_arguments)]
async fn finish_group(
    state: &AppState,
    group: &GroupRecord,
    from: &WhatsAppAddress,
    claimed: &[Member],
    sids: &[MessageSid],
    result: Result<Option<Uuid>, ProcessError>,
    receive_count: u32,
    deadline: Instant,
) -> RecordOutcome {
    match result {
        Ok(submission_id) => match state.store.complete_group(sids, submission_id).await {
            Ok(()) => RecordOutcome::Done,
            // The reply is recorded under the group, so the retry completes without sending again.
            Err(error) => {
                release_all(state, claimed, &error.to_string()).await;
                RecordOutcome::Retryable(error.to_string())
            }
        },
        Err(error) if !error.is_retryable() => {
            // A person who sent something hears back, unless the reply itself is what failed.
            if !matches!(error, ProcessError::Reply(_)) {
                fallback(state, &group.key, from, deadline).await;
            }
            let mut outcome = RecordOutcome::Permanent(error.to_string());
            for member in claimed {
                let sid = &member.message.message_sid;
                // Acknowledged, so never in the DLQ: kept for `tipline replay` instead.
                let kept = state.store.keep_for_replay(sid, &member.input.body).await;
                if let Err(store_error) = kept.and(state.store.fail(sid, &error.to_string()).await) {
                    outcome = RecordOutcome::Retryable(store_error.to_string());
                }
            }
            outcome
        }
        Err(error) => {
            if error.is_unauthorized() {
                metrics::count(Event::AuthFailure);
                tracing::error!(error = %error, "a provider refused our credentials; on-call must fix the secret");
            }
            if receive_count >= state.settings.max_receives {
                fallback(state, &group.key, from, deadline).await;
            }
            release_all(state, claimed, &error.to_string()).await;
            RecordOutcome::Retryable(error.to_string())
        }
    }
}

fn log_outcome(member: &Member, outcome: &RecordOutcome) {
    let sid = member.message.message_sid.as_str();
    let sqs_id = member.input.sqs_message_id.as_str();
    match outcome {
        RecordOutcome::Done => tracing::info!(message_sid = sid, sqs_message_id = sqs_id, "processed"),
        RecordOutcome::Duplicate => tracing::info!(
            message_sid = sid,
            sqs_message_id = sqs_id,
            "duplicate delivery acknowledged without work"
        ),
        RecordOutcome::Permanent(reason) => tracing::warn!(
            message_sid = sid,
            sqs_message_id = sqs_id,
            error = %reason,
            "permanent failure recorded"
        ),
        RecordOutcome::Retryable(reason) => {
            tracing::warn!(message_sid = sid, sqs_message_id = sqs_id, error = %reason, "retryable failure")
        }
    }
}

/// Claims one member; `None` when this worker now owns it, else the member's final outcome.
async fn claim(state: &AppState, member: &Member, deadline: Instant) -> Option<RecordOutcome> {
    let sid = &member.message.message_sid;
    let payload_hash = hex_sha256(&serde_json::to_string(&member.envelope.params).unwrap_or_default());
    let lease = deadline.saturating_duration_since(Instant::now()) + state.settings.lease_slack;
    let claim = NewClaim {
        message_sid: sid.clone(),
        payload_hash: payload_hash.clone(),
        sender: member.message.from.as_address(),
        received_at: member.envelope.received_at,
        lease,
    };
    match state.store.claim(&claim).await {
        Err(error) => Some(RecordOutcome::Retryable(error.to_string())),
        Ok(ClaimOutcome::Claimed { .. }) => None,
        Ok(ClaimOutcome::AlreadyDone | ClaimOutcome::AlreadyFailed) => Some(RecordOutcome::Duplicate),
        Ok(ClaimOutcome::Busy) => Some(RecordOutcome::Retryable(ProcessError::Busy.to_string())),
        Ok(ClaimOutcome::Conflict) => Some(match state.store.record_conflict(sid, &payload_hash).await {
            Ok(()) => RecordOutcome::Permanent(ProcessError::PayloadConflict.to_string()),
            Err(error) => RecordOutcome::Retryable(error.to_string()),
        }),
    }
}

/// Hands the claims back so the next receive can take them at once.
async fn release_all(state: &AppState, members: &[Member], error: &str) {
    for member in members {
        if let Err(release_error) = state.store.release(&member.message.message_sid, error).await {
            // The lease still expires on its own; the next receive takes over then.
            tracing::warn!(error = %release_error, "could not release the claim");
        }
    }
}

/// The work under the claims. Returns the submission the messages are about.
async fn work(
    state: &AppState,
    group: &GroupRecord,
    members: &[Member],
    deadline: Instant,
) -> Result<Option<Uuid>, ProcessError> {
    // Replies and the submission are keyed on the group: one group, one answer, whatever order
    // or split its messages come back in.
    let key = &group.key;
    let from = &members[0].message.from;
    if let Prior::Answered(submission) = answered_before(state, key).await? {
        return Ok(submission);
    }
    let standing = state.store.standing(&from.as_address()).await?;
    if standing.blocked {
        tracing::info!("sender is on the block list; not analysed, not answered");
        return Ok(None);
    }

    let received_at = members
        .iter()
        .map(|m| m.envelope.received_at)
        .max()
        .unwrap_or_else(Utc::now);
    if let Some(change) = members
        .iter()
        .find_map(|m| tipline_shared::channel::opt_change(&m.message))
    {
        crate::channel::opt_request(state, key, from, change, deadline).await?;
        return Ok(None);
    }
    if standing.opted_out {
        // Nothing reaches them until START, so nothing is worth a download or a model call.
        tracing::info!("sender opted out; not analysed, not answered");
        return Ok(None);
    }

    let text = members
        .iter()
        .map(|m| m.message.body.trim())
        .filter(|body| !body.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let forwarded = members.iter().any(|m| m.message.forwarded);
    let frequently_forwarded = members.iter().any(|m| m.message.frequently_forwarded);
    let has_media = members.iter().any(|m| !m.message.media.is_empty());
    // A feedback button is a rating whatever its text's language; typed 1/2 go to the classifier.
    let intent = match members
        .iter()
        .find_map(|m| tipline_shared::channel::button_rating(&m.message))
    {
        Some(rating) => Intent::Rating(rating),
        None => classify(&text, forwarded || frequently_forwarded, has_media),
    };
    let confirms = is_confirmation(&text, forwarded || frequently_forwarded, has_media);

    let route = match group.route {
        // Decided by an earlier attempt: what it stored since (feedback) must not change the path.
        Some(route) => route,
        None => {
            let route = decide_route(state, from, received_at, intent, confirms).await?;
            state.store.set_route(key, route).await?;
            route
        }
    };
    // An erasure must not leave a fresh conversation row behind it.
    if route != Route::DeleteConfirm {
        state.store.record_inbound(&from.as_address(), received_at).await?;
    }
    let language = privacy::detect(&text);
    let notice = FirstNotice {
        key,
        from,
        at: received_at,
        language,
    };
    match route {
        Route::Help => {
            let reply = notice.add_to(state, help_reply(), Lang::En).await?;
            send_once(state, key, ReplyKind::Help, from, &reply, deadline).await?;
            return Ok(None);
        }
        Route::Privacy => {
            // Asked for: the notice counts as given, so the next tip does not repeat it.
            state
                .store
                .claim_privacy_notice(&from.as_address(), key, received_at)
                .await?;
            let reply = privacy::notice_reply(language, state.settings.privacy_policy_url.as_deref());
            send_once(state, key, ReplyKind::Privacy, from, &reply, deadline).await?;
            return Ok(None);
        }
        Route::DeleteRequest => {
            state
                .store
                .request_deletion(key, &from.as_address(), received_at)
                .await?;
            let minutes = state.settings.deletion_window.as_secs().div_ceil(60);
            let reply = privacy::deletion_confirm_reply(language, minutes);
            send_once(state, key, ReplyKind::DeletionConfirm, from, &reply, deadline).await?;
            return Ok(None);
        }
        Route::DeleteConfirm => return erase(state, key, from, received_at, language, deadline).await,
        Route::Feedback(submission_id) => {
            let rating = match intent {
                Intent::Rating(rating) => rating,
                _ => Rating::Comment,
            };
            return feedback(state, &notice, submission_id, &text, rating, deadline).await;
        }
        Route::Tip => {
            if !crate::channel::within_limits(state, key, from, deadline).await? {
                return Ok(None);
            }
        }
    }

    let started = std::time::Instant::now();
    let mut tip = Tip {
        text: text.clone(),
        forwarded,
        frequently_forwarded,
        media: Vec::new(),
    };
    let mut stored = Vec::new();
    // Twilio's copies of what is now stored on our side: deleted once the person is answered.
    let mut at_twilio = Vec::new();
    let mut skipped = Vec::new();
    // One line per attachment for the reply: what the verdict covers, and what it could not.
    let mut notes: Vec<String> = Vec::new();
    let mut refused: Option<MediaError> = None;
    for member in members {
        let message = &member.message;
        for (index, media) in message.media.iter().enumerate() {
            match state.downloader.fetch(media, &message.message_sid, deadline).await {
                Ok(mut downloaded) => {
                    let key = media_key(
                        member.envelope.received_at,
                        &message.message_sid,
                        index,
                        downloaded.accepted.extension,
                    );
                    let mime = downloaded.accepted.mime;
                    // One copy: the store and the tip share it, and only what an analyser reads
                    // (images) outlives the upload; the budget is released with `downloaded`.
                    let bytes = bytes::Bytes::from(std::mem::take(&mut downloaded.bytes));
                    let size = bytes.len();
                    let place = state.media_store.put(&key, mime, bytes.clone()).await?;
                    let reading = media_text::read(state, downloaded.accepted, &bytes, deadline).await;
                    let for_tip = mime.starts_with("image/").then(|| Vec::from(bytes));
                    // Stored: its share of the budget goes back (images, capped at 5 MB, stay in the tip).
                    drop(downloaded);
                    at_twilio.push((media.url.clone(), message.message_sid.clone()));
                    let mut entry = serde_json::json!({
                        "key": place.key, "url": place.url, "content_type": mime,
                        "bytes": size, "message_sid": message.message_sid,
                    });
                    if let (Some(entry), serde_json::Value::Object(read)) = (entry.as_object_mut(), reading.record()) {
                        entry.extend(read);
                    }
                    stored.push(entry);
                    notes.extend(reading.reply_line());
                    match reading.tip_text() {
                        // Read: the analysers judge its words with the sender's own text.
                        Some(read) if tip.text.is_empty() => tip.text = read,
                        Some(read) => tip.text = format!("{}\n\n{read}", tip.text),
                        None => tip.media.push(TipMedia {
                            content_type: mime.to_owned(),
                            bytes: for_tip.unwrap_or_default(),
                        }),
                    }
                }
                Err(MediaError::Unsupported(reason)) => {
                    tracing::info!(%reason, index, "attachment skipped");
                    notes.push(media_text::skipped_line(&media.content_type));
                    skipped.push(serde_json::json!({
                        "message_sid": message.message_sid, "index": index, "reason": reason,
                    }));
                }
                Err(error) if !error.is_retryable() => {
                    // A refused or deleted attachment: the rest of the tip is still checked.
                    tracing::warn!(error = %error, index, "attachment refused");
                    notes.push("⚠️ We couldn't fetch one of the attachments from WhatsApp.".to_owned());
                    skipped.push(serde_json::json!({
                        "message_sid": message.message_sid, "index": index, "reason": error.to_string(),
                    }));
                    refused.get_or_insert(error);
                }
                Err(error) => return Err(error.into()),
            }
        }
    }
    let checkable = !tip.text.is_empty() || tip.media.iter().any(|m| m.content_type.starts_with("image/"));
    if !checkable {
        if let Some(error) = refused.filter(|_| stored.is_empty()) {
            // Nothing could be fetched: a permanent failure, answered with the honest fallback.
            return Err(error.into());
        }
        let reply = notice
            .add_to(state, unsupported_reply(&notes, state.transcriber.is_some()), Lang::En)
            .await?;
        send_once(state, key, ReplyKind::Unsupported, from, &reply, deadline).await?;
        return Ok(None);
    }

    let analysis = state.analyzer.analyze(&tip, deadline).await?;
    if analysis.fallback_reason.is_some() {
        metrics::count(Event::AnalyzerFallback);
    }
    if analysis.hedged {
        metrics::count(Event::HedgedCall);
    }
    let first_stored = stored.first();
    let submission = NewSubmission {
        id: Uuid::now_v7(),
        message_id: key.to_string(),
        phone_number: from.as_address(),
        image_url: first_stored.and_then(|s| s["url"].as_str()).map(str::to_owned),
        s3_key: first_stored.and_then(|s| s["key"].as_str()).map(str::to_owned),
        prediction_result: serde_json::json!({
            "label": analysis.verdict.label.as_str(),
            "confidence": analysis.verdict.confidence,
            "reasons": analysis.verdict.reasons,
            "advice": analysis.verdict.advice,
            "model": analysis.model,
            "latency_ms": analysis.latency_ms,
            "fallback_reason": analysis.fallback_reason,
            "hedged": analysis.hedged,
            "messages": members.iter().map(|m| m.message.message_sid.as_str()).collect::<Vec<_>>(),
            "media": stored,
            "skipped_media": skipped,
        }),
        confidence_score: analysis.verdict.confidence,
        scam_label: analysis.verdict.label.as_str().to_owned(),
        processing_time_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
        input_text: text,
    };
    let submission_id = state.store.save_submission(&submission).await?;
    state
        .store
        .record_verdict(&from.as_address(), submission_id, Utc::now())
        .await?;
    // The reply's fixed strings follow the tip's language, as the offline reasons do.
    let lang = Lang::detect(&tip.text);
    let reply = notice
        .add_to(
            state,
            verdict_reply_in(&analysis.verdict, &notes, lang, analysis.fallback_reason.is_some()),
            lang,
        )
        .await?;
    send_once(state, key, ReplyKind::Verdict, from, &reply, deadline).await?;
    delete_twilio_copies(state, &at_twilio, deadline).await;
    Ok(Some(submission_id))
}

/// Deletes Twilio's copies of media we stored. Never fails the group: a failed delete is logged
/// and recorded, and the retention job tries it again.
async fn delete_twilio_copies(state: &AppState, media: &[(String, MessageSid)], deadline: Instant) {
    for (url, sid) in media {
        let result = state.downloader.delete_at_twilio(url, sid, deadline).await;
        if let Err(error) = &result {
            tracing::warn!(error = %error, "Twilio's copy of the media was not deleted; left for retention");
        }
        let error = result.as_ref().err().map(ToString::to_string);
        let recorded = state
            .store
            .record_twilio_media(url, sid, error.as_deref().map_or(Ok(()), Err))
            .await;
        if let Err(error) = recorded {
            tracing::warn!(error = %error, "the Twilio media delete could not be recorded");
        }
    }
}

/// Whether a group was answered before (a retry after a crash or a failed `complete`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prior {
    Unanswered,
    /// Answered; only the bookkeeping is left. The submission, when the answer was a verdict.
    Answered(Option<Uuid>),
}

async fn answered_before(state: &AppState, key: &MessageSid) -> Result<Prior, ProcessError> {
    for kind in [
        ReplyKind::Verdict,
        ReplyKind::FeedbackAck,
        ReplyKind::Help,
        ReplyKind::Unsupported,
        ReplyKind::Privacy,
        ReplyKind::DeletionConfirm,
        // Not `DeletionDone`: an erasure is finished by its request's state, and its reply is
        // erased with the rest.
        ReplyKind::OptOut,
        ReplyKind::OptIn,
        ReplyKind::Limit,
    ] {
        // A `sending` reply is not an answer yet: the send path reconciles it with Twilio.
        if let Some(reply) = state.store.reply(key, kind).await? {
            if reply.status == ReplyStatus::Sent {
                let submission = match kind {
                    ReplyKind::Verdict => state.store.submission_by_message(key.as_str()).await?.map(|s| s.id),
                    _ => None,
                };
                return Ok(Prior::Answered(submission));
            }
        }
    }
    Ok(Prior::Unanswered)
}

/// The path a group takes, decided from its text and the sender's conversation state.
async fn decide_route(
    state: &AppState,
    from: &WhatsAppAddress,
    received_at: DateTime<Utc>,
    intent: Intent,
    confirms: bool,
) -> Result<Route, ProcessError> {
    // A "yes" right after "delete my data" is the confirmation, not a rating of a verdict.
    if confirms {
        let since = received_at - deletion_window(state);
        if state.store.pending_deletion(&from.as_address(), since).await?.is_some() {
            return Ok(Route::DeleteConfirm);
        }
    }
    Ok(match intent {
        Intent::Help => Route::Help,
        Intent::Privacy => Route::Privacy,
        Intent::DeleteData => Route::DeleteRequest,
        // A bare "1" or "no" with no verdict to rate is not a tip either.
        Intent::Rating(_) => match recent_verdict(state, from, received_at).await? {
            Some(last) => Route::Feedback(last.submission_id),
            None => Route::Help,
        },
        // Only the first remark on a verdict is feedback; a second one is more likely a tip.
        Intent::Remark => match recent_verdict(state, from, received_at).await? {
            Some(last) if last.feedback_text.is_none() => Route::Feedback(last.submission_id),
            _ => Route::Tip,
        },
        Intent::Tip => Route::Tip,
    })
}

/// The sender's last verdict, if this message came within the feedback window after it.
async fn recent_verdict(
    state: &AppState,
    from: &WhatsAppAddress,
    received_at: DateTime<Utc>,
) -> Result<Option<LastVerdict>, ProcessError> {
    let Some(last) = state.store.last_verdict(&from.as_address()).await? else {
        return Ok(None);
    };
    let window = chrono::Duration::from_std(state.settings.feedback_window).unwrap_or(chrono::Duration::MAX);
    // `received_at` is the webhook's clock and `last.at` the processor's: a few seconds of skew
    // must not turn a quick "2" into a new tip.
    let within = received_at >= last.at - chrono::Duration::seconds(5) && received_at - last.at <= window;
    Ok(within.then_some(last))
}

fn deletion_window(state: &AppState) -> chrono::Duration {
    chrono::Duration::from_std(state.settings.deletion_window).unwrap_or(chrono::Duration::MAX)
}

/// The sender's first privacy notice, added to the first reply they get rather than sent as a
/// message of its own: it then rides on that reply's exactly-once record (one row, one send, one
/// reconciliation) instead of needing a second one, and no existing reply count changes.
struct FirstNotice<'a> {
    key: &'a MessageSid,
    from: &'a WhatsAppAddress,
    at: DateTime<Utc>,
    language: Language,
}

impl FirstNotice<'_> {
    /// `reply`, with the notice when this group is the one that carries the sender's first.
    async fn add_to(&self, state: &AppState, reply: ReplyText, lang: Lang) -> Result<ReplyText, ProcessError> {
        let first = state
            .store
            .claim_privacy_notice(&self.from.as_address(), self.key, self.at)
            .await?;
        if !first {
            return Ok(reply);
        }
        let notice = privacy::notice(self.language, state.settings.privacy_policy_url.as_deref());
        Ok(privacy::with_notice(&reply, &notice, feedback_prompt(lang)))
    }
}

/// Erases everything kept about the sender once they confirmed, and tells them. Resumable: media
/// goes first (its keys are read from rows the erasure removes), the confirmation is recorded
/// before it is sent, and the rows go last in one transaction that marks the request done.
async fn erase(
    state: &AppState,
    key: &MessageSid,
    from: &WhatsAppAddress,
    received_at: DateTime<Utc>,
    language: Language,
    deadline: Instant,
) -> Result<Option<Uuid>, ProcessError> {
    let sender = from.as_address();
    let request = match state.store.deletion_confirmed_by(key).await? {
        Some(request) => request,
        None => {
            let since = received_at - deletion_window(state);
            let pending = state.store.pending_deletion(&sender, since).await?;
            match pending {
                Some(request) if state.store.confirm_deletion(&request.request_sid, key).await? => request,
                // Taken by another group in between: nothing left to confirm.
                _ => {
                    send_once(state, key, ReplyKind::Help, from, &help_reply(), deadline).await?;
                    return Ok(None);
                }
            }
        }
    };
    if request.state == DeletionState::Done {
        return Ok(None);
    }
    let media = state.store.sender_media(&sender).await?;
    let mut objects = 0;
    for (sid, at) in &media.messages {
        objects += state.media_store.delete_under(&media_prefix(*at, sid)).await?;
    }
    for stored in &media.keys {
        state.media_store.delete(stored).await?;
    }
    let reply = privacy::deletion_done_reply(language);
    match send_once(state, key, ReplyKind::DeletionDone, from, &reply, deadline).await {
        Ok(_) => {}
        // A retry sends it: the erasure waits, so the reply's record is erased with the rest.
        Err(error) if error.is_retryable() => return Err(error),
        // Nobody can be told; the erasure they asked for still happens.
        Err(error) => tracing::warn!(error = %error, "the deletion confirmation could not be sent"),
    }
    let erased = state.store.erase_sender(&sender, &request.request_sid).await?;
    tracing::info!(
        submissions = erased.submissions,
        replies = erased.replies,
        claims_kept = erased.claims_kept,
        media_objects = objects + media.keys.len(),
        "the sender's data was erased on their request"
    );
    Ok(None)
}

/// Stores an answer to the last verdict on its submission and thanks the sender briefly.
async fn feedback(
    state: &AppState,
    notice: &FirstNotice<'_>,
    submission_id: Uuid,
    text: &str,
    rating: Rating,
    deadline: Instant,
) -> Result<Option<Uuid>, ProcessError> {
    let kept: String = text.trim().chars().take(500).collect();
    // The same text again on a retry: storing it twice changes nothing.
    state.store.store_feedback(submission_id, &kept, Utc::now()).await?;
    tracing::info!(rating = ?rating, "feedback stored on the last submission");
    let reply = notice.add_to(state, feedback_ack(rating), Lang::En).await?;
    send_once(state, notice.key, ReplyKind::FeedbackAck, notice.from, &reply, deadline).await?;
    Ok(Some(submission_id))
}

/// The honest "we couldn't check this" reply: on the last receive before the DLQ, and when a
/// group fails permanently. Never after a verdict went out.
async fn fallback(state: &AppState, key: &MessageSid, to: &WhatsAppAddress, deadline: Instant) {
    match went_out(state, key, ReplyKind::Verdict, to, deadline).await {
        Ok(false) => {}
        Ok(true) => return,
        // Twilio cannot say whether the verdict went out: a second message is the worse error.
        Err(error) => {
            tracing::warn!(error = %error, "could not tell whether the verdict went out; no fallback reply");
            return;
        }
    }
    let attempt = tokio::time::timeout_at(
        deadline
            .checked_sub(Duration::from_millis(200))
            .unwrap_or_else(Instant::now),
        send_once(state, key, ReplyKind::Fallback, to, &fallback_reply(), deadline),
    )
    .await;
    match attempt {
        Ok(Ok(_)) => {
            metrics::count(Event::FallbackReply);
            tracing::info!("the message could not be checked; fallback reply handled");
        }
        Ok(Err(error)) => {
            tracing::error!(error = %error, "the message could not be checked and the fallback reply failed")
        }
        Err(_) => tracing::error!("the message could not be checked and the fallback reply ran out of time"),
    }
}

/// An unreadable record is recorded and acknowledged: redelivery cannot make it readable.
async fn reject(state: &AppState, input: &RecordInput, error: &ProcessError) -> RecordOutcome {
    let excerpt: String = input.body.chars().take(200).collect();
    // The excerpt may hold a phone number or a message: it stays in the database, never the log.
    let outcome = match state
        .store
        .record_rejected(&input.sqs_message_id, &error.to_string(), &excerpt)
        .await
    {
        Ok(()) => RecordOutcome::Permanent(error.to_string()),
        Err(store_error) => RecordOutcome::Retryable(store_error.to_string()),
    };
    match &outcome {
        RecordOutcome::Permanent(reason) => tracing::warn!(error = %reason, "unreadable record recorded"),
        other => tracing::warn!(outcome = ?other, "unreadable record could not be recorded"),
    }
    outcome
}

fn hex_sha256(text: &str) -> String {
    hex::encode(sha2::Sha256::digest(text.as_bytes()))
}
