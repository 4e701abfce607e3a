//! The store: named operations on tipline's records. Handlers know this trait, never SQL.

pub mod postgres;
pub mod sqlite;

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use crate::channel::{LimitWindow, TipLimits};
use crate::domain::MessageSid;

/// A database failure. All of them are worth a retry: a constraint tipline relies on is
/// expressed as an outcome (e.g. [`ClaimOutcome::Conflict`]), never as an error.
#[derive(Debug, thiserror::Error)]
#[error("database: {0}")]
pub struct StoreError(#[from] pub sqlx::Error);

/// Free text as the adapters write it to an error or reason column: error messages from Twilio
/// and others can name the recipient's number, and no full number may reach the database.
pub(crate) fn stored_text(text: &str) -> String {
    crate::domain::address::mask_phone_numbers(text)
}

/// How Twilio's answer to a reply is written, the same in both adapters: status, Twilio's SID,
/// and the (masked) error.
pub(crate) fn reply_columns<'a>(result: Result<&'a str, &str>) -> (&'static str, Option<&'a str>, Option<String>) {
    match result {
        Ok(twilio_sid) => ("sent", Some(twilio_sid), None),
        Err(error) => ("failed", None, Some(stored_text(error))),
    }
}

/// A worker's request to own one message for a while.
#[derive(Debug, Clone)]
pub struct NewClaim {
    pub message_sid: MessageSid,
    /// SHA-256 of the queued parameters: the same SID with other content is refused.
    pub payload_hash: String,
    /// The sender's full address.
    pub sender: String,
    pub received_at: DateTime<Utc>,
    /// How long the claim holds; derived from the time the invocation has left.
    pub lease: Duration,
}

/// What a claim attempt found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClaimOutcome {
    /// This worker owns the message now; `attempts` counts every claim, this one included.
    Claimed { attempts: i32 },
    /// Finished before: acknowledge without work.
    AlreadyDone,
    /// Failed permanently before and was recorded: acknowledge without work.
    AlreadyFailed,
    /// Another worker holds a live lease: back off and let the queue redeliver.
    Busy,
    /// The SID was claimed with a different payload: refuse.
    Conflict,
}

/// A claim's state, for on-call tools and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimInfo {
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub submission_id: Option<Uuid>,
}

/// A submission row as the processor writes it.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub id: Uuid,
    pub message_id: String,
    pub phone_number: String,
    pub image_url: Option<String>,
    pub s3_key: Option<String>,
    pub prediction_result: serde_json::Value,
    pub confidence_score: f64,
    pub scam_label: String,
    pub processing_time_ms: i32,
    pub input_text: String,
}

/// A stored submission, as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub id: Uuid,
    pub message_id: Option<String>,
    pub phone_number: Option<String>,
    pub scam_label: Option<String>,
    pub confidence_score: Option<f64>,
    pub input_text: Option<String>,
    pub s3_key: Option<String>,
    pub image_url: Option<String>,
    pub prediction_result: Option<serde_json::Value>,
    pub feedback_text: Option<String>,
    pub feedback_timestamp: Option<chrono::NaiveDateTime>,
}

/// The verdict a sender was given last, to tell an answer to it from a new tip.
#[derive(Debug, Clone, PartialEq)]
pub struct LastVerdict {
    pub submission_id: Uuid,
    /// When the verdict was recorded.
    pub at: DateTime<Utc>,
    /// Feedback already given on it, if any.
    pub feedback_text: Option<String>,
}

/// Why a reply was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyKind {
    Verdict,
    Fallback,
    FeedbackAck,
    Help,
    Unsupported,
    /// The privacy notice, on request.
    Privacy,
    /// "Reply YES to confirm" after a deletion request.
    DeletionConfirm,
    /// "Your data is deleted": erased with the rest, so never found again afterwards.
    DeletionDone,
    /// The one confirmation an opted-out person gets.
    OptOut,
    /// The confirmation that messages resume.
    OptIn,
    /// "You've reached the limit", once per window.
    Limit,
}

impl ReplyKind {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Verdict => "verdict",
            Self::Fallback => "fallback",
            Self::FeedbackAck => "feedback_ack",
            Self::Help => "help",
            Self::Unsupported => "unsupported",
            Self::Privacy => "privacy",
            Self::DeletionConfirm => "deletion_confirm",
            Self::DeletionDone => "deletion_done",
            Self::OptOut => "opt_out",
            Self::OptIn => "opt_in",
            Self::Limit => "limit",
        }
    }
}

/// Where a reply stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyStatus {
    /// Handed to Twilio with no answer recorded: it may have gone out, so it is never resent.
    Sending,
    /// Twilio accepted it.
    Sent,
    /// Twilio refused it: safe to try again.
    Failed,
    /// Deliberately not sent (the person opted out, or is past a limit); the reason is kept.
    NotSent,
}

