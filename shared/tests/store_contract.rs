//! The store contract: the same behaviour from the Postgres and the SQLite adapters.

use std::time::Duration;

use chrono::Utc;
use sqlx::PgPool;
use tipline_shared::domain::MessageSid;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::sqlite::SqliteStore;
use tipline_shared::store::*;
use uuid::Uuid;

fn sid(n: u32) -> MessageSid {
    MessageSid::parse(&format!("SM{n:032x}")).expect("valid sid")
}

fn claim(n: u32, hash: &str, lease: Duration) -> NewClaim {
    NewClaim {
        message_sid: sid(n),
        payload_hash: hash.into(),
        sender: "whatsapp:+15550000001".into(),
        received_at: Utc::now(),
        lease,
    }
}

fn submission(n: u32) -> NewSubmission {
    NewSubmission {
        id: Uuid::now_v7(),
        message_id: sid(n).to_string(),
        phone_number: "whatsapp:+15550000001".into(),
        image_url: None,
        s3_key: Some("media/2026/11/22/x/0.jpg".into()),
        prediction_result: serde_json::json!({"label": "scam", "model": "offline-rules"}),
        confidence_score: 0.9,
        scam_label: "scam".into(),
        processing_time_ms: 12,
        input_text: "pay now".into(),
    }
}

