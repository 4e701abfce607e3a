//! The SQLite adapter for [`Store`]: the local stack's embedded database, one file, no server.
//!
//! It keeps the same records and the same guarantees as Postgres; the store contract tests run
//! against both. SQLite serialises writers, so each claim is still one atomic statement.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions};
use sqlx::Row;
use uuid::Uuid;

use super::{
    media_keys_in, reply_columns, stored_text, BlockedSender, ClaimInfo, ClaimOutcome, DeletionRequest, DeletionState,
    Erased, GroupRecord, LastVerdict, LimitWindow, NewClaim, NewSubmission, ReplyKind, ReplyRecord, ReplyStatus, Route,
    SenderMedia, SenderStanding, Store, StoreError, Submission, TipAllowance, TipLimits, ERASED_SENDER,
};
use super::{AgedMedia, PSEUDONYM_PREFIX};
use crate::domain::MessageSid;

/// The SQLite schema history (`migrations/sqlite/`).
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");

/// SQLite-backed store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

fn now_text() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn text_time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// How the inherited zone-less `feedback_timestamp` is written: UTC, as Postgres's TIMESTAMP.
const NAIVE_FORMAT: &str = "%Y-%m-%d %H:%M:%S%.3f";

fn decode_error(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError(sqlx::Error::Decode(Box::new(error)))
}

fn parse_time(raw: String) -> Result<DateTime<Utc>, StoreError> {
    Ok(DateTime::parse_from_rfc3339(&raw)
        .map_err(decode_error)?
        .with_timezone(&Utc))
}

fn parse_uuid(raw: Option<String>) -> Result<Option<Uuid>, StoreError> {
    raw.map(|s| Uuid::parse_str(&s).map_err(decode_error)).transpose()
}

const SUBMISSION_COLUMNS: &str =
    "SELECT id, message_id, phone_number, scam_label, confidence_score, input_text, s3_key,
        image_url, prediction_result, feedback_text, feedback_timestamp
   FROM b2b_pilot_user_submissions";

/// The sender's submissions (`?1`): by number, and by the group keys of their messages (a row
/// whose number retention already pseudonymized is still theirs).
const OF_SENDER: &str = "WHERE phone_number = ?1
    OR message_id IN (SELECT message_sid FROM tipline_claims WHERE sender = ?1)";

fn deletion_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<DeletionRequest, StoreError> {
    let sid: String = row.try_get("request_sid")?;
    Ok(DeletionRequest {
        request_sid: MessageSid::parse(&sid).map_err(decode_error)?,
        state: DeletionState::parse(row.try_get::<&str, _>("state")?),
        requested_at: parse_time(row.try_get("requested_at")?)?,
    })
}

