//! Exactly-once under duplicates, concurrency and crashes.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tipline_processor::process_batch;
use tipline_shared::analysis::OfflineAnalyzer;
use tipline_shared::domain::MessageSid;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::*;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::Mock;

use crate::helpers::*;

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn two_processors_given_the_same_message_make_one_row_and_one_reply(pool: PgPool) {
    let twilio = twilio().await;
    // A slow Twilio keeps the first claim busy while the second processor arrives.
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(created().set_delay(Duration::from_millis(300)))
        .with_priority(1)
        .mount(&twilio)
        .await;
    let first = state(&pool, &twilio);
    let second = state(&pool, &twilio);
    let body = envelope(1, "Congratulations! You won a prize, send your PIN");
    let (a, b) = tokio::join!(
        process_batch(first, event(&[("copy-a", body.clone(), 1)]), deadline()),
        process_batch(second, event(&[("copy-b", body.clone(), 1)]), deadline()),
    );
    let done = a.counts.processed + b.counts.processed;
    let backed_off = a.counts.retryable + b.counts.retryable + a.counts.duplicate + b.counts.duplicate;
    assert_eq!((done, backed_off), (1, 1));
    assert_eq!(count(&pool, "SELECT count(*) FROM b2b_pilot_user_submissions").await, 1);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);

    // The copy that backed off comes back later and is acknowledged without work.
    let later = process_batch(state(&pool, &twilio), event(&[("copy-b", body, 2)]), deadline()).await;
    assert_eq!(later.counts.duplicate, 1);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
}

/// The real store, with chosen operations failing as if the process died there.
#[derive(Debug)]
pub(crate) struct CrashingStore {
    inner: PgStore,
    crash_on_complete: AtomicBool,
    crash_on_finish_reply: AtomicBool,
}

fn crash() -> StoreError {
    StoreError(sqlx::Error::PoolTimedOut)
}

