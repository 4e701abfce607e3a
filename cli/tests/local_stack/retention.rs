//! The retention job on Postgres and a local media directory: old numbers pseudonymized, old
//! media and text gone, recent records untouched, a dry run changing nothing, and a run cut
//! short by its batch limit resumed by the next.

use std::time::Duration;

use chrono::Utc;
use sqlx::PgPool;
use tipline::commands::retention::{pseudonym, run_retention, RetentionSettings};
use tipline_shared::domain::MessageSid;
use tipline_shared::media::{MediaStore, ObjectMediaStore};
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::{NewClaim, NewSubmission, ReplyKind, Store};
use tipline_shared::Secret;

fn sid(n: u32) -> MessageSid {
    MessageSid::parse(&format!("SM{n:032x}")).expect("sid")
}

fn settings(batch_size: u32, max_batches: u32) -> RetentionSettings {
    RetentionSettings {
        hmac_key: Some(Secret::new("k".repeat(32))),
        pseudonymize_after: chrono::Duration::days(30),
        media_after: chrono::Duration::days(30),
        text_after: chrono::Duration::days(90),
        batch_size,
        max_batches,
    }
}

/// A sender's tip with one stored screenshot and feedback, `days_ago` old.
async fn tip(store: &PgStore, pool: &PgPool, media: &dyn MediaStore, n: u32, days_ago: i64) -> String {
    let sender = format!("whatsapp:+1555000{n:04}");
    store
        .claim(&NewClaim {
            message_sid: sid(n),
            payload_hash: "h".into(),
            sender: sender.clone(),
            received_at: Utc::now(),
            lease: Duration::from_secs(60),
        })
        .await
        .expect("claim");
    let key = format!("media/old/{}/0.png", sid(n));
    media.put(&key, "image/png", vec![1, 2, 3].into()).await.expect("put");
    let id = store
        .save_submission(&NewSubmission {
            id: uuid::Uuid::now_v7(),
            message_id: sid(n).to_string(),
            phone_number: sender.clone(),
            image_url: Some(format!("file:///x/{key}")),
            s3_key: Some(key.clone()),
            prediction_result: serde_json::json!({"label": "scam", "media": [{"key": key}]}),
            confidence_score: 0.9,
            scam_label: "scam".into(),
            processing_time_ms: 3,
            input_text: format!("canary text {n}"),
        })
        .await
        .expect("save");
    store
        .store_feedback(id, "canary feedback", Utc::now())
        .await
        .expect("feedback");
    store.record_verdict(&sender, id, Utc::now()).await.expect("verdict");
    store
        .begin_reply(&sid(n), ReplyKind::Verdict, &sender, "🚨 scam")
        .await
        .expect("reply");
    for statement in [
        "UPDATE b2b_pilot_user_submissions SET created_at = created_at - make_interval(days => $2) WHERE message_id = $1",
        "UPDATE tipline_claims SET received_at = received_at - make_interval(days => $2) WHERE message_sid = $1",
        "UPDATE tipline_replies SET created_at = created_at - make_interval(days => $2) WHERE message_sid = $1",
        "UPDATE tipline_conversations SET last_inbound_at = last_inbound_at - make_interval(days => $2)
          WHERE last_submission_id = (SELECT id FROM b2b_pilot_user_submissions WHERE message_id = $1)",
    ] {
        sqlx::query(statement)
            .bind(sid(n).as_str())
            .bind(i32::try_from(days_ago).expect("days"))
            .execute(pool)
            .await
            .expect("age");
    }
    sender
}

async fn holding(pool: &PgPool, needle: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM b2b_pilot_user_submissions WHERE phone_number = $1 OR input_text LIKE $1
                                                          OR feedback_text LIKE $1)
              + (SELECT count(*) FROM tipline_claims WHERE sender = $1)
              + (SELECT count(*) FROM tipline_replies WHERE to_address = $1)
              + (SELECT count(*) FROM tipline_conversations WHERE sender = $1)",
    )
    .bind(needle)
    .fetch_one(pool)
    .await
    .expect("count")
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn old_numbers_are_pseudonymized_and_old_media_and_text_deleted_in_resumable_batches(pool: PgPool) {
    let store = PgStore::from_pool(pool.clone());
    let dir = std::env::temp_dir().join(format!("tipline-retention-{}", uuid::Uuid::new_v4()));
    let media = ObjectMediaStore::local(&dir).expect("media dir");
    let ancient = tip(&store, &pool, &media, 1, 120).await;
    let older = tip(&store, &pool, &media, 2, 100).await;
    let month = tip(&store, &pool, &media, 3, 45).await;
    let recent = tip(&store, &pool, &media, 4, 2).await;

    // A dry run reports and changes nothing.
    let dry = run_retention(&store, &media, None, &settings(100, 10), Utc::now(), true)
        .await
        .expect("dry run");
    assert_eq!(
        (
            dry.senders_pseudonymized,
            dry.media_submissions,
            dry.media_objects,
            dry.text_submissions
        ),
        (3, 3, 3, 2)
    );
    assert_eq!(holding(&pool, &ancient).await, 4, "untouched by the dry run");
    assert!(dir.join(format!("media/old/{}/0.png", sid(1))).exists());

    // One batch of one per step: a run cut short, then resumed by the next.
    let first = run_retention(&store, &media, None, &settings(1, 1), Utc::now(), false)
        .await
        .expect("run");
    assert!(!first.complete, "{first:?}");
    assert_eq!(
        (
            first.senders_pseudonymized,
            first.media_submissions,
            first.text_submissions
        ),
        (1, 1, 1)
    );
    let mut runs = 1;
    loop {
        let next = run_retention(&store, &media, None, &settings(1, 1), Utc::now(), false)
            .await
            .expect("run");
        runs += 1;
        if next.complete && next.senders_pseudonymized == 0 && next.media_submissions == 0 && next.text_submissions == 0
        {
            break;
        }
        assert!(runs < 10, "retention does not converge: {next:?}");
    }

    for old in [&ancient, &older, &month] {
        assert_eq!(holding(&pool, old).await, 0, "{old} pseudonymized everywhere");
    }
    let key = Secret::new("k".repeat(32));
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM b2b_pilot_user_submissions WHERE phone_number = $1")
        .bind(pseudonym(&key, &ancient))
        .fetch_one(&pool)
        .await
        .expect("pseudonym");
    assert_eq!(kept, 1, "the same sender keeps one pseudonym, so counts still add up");
    assert_eq!(holding(&pool, &recent).await, 4, "recent records keep their number");
    for n in 1..=3 {
        assert!(
            !dir.join(format!("media/old/{}/0.png", sid(n))).exists(),
            "old media {n} deleted"
        );
    }
    assert!(
        dir.join(format!("media/old/{}/0.png", sid(4))).exists(),
        "recent media kept"
    );
    let texts: Vec<(Option<String>, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT input_text, feedback_text, s3_key FROM b2b_pilot_user_submissions ORDER BY message_id")
            .fetch_all(&pool)
            .await
            .expect("texts");
    assert_eq!(texts[0], (None, None, None), "120 days: text and media gone");
    assert_eq!(texts[1], (None, None, None), "100 days: text and media gone");
    assert_eq!(
        (texts[2].0.as_deref(), texts[2].2.as_deref()),
        (Some("canary text 3"), None),
        "45 days: media gone, text kept (90-day age)"
    );
    assert_eq!(texts[3].0.as_deref(), Some("canary text 4"));
    let _ = std::fs::remove_dir_all(dir);
}