async fn contract(store: &dyn Store) {
    let long = Duration::from_secs(60);
    // Claims: first wins, a live lease is busy, a changed payload conflicts.
    assert_eq!(
        store.claim(&claim(1, "h1", long)).await.expect("claim"),
        ClaimOutcome::Claimed { attempts: 1 }
    );
    assert_eq!(
        store.claim(&claim(1, "h1", long)).await.expect("claim"),
        ClaimOutcome::Busy
    );
    assert_eq!(
        store.claim(&claim(1, "other", long)).await.expect("claim"),
        ClaimOutcome::Conflict
    );
    store
        .record_conflict(&sid(1), "other")
        .await
        .expect("conflict recorded");

    // Released claims are taken again at once, counting attempts, keeping the last error.
    store.release(&sid(1), "twilio 500").await.expect("release");
    assert_eq!(
        store.claim(&claim(1, "h1", long)).await.expect("claim"),
        ClaimOutcome::Claimed { attempts: 2 }
    );
    let info = store.claim_info(&sid(1)).await.expect("info").expect("exists");
    assert_eq!(
        (info.status.as_str(), info.attempts, info.last_error.as_deref()),
        ("processing", 2, Some("twilio 500"))
    );

    // An expired lease (a crashed worker) is taken over.
    assert!(matches!(
        store.claim(&claim(2, "h2", Duration::ZERO)).await.expect("claim"),
        ClaimOutcome::Claimed { .. }
    ));
    // A zero-length lease lapses within a clock tick; poll (bounded) until the database sees it.
    let mut outcome = ClaimOutcome::Busy;
    for _ in 0..1000 {
        outcome = store.claim(&claim(2, "h2", long)).await.expect("claim");
        if outcome != ClaimOutcome::Busy {
            break;
        }
    }
    assert_eq!(outcome, ClaimOutcome::Claimed { attempts: 2 });

    // Submissions are saved once per message id.
    let first = store.save_submission(&submission(1)).await.expect("save");
    let again = store.save_submission(&submission(1)).await.expect("save again");
    assert_eq!(first, again, "a retry gets the first row back");
    let stored = store
        .submission_by_message(&sid(1).to_string())
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (stored.scam_label.as_deref(), stored.confidence_score),
        (Some("scam"), Some(0.9))
    );
    assert_eq!(
        stored.prediction_result.as_ref().and_then(|p| p["model"].as_str()),
        Some("offline-rules")
    );

    // Replies: recorded before sending, never re-begun once sending or sent; failed ones may retry.
    assert_eq!(store.reply(&sid(1), ReplyKind::Verdict).await.expect("reply"), None);
    store
        .begin_reply(&sid(1), ReplyKind::Verdict, "whatsapp:+15550000001", "🚨 scam")
        .await
        .expect("begin");
    assert_eq!(
        store
            .reply(&sid(1), ReplyKind::Verdict)
            .await
            .expect("reply")
            .map(|r| r.status),
        Some(ReplyStatus::Sending)
    );
    store
        .finish_reply(&sid(1), ReplyKind::Verdict, Err("HTTP 500"))
        .await
        .expect("finish");
    assert_eq!(
        store
            .reply(&sid(1), ReplyKind::Verdict)
            .await
            .expect("reply")
            .map(|r| r.status),
        Some(ReplyStatus::Failed)
    );
    store
        .begin_reply(&sid(1), ReplyKind::Verdict, "whatsapp:+15550000001", "🚨 scam")
        .await
        .expect("begin again");
    store
        .finish_reply(&sid(1), ReplyKind::Verdict, Ok("SMabc"))
        .await
        .expect("finish");
    store
        .begin_reply(&sid(1), ReplyKind::Verdict, "whatsapp:+15550000001", "changed")
        .await
        .expect("begin is a no-op");
    let reply = store
        .reply(&sid(1), ReplyKind::Verdict)
        .await
        .expect("reply")
        .expect("exists");
    assert_eq!(
        (reply.status, reply.twilio_sid.as_deref(), reply.body.as_str()),
        (ReplyStatus::Sent, Some("SMabc"), "🚨 scam")
    );
    assert_eq!(
        store.reply(&sid(1), ReplyKind::Fallback).await.expect("reply"),
        None,
        "kinds are separate"
    );

    // Completion is final; failures are final; both read back as duplicates.
    store.complete(&sid(1), Some(first)).await.expect("complete");
    assert_eq!(
        store.claim(&claim(1, "h1", long)).await.expect("claim"),
        ClaimOutcome::AlreadyDone
    );
    assert_eq!(
        store
            .claim_info(&sid(1))
            .await
            .expect("info")
            .and_then(|i| i.submission_id),
        Some(first)
    );
    store.fail(&sid(2), "63016 outside the window").await.expect("fail");
    // Error texts can name a number (Twilio's 21211 names the `To`); none is stored whole.
    store
        .fail(
            &sid(2),
            "The 'To' number whatsapp:+14155550123 is not a valid phone number.",
        )
        .await
        .expect("fail again");
    assert_eq!(
        store
            .claim_info(&sid(2))
            .await
            .expect("info")
            .and_then(|i| i.last_error),
        Some("The 'To' number whatsapp:+141******23 is not a valid phone number.".to_owned())
    );
    assert_eq!(
        store.claim(&claim(2, "h2", long)).await.expect("claim"),
        ClaimOutcome::AlreadyFailed
    );
    store
        .record_rejected("sqs-1", "not JSON", "garbage")
        .await
        .expect("rejected");
    assert_eq!(store.claim_info(&sid(99)).await.expect("info"), None);
    channel_contract(store).await;
}