#[async_trait]
impl Store for CrashingStore {
    async fn claim(&self, claim: &NewClaim) -> Result<ClaimOutcome, StoreError> {
        self.inner.claim(claim).await
    }
    async fn release(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError> {
        self.inner.release(sid, error).await
    }
    async fn fail(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError> {
        self.inner.fail(sid, error).await
    }
    async fn reopen(&self, sid: &MessageSid) -> Result<bool, StoreError> {
        self.inner.reopen(sid).await
    }
    async fn complete(&self, sid: &MessageSid, submission_id: Option<Uuid>) -> Result<(), StoreError> {
        if self.crash_on_complete.swap(false, Ordering::SeqCst) {
            return Err(crash());
        }
        self.inner.complete(sid, submission_id).await
    }
    async fn complete_group(&self, members: &[MessageSid], submission_id: Option<Uuid>) -> Result<(), StoreError> {
        if self.crash_on_complete.swap(false, Ordering::SeqCst) {
            return Err(crash());
        }
        self.inner.complete_group(members, submission_id).await
    }
    async fn join_group(&self, members: &[MessageSid]) -> Result<GroupRecord, StoreError> {
        self.inner.join_group(members).await
    }
    async fn set_route(&self, key: &MessageSid, route: Route) -> Result<(), StoreError> {
        self.inner.set_route(key, route).await
    }
    async fn keep_for_replay(&self, sid: &MessageSid, envelope: &str) -> Result<(), StoreError> {
        self.inner.keep_for_replay(sid, envelope).await
    }
    async fn replayable(&self, sid: &MessageSid) -> Result<Option<String>, StoreError> {
        self.inner.replayable(sid).await
    }
    async fn claim_info(&self, sid: &MessageSid) -> Result<Option<ClaimInfo>, StoreError> {
        self.inner.claim_info(sid).await
    }
    async fn record_conflict(&self, sid: &MessageSid, payload_hash: &str) -> Result<(), StoreError> {
        self.inner.record_conflict(sid, payload_hash).await
    }
    async fn record_rejected(&self, id: &str, reason: &str, excerpt: &str) -> Result<(), StoreError> {
        self.inner.record_rejected(id, reason, excerpt).await
    }
    async fn save_submission(&self, submission: &NewSubmission) -> Result<Uuid, StoreError> {
        self.inner.save_submission(submission).await
    }
    async fn submission_by_message(&self, message_id: &str) -> Result<Option<Submission>, StoreError> {
        self.inner.submission_by_message(message_id).await
    }
    async fn submission(&self, id: Uuid) -> Result<Option<Submission>, StoreError> {
        self.inner.submission(id).await
    }
    async fn record_inbound(&self, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.record_inbound(sender, at).await
    }
    async fn record_verdict(&self, sender: &str, submission_id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.record_verdict(sender, submission_id, at).await
    }
    async fn last_verdict(&self, sender: &str) -> Result<Option<LastVerdict>, StoreError> {
        self.inner.last_verdict(sender).await
    }
    async fn store_feedback(&self, submission_id: Uuid, text: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.store_feedback(submission_id, text, at).await
    }
    async fn reply(&self, sid: &MessageSid, kind: ReplyKind) -> Result<Option<ReplyRecord>, StoreError> {
        self.inner.reply(sid, kind).await
    }
    async fn begin_reply(&self, sid: &MessageSid, kind: ReplyKind, to: &str, body: &str) -> Result<(), StoreError> {
        self.inner.begin_reply(sid, kind, to, body).await
    }
    async fn finish_reply(
        &self,
        sid: &MessageSid,
        kind: ReplyKind,
        result: Result<&str, &str>,
    ) -> Result<(), StoreError> {
        if self.crash_on_finish_reply.swap(false, Ordering::SeqCst) {
            return Err(crash());
        }
        self.inner.finish_reply(sid, kind, result).await
    }
}

pub(crate) fn crashing(pool: &PgPool, on_complete: bool, on_finish_reply: bool) -> Arc<CrashingStore> {
    Arc::new(CrashingStore {
        inner: PgStore::from_pool(pool.clone()),
        crash_on_complete: AtomicBool::new(on_complete),
        crash_on_finish_reply: AtomicBool::new(on_finish_reply),
    })
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_crash_after_the_reply_and_before_completion_sends_no_second_reply(pool: PgPool) {
    let twilio = twilio().await;
    let app = state_with(crashing(&pool, true, false), &twilio, Arc::new(OfflineAnalyzer), 1);
    let body = envelope(1, "Your account is locked, send the code we texted you");
    let first = process_batch(app.clone(), event(&[("m1", body.clone(), 1)]), deadline()).await;
    assert_eq!(
        first.response.batch_item_failures.len(),
        1,
        "the crash leaves the message for a retry"
    );
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);

    let retry = process_batch(app, event(&[("m1", body, 2)]), deadline()).await;
    assert!(retry.response.batch_item_failures.is_empty());
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1, "no second reply");
    assert_eq!(
        count(&pool, "SELECT count(*) FROM tipline_claims WHERE status = 'done'").await,
        1
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM b2b_pilot_user_submissions").await, 1);
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_crash_before_twilios_answer_was_recorded_is_not_resent(pool: PgPool) {
    let twilio = twilio().await;
    let app = state_with(crashing(&pool, false, true), &twilio, Arc::new(OfflineAnalyzer), 1);
    let body = envelope(1, "hello there");
    let first = process_batch(app.clone(), event(&[("m1", body.clone(), 1)]), deadline()).await;
    assert_eq!(first.response.batch_item_failures.len(), 1);
    let retry = process_batch(app, event(&[("m1", body, 2)]), deadline()).await;
    assert!(retry.response.batch_item_failures.is_empty());
    assert_eq!(
        sends_to(&twilio, &sender(1)).await,
        1,
        "an unrecorded send is never repeated"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_changed_payload_under_the_same_sid_is_refused_and_recorded(pool: PgPool) {
    let twilio = twilio().await;
    let app = state(&pool, &twilio);
    process_batch(
        app.clone(),
        event(&[("m1", envelope(1, "original text"), 1)]),
        deadline(),
    )
    .await;
    let forged = process_batch(
        app,
        event(&[("m1-forged", envelope(1, "different text"), 1)]),
        deadline(),
    )
    .await;
    assert!(
        forged.response.batch_item_failures.is_empty(),
        "permanent: acknowledged"
    );
    assert_eq!(forged.counts.permanent, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM tipline_payload_conflicts").await, 1);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
}
