//! The on-call commands against SQS (moto) and Postgres, as on-call runs them.

use std::process::Command;
use std::time::Duration;

use aws_sdk_sqs::types::QueueAttributeName;
use chrono::Utc;
use sqlx::PgPool;
use tipline_shared::queue::sqs::SqsQueue;
use tipline_shared::queue::{Envelope, QueueConsumer};
use tipline_shared::twilio::{InboundMessage, TwilioForm};

use crate::helpers::*;

fn envelope(n: u32, hours_ago: i64) -> String {
    let sid = format!("SM{n:032x}");
    let form = TwilioForm::from_pairs(vec![
        ("MessageSid".into(), sid),
        ("From".into(), format!("whatsapp:+1555{n:07}")),
        ("Body".into(), "check this".into()),
    ]);
    let message = InboundMessage::try_from(form).expect("valid");
    Envelope::new(&message, Utc::now() - chrono::Duration::hours(hours_ago), None, None).encode()
}

fn tipline(args: &[&str], env: &[(&str, String)]) -> (bool, String) {
    let mut command = Command::new(BIN);
    command.args(args);
    for (k, v) in env {
        command.env(k, v);
    }
    let output = command.output().expect("tipline runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn stats_peek_redrive_and_replay(pool: PgPool) {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`"
    );
    let sqs =
        aws_sdk_sqs::Client::new(&tipline_shared::aws::load(2, Duration::from_secs(2), Duration::from_secs(10)).await);
    let suffix = uuid::Uuid::new_v4();
    let dlq_url = sqs
        .create_queue()
        .queue_name(format!("oc-dlq-{suffix}"))
        .send()
        .await
        .expect("dlq")
        .queue_url
        .expect("url");
    let queue_url = sqs
        .create_queue()
        .queue_name(format!("oc-{suffix}"))
        .attributes(QueueAttributeName::VisibilityTimeout, "30")
        .send()
        .await
        .expect("queue")
        .queue_url
        .expect("url");
    let dlq = SqsQueue::new(sqs.clone(), &dlq_url);
    let main = SqsQueue::new(sqs, &queue_url);
    // Three dead letters: one recent with a recorded error, one two days old, one recent and failed for good.
    for (n, hours) in [(1, 1), (2, 48), (3, 2)] {
        dlq.send_raw(&envelope(n, hours), &[("message_id".into(), format!("SM{n:032x}"))])
            .await
            .expect("seed dlq");
    }
    sqlx::query(
        "INSERT INTO tipline_claims (message_sid, payload_hash, sender, status, lease_expires_at, received_at, attempts, last_error)
         VALUES ($1, 'h', 'whatsapp:+15550000001', 'released', now(), now(), 3, 'OpenAI answered 500 three times'),
                ($2, 'h', 'whatsapp:+15550000003', 'failed', now(), now(), 1, 'Twilio 63016 outside the window')",
    )
    .bind(format!("SM{:032x}", 1))
    .bind(format!("SM{:032x}", 3))
    .execute(&pool)
    .await
    .expect("claims");
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let database = format!(
        "{}/{}",
        base.rsplit_once('/').expect("url").0,
        pool.connect_options().get_database().expect("db")
    );
    let env = [
        ("QUEUE_URL", queue_url.clone()),
        ("DLQ_URL", dlq_url.clone()),
        ("DATABASE_URL", database),
    ];

    let (ok, out) = tipline(&["dlq", "stats"], &env);
    assert!(ok, "{out}");
    assert!(out.contains("dlq messages read: 3"), "{out}");
    assert!(out.contains("1 received more than 24 h ago"), "{out}");

    let (ok, out) = tipline(&["dlq", "peek", "-n", "10"], &env);
    assert!(ok, "{out}");
    assert!(
        out.contains(&format!("SM{:032x}", 1)) && out.contains("OpenAI answered 500 three times"),
        "{out}"
    );
    assert!(out.contains("past the 24 h window"), "{out}");
    assert!(
        out.contains("+155*****01") || out.contains("+155******01"),
        "senders are masked: {out}"
    );
    assert!(!out.contains("+15550000001"), "no full phone number: {out}");

    // Replay one: the failed claim is reopened and the message goes back to the queue.
    let (ok, out) = tipline(&["replay", &format!("SM{:032x}", 3)], &env);
    assert!(ok, "{out}");
    let status: String = sqlx::query_scalar("SELECT status FROM tipline_claims WHERE message_sid = $1")
        .bind(format!("SM{:032x}", 3))
        .fetch_one(&pool)
        .await
        .expect("claim");
    assert_eq!(status, "released");

    // Redrive the rest, leaving the expired one behind.
    let (ok, out) = tipline(&["dlq", "redrive", "--skip-expired", "--max-per-second", "50"], &env);
    assert!(ok, "{out}");
    assert!(
        out.contains("moved 1 message(s) to the queue; 1 left in the DLQ"),
        "{out}"
    );
    let mut bodies: Vec<String> = Vec::new();
    for _ in 0..20 {
        bodies.extend(
            main.receive(10, Duration::from_millis(200), Duration::from_secs(30))
                .await
                .expect("receive")
                .into_iter()
                .map(|m| m.body),
        );
        if bodies.len() >= 2 {
            break;
        }
    }
    let mut sids: Vec<String> = bodies
        .iter()
        .map(|b| Envelope::decode(b).expect("envelope").message_sid.to_string())
        .collect();
    sids.sort();
    assert_eq!(
        sids,
        [format!("SM{:032x}", 1), format!("SM{:032x}", 3)],
        "nothing lost, nothing doubled"
    );

    // A permanently failed message was acknowledged, so it is not in the DLQ: the database kept it.
    let fourth = format!("SM{:032x}", 4);
    sqlx::query(
        "INSERT INTO tipline_claims (message_sid, payload_hash, sender, status, lease_expires_at, received_at, attempts, last_error)
         VALUES ($1, 'h', 'whatsapp:+15550000004', 'failed', now(), now(), 1, 'the only attachment was refused')",
    )
    .bind(&fourth)
    .execute(&pool)
    .await
    .expect("failed claim");
    sqlx::query("INSERT INTO tipline_replayable (message_sid, envelope) VALUES ($1, $2)")
        .bind(&fourth)
        .bind(envelope(4, 1))
        .execute(&pool)
        .await
        .expect("kept envelope");
    let (ok, out) = tipline(&["replay", &fourth], &env);
    assert!(ok && out.contains("from the database"), "{out}");
    let mut replayed = Vec::new();
    for _ in 0..20 {
        replayed.extend(
            main.receive(10, Duration::from_millis(200), Duration::from_secs(30))
                .await
                .expect("receive")
                .into_iter()
                .map(|m| Envelope::decode(&m.body).expect("envelope").message_sid.to_string()),
        );
        if !replayed.is_empty() {
            break;
        }
    }
    assert_eq!(
        replayed,
        std::slice::from_ref(&fourth),
        "requeued once from the database"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM tipline_claims WHERE message_sid = $1")
        .bind(&fourth)
        .fetch_one(&pool)
        .await
        .expect("claim");
    assert_eq!(status, "released");

    let (ok, out) = tipline(&["replay", "SMffffffffffffffffffffffffffffffff"], &env);
    assert!(!ok && out.contains("is not in the DLQ"), "{out}");
    let (ok, out) = tipline(&["replay", "not-a-sid"], &env);
    assert!(!ok && out.contains("MessageSid"), "{out}");
}

#[test]
fn on_call_commands_name_missing_settings() {
    let output = Command::new(BIN)
        .args(["dlq", "stats"])
        .env_remove("QUEUE_URL")
        .env_remove("DLQ_URL")
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("QUEUE_URL"));
}