/// Opt-out, the reply not sent, tip limits and the block list.
async fn channel_contract(store: &dyn Store) {
    let long = Duration::from_secs(60);
    let who = "whatsapp:+15550000001";
    let fresh = store.standing("whatsapp:+15550000077").await.expect("standing");
    assert_eq!(fresh, SenderStanding::default());
    let at = Utc::now() - chrono::Duration::hours(30);
    store
        .record_inbound("whatsapp:+15550000077", at)
        .await
        .expect("inbound");
    let seen = store.standing("whatsapp:+15550000077").await.expect("standing");
    assert_eq!(
        seen.last_inbound_at.map(|t| t.timestamp_millis()),
        Some(at.timestamp_millis()),
        "the last message's time, for WhatsApp's 24-hour window"
    );
    let start = store.standing(who).await.expect("standing");
    assert!(!start.blocked && !start.opted_out);

    // The group that opted the sender out holds it (and confirms, retries too); a second STOP does not.
    for n in [40, 41, 42, 43, 44, 45, 46, 47] {
        store.claim(&claim(n, "h", long)).await.expect("claim");
    }
    assert!(store.opt_out(who, &sid(40), "keyword").await.expect("opt out"));
    assert!(
        store.opt_out(who, &sid(40), "keyword").await.expect("again"),
        "a retry holds it still"
    );
    assert!(!store.opt_out(who, &sid(41), "keyword").await.expect("second stop"));
    assert!(store.standing(who).await.expect("standing").opted_out);
    store.opt_in(who).await.expect("opt in");
    store.opt_in(who).await.expect("opt in twice is nothing");
    assert!(!store.standing(who).await.expect("standing").opted_out);

    // A reply not sent keeps its reason (masked) and never overwrites a sent one.
    store
        .record_unsent(&sid(41), ReplyKind::Help, who, "hello", "opted out; was +14155550123")
        .await
        .expect("unsent");
    let reply = store
        .reply(&sid(41), ReplyKind::Help)
        .await
        .expect("reply")
        .expect("row");
    assert_eq!(reply.status, ReplyStatus::NotSent);
    store
        .begin_reply(&sid(42), ReplyKind::Verdict, who, "v")
        .await
        .expect("begin");
    store
        .finish_reply(&sid(42), ReplyKind::Verdict, Ok("SMx"))
        .await
        .expect("finish");
    store
        .record_unsent(&sid(42), ReplyKind::Verdict, who, "v", "late")
        .await
        .expect("unsent");
    let reply = store
        .reply(&sid(42), ReplyKind::Verdict)
        .await
        .expect("reply")
        .expect("row");
    assert_eq!(reply.status, ReplyStatus::Sent);

    // Two tips an hour: the third is limited and notified once; the fourth is not notified; a
    // retry of a counted group is allowed again without being counted twice.
    let limits = TipLimits {
        per_hour: 2,
        per_day: 10,
    };
    assert_eq!(
        store.take_tip(who, &sid(43), limits).await.expect("tip"),
        TipAllowance::Allowed
    );
    assert_eq!(
        store.take_tip(who, &sid(43), limits).await.expect("retry"),
        TipAllowance::Allowed
    );
    assert_eq!(
        store.take_tip(who, &sid(44), limits).await.expect("tip"),
        TipAllowance::Allowed
    );
    let limited = |notify| TipAllowance::Limited {
        window: LimitWindow::Hour,
        notify,
    };
    assert_eq!(store.take_tip(who, &sid(45), limits).await.expect("tip"), limited(true));
    assert_eq!(
        store.take_tip(who, &sid(45), limits).await.expect("retry"),
        limited(true)
    );
    assert_eq!(
        store.take_tip(who, &sid(46), limits).await.expect("tip"),
        limited(false)
    );
    let day = TipLimits {
        per_hour: 10,
        per_day: 2,
    };
    assert_eq!(
        store.take_tip(who, &sid(47), day).await.expect("tip"),
        TipAllowance::Limited {
            window: LimitWindow::Day,
            notify: false
        },
        "the hour's notice still stands"
    );
    assert_eq!(
        store
            .take_tip("whatsapp:+15550000002", &sid(47), limits)
            .await
            .expect("other sender"),
        TipAllowance::Allowed
    );

    // The block list.
    assert!(store.block_sender(who).await.expect("block"));
    assert!(!store.block_sender(who).await.expect("again"));
    assert!(store.standing(who).await.expect("standing").blocked);
    let listed = store.blocked_senders().await.expect("list");
    assert_eq!(listed.iter().map(|b| b.sender.as_str()).collect::<Vec<_>>(), vec![who]);
    assert!(store.unblock_sender(who).await.expect("unblock"));
    assert!(!store.unblock_sender(who).await.expect("again"));
    assert!(!store.standing(who).await.expect("standing").blocked);
}

