//! The batch engine: partial failures, poison records, duplicates, panics and the deadline.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tipline_processor::{process_batch, RecordOutcome};
use tipline_shared::store::postgres::PgStore;
use tokio::time::Instant;
use wiremock::matchers::{body_string_contains, method, path};
use wiremock::Mock;

use crate::helpers::*;

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_mixed_batch_reports_exactly_the_right_failures(pool: PgPool) {
    let twilio = twilio().await;
    // Message 3's first reply attempt meets a Twilio outage.
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .and(body_string_contains("To=whatsapp%3A%2B15550000003"))
        .respond_with(twilio_error(500, 20500, "Internal Server Error"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&twilio)
        .await;
    let app = state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        &twilio,
        Arc::new(tipline_shared::analysis::OfflineAnalyzer),
        1,
    );

    // Message 9 was completed in an earlier batch.
    let earlier = process_batch(
        app.clone(),
        event(&[("m9-first", envelope(9, "see you at 8?"), 1)]),
        deadline(),
    )
    .await;
    assert!(earlier.response.batch_item_failures.is_empty());

    let mut records = vec![
        ("poison-1", "not json at all".to_owned(), 1),
        ("poison-2", r#"{"v":1,"message_sid":"SM1"}"#.to_owned(), 1),
        ("m9-again", envelope(9, "see you at 8?"), 1),
    ];
    let texts = [
        "Your parcel is held, pay the fee at https://bit.ly/x",
        "lunch tomorrow?",
        "URGENT verify your bank account now",
    ];
    for n in 1..=7u32 {
        records.push((
            Box::leak(format!("m{n}").into_boxed_str()),
            envelope(n, texts[n as usize % 3]),
            1,
        ));
    }
    let result = process_batch(app.clone(), event(&records), deadline()).await;

    let failed: Vec<&str> = result
        .response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failed, ["m3"]);
    assert_eq!(
        (
            result.counts.processed,
            result.counts.duplicate,
            result.counts.permanent,
            result.counts.retryable
        ),
        (6, 1, 2, 1)
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM tipline_rejected_messages").await, 2);

    // SQS delivers m3 again; this time Twilio is fine.
    let retry = process_batch(app.clone(), event(&[("m3", envelope(3, texts[0]), 2)]), deadline()).await;
    assert!(retry.response.batch_item_failures.is_empty());

    for n in 1..=7u32 {
        let expected = if n == 3 { 2 } else { 1 }; // the 500, then the one that went out
        assert_eq!(sends_to(&twilio, &sender(n)).await, expected, "message {n}");
    }
    assert_eq!(
        sends_to(&twilio, &sender(9)).await,
        1,
        "the duplicate got no second reply"
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM b2b_pilot_user_submissions").await, 8);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM tipline_replies WHERE status = 'sent'").await,
        8
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM tipline_claims WHERE status = 'done'").await,
        8
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_panicking_record_fails_alone(pool: PgPool) {
    let twilio = twilio().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer, 1);
    let records = [
        ("ok-1", envelope(1, "hello"), 1),
        ("boom", envelope(2, "PANIC now"), 1),
        ("ok-3", envelope(3, "hi"), 1),
    ];
    let result = process_batch(app, event(&records), deadline()).await;
    let failed: Vec<&str> = result
        .response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert_eq!(failed, ["boom"]);
    assert_eq!(result.counts.processed, 2);
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn no_record_starts_too_close_to_the_deadline(pool: PgPool) {
    let twilio = twilio().await;
    // Each reply takes 400 ms; records run one at a time; nothing starts within 500 ms of the end.
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(created().set_delay(Duration::from_millis(400)))
        .with_priority(1)
        .mount(&twilio)
        .await;
    let mut app = Arc::try_unwrap(state(&pool, &twilio)).expect("sole owner");
    app.settings.concurrency = 1;
    let app = Arc::new(app);
    let records: Vec<(&str, String, u32)> = vec![
        ("a", envelope(1, "one"), 1),
        ("b", envelope(2, "two"), 1),
        ("c", envelope(3, "three"), 1),
    ];
    let deadline = Instant::now() + Duration::from_millis(1200);
    let result = process_batch(app, event(&records), deadline).await;

    let is_unstarted = |o: &RecordOutcome| matches!(o, RecordOutcome::Retryable(r) if r.starts_with("not started"));
    let unstarted: Vec<&str> = result
        .outcomes
        .iter()
        .filter(|(_, o)| is_unstarted(o))
        .map(|(id, _)| id.as_str())
        .collect();
    let started = result.outcomes.len() - unstarted.len();
    // a and b take at least 400 ms each, so c cannot start with 500 ms to spare.
    assert!(
        started >= 1 && unstarted.contains(&"c"),
        "outcomes: {:?}",
        result.outcomes
    );
    let failed: Vec<&str> = result
        .response
        .batch_item_failures
        .iter()
        .map(|f| f.item_identifier.as_str())
        .collect();
    assert!(
        unstarted.iter().all(|id| failed.contains(id)),
        "every unstarted record is reported failed: {failed:?}"
    );
    assert!(
        failed.iter().all(|id| ["a", "b", "c"].contains(id)),
        "only ids from the batch: {failed:?}"
    );
    assert_eq!(
        twilio.received_requests().await.unwrap_or_default().len(),
        started,
        "nothing unstarted reached Twilio"
    );

    // An invocation already past its margin starts nothing at all.
    let late = process_batch(
        state(&pool, &twilio),
        event(&[("d", envelope(4, "four"), 1)]),
        Instant::now() + Duration::from_millis(100),
    )
    .await;
    assert_eq!(late.response.batch_item_failures.len(), 1);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM tipline_claims WHERE message_sid = 'SM00000000000000000000000000000004'"
        )
        .await,
        0
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn the_last_receive_sends_an_honest_fallback_before_the_dlq(pool: PgPool) {
    let twilio = twilio().await;
    let analyzer = Arc::new(ScriptedAnalyzer {
        fail_all: true,
        ..Default::default()
    });
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer.clone(), 1);

    for receive in 1..=2 {
        let result = process_batch(
            app.clone(),
            event(&[("m1", envelope(1, "check this"), receive)]),
            deadline(),
        )
        .await;
        assert_eq!(result.response.batch_item_failures.len(), 1);
        assert_eq!(
            sends_to(&twilio, &sender(1)).await,
            0,
            "no reply before the last receive"
        );
    }
    let last = process_batch(app.clone(), event(&[("m1", envelope(1, "check this"), 3)]), deadline()).await;
    assert_eq!(
        last.response.batch_item_failures.len(),
        1,
        "still failed, so the redrive policy moves it to the DLQ"
    );
    let requests = twilio.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    let body = form_of(&requests[0])
        .into_iter()
        .find(|(k, _)| k == "Body")
        .map(|(_, v)| v)
        .unwrap_or_default();
    assert!(body.contains("couldn't check"), "{body}");
    assert_eq!(analyzer.calls.load(Ordering::SeqCst), 3);
    let error: Option<String> = sqlx::query_scalar("SELECT last_error FROM tipline_claims")
        .fetch_one(&pool)
        .await
        .expect("claim");
    assert!(error.unwrap_or_default().contains("scripted outage"));
}