fn submission_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Submission, StoreError> {
    let prediction: Option<String> = row.try_get("prediction_result")?;
    let feedback_at: Option<String> = row.try_get("feedback_timestamp")?;
    Ok(Submission {
        id: parse_uuid(row.try_get("id")?)?.unwrap_or_default(),
        message_id: row.try_get("message_id")?,
        phone_number: row.try_get("phone_number")?,
        scam_label: row.try_get("scam_label")?,
        confidence_score: row.try_get("confidence_score")?,
        input_text: row.try_get("input_text")?,
        s3_key: row.try_get("s3_key")?,
        image_url: row.try_get("image_url")?,
        prediction_result: prediction.and_then(|p| serde_json::from_str(&p).ok()),
        feedback_text: row.try_get("feedback_text")?,
        feedback_timestamp: feedback_at
            .map(|t| chrono::NaiveDateTime::parse_from_str(&t, NAIVE_FORMAT).map_err(decode_error))
            .transpose()?,
    })
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `url` (`sqlite://path` or `sqlite::memory:`).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        // An in-memory database exists per connection, so it gets exactly one.
        let max = if url.contains(":memory:") { 1 } else { 4 };
        let pool = SqlitePoolOptions::new()
            .max_connections(max)
            .connect_with(options)
            .await?;
        Ok(Self { pool })
    }

    /// The pool, for checks.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        MIGRATOR.run(&self.pool).await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn claim(&self, claim: &NewClaim) -> Result<ClaimOutcome, StoreError> {
        let now = now_ms();
        let lease_until = now + i64::try_from(claim.lease.as_millis()).unwrap_or(i64::MAX / 2);
        let taken = sqlx::query(
            "INSERT INTO tipline_claims
                (message_sid, payload_hash, sender, status, lease_expires_at_ms, received_at, created_at, updated_at)
             VALUES (?1, ?2, ?3, 'processing', ?4, ?5, ?6, ?6)
             ON CONFLICT (message_sid) DO UPDATE
                SET status = 'processing',
                    lease_expires_at_ms = excluded.lease_expires_at_ms,
                    attempts = tipline_claims.attempts + 1,
                    updated_at = excluded.updated_at
              WHERE tipline_claims.payload_hash = excluded.payload_hash
                AND (tipline_claims.status = 'released'
                     OR (tipline_claims.status = 'processing' AND tipline_claims.lease_expires_at_ms < ?7))
             RETURNING attempts",
        )
        .bind(claim.message_sid.as_str())
        .bind(&claim.payload_hash)
        .bind(&claim.sender)
        .bind(lease_until)
        .bind(claim.received_at.to_rfc3339_opts(SecondsFormat::Millis, true))
        .bind(now_text())
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(row) = taken {
            return Ok(ClaimOutcome::Claimed {
                attempts: row.try_get::<i64, _>("attempts")? as i32,
            });
        }
        let existing = sqlx::query("SELECT status, payload_hash FROM tipline_claims WHERE message_sid = ?1")
            .bind(claim.message_sid.as_str())
            .fetch_optional(&self.pool)
            .await?;
        let Some(existing) = existing else {
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
            "UPDATE tipline_claims SET status = 'released', last_error = ?2, lease_expires_at_ms = ?3, updated_at = ?4
             WHERE message_sid = ?1 AND status = 'processing'",
        )
        .bind(sid.as_str())
        .bind(stored_text(error))
        .bind(now_ms())
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn fail(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tipline_claims SET status = 'failed', last_error = ?2, updated_at = ?3
             WHERE message_sid = ?1 AND status <> 'done'",
        )
        .bind(sid.as_str())
        .bind(stored_text(error))
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn reopen(&self, sid: &MessageSid) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE tipline_claims SET status = 'released', lease_expires_at_ms = ?2, updated_at = ?3
             WHERE message_sid = ?1 AND status = 'failed'",
        )
        .bind(sid.as_str())
        .bind(now_ms())
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    async fn complete(&self, sid: &MessageSid, submission_id: Option<Uuid>) -> Result<(), StoreError> {
        self.complete_group(std::slice::from_ref(sid), submission_id).await
    }

    async fn claim_info(&self, sid: &MessageSid) -> Result<Option<ClaimInfo>, StoreError> {
        let row = sqlx::query(
            "SELECT status, attempts, last_error, submission_id FROM tipline_claims WHERE message_sid = ?1",
        )
        .bind(sid.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(ClaimInfo {
                status: row.try_get("status")?,
                attempts: row.try_get::<i64, _>("attempts")? as i32,
                last_error: row.try_get("last_error")?,
                submission_id: parse_uuid(row.try_get("submission_id")?)?,
            })
        })
        .transpose()
    }

    async fn record_conflict(&self, sid: &MessageSid, payload_hash: &str) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO tipline_payload_conflicts (message_sid, payload_hash, seen_at) VALUES (?1, ?2, ?3)")
            .bind(sid.as_str())
            .bind(payload_hash)
            .bind(now_text())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn record_rejected(&self, sqs_message_id: &str, reason: &str, body_excerpt: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_rejected_messages (sqs_message_id, reason, body_excerpt, seen_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(sqs_message_id)
        .bind(stored_text(reason))
        .bind(stored_text(body_excerpt))
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn save_submission(&self, s: &NewSubmission) -> Result<Uuid, StoreError> {
        let inserted = sqlx::query(
            "INSERT INTO b2b_pilot_user_submissions
                (id, message_id, phone_number, image_url, s3_key, prediction_result, confidence_score,
                 scam_label, processing_time_ms, input_text, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT (message_id) WHERE message_id IS NOT NULL DO NOTHING
             RETURNING id",
        )
        .bind(s.id.to_string())
        .bind(&s.message_id)
        .bind(&s.phone_number)
        .bind(&s.image_url)
        .bind(&s.s3_key)
        .bind(s.prediction_result.to_string())
        .bind(s.confidence_score)
        .bind(&s.scam_label)
        .bind(s.processing_time_ms)
        .bind(&s.input_text)
        .bind(now_text())
        .fetch_optional(&self.pool)
        .await?;
        let id: String = match inserted {
            Some(row) => row.try_get("id")?,
            None => sqlx::query("SELECT id FROM b2b_pilot_user_submissions WHERE message_id = ?1")
                .bind(&s.message_id)
                .fetch_one(&self.pool)
                .await?
                .try_get("id")?,
        };
        Ok(parse_uuid(Some(id))?.unwrap_or(s.id))
    }

    async fn submission_by_message(&self, message_id: &str) -> Result<Option<Submission>, StoreError> {
        let row = sqlx::query(&format!("{SUBMISSION_COLUMNS} WHERE message_id = ?1"))
            .bind(message_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| submission_from_row(&row)).transpose()
    }

    async fn submission(&self, id: Uuid) -> Result<Option<Submission>, StoreError> {
        let row = sqlx::query(&format!("{SUBMISSION_COLUMNS} WHERE id = ?1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| submission_from_row(&row)).transpose()
    }

    async fn record_inbound(&self, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_conversations (sender, last_inbound_at, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (sender) DO UPDATE
                SET last_inbound_at = max(tipline_conversations.last_inbound_at, excluded.last_inbound_at),
                    updated_at = excluded.updated_at",
        )
        .bind(sender)
        .bind(text_time(at))
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn record_verdict(&self, sender: &str, submission_id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        // A retried, older verdict never replaces a newer one (same-format text compares as time).
        sqlx::query(
            "INSERT INTO tipline_conversations (sender, last_submission_id, last_verdict_at, last_inbound_at, updated_at)
             VALUES (?1, ?2, ?3, ?3, ?4)
             ON CONFLICT (sender) DO UPDATE
                SET last_submission_id = excluded.last_submission_id,
                    last_verdict_at = excluded.last_verdict_at,
                    updated_at = excluded.updated_at
              WHERE tipline_conversations.last_verdict_at IS NULL
                 OR tipline_conversations.last_verdict_at <= excluded.last_verdict_at",
        )
        .bind(sender)
        .bind(submission_id.to_string())
        .bind(text_time(at))
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn last_verdict(&self, sender: &str) -> Result<Option<LastVerdict>, StoreError> {
        let row = sqlx::query(
            "SELECT c.last_submission_id, c.last_verdict_at, s.feedback_text
               FROM tipline_conversations c
               JOIN b2b_pilot_user_submissions s ON s.id = c.last_submission_id
              WHERE c.sender = ?1 AND c.last_verdict_at IS NOT NULL",
        )
        .bind(sender)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let at: String = row.try_get("last_verdict_at")?;
            Ok(LastVerdict {
                submission_id: parse_uuid(row.try_get("last_submission_id")?)?.unwrap_or_default(),
                at: parse_time(at)?,
                feedback_text: row.try_get("feedback_text")?,
            })
        })
        .transpose()
    }

    async fn store_feedback(&self, submission_id: Uuid, text: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE b2b_pilot_user_submissions SET feedback_text = ?2, feedback_timestamp = ?3 WHERE id = ?1")
            .bind(submission_id.to_string())
            .bind(text)
            .bind(at.naive_utc().format(NAIVE_FORMAT).to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn reply(&self, sid: &MessageSid, kind: ReplyKind) -> Result<Option<ReplyRecord>, StoreError> {
        let row = sqlx::query(
            "SELECT status, to_address, body, twilio_sid, created_at FROM tipline_replies
              WHERE message_sid = ?1 AND kind = ?2",
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
                began_at: parse_time(row.try_get("created_at")?)?,
            })
        })
        .transpose()
    }

    async fn begin_reply(&self, sid: &MessageSid, kind: ReplyKind, to: &str, body: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_replies (message_sid, kind, to_address, body, status, created_at)
             VALUES (?1, ?2, ?3, ?4, 'sending', ?5)
             ON CONFLICT (message_sid, kind) DO UPDATE
                SET status = 'sending', body = excluded.body, error = NULL, created_at = excluded.created_at
              WHERE tipline_replies.status = 'failed'",
        )
        .bind(sid.as_str())
        .bind(kind.as_str())
        .bind(to)
        .bind(body)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn join_group(&self, members: &[MessageSid]) -> Result<GroupRecord, StoreError> {
        let Some(first) = members.first() else {
            return Err(StoreError(sqlx::Error::Protocol(
                "a group needs at least one message".into(),
            )));
        };
        let mut tx = self.pool.begin().await?;
        let mut record: Option<GroupRecord> = None;
        let mut oldest: Option<String> = None;
        for sid in members {
            let row = sqlx::query(
                "SELECT g.group_sid, g.route, g.feedback_submission_id, g.created_at
                   FROM tipline_group_members m JOIN tipline_groups g ON g.group_sid = m.group_sid
                  WHERE m.message_sid = ?1",
            )
            .bind(sid.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = row else { continue };
            let created: String = row.try_get("created_at")?;
            if oldest.as_ref().is_some_and(|o| *o <= created) {
                continue;
            }
            let key: String = row.try_get("group_sid")?;
            let route: Option<String> = row.try_get("route")?;
            let feedback = parse_uuid(row.try_get("feedback_submission_id")?)?;
            record = Some(GroupRecord {
                key: MessageSid::parse(&key).map_err(decode_error)?,
                route: route.and_then(|r| Route::parse(&r, feedback)),
            });
            oldest = Some(created);
        }
        let record = match record {
            Some(record) => record,
            None => {
                sqlx::query(
                    "INSERT INTO tipline_groups (group_sid, created_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                )
                .bind(first.as_str())
                .bind(now_text())
                .execute(&mut *tx)
                .await?;
                GroupRecord {
                    key: first.clone(),
                    route: None,
                }
            }
        };
        for sid in members {
            sqlx::query(
                "INSERT INTO tipline_group_members (message_sid, group_sid) VALUES (?1, ?2)
                 ON CONFLICT (message_sid) DO NOTHING",
            )
            .bind(sid.as_str())
            .bind(record.key.as_str())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(record)
    }

    async fn set_route(&self, key: &MessageSid, route: Route) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE tipline_groups SET route = ?2, feedback_submission_id = ?3
              WHERE group_sid = ?1 AND route IS NULL",
        )
        .bind(key.as_str())
        .bind(route.as_str())
        .bind(route.submission().map(|id| id.to_string()))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn complete_group(&self, members: &[MessageSid], submission_id: Option<Uuid>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for sid in members {
            sqlx::query(
                "UPDATE tipline_claims SET status = 'done', submission_id = COALESCE(?2, submission_id), updated_at = ?3
                 WHERE message_sid = ?1",
            )
            .bind(sid.as_str())
            .bind(submission_id.map(|id| id.to_string()))
            .bind(now_text())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn keep_for_replay(&self, sid: &MessageSid, envelope: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_replayable (message_sid, envelope, kept_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (message_sid) DO UPDATE SET envelope = excluded.envelope, kept_at = excluded.kept_at",
        )
        .bind(sid.as_str())
        .bind(envelope)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn replayable(&self, sid: &MessageSid) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT envelope FROM tipline_replayable WHERE message_sid = ?1")
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
            "INSERT INTO tipline_conversations (sender, last_inbound_at, privacy_notice_sid, updated_at)
             VALUES (?1, ?3, ?2, ?4)
             ON CONFLICT (sender) DO UPDATE
                SET privacy_notice_sid = COALESCE(tipline_conversations.privacy_notice_sid, excluded.privacy_notice_sid),
                    updated_at = excluded.updated_at
             RETURNING privacy_notice_sid",
        )
        .bind(sender)
        .bind(key.as_str())
        .bind(text_time(at))
        .bind(now_text())
        .fetch_one(&self.pool)
        .await?;
        Ok(holder.as_deref() == Some(key.as_str()))
    }

    async fn request_deletion(&self, key: &MessageSid, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO tipline_deletion_requests (request_sid, sender, state, requested_at)
             VALUES (?1, ?2, 'pending', ?3) ON CONFLICT (request_sid) DO NOTHING",
        )
        .bind(key.as_str())
        .bind(sender)
        .bind(text_time(at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn pending_deletion(
        &self,
        sender: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<DeletionRequest>, StoreError> {
        // RFC 3339 text in UTC with fixed precision sorts and compares as time.
        let row = sqlx::query(
            "SELECT request_sid, state, requested_at FROM tipline_deletion_requests
              WHERE sender = ?1 AND state = 'pending' AND requested_at >= ?2
              ORDER BY requested_at DESC LIMIT 1",
        )
        .bind(sender)
        .bind(text_time(since))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| deletion_from_row(&row)).transpose()
    }

    async fn confirm_deletion(&self, request: &MessageSid, confirm: &MessageSid) -> Result<bool, StoreError> {
        let result = sqlx::query(
            "UPDATE tipline_deletion_requests SET state = 'confirmed', confirm_sid = ?2, confirmed_at = ?3
              WHERE request_sid = ?1 AND state = 'pending'",
        )
        .bind(request.as_str())
        .bind(confirm.as_str())
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1 || self.deletion_confirmed_by(confirm).await?.is_some())
    }

    async fn deletion_confirmed_by(&self, confirm: &MessageSid) -> Result<Option<DeletionRequest>, StoreError> {
        let row = sqlx::query(
            "SELECT request_sid, state, requested_at FROM tipline_deletion_requests WHERE confirm_sid = ?1",
        )
        .bind(confirm.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| deletion_from_row(&row)).transpose()
    }

    async fn sender_media(&self, sender: &str) -> Result<SenderMedia, StoreError> {
        let messages = sqlx::query("SELECT message_sid, received_at FROM tipline_claims WHERE sender = ?1")
            .bind(sender)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                let sid: String = row.try_get("message_sid")?;
                let sid = MessageSid::parse(&sid).map_err(decode_error)?;
                Ok((sid, parse_time(row.try_get("received_at")?)?))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let mut keys = Vec::new();
        for row in sqlx::query(&format!(
            "SELECT s3_key, prediction_result FROM b2b_pilot_user_submissions {OF_SENDER}"
        ))
        .bind(sender)
        .fetch_all(&self.pool)
        .await?
        {
            let prediction: Option<String> = row.try_get("prediction_result")?;
            let prediction = prediction.and_then(|p| serde_json::from_str(&p).ok());
            keys.extend(row.try_get::<Option<String>, _>("s3_key")?);
            keys.extend(media_keys_in(prediction.as_ref()));
        }
        keys.sort();
        keys.dedup();
        Ok(SenderMedia { messages, keys })
    }

    async fn erase_sender(&self, sender: &str, request: &MessageSid) -> Result<Erased, StoreError> {
        let mut tx = self.pool.begin().await?;
        let of_sender = format!("SELECT id FROM b2b_pilot_user_submissions {OF_SENDER}");
        sqlx::query(&format!(
            "UPDATE tipline_groups SET feedback_submission_id = NULL WHERE feedback_submission_id IN ({of_sender})"
        ))
        .bind(sender)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "UPDATE tipline_claims SET submission_id = NULL WHERE submission_id IN ({of_sender})"
        ))
        .bind(sender)
        .execute(&mut *tx)
        .await?;
        sqlx::query(&format!(
            "DELETE FROM tipline_conversations WHERE sender = ?1 OR last_submission_id IN ({of_sender})"
        ))
        .bind(sender)
        .execute(&mut *tx)
        .await?;
        // The limits' bookkeeping names the sender too; a sender erased starts afresh.
        for statement in [
            "DELETE FROM tipline_tip_log WHERE sender = ?1",
            "DELETE FROM tipline_limit_notices WHERE sender = ?1",
        ] {
            sqlx::query(statement).bind(sender).execute(&mut *tx).await?;
        }
        let replies = sqlx::query(
            "DELETE FROM tipline_replies
              WHERE to_address = ?1 OR message_sid IN (SELECT message_sid FROM tipline_claims WHERE sender = ?1)",
        )
        .bind(sender)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "DELETE FROM tipline_replayable WHERE message_sid IN (SELECT message_sid FROM tipline_claims WHERE sender = ?1)",
        )
        .bind(sender)
        .execute(&mut *tx)
        .await?;
        let submissions = sqlx::query(&format!("DELETE FROM b2b_pilot_user_submissions {OF_SENDER}"))
            .bind(sender)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let claims_kept =
            sqlx::query("UPDATE tipline_claims SET sender = ?2, last_error = NULL, updated_at = ?3 WHERE sender = ?1")
                .bind(sender)
                .bind(ERASED_SENDER)
                .bind(now_text())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        sqlx::query(
            "UPDATE tipline_deletion_requests
                SET sender = NULL, state = 'done', completed_at = COALESCE(completed_at, ?3)
              WHERE request_sid = ?2 OR sender = ?1",
        )
        .bind(sender)
        .bind(request.as_str())
        .bind(now_text())
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
        // json() around each subquery keeps its result JSON, not a quoted string, when nested.
        let raw: String = sqlx::query_scalar(
            "WITH mine AS (SELECT message_sid FROM tipline_claims WHERE sender = ?1)
             SELECT json_object(
                'sender', ?1,
                'submissions', json((SELECT json_group_array(json_object('id', id, 'message_id', message_id,
                        'phone_number', phone_number, 'input_text', input_text, 'scam_label', scam_label,
                        'confidence_score', confidence_score, 'prediction_result', json(prediction_result),
                        'image_url', image_url, 's3_key', s3_key, 'feedback_text', feedback_text,
                        'feedback_timestamp', feedback_timestamp, 'created_at', created_at))
                    FROM (SELECT * FROM b2b_pilot_user_submissions
                           WHERE phone_number = ?1 OR message_id IN (SELECT message_sid FROM mine)
                           ORDER BY created_at))),
                'conversation', json((SELECT json_object('sender', sender, 'last_submission_id', last_submission_id,
                        'last_verdict_at', last_verdict_at, 'last_inbound_at', last_inbound_at,
                        'privacy_notice_sid', privacy_notice_sid)
                    FROM tipline_conversations WHERE sender = ?1)),
                'messages', json((SELECT json_group_array(json_object('message_sid', message_sid, 'status', status,
                        'received_at', received_at, 'attempts', attempts))
                    FROM (SELECT * FROM tipline_claims WHERE sender = ?1 ORDER BY received_at))),
                'replies', json((SELECT json_group_array(json_object('message_sid', message_sid, 'kind', kind,
                        'status', status, 'body', body, 'created_at', created_at, 'sent_at', sent_at))
                    FROM (SELECT * FROM tipline_replies
                           WHERE to_address = ?1 OR message_sid IN (SELECT message_sid FROM mine)
                           ORDER BY created_at))),
                'deletion_requests', json((SELECT json_group_array(json_object('request_sid', request_sid,
                        'state', state, 'requested_at', requested_at))
                    FROM (SELECT * FROM tipline_deletion_requests WHERE sender = ?1 ORDER BY requested_at))))",
        )
        .bind(sender)
        .fetch_one(&self.pool)
        .await?;
        serde_json::from_str(&raw).map_err(decode_error)
    }

    async fn record_twilio_media(
        &self,
        media_url: &str,
        sid: &MessageSid,
        result: Result<(), &str>,
    ) -> Result<(), StoreError> {
        let error = result.err().map(stored_text);
        let deleted_at = error.is_none().then(now_text);
        sqlx::query(
            "INSERT INTO tipline_twilio_media (media_url, message_sid, stored_at, deleted_at, attempts, last_error)
             VALUES (?1, ?2, ?3, ?4, 1, ?5)
             ON CONFLICT (media_url) DO UPDATE
                SET deleted_at = COALESCE(tipline_twilio_media.deleted_at, excluded.deleted_at),
                    attempts = tipline_twilio_media.attempts + 1,
                    last_error = excluded.last_error",
        )
        .bind(media_url)
        .bind(sid.as_str())
        .bind(now_text())
        .bind(deleted_at)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn twilio_media_pending(&self, limit: u32) -> Result<Vec<(String, MessageSid)>, StoreError> {
        sqlx::query(
            "SELECT media_url, message_sid FROM tipline_twilio_media WHERE deleted_at IS NULL
              ORDER BY stored_at LIMIT ?1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let sid: String = row.try_get("message_sid")?;
            Ok((
                row.try_get("media_url")?,
                MessageSid::parse(&sid).map_err(decode_error)?,
            ))
        })
        .collect()
    }

    async fn senders_to_pseudonymize(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT sender FROM (
                SELECT sender FROM tipline_claims
                 WHERE received_at < ?1 AND sender <> ?3 AND sender NOT LIKE ?4 || '%'
                UNION
                SELECT phone_number FROM b2b_pilot_user_submissions
                 WHERE created_at < ?1 AND phone_number IS NOT NULL AND phone_number NOT LIKE ?4 || '%'
             ) ORDER BY sender LIMIT ?2",
        )
        .bind(text_time(before))
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
            "UPDATE b2b_pilot_user_submissions SET phone_number = ?2 WHERE phone_number = ?1 AND created_at < ?3",
            "UPDATE tipline_claims SET sender = ?2 WHERE sender = ?1 AND received_at < ?3",
            "UPDATE tipline_replies SET to_address = ?2 WHERE to_address = ?1 AND created_at < ?3",
            "UPDATE tipline_deletion_requests SET sender = ?2 WHERE sender = ?1 AND requested_at < ?3",
            "DELETE FROM tipline_conversations WHERE sender = ?1 AND last_inbound_at < ?3 AND ?2 <> ''",
        ] {
            changed += sqlx::query(statement)
                .bind(sender)
                .bind(pseudonym)
                .bind(text_time(before))
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
              WHERE created_at < ?1
                AND (s3_key IS NOT NULL OR image_url IS NOT NULL OR json_extract(prediction_result, '$.media') IS NOT NULL)
              ORDER BY created_at LIMIT ?2",
        )
        .bind(text_time(before))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            let prediction: Option<String> = row.try_get("prediction_result")?;
            let prediction = prediction.and_then(|p| serde_json::from_str(&p).ok());
            let mut keys: Vec<String> = row.try_get::<Option<String>, _>("s3_key")?.into_iter().collect();
            keys.extend(media_keys_in(prediction.as_ref()));
            keys.sort();
            keys.dedup();
            Ok(AgedMedia {
                submission_id: parse_uuid(row.try_get("id")?)?.unwrap_or_default(),
                keys,
            })
        })
        .collect()
    }

    async fn forget_media(&self, submission_id: Uuid) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE b2b_pilot_user_submissions
                SET s3_key = NULL, image_url = NULL, prediction_result = json_remove(prediction_result, '$.media')
              WHERE id = ?1",
        )
        .bind(submission_id.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn text_older_than(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM b2b_pilot_user_submissions
              WHERE created_at < ?1 AND (input_text IS NOT NULL OR feedback_text IS NOT NULL)
              ORDER BY created_at LIMIT ?2",
        )
        .bind(text_time(before))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        ids.into_iter()
            .map(|id| Uuid::parse_str(&id).map_err(decode_error))
            .collect()
    }

    async fn erase_text(&self, submission_ids: &[Uuid], before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut erased = 0;
        for id in submission_ids {
            erased += sqlx::query(
                "UPDATE b2b_pilot_user_submissions SET input_text = NULL, feedback_text = NULL WHERE id = ?1",
            )
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        for statement in [
            "DELETE FROM tipline_replayable WHERE kept_at < ?1",
            "DELETE FROM tipline_rejected_messages WHERE seen_at < ?1",
            "UPDATE tipline_replies SET body = '' WHERE created_at < ?1 AND body <> ''",
        ] {
            sqlx::query(statement).bind(text_time(before)).execute(&mut *tx).await?;
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
            "UPDATE tipline_replies SET status = ?3, twilio_sid = ?4, error = ?5,
                    sent_at = CASE WHEN ?3 = 'sent' THEN ?6 ELSE sent_at END
              WHERE message_sid = ?1 AND kind = ?2",
        )
        .bind(sid.as_str())
        .bind(kind.as_str())
        .bind(status)
        .bind(twilio_sid)
        .bind(error)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn standing(&self, sender: &str) -> Result<SenderStanding, StoreError> {
        let row = sqlx::query(
            "SELECT EXISTS (SELECT 1 FROM tipline_blocked_senders WHERE sender = ?1) AS blocked,
                    EXISTS (SELECT 1 FROM tipline_opt_outs WHERE sender = ?1) AS opted_out,
                    (SELECT last_inbound_at FROM tipline_conversations WHERE sender = ?1) AS last_inbound_at",
        )
        .bind(sender)
        .fetch_one(&self.pool)
        .await?;
        Ok(SenderStanding {
            blocked: row.try_get("blocked")?,
            opted_out: row.try_get("opted_out")?,
            last_inbound_at: row
                .try_get::<Option<String>, _>("last_inbound_at")?
                .map(parse_time)
                .transpose()?,
        })
    }

    async fn opt_out(&self, sender: &str, key: &MessageSid, source: &str) -> Result<bool, StoreError> {
        sqlx::query(
            "INSERT INTO tipline_opt_outs (sender, group_sid, source, opted_out_at) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (sender) DO NOTHING",
        )
        .bind(sender)
        .bind(key.as_str())
        .bind(source)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        let holder: Option<String> = sqlx::query_scalar("SELECT group_sid FROM tipline_opt_outs WHERE sender = ?1")
            .bind(sender)
            .fetch_optional(&self.pool)
            .await?;
        Ok(holder.as_deref() == Some(key.as_str()))
    }

    async fn opt_in(&self, sender: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM tipline_opt_outs WHERE sender = ?1")
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
            "INSERT INTO tipline_replies (message_sid, kind, to_address, body, status, error, created_at)
             VALUES (?1, ?2, ?3, ?4, 'not_sent', ?5, ?6)
             ON CONFLICT (message_sid, kind) DO UPDATE
                SET status = 'not_sent', error = excluded.error
              WHERE tipline_replies.status <> 'sent'",
        )
        .bind(sid.as_str())
        .bind(kind.as_str())
        .bind(to)
        .bind(body)
        .bind(stored_text(reason))
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn take_tip(&self, sender: &str, key: &MessageSid, limits: TipLimits) -> Result<TipAllowance, StoreError> {
        let now = now_ms();
        let hour_ago = now - 3_600_000;
        let day_ago = now - 86_400_000;
        let mut tx = self.pool.begin().await?;
        // A write first, so this transaction holds SQLite's write lock before it counts: two
        // batches counting at once must not both take the last tip of the day.
        sqlx::query("DELETE FROM tipline_limit_notices WHERE sender = ?1 AND until_ms <= ?2")
            .bind(sender)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let counted: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM tipline_tip_log WHERE group_sid = ?1)")
            .bind(key.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if counted {
            tx.commit().await?;
            return Ok(TipAllowance::Allowed);
        }
        let row = sqlx::query(
            "SELECT count(*) FILTER (WHERE at_ms > ?2) AS hour, count(*) AS day,
                    min(at_ms) FILTER (WHERE at_ms > ?2) AS oldest_hour, min(at_ms) AS oldest_day
               FROM tipline_tip_log WHERE sender = ?1 AND at_ms > ?3",
        )
        .bind(sender)
        .bind(hour_ago)
        .bind(day_ago)
        .fetch_one(&mut *tx)
        .await?;
        let hour: i64 = row.try_get("hour")?;
        let day: i64 = row.try_get("day")?;
        if hour < i64::from(limits.per_hour) && day < i64::from(limits.per_day) {
            sqlx::query("INSERT INTO tipline_tip_log (group_sid, sender, at_ms) VALUES (?1, ?2, ?3)")
                .bind(key.as_str())
                .bind(sender)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            return Ok(TipAllowance::Allowed);
        }
        let (window, oldest): (LimitWindow, Option<i64>) = if day >= i64::from(limits.per_day) {
            (LimitWindow::Day, row.try_get("oldest_day")?)
        } else {
            (LimitWindow::Hour, row.try_get("oldest_hour")?)
        };
        let length = i64::try_from(window.length().as_millis()).unwrap_or(i64::MAX);
        let until = oldest.unwrap_or(now).saturating_add(length);
        // Expired notices were deleted above, so only a live one (and its group) stays.
        sqlx::query(
            "INSERT INTO tipline_limit_notices (sender, group_sid, until_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT (sender) DO NOTHING",
        )
        .bind(sender)
        .bind(key.as_str())
        .bind(until)
        .execute(&mut *tx)
        .await?;
        let holder: String = sqlx::query_scalar("SELECT group_sid FROM tipline_limit_notices WHERE sender = ?1")
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
        let done = sqlx::query(
            "INSERT INTO tipline_blocked_senders (sender, blocked_at) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        )
        .bind(sender)
        .bind(now_text())
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn unblock_sender(&self, sender: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM tipline_blocked_senders WHERE sender = ?1")
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
                    blocked_at: parse_time(row.try_get("blocked_at")?)?,
                })
            })
            .collect()
    }
}