impl ReplyStatus {
    pub(crate) fn parse(raw: &str) -> Self {
        match raw {
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            "not_sent" => Self::NotSent,
            _ => Self::Sending,
        }
    }
}

/// A recorded reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRecord {
    pub kind: ReplyKind,
    pub status: ReplyStatus,
    pub to_address: String,
    pub body: String,
    pub twilio_sid: Option<String>,
    /// When the current attempt was recorded: Twilio's copy, if any, was created after it.
    pub began_at: DateTime<Utc>,
}

/// What a group of messages was taken for, decided once, so a retry takes the same path even
/// when what it sees has changed (a remark whose feedback is stored must not become a tip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Help,
    /// Feedback on this submission.
    Feedback(Uuid),
    Tip,
    /// The privacy notice, on request.
    Privacy,
    /// "Delete my data": ask for confirmation.
    DeleteRequest,
    /// The confirmation of a pending deletion request: erase.
    DeleteConfirm,
}

impl Route {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Help => "help",
            Self::Feedback(_) => "feedback",
            Self::Tip => "tip",
            Self::Privacy => "privacy",
            Self::DeleteRequest => "delete_request",
            Self::DeleteConfirm => "delete_confirm",
        }
    }

    /// Reads a stored route back; `None` for a route this build does not know.
    pub(crate) fn parse(raw: &str, submission: Option<Uuid>) -> Option<Self> {
        match (raw, submission) {
            ("help", _) => Some(Self::Help),
            ("feedback", Some(id)) => Some(Self::Feedback(id)),
            ("tip", _) => Some(Self::Tip),
            ("privacy", _) => Some(Self::Privacy),
            ("delete_request", _) => Some(Self::DeleteRequest),
            ("delete_confirm", _) => Some(Self::DeleteConfirm),
            _ => None,
        }
    }

    pub(crate) fn submission(self) -> Option<Uuid> {
        match self {
            Self::Feedback(id) => Some(id),
            _ => None,
        }
    }
}

/// The messages answered together, as recorded: every member points at the group's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRecord {
    /// The key the group's replies and submission are stored under: the first member seen.
    pub key: MessageSid,
    /// The path taken the first time, if one was decided.
    pub route: Option<Route>,
}

/// Where a "delete my data" request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletionState {
    /// Asked; waiting for the sender's "yes".
    Pending,
    /// Confirmed; erasing (a retry resumes it).
    Confirmed,
    /// Erased: the request row keeps no number.
    Done,
}

impl DeletionState {
    pub(crate) fn parse(raw: &str) -> Self {
        match raw {
            "confirmed" => Self::Confirmed,
            "done" => Self::Done,
            _ => Self::Pending,
        }
    }
}

/// A recorded deletion request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionRequest {
    /// The group key of the "delete my data" message.
    pub request_sid: MessageSid,
    pub state: DeletionState,
    pub requested_at: DateTime<Utc>,
}

/// Everything a sender left in media storage, found before their rows are erased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SenderMedia {
    /// Each message the sender sent and when the webhook received it: its attachments live under
    /// `media_prefix(received_at, sid)`, stored or not yet recorded in a submission.
    pub messages: Vec<(MessageSid, DateTime<Utc>)>,
    /// The stored keys the sender's submissions name (legacy rows keep theirs in `s3_key` only).
    pub keys: Vec<String>,
}

/// What an erasure removed, for the log and the confirmation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Erased {
    pub submissions: u64,
    pub replies: u64,
    /// Claims kept for idempotency, their sender and error text removed.
    pub claims_kept: u64,
}

/// The marker an erased claim keeps in place of the sender: the claim stays so a redelivered
/// message is still acknowledged without a reply, but it no longer says whose it was.
pub const ERASED_SENDER: &str = "erased";

/// Media keys named in a stored prediction result's `media` list.
pub(crate) fn media_keys_in(prediction: Option<&serde_json::Value>) -> Vec<String> {
    prediction
        .and_then(|p| p.get("media"))
        .and_then(|m| m.as_array())
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.get("key").and_then(|k| k.as_str()).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// A submission whose media outlived its age: its id and every stored key it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgedMedia {
    pub submission_id: Uuid,
    pub keys: Vec<String>,
}

/// The prefix of a pseudonymized sender: never a valid address, so never messaged or matched.
pub const PSEUDONYM_PREFIX: &str = "hmac:";