/// The privacy notice is taken once per sender; a confirmed deletion erases the sender's rows
/// and keeps only their claims (SID, status, payload hash) for idempotency.
async fn privacy_contract(store: &dyn Store) {
    let me = "whatsapp:+15550001234";
    let other = "whatsapp:+15550009999";
    let now = Utc::now();
    assert!(store.claim_privacy_notice(me, &sid(101), now).await.expect("notice"));
    assert!(
        store.claim_privacy_notice(me, &sid(101), now).await.expect("retry"),
        "a retry carries it again"
    );
    assert!(
        !store.claim_privacy_notice(me, &sid(102), now).await.expect("next"),
        "never a second time"
    );

    // What the sender leaves: a tip with media and feedback, a reply, a group, a kept envelope.
    for n in [101, 102, 103, 104] {
        let mut claim = claim(n, "h", Duration::from_secs(60));
        claim.sender = me.into();
        store.claim(&claim).await.expect("claim");
    }
    let mut tip = submission(101);
    tip.phone_number = me.into();
    tip.input_text = "secret canary text".into();
    tip.prediction_result = serde_json::json!({"media": [{"key": "media/2026/01/02/x/0.png"}]});
    let id = store.save_submission(&tip).await.expect("save");
    store.record_verdict(me, id, now).await.expect("verdict");
    store
        .store_feedback(id, "canary feedback", now)
        .await
        .expect("feedback");
    store
        .begin_reply(&sid(101), ReplyKind::Verdict, me, "🚨 scam")
        .await
        .expect("reply");
    store
        .finish_reply(&sid(101), ReplyKind::Verdict, Ok("SMx"))
        .await
        .expect("sent");
    store.join_group(&[sid(102)]).await.expect("group");
    store.set_route(&sid(102), Route::Feedback(id)).await.expect("route");
    store
        .keep_for_replay(&sid(103), "{\"From\": \"whatsapp:+15550001234\"}")
        .await
        .expect("kept");
    store
        .complete_group(&[sid(101), sid(102), sid(103)], Some(id))
        .await
        .expect("done");
    let mut theirs = submission(200);
    theirs.phone_number = other.into();
    store.save_submission(&theirs).await.expect("another sender");

    // Asked, then confirmed within the window; an older or foreign request is not found.
    store.request_deletion(&sid(103), me, now).await.expect("request");
    store
        .request_deletion(&sid(103), me, now)
        .await
        .expect("request retried");
    assert!(store
        .pending_deletion(other, now - chrono::Duration::minutes(5))
        .await
        .expect("other")
        .is_none());
    assert!(store
        .pending_deletion(me, now + chrono::Duration::minutes(5))
        .await
        .expect("late")
        .is_none());
    let pending = store
        .pending_deletion(me, now - chrono::Duration::minutes(5))
        .await
        .expect("pending")
        .expect("found");
    assert_eq!(
        (pending.request_sid.clone(), pending.state),
        (sid(103), DeletionState::Pending)
    );
    assert!(store.confirm_deletion(&sid(103), &sid(104)).await.expect("confirm"));
    assert!(store
        .confirm_deletion(&sid(103), &sid(104))
        .await
        .expect("confirm retried"));
    assert!(
        !store.confirm_deletion(&sid(103), &sid(105)).await.expect("another yes"),
        "confirmed once"
    );
    assert!(store
        .pending_deletion(me, now - chrono::Duration::minutes(5))
        .await
        .expect("none")
        .is_none());
    assert_eq!(
        store
            .deletion_confirmed_by(&sid(104))
            .await
            .expect("by")
            .map(|r| r.state),
        Some(DeletionState::Confirmed)
    );
    let media = store.sender_media(me).await.expect("media");
    assert_eq!(media.messages.len(), 4);
    assert_eq!(media.keys, ["media/2026/01/02/x/0.png", "media/2026/11/22/x/0.jpg"]);

    let export = store.export_sender(me).await.expect("export");
    assert_eq!(export["sender"], me);
    assert_eq!(export["submissions"].as_array().map(Vec::len), Some(1), "{export:#}");
    assert_eq!(export["submissions"][0]["input_text"], "secret canary text");
    assert_eq!(export["submissions"][0]["feedback_text"], "canary feedback");
    assert_eq!(
        export["submissions"][0]["prediction_result"]["media"][0]["key"], "media/2026/01/02/x/0.png",
        "nested JSON stays JSON"
    );
    assert_eq!(export["conversation"]["privacy_notice_sid"], sid(101).as_str());
    assert_eq!(export["messages"].as_array().map(Vec::len), Some(4));
    assert_eq!(export["replies"][0]["body"], "🚨 scam");
    assert_eq!(export["deletion_requests"][0]["state"], "confirmed");
    let theirs_export = store.export_sender(other).await.expect("export other");
    assert_eq!(theirs_export["submissions"].as_array().map(Vec::len), Some(1));
    assert!(
        !theirs_export.to_string().contains("canary"),
        "only that sender: {theirs_export}"
    );

    let erased = store.erase_sender(me, &sid(103)).await.expect("erase");
    assert_eq!((erased.submissions, erased.replies, erased.claims_kept), (1, 1, 4));
    let again = store.erase_sender(me, &sid(103)).await.expect("erase again");
    assert_eq!(again, Erased::default(), "idempotent");

    assert!(store.submission(id).await.expect("read").is_none());
    assert!(store.last_verdict(me).await.expect("read").is_none());
    assert!(store
        .reply(&sid(101), ReplyKind::Verdict)
        .await
        .expect("read")
        .is_none());
    assert!(store.replayable(&sid(103)).await.expect("read").is_none());
    assert_eq!(store.sender_media(me).await.expect("media"), SenderMedia::default());
    assert_eq!(
        store
            .deletion_confirmed_by(&sid(104))
            .await
            .expect("by")
            .map(|r| r.state),
        Some(DeletionState::Done)
    );
    assert!(store
        .submission_by_message(&sid(200).to_string())
        .await
        .expect("read")
        .is_some());
    // A redelivered old message is still known, and still done.
    let mut redelivered = claim(101, "h", Duration::from_secs(60));
    redelivered.sender = me.into();
    assert_eq!(
        store.claim(&redelivered).await.expect("claim"),
        ClaimOutcome::AlreadyDone
    );
}

