//! The Postgres adapter for [`Store`]: production's database, through sqlx.

use std::time::Duration;

use async_trait::async_trait;
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::Row;
use uuid::Uuid;

use chrono::{DateTime, Utc};

use super::{
    media_keys_in, reply_columns, stored_text, BlockedSender, ClaimInfo, ClaimOutcome, DeletionRequest, DeletionState,
    Erased, GroupRecord, LastVerdict, LimitWindow, NewClaim, NewSubmission, ReplyKind, ReplyRecord, ReplyStatus, Route,
    SenderMedia, SenderStanding, Store, StoreError, Submission, TipAllowance, TipLimits, ERASED_SENDER,
};
use super::{AgedMedia, PSEUDONYM_PREFIX};
use crate::domain::MessageSid;

/// The one schema history, embedded so `tipline migrate` and the tests apply the same files.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

/// Postgres-backed store.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// A small, lazily connected pool: a Lambda instance runs one batch at a time, and
    /// concurrency × pool size must fit the server's `max_connections`.
    pub fn connect_lazy(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(5))
            .idle_timeout(Duration::from_secs(300))
            .connect_lazy(url)?;
        Ok(Self { pool })
    }

    /// Wraps an existing pool (tests).
    pub fn from_pool(pool: PgPool) -> Self {
        Self { pool }
    }

    /// The pool, for migrations and checks.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.pool).await
    }
}

#[async_trait]
impl Store for PgStore {
    async fn claim(&self, claim: &NewClaim) -> Result<ClaimOutcome, StoreError> {
        // One statement decides: insert a fresh claim, or take over one that is free (released,
        // or its lease ran out) and carries the same payload. Anything else is left untouched.
        let taken = sqlx::query(
            "INSERT INTO tipline_claims (message_sid, payload_hash, sender, status, lease_expires_at, received_at)
             VALUES ($1, $2, $3, 'processing', now() + make_interval(secs => $4), $5)
             ON CONFLICT (message_sid) DO UPDATE
                SET status = 'processing',
                    lease_expires_at = EXCLUDED.lease_expires_at,
                    attempts = tipline_claims.attempts + 1,
                    updated_at = now()
              WHERE tipline_claims.payload_hash = EXCLUDED.payload_hash
                AND (tipline_claims.status = 'released'
                     OR (tipline_claims.status = 'processing' AND tipline_claims.lease_expires_at < now()))
             RETURNING attempts",
        )
        .bind(claim.message_sid.as_str())
        .bind(&claim.payload_hash)
        .bind(&claim.sender)
        .bind(claim.lease.as_secs_f64())
        .bind(claim.received_at)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = taken {
            return Ok(ClaimOutcome::Claimed {
                attempts: row.try_get("attempts")?,
            });
        }
        let existing = sqlx::query("SELECT status, payload_hash FROM tipline_claims WHERE message_sid = $1")
            .bind(claim.message_sid.as_str())
            .fetch_optional(&self.pool)
            .await?;
        let Some(existing) = existing else {
            // Deleted between the two statements (by hand): let the next receive try again.
            return Ok(ClaimOutcome::Busy);
        };
        let status: String = existing.try_get("status")?;
        let hash: String = existing.try_get("payload_hash")?;
        Ok(if hash != claim.payload_hash {
            ClaimOutcome::Conflict
        } else if status == "done" {
            ClaimOutcome::AlreadyDone
        } else if status == "failed" {
            ClaimOutcome::AlreadyFailed
        } else {
            ClaimOutcome::Busy
        })
    }

