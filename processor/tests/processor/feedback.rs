//! Answers to a verdict are feedback on it, not new tips; `help` explains the service.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use sqlx::PgPool;
use tipline_processor::process_batch;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::Store;

use crate::helpers::*;

fn body_sent_to(requests: &[wiremock::Request], index: usize) -> String {
    form_of(&requests[index])
        .into_iter()
        .find(|(k, _)| k == "Body")
        .map(|(_, v)| v)
        .unwrap_or_default()
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_2_after_a_verdict_is_stored_on_that_submission_and_not_analysed(pool: PgPool) {
    let twilio = twilio().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer.clone(), 1);
    let tip = envelope_from(1, 1, "Your parcel is held, pay the fee at https://bit.ly/x", &[]);
    process_batch(app.clone(), event(&[("tip", tip, 1)]), deadline()).await;
    assert_eq!(analyzer.calls.load(Ordering::SeqCst), 1);

    let result = process_batch(
        app.clone(),
        event(&[("answer", envelope_from(2, 1, "2", &[]), 1)]),
        deadline(),
    )
    .await;

    assert!(result.response.batch_item_failures.is_empty());
    assert_eq!(analyzer.calls.load(Ordering::SeqCst), 1, "feedback is not analysed");
    assert_eq!(count(&pool, "SELECT count(*) FROM b2b_pilot_user_submissions").await, 1);
    let submission = PgStore::from_pool(pool.clone())
        .submission_by_message(&sid(1))
        .await
        .expect("query")
        .expect("row");
    assert_eq!(submission.feedback_text.as_deref(), Some("2"));
    assert!(submission.feedback_timestamp.is_some());
    let kinds: Vec<(String, String)> =
        sqlx::query_as("SELECT message_sid, kind FROM tipline_replies ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .expect("replies");
    assert_eq!(kinds, [(sid(1), "verdict".into()), (sid(2), "feedback_ack".into())]);
    let requests = twilio.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2);
    assert!(
        body_sent_to(&requests, 1).starts_with("🙏 Thanks"),
        "{}",
        body_sent_to(&requests, 1)
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn help_explains_and_an_answer_outside_the_window_is_not_feedback(pool: PgPool) {
    let twilio = twilio().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let mut app = Arc::try_unwrap(state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        &twilio,
        analyzer.clone(),
        1,
    ))
    .expect("sole owner");
    app.settings.feedback_window = std::time::Duration::ZERO;
    let app = Arc::new(app);

    process_batch(
        app.clone(),
        event(&[("help", envelope_from(1, 1, "Help", &[]), 1)]),
        deadline(),
    )
    .await;
    process_batch(
        app.clone(),
        event(&[(
            "tip",
            envelope_from(2, 1, "URGENT verify your bank account now", &[]),
            1,
        )]),
        deadline(),
    )
    .await;
    // With no window left, a remark is a new tip; the first submission gets no feedback.
    process_batch(
        app.clone(),
        event(&[("later", envelope_from(3, 1, "what about this one", &[]), 1)]),
        deadline(),
    )
    .await;

    assert_eq!(analyzer.calls.load(Ordering::SeqCst), 2);
    let kinds: Vec<(String, String)> =
        sqlx::query_as("SELECT message_sid, kind FROM tipline_replies ORDER BY created_at")
            .fetch_all(&pool)
            .await
            .expect("replies");
    assert_eq!(
        kinds,
        [
            (sid(1), "help".into()),
            (sid(2), "verdict".into()),
            (sid(3), "verdict".into())
        ]
    );
    let requests = twilio.received_requests().await.unwrap_or_default();
    assert!(body_sent_to(&requests, 0).contains("scam-checking tipline"));
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM b2b_pilot_user_submissions WHERE feedback_text IS NOT NULL"
        )
        .await,
        0
    );
}