/// What the operator and the sender decided about messaging this sender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SenderStanding {
    /// On the operator's block list: nothing is analysed or answered.
    pub blocked: bool,
    /// The sender asked to stop (or Twilio reported it): nothing more is sent.
    pub opted_out: bool,
    /// The sender's last message: free text reaches them only within 24 h of it.
    pub last_inbound_at: Option<DateTime<Utc>>,
}

/// Whether a sender's tip may be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipAllowance {
    /// Within the limits, and counted (a retry of the same group is allowed again, not recounted).
    Allowed,
    /// Past a limit: not checked. `notify` is true for the one group per window that tells them.
    Limited { window: LimitWindow, notify: bool },
}

/// An entry on the operator's block list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockedSender {
    pub sender: String,
    pub blocked_at: DateTime<Utc>,
}

/// The records tipline keeps; one adapter per database.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// Atomically claims a message for this worker (see [`ClaimOutcome`]).
    async fn claim(&self, claim: &NewClaim) -> Result<ClaimOutcome, StoreError>;
    /// Gives a claim back after a retryable failure, so the next receive can take it at once.
    async fn release(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError>;
    /// Marks a claim permanently failed, with the reason.
    async fn fail(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError>;
    /// Makes a permanently failed claim claimable again (on-call's replay); true if it was failed.
    async fn reopen(&self, sid: &MessageSid) -> Result<bool, StoreError>;
    /// Marks a claim done.
    async fn complete(&self, sid: &MessageSid, submission_id: Option<Uuid>) -> Result<(), StoreError>;
    /// A claim's state, if the SID was ever claimed.
    async fn claim_info(&self, sid: &MessageSid) -> Result<Option<ClaimInfo>, StoreError>;
    /// Keeps a refused second payload for a SID.
    async fn record_conflict(&self, sid: &MessageSid, payload_hash: &str) -> Result<(), StoreError>;
    /// Keeps a queue message that could not be read at all.
    async fn record_rejected(&self, sqs_message_id: &str, reason: &str, body_excerpt: &str) -> Result<(), StoreError>;
    /// Saves a submission once per message id; a retry gets the first row's id back.
    async fn save_submission(&self, submission: &NewSubmission) -> Result<Uuid, StoreError>;
    /// The submission stored for a message id.
    async fn submission_by_message(&self, message_id: &str) -> Result<Option<Submission>, StoreError>;
    /// A submission by its id.
    async fn submission(&self, id: Uuid) -> Result<Option<Submission>, StoreError>;
    /// Notes that a sender wrote at `at` (per-sender conversation state); an older time never wins.
    async fn record_inbound(&self, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// Notes the verdict a sender was given, so a short answer to it counts as feedback.
    async fn record_verdict(&self, sender: &str, submission_id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// The sender's last verdict, if they were ever given one.
    async fn last_verdict(&self, sender: &str) -> Result<Option<LastVerdict>, StoreError>;
    /// Stores feedback on a submission (`feedback_text`, `feedback_timestamp`); the latest wins.
    async fn store_feedback(&self, submission_id: Uuid, text: &str, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// The reply of one kind to a message, if any was recorded.
    async fn reply(&self, sid: &MessageSid, kind: ReplyKind) -> Result<Option<ReplyRecord>, StoreError>;
    /// Records the intent to send a reply, before it is sent.
    async fn begin_reply(&self, sid: &MessageSid, kind: ReplyKind, to: &str, body: &str) -> Result<(), StoreError>;
    /// Joins the messages of one sender's batch into a group: the group any of them was in
    /// before (a redelivery, in any order or split), else a new one keyed on the first.
    async fn join_group(&self, members: &[MessageSid]) -> Result<GroupRecord, StoreError>;
    /// Records the path a group takes; the first decision stands.
    async fn set_route(&self, key: &MessageSid, route: Route) -> Result<(), StoreError>;
    /// Marks every claim of a group done, in one transaction.
    async fn complete_group(&self, members: &[MessageSid], submission_id: Option<Uuid>) -> Result<(), StoreError>;
    /// Keeps the queued envelope of a message that failed permanently, for `tipline replay`.
    async fn keep_for_replay(&self, sid: &MessageSid, envelope: &str) -> Result<(), StoreError>;
    /// The kept envelope of a permanently failed message, if any.
    async fn replayable(&self, sid: &MessageSid) -> Result<Option<String>, StoreError>;
    /// Takes the sender's first privacy notice for this group: true when this group's reply
    /// carries it (the first time, and again on every retry of that group), false otherwise.
    async fn claim_privacy_notice(&self, sender: &str, key: &MessageSid, at: DateTime<Utc>)
        -> Result<bool, StoreError>;
    /// Records a "delete my data" request made by group `key`; a retry changes nothing.
    async fn request_deletion(&self, key: &MessageSid, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError>;
    /// The sender's latest request still waiting for a "yes", if it was made at or after `since`.
    async fn pending_deletion(&self, sender: &str, since: DateTime<Utc>)
        -> Result<Option<DeletionRequest>, StoreError>;
    /// Marks a pending request confirmed by group `confirm`; true if it is (now or already) so.
    async fn confirm_deletion(&self, request: &MessageSid, confirm: &MessageSid) -> Result<bool, StoreError>;
    /// The request group `confirm` confirmed, if any.
    async fn deletion_confirmed_by(&self, confirm: &MessageSid) -> Result<Option<DeletionRequest>, StoreError>;
    /// Where the sender's media may be stored: read before [`Store::erase_sender`].
    async fn sender_media(&self, sender: &str) -> Result<SenderMedia, StoreError>;
    /// Erases everything kept about a sender in one transaction: submissions (feedback with
    /// them), conversation state, replies, kept envelopes; keeps each claim (SID, status, payload
    /// hash) with [`ERASED_SENDER`] for idempotency, and marks the request done without a number.
    async fn erase_sender(&self, sender: &str, request: &MessageSid) -> Result<Erased, StoreError>;
    /// Everything kept about a sender, as JSON (a subject-access request): submissions with
    /// feedback, conversation state, messages, replies and deletion requests.
    async fn export_sender(&self, sender: &str) -> Result<serde_json::Value, StoreError>;
    /// Records a delete of Twilio's copy of stored media: done, or failed with the reason (the
    /// retention job tries the failed ones again).
    async fn record_twilio_media(
        &self,
        media_url: &str,
        sid: &MessageSid,
        result: Result<(), &str>,
    ) -> Result<(), StoreError>;
    /// Twilio copies still to delete (oldest first, at most `limit`): URL and message.
    async fn twilio_media_pending(&self, limit: u32) -> Result<Vec<(String, MessageSid)>, StoreError>;
    /// Up to `limit` senders with records from before `before` still under their real address.
    async fn senders_to_pseudonymize(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<String>, StoreError>;
    /// Replaces the sender's address by `pseudonym` in their records from before `before`, and
    /// drops their conversation state if it is that old; returns the rows changed.
    async fn pseudonymize_sender(
        &self,
        sender: &str,
        pseudonym: &str,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError>;
    /// Up to `limit` submissions from before `before` that still name stored media.
    async fn media_older_than(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<AgedMedia>, StoreError>;
    /// Forgets a submission's media once its objects are deleted (keys, URL, the media list).
    async fn forget_media(&self, submission_id: Uuid) -> Result<(), StoreError>;
    /// Up to `limit` submissions from before `before` that still hold free text.
    async fn text_older_than(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<Uuid>, StoreError>;
    /// Erases the free text of these submissions (tip text, feedback), and every kept envelope,
    /// rejected excerpt and reply body from before `before`.
    async fn erase_text(&self, submission_ids: &[Uuid], before: DateTime<Utc>) -> Result<u64, StoreError>;
    /// Records Twilio's answer: its message SID, or the error.
    async fn finish_reply(
        &self,
        sid: &MessageSid,
        kind: ReplyKind,
        result: Result<&str, &str>,
    ) -> Result<(), StoreError>;
    /// Whether a sender is blocked or opted out.
    async fn standing(&self, sender: &str) -> Result<SenderStanding, StoreError>;
    /// Opts a sender out on behalf of group `key` (`source` says how: keyword, Twilio); true when
    /// this group's request is the one that holds, so only it sends the confirmation, retries too.
    async fn opt_out(&self, sender: &str, key: &MessageSid, source: &str) -> Result<bool, StoreError>;
    /// Lets an opted-out sender be messaged again; nothing happens for one who never opted out.
    async fn opt_in(&self, sender: &str) -> Result<(), StoreError>;
    /// Records a reply deliberately not sent, with the reason; a sent reply is never overwritten.
    async fn record_unsent(
        &self,
        sid: &MessageSid,
        kind: ReplyKind,
        to: &str,
        body: &str,
        reason: &str,
    ) -> Result<(), StoreError>;
    /// Counts group `key` as one of the sender's tips if the limits allow it, atomically per sender.
    async fn take_tip(&self, sender: &str, key: &MessageSid, limits: TipLimits) -> Result<TipAllowance, StoreError>;
    /// Puts a sender on the block list; false if already there.
    async fn block_sender(&self, sender: &str) -> Result<bool, StoreError>;
    /// Takes a sender off the block list; false if not there.
    async fn unblock_sender(&self, sender: &str) -> Result<bool, StoreError>;
    /// The block list, oldest first.
    async fn blocked_senders(&self) -> Result<Vec<BlockedSender>, StoreError>;
}