    async fn release(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tipline_claims SET status = 'released', last_error = $2, lease_expires_at = now(), updated_at = now()
             WHERE message_sid = $1 AND status = 'processing'",
        )
        .bind(sid.as_str())
        .bind(stored_text(error))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn fail(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tipline_claims SET status = 'failed', last_error = $2, updated_at = now()
             WHERE message_sid = $1 AND status <> 'done'",
        )
        .bind(sid.as_str())
        .bind(stored_text(error))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn reopen(&self, sid: &MessageSid) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE tipline_claims SET status = 'released', lease_expires_at = now(), updated_at = now()
             WHERE message_sid = $1 AND status = 'failed'",
        )
        .bind(sid.as_str())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn complete(&self, sid: &MessageSid, submission_id: Option<Uuid>) -> Result<(), StoreError> {
        self.complete_group(std::slice::from_ref(sid), submission_id).await
    }

    async fn claim_info(&self, sid: &MessageSid) -> Result<Option<ClaimInfo>, StoreError> {
        let row = sqlx::query(
            "SELECT status, attempts, last_error, submission_id FROM tipline_claims WHERE message_sid = $1",
        )
        .bind(sid.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(ClaimInfo {
                status: row.try_get("status")?,
                attempts: row.try_get("attempts")?,
                last_error: row.try_get("last_error")?,
                submission_id: row.try_get("submission_id")?,
            })
        })
        .transpose()
    }

    async fn record_conflict(&self, sid: &MessageSid, payload_hash: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO tipline_payload_conflicts (message_sid, payload_hash) VALUES ($1, $2)")
            .bind(sid.as_str())
            .bind(payload_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record_rejected(&self, sqs_message_id: &str, reason: &str, body_excerpt: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO tipline_rejected_messages (sqs_message_id, reason, body_excerpt) VALUES ($1, $2, $3)")
            .bind(sqs_message_id)
            .bind(stored_text(reason))
            .bind(stored_text(body_excerpt))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn save_submission(&self, s: &NewSubmission) -> Result<Uuid, StoreError> {
        // The partial unique index makes a retried insert a no-op; the first row wins.
        let inserted = sqlx::query(
            "INSERT INTO b2b_pilot_user_submissions
                (id, message_id, phone_number, image_url, s3_key, prediction_result, confidence_score,
                 scam_label, processing_time_ms, input_text, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, (now() AT TIME ZONE 'utc'))
             ON CONFLICT (message_id) WHERE message_id IS NOT NULL DO NOTHING
             RETURNING id",
        )
        .bind(s.id)
        .bind(&s.message_id)
        .bind(&s.phone_number)
        .bind(&s.image_url)
        .bind(&s.s3_key)
        .bind(&s.prediction_result)
        .bind(s.confidence_score)
        .bind(&s.scam_label)
        .bind(s.processing_time_ms)
        .bind(&s.input_text)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = inserted {
            return Ok(row.try_get("id")?);
        }
        let row = sqlx::query("SELECT id FROM b2b_pilot_user_submissions WHERE message_id = $1")
            .bind(&s.message_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get("id")?)
    }

    async fn submission_by_message(&self, message_id: &str) -> Result<Option<Submission>, StoreError> {
        let row = sqlx::query(&format!("{SUBMISSION_COLUMNS} WHERE message_id = $1"))
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| submission_from_row(&row)).transpose()
    }

    async fn submission(&self, id: Uuid) -> Result<Option<Submission>, StoreError> {
        let row = sqlx::query(&format!("{SUBMISSION_COLUMNS} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| submission_from_row(&row)).transpose()
    }

    async fn record_inbound(&self, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_conversations (sender, last_inbound_at) VALUES ($1, $2)
             ON CONFLICT (sender) DO UPDATE
                SET last_inbound_at = GREATEST(tipline_conversations.last_inbound_at, EXCLUDED.last_inbound_at),
                    updated_at = now()",
        )
        .bind(sender)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_verdict(&self, sender: &str, submission_id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        // A retried, older verdict never replaces a newer one.
        sqlx::query(
            "INSERT INTO tipline_conversations (sender, last_submission_id, last_verdict_at, last_inbound_at)
             VALUES ($1, $2, $3, $3)
             ON CONFLICT (sender) DO UPDATE
                SET last_submission_id = EXCLUDED.last_submission_id,
                    last_verdict_at = EXCLUDED.last_verdict_at,
                    updated_at = now()
              WHERE tipline_conversations.last_verdict_at IS NULL
                 OR tipline_conversations.last_verdict_at <= EXCLUDED.last_verdict_at",
        )
        .bind(sender)
        .bind(submission_id)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn last_verdict(&self, sender: &str) -> Result<Option<LastVerdict>, StoreError> {
        let row = sqlx::query(
            "SELECT c.last_submission_id, c.last_verdict_at, s.feedback_text
               FROM tipline_conversations c
               JOIN b2b_pilot_user_submissions s ON s.id = c.last_submission_id
              WHERE c.sender = $1 AND c.last_verdict_at IS NOT NULL",
        )
        .bind(sender)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(LastVerdict {
                submission_id: row.try_get("last_submission_id")?,
                at: row.try_get("last_verdict_at")?,
                feedback_text: row.try_get("feedback_text")?,
            })
        })
        .transpose()
    }

    async fn store_feedback(&self, submission_id: Uuid, text: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        // The inherited column is a TIMESTAMP without zone, written in UTC like created_at.
        sqlx::query(
            "UPDATE b2b_pilot_user_submissions
                SET feedback_text = $2, feedback_timestamp = ($3 AT TIME ZONE 'utc')
              WHERE id = $1",
        )
        .bind(submission_id)
        .bind(text)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn reply(&self, sid: &MessageSid, kind: ReplyKind) -> Result<Option<ReplyRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT status, to_address, body, twilio_sid, created_at FROM tipline_replies
              WHERE message_sid = $1 AND kind = $2",
        )
        .bind(sid.as_str())
        .bind(kind.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(ReplyRecord {
                kind,
                status: ReplyStatus::parse(row.try_get::<&str, _>("status")?),
                to_address: row.try_get("to_address")?,
                body: row.try_get("body")?,
                twilio_sid: row.try_get("twilio_sid")?,
                began_at: row.try_get("created_at")?,
            })
        })
        .transpose()
    }

    async fn begin_reply(&self, sid: &MessageSid, kind: ReplyKind, to: &str, body: &str) -> Result<(), StoreError> {
        // Only a reply Twilio refused may be attempted again; a 'sending' or 'sent' row stays.
        sqlx::query(
            "INSERT INTO tipline_replies (message_sid, kind, to_address, body, status)
             VALUES ($1, $2, $3, $4, 'sending')
             ON CONFLICT (message_sid, kind) DO UPDATE
                SET status = 'sending', body = EXCLUDED.body, error = NULL, created_at = now()
              WHERE tipline_replies.status = 'failed'",
        )
        .bind(sid.as_str())
        .bind(kind.as_str())
        .bind(to)
        .bind(body)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn join_group(&self, members: &[MessageSid]) -> Result<GroupRecord, StoreError> {
        let sids: Vec<&str> = members.iter().map(MessageSid::as_str).collect();
        let Some(first) = sids.first() else {
            return Err(StoreError(sqlx::Error::Protocol(
                "a group needs at least one message".into(),
            )));
        };
        let mut tx = self.pool.begin().await?;
        let existing = sqlx::query(
            "SELECT g.group_sid, g.route, g.feedback_submission_id
               FROM tipline_group_members m JOIN tipline_groups g ON g.group_sid = m.group_sid
              WHERE m.message_sid = ANY($1)
              ORDER BY g.created_at, g.group_sid
              LIMIT 1",
        )
        .bind(&sids)
        .fetch_optional(&mut *tx)
        .await?;
        let record = match existing {
            Some(row) => {
                let key: String = row.try_get("group_sid")?;
                let route: Option<String> = row.try_get("route")?;
                let feedback: Option<Uuid> = row.try_get("feedback_submission_id")?;
                GroupRecord {
                    key: MessageSid::parse(&key).map_err(|e| StoreError(sqlx::Error::Decode(Box::new(e))))?,
                    route: route.and_then(|r| Route::parse(&r, feedback)),
                }
            }
            None => {
                sqlx::query("INSERT INTO tipline_groups (group_sid) VALUES ($1) ON CONFLICT DO NOTHING")
                    .bind(first)
                    .execute(&mut *tx)
                    .await?;
                GroupRecord {
                    key: members[0].clone(),
                    route: None,
                }
            }
        };
        sqlx::query(
            "INSERT INTO tipline_group_members (message_sid, group_sid)
             SELECT sid, $2 FROM unnest($1::text[]) AS sid
             ON CONFLICT (message_sid) DO NOTHING",
        )
        .bind(&sids)
        .bind(record.key.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(record)
    }

    async fn set_route(&self, key: &MessageSid, route: Route) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tipline_groups SET route = $2, feedback_submission_id = $3
              WHERE group_sid = $1 AND route IS NULL",
        )
        .bind(key.as_str())
        .bind(route.as_str())
        .bind(route.submission())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn complete_group(&self, members: &[MessageSid], submission_id: Option<Uuid>) -> Result<(), StoreError> {
        let sids: Vec<&str> = members.iter().map(MessageSid::as_str).collect();
        // One statement: every member is done, or (on any error) none is.
        sqlx::query(
            "UPDATE tipline_claims SET status = 'done', submission_id = COALESCE($2, submission_id), updated_at = now()
             WHERE message_sid = ANY($1)",
        )
        .bind(&sids)
        .bind(submission_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn keep_for_replay(&self, sid: &MessageSid, envelope: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_replayable (message_sid, envelope) VALUES ($1, $2)
             ON CONFLICT (message_sid) DO UPDATE SET envelope = EXCLUDED.envelope, kept_at = now()",
        )
        .bind(sid.as_str())
        .bind(envelope)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn replayable(&self, sid: &MessageSid) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT envelope FROM tipline_replayable WHERE message_sid = $1")
                .bind(sid.as_str())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    async fn claim_privacy_notice(
        &self,
        sender: &str,
        key: &MessageSid,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let holder: Option<String> = sqlx::query_scalar(
            "INSERT INTO tipline_conversations (sender, last_inbound_at, privacy_notice_sid) VALUES ($1, $3, $2)
             ON CONFLICT (sender) DO UPDATE
                SET privacy_notice_sid = COALESCE(tipline_conversations.privacy_notice_sid, EXCLUDED.privacy_notice_sid),
                    updated_at = now()
             RETURNING privacy_notice_sid",
        )
        .bind(sender)
        .bind(key.as_str())
        .bind(at)
        .fetch_one(&self.pool)
        .await?;
        Ok(holder.as_deref() == Some(key.as_str()))
    }

    async fn request_deletion(&self, key: &MessageSid, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_deletion_requests (request_sid, sender, state, requested_at)
             VALUES ($1, $2, 'pending', $3) ON CONFLICT (request_sid) DO NOTHING",
        )
        .bind(key.as_str())
        .bind(sender)
        .bind(at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn pending_deletion(
        &self,
        sender: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<DeletionRequest>, StoreError> {
        let row = sqlx::query(
            "SELECT request_sid, state, requested_at FROM tipline_deletion_requests
              WHERE sender = $1 AND state = 'pending' AND requested_at >= $2
              ORDER BY requested_at DESC LIMIT 1",
        )
        .bind(sender)
        .bind(since)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| deletion_from_row(&row)).transpose()
    }

    async fn confirm_deletion(&self, request: &MessageSid, confirm: &MessageSid) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE tipline_deletion_requests SET state = 'confirmed', confirm_sid = $2, confirmed_at = now()
              WHERE request_sid = $1 AND state = 'pending'",
        )
        .bind(request.as_str())
        .bind(confirm.as_str())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1 || self.deletion_confirmed_by(confirm).await?.is_some())
    }

    async fn deletion_confirmed_by(&self, confirm: &MessageSid) -> Result<Option<DeletionRequest>, StoreError> {
        let row = sqlx::query(
            "SELECT request_sid, state, requested_at FROM tipline_deletion_requests WHERE confirm_sid = $1",
        )
        .bind(confirm.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| deletion_from_row(&row)).transpose()
    }

    async fn sender_media(&self, sender: &str) -> Result<SenderMedia, StoreError> {
        let messages = sqlx::query("SELECT message_sid, received_at FROM tipline_claims WHERE sender = $1")
            .bind(sender)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let sid: String = row.try_get("message_sid")?;
                let sid = MessageSid::parse(&sid).map_err(|e| StoreError(sqlx::Error::Decode(Box::new(e))))?;
                Ok((sid, row.try_get("received_at")?))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let mut keys = Vec::new();
        for row in sqlx::query(
            "SELECT s3_key, prediction_result FROM b2b_pilot_user_submissions
              WHERE phone_number = $1
                 OR message_id IN (SELECT message_sid FROM tipline_claims WHERE sender = $1)",
        )
        .bind(sender)
        .fetch_all(&self.pool)
        .await?
        {
            let prediction: Option<serde_json::Value> = row.try_get("prediction_result")?;
            keys.extend(row.try_get::<Option<String>, _>("s3_key")?);
            keys.extend(media_keys_in(prediction.as_ref()));
        }
        keys.sort();
        keys.dedup();
        Ok(SenderMedia { messages, keys })
    }

    async fn erase_sender(&self, sender: &str, request: &MessageSid) -> Result<Erased, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The sender's submissions: by number, and by the group keys of their messages (a row
        // whose number was already pseudonymized by retention is still theirs).
        sqlx::query(
            "CREATE TEMP TABLE erase_submissions ON COMMIT DROP AS
             SELECT id FROM b2b_pilot_user_submissions
              WHERE phone_number = $1
                 OR message_id IN (SELECT message_sid FROM tipline_claims WHERE sender = $1)",
        )
        .bind(sender)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE tipline_groups SET feedback_submission_id = NULL
              WHERE feedback_submission_id IN (SELECT id FROM erase_submissions)",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE tipline_claims SET submission_id = NULL WHERE submission_id IN (SELECT id FROM erase_submissions)",
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM tipline_conversations
              WHERE sender = $1 OR last_submission_id IN (SELECT id FROM erase_submissions)",
        )
        .bind(sender)
        .execute(&mut *tx)
        .await?;
        // The limits' bookkeeping names the sender too; a sender erased starts afresh.
        for statement in [
            "DELETE FROM tipline_tip_log WHERE sender = $1",
            "DELETE FROM tipline_limit_notices WHERE sender = $1",
        ] {
            sqlx::query(statement).bind(sender).execute(&mut *tx).await?;
        }
        let replies = sqlx::query(
            "DELETE FROM tipline_replies
              WHERE to_address = $1 OR message_sid IN (SELECT message_sid FROM tipline_claims WHERE sender = $1)",
        )
        .bind(sender)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "DELETE FROM tipline_replayable WHERE message_sid IN (SELECT message_sid FROM tipline_claims WHERE sender = $1)",
        )
        .bind(sender)
        .execute(&mut *tx)
        .await?;
        let submissions =
            sqlx::query("DELETE FROM b2b_pilot_user_submissions WHERE id IN (SELECT id FROM erase_submissions)")
                .execute(&mut *tx)
                .await?
                .rows_affected();
        let claims_kept = sqlx::query(
            "UPDATE tipline_claims SET sender = $2, last_error = NULL, updated_at = now() WHERE sender = $1",
        )
        .bind(sender)
        .bind(ERASED_SENDER)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "UPDATE tipline_deletion_requests
                SET sender = NULL, state = 'done', completed_at = COALESCE(completed_at, now())
              WHERE request_sid = $2 OR sender = $1",
        )
        .bind(sender)
        .bind(request.as_str())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Erased {
            submissions,
            replies,
            claims_kept,
        })
    }

    async fn export_sender(&self, sender: &str) -> Result<serde_json::Value, StoreError> {
        Ok(sqlx::query_scalar(
            "WITH mine AS (SELECT message_sid FROM tipline_claims WHERE sender = $1)
             SELECT jsonb_build_object(
                'sender', $1::text,
                'submissions', COALESCE((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.created_at)
                    FROM b2b_pilot_user_submissions s
                   WHERE s.phone_number = $1 OR s.message_id IN (SELECT message_sid FROM mine)), '[]'::jsonb),
                'conversation', (SELECT to_jsonb(c) FROM tipline_conversations c WHERE c.sender = $1),
                'messages', COALESCE((SELECT jsonb_agg(jsonb_build_object('message_sid', message_sid, 'status', status,
                        'received_at', received_at, 'attempts', attempts) ORDER BY received_at)
                    FROM tipline_claims WHERE sender = $1), '[]'::jsonb),
                'replies', COALESCE((SELECT jsonb_agg(jsonb_build_object('message_sid', r.message_sid, 'kind', r.kind,
                        'status', r.status, 'body', r.body, 'created_at', r.created_at, 'sent_at', r.sent_at)
                        ORDER BY r.created_at)
                    FROM tipline_replies r
                   WHERE r.to_address = $1 OR r.message_sid IN (SELECT message_sid FROM mine)), '[]'::jsonb),
                'deletion_requests', COALESCE((SELECT jsonb_agg(jsonb_build_object('request_sid', request_sid,
                        'state', state, 'requested_at', requested_at) ORDER BY requested_at)
                    FROM tipline_deletion_requests WHERE sender = $1), '[]'::jsonb))",
        )
        .bind(sender)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn record_twilio_media(
        &self,
        media_url: &str,
        sid: &MessageSid,
        result: Result<(), &str>,
    ) -> Result<(), StoreError> {
        let error = result.err().map(stored_text);
        sqlx::query(
            "INSERT INTO tipline_twilio_media (media_url, message_sid, deleted_at, attempts, last_error)
             VALUES ($1, $2, CASE WHEN $3::text IS NULL THEN now() END, 1, $3)
             ON CONFLICT (media_url) DO UPDATE
                SET deleted_at = COALESCE(tipline_twilio_media.deleted_at, EXCLUDED.deleted_at),
                    attempts = tipline_twilio_media.attempts + 1,
                    last_error = EXCLUDED.last_error",
        )
        .bind(media_url)
        .bind(sid.as_str())
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn twilio_media_pending(&self, limit: u32) -> Result<Vec<(String, MessageSid)>, StoreError> {
        sqlx::query(
            "SELECT media_url, message_sid FROM tipline_twilio_media WHERE deleted_at IS NULL
              ORDER BY stored_at LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let sid: String = row.try_get("message_sid")?;
            let sid = MessageSid::parse(&sid).map_err(|e| StoreError(sqlx::Error::Decode(Box::new(e))))?;
            Ok((row.try_get("media_url")?, sid))
        })
        .collect()
    }

    async fn senders_to_pseudonymize(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT sender FROM (
                SELECT sender FROM tipline_claims
                 WHERE received_at < $1 AND sender <> $3 AND sender NOT LIKE $4 || '%'
                UNION
                SELECT phone_number FROM b2b_pilot_user_submissions
                 WHERE created_at < ($1 AT TIME ZONE 'utc') AND phone_number IS NOT NULL
                   AND phone_number NOT LIKE $4 || '%'
             ) AS aged ORDER BY sender LIMIT $2",
        )
        .bind(before)
        .bind(i64::from(limit))
        .bind(ERASED_SENDER)
        .bind(PSEUDONYM_PREFIX)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn pseudonymize_sender(
        &self,
        sender: &str,
        pseudonym: &str,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut changed = 0;
        // Every statement takes the same three parameters (the last one names the pseudonym
        // only to use it): one loop, one binding order.
        for statement in [
            "UPDATE b2b_pilot_user_submissions SET phone_number = $2
              WHERE phone_number = $1 AND created_at < ($3 AT TIME ZONE 'utc')",
            "UPDATE tipline_claims SET sender = $2 WHERE sender = $1 AND received_at < $3",
            "UPDATE tipline_replies SET to_address = $2 WHERE to_address = $1 AND created_at < $3",
            "UPDATE tipline_deletion_requests SET sender = $2 WHERE sender = $1 AND requested_at < $3",
            "DELETE FROM tipline_conversations WHERE sender = $1 AND last_inbound_at < $3 AND $2 <> ''",
        ] {
            changed += sqlx::query(statement)
                .bind(sender)
                .bind(pseudonym)
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok(changed)
    }

    async fn media_older_than(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<AgedMedia>, StoreError> {
        sqlx::query(
            "SELECT id, s3_key, prediction_result FROM b2b_pilot_user_submissions
              WHERE created_at < ($1 AT TIME ZONE 'utc')
                AND (s3_key IS NOT NULL OR image_url IS NOT NULL OR prediction_result -> 'media' IS NOT NULL)
              ORDER BY created_at LIMIT $2",
        )
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let prediction: Option<serde_json::Value> = row.try_get("prediction_result")?;
            let mut keys: Vec<String> = row.try_get::<Option<String>, _>("s3_key")?.into_iter().collect();
            keys.extend(media_keys_in(prediction.as_ref()));
            keys.sort();
            keys.dedup();
            Ok(AgedMedia {
                submission_id: row.try_get("id")?,
                keys,
            })
        })
        .collect()
    }

    async fn forget_media(&self, submission_id: Uuid) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE b2b_pilot_user_submissions
                SET s3_key = NULL, image_url = NULL, prediction_result = prediction_result - 'media'
              WHERE id = $1",
        )
        .bind(submission_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn text_older_than(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM b2b_pilot_user_submissions
              WHERE created_at < ($1 AT TIME ZONE 'utc') AND (input_text IS NOT NULL OR feedback_text IS NOT NULL)
              ORDER BY created_at LIMIT $2",
        )
        .bind(before)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?)
    }

    async fn erase_text(&self, submission_ids: &[Uuid], before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let erased = sqlx::query(
            "UPDATE b2b_pilot_user_submissions SET input_text = NULL, feedback_text = NULL WHERE id = ANY($1)",
        )
        .bind(submission_ids)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        for statement in [
            "DELETE FROM tipline_replayable WHERE kept_at < $1",
            "DELETE FROM tipline_rejected_messages WHERE seen_at < $1",
            "UPDATE tipline_replies SET body = '' WHERE created_at < $1 AND body <> ''",
        ] {
            sqlx::query(statement).bind(before).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(erased)
    }

    async fn finish_reply(
        &self,
        sid: &MessageSid,
        kind: ReplyKind,
        result: Result<&str, &str>,
    ) -> Result<(), StoreError> {
        let (status, twilio_sid, error) = reply_columns(result);
        sqlx::query(
            "UPDATE tipline_replies SET status = $3, twilio_sid = $4, error = $5,
                    sent_at = CASE WHEN $3 = 'sent' THEN now() ELSE sent_at END
              WHERE message_sid = $1 AND kind = $2",
        )
        .bind(sid.as_str())
        .bind(kind.as_str())
        .bind(status)
        .bind(twilio_sid)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn standing(&self, sender: &str) -> Result<SenderStanding, StoreError> {
        let row = sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM tipline_blocked_senders WHERE sender = $1) AS blocked,
                    EXISTS (SELECT 1 FROM tipline_opt_outs WHERE sender = $1) AS opted_out,
                    (SELECT last_inbound_at FROM tipline_conversations WHERE sender = $1) AS last_inbound_at",
        )
        .bind(sender)
        .fetch_one(&self.pool)
        .await?;
        Ok(SenderStanding {
            blocked: row.try_get("blocked")?,
            opted_out: row.try_get("opted_out")?,
            last_inbound_at: row.try_get("last_inbound_at")?,
        })
    }

    async fn opt_out(&self, sender: &str, key: &MessageSid, source: &str) -> Result<bool, StoreError> {
        sqlx::query(
            "INSERT INTO tipline_opt_outs (sender, group_sid, source) VALUES ($1, $2, $3)
             ON CONFLICT (sender) DO NOTHING",
        )
        .bind(sender)
        .bind(key.as_str())
        .bind(source)
        .execute(&self.pool)
        .await?;
        let holder: Option<String> = sqlx::query_scalar("SELECT group_sid FROM tipline_opt_outs WHERE sender = $1")
            .bind(sender)
            .fetch_optional(&self.pool)
            .await?;
        Ok(holder.as_deref() == Some(key.as_str()))
    }

    async fn opt_in(&self, sender: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM tipline_opt_outs WHERE sender = $1")
            .bind(sender)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record_unsent(
        &self,
        sid: &MessageSid,
        kind: ReplyKind,
        to: &str,
        body: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_replies (message_sid, kind, to_address, body, status, error)
             VALUES ($1, $2, $3, $4, 'not_sent', $5)
             ON CONFLICT (message_sid, kind) DO UPDATE
                SET status = 'not_sent', error = EXCLUDED.error
              WHERE tipline_replies.status <> 'sent'",
        )
        .bind(sid.as_str())
        .bind(kind.as_str())
        .bind(to)
        .bind(body)
        .bind(stored_text(reason))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn take_tip(&self, sender: &str, key: &MessageSid, limits: TipLimits) -> Result<TipAllowance, StoreError> {
        let mut tx = self.pool.begin().await?;
        // One sender's groups take their turn: two batches counting at once must not both take
        // the last tip of the day.
        sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7316))")
            .bind(sender)
            .execute(&mut *tx)
            .await?;
        let counted: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tipline_tip_log WHERE group_sid = $1)")
            .bind(key.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if counted {
            tx.commit().await?;
            return Ok(TipAllowance::Allowed);
        }
        let row = sqlx::query(
            "SELECT count(*) FILTER (WHERE at > now() - interval '1 hour') AS hour,
                    count(*) AS day,
                    min(at) FILTER (WHERE at > now() - interval '1 hour') AS oldest_hour,
                    min(at) AS oldest_day
               FROM tipline_tip_log WHERE sender = $1 AND at > now() - interval '24 hours'",
        )
        .bind(sender)
        .fetch_one(&mut *tx)
        .await?;
        let hour: i64 = row.try_get("hour")?;
        let day: i64 = row.try_get("day")?;
        if hour < i64::from(limits.per_hour) && day < i64::from(limits.per_day) {
            sqlx::query("INSERT INTO tipline_tip_log (group_sid, sender) VALUES ($1, $2)")
                .bind(key.as_str())
                .bind(sender)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(TipAllowance::Allowed);
        }
        let (window, oldest): (LimitWindow, Option<DateTime<Utc>>) = if day >= i64::from(limits.per_day) {
            (LimitWindow::Day, row.try_get("oldest_day")?)
        } else {
            (LimitWindow::Hour, row.try_get("oldest_hour")?)
        };
        let until = oldest.unwrap_or_else(Utc::now)
            + chrono::Duration::from_std(window.length()).unwrap_or(chrono::Duration::MAX);
        // A new notice only once the last one's window has passed; the group holding it keeps it.
        sqlx::query(
            "INSERT INTO tipline_limit_notices (sender, group_sid, until) VALUES ($1, $2, $3)
             ON CONFLICT (sender) DO UPDATE SET group_sid = EXCLUDED.group_sid, until = EXCLUDED.until
              WHERE tipline_limit_notices.until <= now()",
        )
        .bind(sender)
        .bind(key.as_str())
        .bind(until)
        .execute(&mut *tx)
        .await?;
        let holder: String = sqlx::query_scalar("SELECT group_sid FROM tipline_limit_notices WHERE sender = $1")
            .bind(sender)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(TipAllowance::Limited {
            window,
            notify: holder == key.as_str(),
        })
    }

    async fn block_sender(&self, sender: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("INSERT INTO tipline_blocked_senders (sender) VALUES ($1) ON CONFLICT DO NOTHING")
            .bind(sender)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn unblock_sender(&self, sender: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM tipline_blocked_senders WHERE sender = $1")
            .bind(sender)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn blocked_senders(&self) -> Result<Vec<BlockedSender>, StoreError> {
        let rows = sqlx::query("SELECT sender, blocked_at FROM tipline_blocked_senders ORDER BY blocked_at, sender")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(BlockedSender {
                    sender: row.try_get("sender")?,
                    blocked_at: row.try_get("blocked_at")?,
                })
            })
            .collect()
    }
}