/// Retention's selections and changes, with "old" meaning before a cut-off a day ahead.
async fn retention_contract(store: &dyn Store) {
    let me = "whatsapp:+15550004321";
    let mut claim = claim(301, "h", Duration::from_secs(60));
    claim.sender = me.into();
    store.claim(&claim).await.expect("claim");
    let mut tip = submission(301);
    tip.phone_number = me.into();
    tip.prediction_result = serde_json::json!({"label": "scam", "media": [{"key": "media/a/0.png"}]});
    let id = store.save_submission(&tip).await.expect("save");
    store.store_feedback(id, "thanks", Utc::now()).await.expect("feedback");
    store.record_verdict(me, id, Utc::now()).await.expect("verdict");
    store
        .begin_reply(&sid(301), ReplyKind::Verdict, me, "🚨 scam")
        .await
        .expect("reply");
    let past = Utc::now() - chrono::Duration::days(1);
    let ahead = Utc::now() + chrono::Duration::days(1);

    assert!(store
        .senders_to_pseudonymize(past, 10)
        .await
        .expect("none yet")
        .is_empty());
    assert_eq!(store.senders_to_pseudonymize(ahead, 10).await.expect("old"), [me]);
    let changed = store
        .pseudonymize_sender(me, "hmac:abc", ahead)
        .await
        .expect("pseudonymize");
    assert_eq!(changed, 4, "submission, claim, reply, conversation");
    assert!(store.senders_to_pseudonymize(ahead, 10).await.expect("done").is_empty());
    assert!(store.last_verdict(me).await.expect("state").is_none());
    assert_eq!(
        store
            .submission(id)
            .await
            .expect("read")
            .and_then(|s| s.phone_number)
            .as_deref(),
        Some("hmac:abc")
    );

    let aged = store.media_older_than(ahead, 10).await.expect("media");
    assert_eq!(aged.len(), 1);
    assert_eq!(aged[0].keys, ["media/2026/11/22/x/0.jpg", "media/a/0.png"]);
    store.forget_media(id).await.expect("forget");
    assert!(store.media_older_than(ahead, 10).await.expect("none").is_empty());
    let kept = store.submission(id).await.expect("read").expect("row");
    assert_eq!((kept.s3_key, kept.image_url), (None, None));
    assert_eq!(
        kept.prediction_result.expect("json")["label"],
        "scam",
        "the verdict stays"
    );

    assert_eq!(store.text_older_than(ahead, 10).await.expect("text"), [id]);
    assert_eq!(store.erase_text(&[id], ahead).await.expect("erase"), 1);
    assert!(store.text_older_than(ahead, 10).await.expect("none").is_empty());
    let kept = store.submission(id).await.expect("read").expect("row");
    assert_eq!((kept.input_text, kept.feedback_text), (None, None));
    assert_eq!(
        store
            .reply(&sid(301), ReplyKind::Verdict)
            .await
            .expect("reply")
            .map(|r| r.body),
        Some(String::new())
    );

    let url = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1";
    store
        .record_twilio_media(url, &sid(301), Err("twilio 500"))
        .await
        .expect("failed delete");
    assert_eq!(
        store.twilio_media_pending(10).await.expect("pending"),
        [(url.to_owned(), sid(301))]
    );
    store
        .record_twilio_media(url, &sid(301), Ok(()))
        .await
        .expect("deleted");
    assert!(store.twilio_media_pending(10).await.expect("none").is_empty());
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn postgres_keeps_the_retention_contract(pool: PgPool) {
    retention_contract(&PgStore::from_pool(pool)).await;
}

#[tokio::test]
async fn sqlite_keeps_the_retention_contract() {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    retention_contract(&store).await;
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn postgres_keeps_the_contract(pool: PgPool) {
    contract(&PgStore::from_pool(pool)).await;
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn postgres_keeps_the_privacy_contract(pool: PgPool) {
    privacy_contract(&PgStore::from_pool(pool.clone())).await;
}

#[tokio::test]
async fn sqlite_keeps_the_privacy_contract() {
    let store = SqliteStore::connect("sqlite::memory:").await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    privacy_contract(&store).await;
    // Nothing left anywhere: every text column of every table, searched for the number and text.
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .fetch_all(store.pool())
            .await
            .expect("tables");
    assert!(tables.len() > 10, "{tables:?}");
    for table in tables {
        let columns: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .fetch_all(store.pool())
            .await
            .expect("columns");
        for column in columns {
            for needle in ["15550001234", "canary"] {
                let hits: i64 = sqlx::query_scalar(&format!(
                    "SELECT count(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) LIKE '%' || ?1 || '%'"
                ))
                .bind(needle)
                .fetch_one(store.pool())
                .await
                .expect("search");
                assert_eq!(hits, 0, "{needle} left in {table}.{column}");
            }
        }
    }
    // The rebuilt tables keep their foreign keys, pointing at the rebuilt parents.
    let violations: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(store.pool())
        .await
        .expect("check");
    assert!(violations.is_empty(), "{violations:?}");
    let parent: String = sqlx::query_scalar(
        "SELECT \"table\" FROM pragma_foreign_key_list('tipline_group_members') WHERE \"from\" = 'group_sid'",
    )
    .fetch_one(store.pool())
    .await
    .expect("fk");
    assert_eq!(parent, "tipline_groups");
}

#[tokio::test]
async fn sqlite_keeps_the_contract() {
    let dir = std::env::temp_dir().join(format!("tipline-store-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = SqliteStore::connect(&format!("sqlite://{}/tipline.db", dir.display()))
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    contract(&store).await;
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

/// The seed's table as the system tipline replaces left it, its media columns of type
/// `media_type` (TEXT or JSONB), with two rows and without `message_id`.
async fn create_legacy_table(pool: &PgPool, media_type: &str) {
    sqlx::raw_sql(&format!(
        "CREATE TABLE b2b_pilot_user_submissions (
            id UUID PRIMARY KEY, phone_number VARCHAR(20), image_url {media_type}, s3_key {media_type},
            prediction_result JSONB, confidence_score FLOAT, scam_label VARCHAR(50),
            processing_time_ms INTEGER, input_text TEXT, created_at TIMESTAMP DEFAULT now(),
            feedback_text TEXT, feedback_timestamp TIMESTAMP);
         INSERT INTO b2b_pilot_user_submissions (id, phone_number, scam_label, input_text)
         VALUES ('00000000-0000-0000-0000-000000000001', '+14155550100', 'scam', 'old row'),
                ('00000000-0000-0000-0000-000000000002', '+14155550101', 'safe', 'old row 2');"
    ))
    .execute(pool)
    .await
    .expect("legacy schema");
}

/// Migrates over the legacy table, then checks its rows stayed and new rows, media included, fit.
async fn migrate_and_save(pool: PgPool) {
    tipline_shared::store::postgres::MIGRATOR
        .run(&pool)
        .await
        .expect("migrations apply over the legacy table");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM b2b_pilot_user_submissions WHERE message_id IS NULL")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert!(rows >= 2, "legacy rows kept, with NULL message_id");
    let store = PgStore::from_pool(pool);
    let mut new = submission(7);
    new.image_url = Some("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1".into());
    store
        .save_submission(&new)
        .await
        .expect("new rows fit, long addresses and media included");
    let stored = store
        .submission_by_message(&new.message_id)
        .await
        .expect("read")
        .expect("exists");
    assert_eq!(
        (stored.image_url, stored.s3_key),
        (new.image_url, new.s3_key),
        "media columns read back as written"
    );
}

/// tipline takes over the database of the system it replaces: the seed's table, with rows and
/// without `message_id`, migrates cleanly and keeps its rows.
#[sqlx::test(migrations = false)]
async fn migrations_apply_over_the_legacy_table(pool: PgPool) {
    create_legacy_table(&pool, "TEXT").await;
    migrate_and_save(pool).await;
}

/// The same table with JSONB media columns: they become TEXT, a JSON string as its text, JSON
/// null as NULL, other JSON as its text form, and new rows fit.
#[sqlx::test(migrations = false)]
async fn migrations_apply_over_the_legacy_table_with_jsonb_media_columns(pool: PgPool) {
    create_legacy_table(&pool, "JSONB").await;
    sqlx::raw_sql(
        "INSERT INTO b2b_pilot_user_submissions (id, phone_number, image_url, s3_key)
         VALUES ('00000000-0000-0000-0000-000000000003', '+14155550102',
                 '\"https://example.com/a.jpg\"', '{\"bucket\": \"b\", \"key\": \"k/0.jpg\"}'),
                ('00000000-0000-0000-0000-000000000004', '+14155550103', 'null', '[\"k/1.jpg\", 2]');",
    )
    .execute(&pool)
    .await
    .expect("legacy JSONB rows");
    let kept = pool.clone();
    migrate_and_save(pool).await;
    let converted: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT image_url, s3_key FROM b2b_pilot_user_submissions
          WHERE id IN ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004')
          ORDER BY id",
    )
    .fetch_all(&kept)
    .await
    .expect("converted rows");
    assert_eq!(
        converted,
        [
            (
                Some("https://example.com/a.jpg".to_owned()),
                Some(r#"{"key": "k/0.jpg", "bucket": "b"}"#.to_owned())
            ),
            (None, Some(r#"["k/1.jpg", 2]"#.to_owned())),
        ]
    );
}