#[tokio::test]
async fn export_sender_prints_one_senders_records_as_json() {
    use tipline_shared::store::sqlite::SqliteStore;
    use tipline_shared::store::{NewClaim, NewSubmission, Store};

    let dir = std::env::temp_dir().join(format!("tipline-export-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let url = format!("sqlite://{}/tipline.db", dir.display());
    let store = SqliteStore::connect(&url).await.expect("open");
    store.migrate().await.expect("migrate");
    for (n, sender) in [(1, "whatsapp:+15550001234"), (2, "whatsapp:+15550009999")] {
        let sid = tipline_shared::domain::MessageSid::parse(&format!("SM{n:032x}")).expect("sid");
        store
            .claim(&NewClaim {
                message_sid: sid.clone(),
                payload_hash: "h".into(),
                sender: sender.into(),
                received_at: Utc::now(),
                lease: Duration::from_secs(60),
            })
            .await
            .expect("claim");
        store
            .save_submission(&NewSubmission {
                id: uuid::Uuid::now_v7(),
                message_id: sid.to_string(),
                phone_number: sender.into(),
                image_url: None,
                s3_key: None,
                prediction_result: serde_json::json!({"label": "scam"}),
                confidence_score: 0.9,
                scam_label: "scam".into(),
                processing_time_ms: 3,
                input_text: format!("tip from {n}"),
            })
            .await
            .expect("save");
    }
    drop(store);

    let output = Command::new(BIN)
        .args(["export-sender", "+15550001234"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let export: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(export["sender"], "whatsapp:+15550001234");
    let submissions = export["submissions"].as_array().expect("submissions");
    assert_eq!(submissions.len(), 1);
    assert_eq!(submissions[0]["input_text"], "tip from 1");
    assert_eq!(export["messages"][0]["message_sid"], format!("SM{:032x}", 1));
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("15550001234"),
        "masked in logs"
    );

    let (ok, out) = tipline(&["export-sender", "15550001234"], &[("DATABASE_URL", url)]);
    assert!(!ok && out.contains("is not a sender"), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}
