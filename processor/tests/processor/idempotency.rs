//! Exactly-once under duplicates, concurrency and crashes.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tipline_processor::process_batch;
use tipline_shared::analysis::OfflineAnalyzer;
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