const SUBMISSION_COLUMNS: &str =
    "SELECT id, message_id, phone_number, scam_label, confidence_score, input_text, s3_key,
        image_url, prediction_result, feedback_text, feedback_timestamp
   FROM b2b_pilot_user_submissions";

fn deletion_from_row(row: &sqlx::postgres::PgRow) -> Result<DeletionRequest, StoreError> {
    let sid: String = row.try_get("request_sid")?;
    Ok(DeletionRequest {
        request_sid: MessageSid::parse(&sid).map_err(|e| StoreError(sqlx::Error::Decode(Box::new(e))))?,
        state: DeletionState::parse(row.try_get::<&str, _>("state")?),
        requested_at: row.try_get("requested_at")?,
    })
}

fn submission_from_row(row: &sqlx::postgres::PgRow) -> Result<Submission, StoreError> {
    Ok(Submission {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        phone_number: row.try_get("phone_number")?,
        scam_label: row.try_get("scam_label")?,
        confidence_score: row.try_get("confidence_score")?,
        input_text: row.try_get("input_text")?,
        s3_key: row.try_get("s3_key")?,
        image_url: row.try_get("image_url")?,
        prediction_result: row.try_get("prediction_result")?,
        feedback_text: row.try_get("feedback_text")?,
        feedback_timestamp: row.try_get("feedback_timestamp")?,
    })
}
