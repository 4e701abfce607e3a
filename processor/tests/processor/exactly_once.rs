//! Every tip answered exactly once on the paths a fault can take: an answer lost after Twilio
//! accepted the reply, a reply left `sending` by a crash, a group redelivered in another order or
//! split, a remark whose acknowledgement failed, a refused attachment, a rotated credential, and
//! a model that never answers.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tipline_processor::{process_batch, AppState, RecordOutcome};
use tipline_shared::analysis::reply::BASIC_RULES_NOTE;
use tipline_shared::analysis::{OfflineAnalyzer, OpenAiAnalyzer, OFFLINE_MODEL};
use tipline_shared::store::postgres::PgStore;
use tipline_shared::Secret;
use tokio::time::Instant;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

/// State whose Twilio client gives up on an answer after 300 ms: a slower answer is lost.
fn impatient_state(pool: &PgPool, twilio: &MockServer) -> Arc<AppState> {
    let mut app = Arc::try_unwrap(state(pool, twilio)).expect("sole owner");
    app.messenger = Arc::new(messenger(twilio, 4).with_request_timeout(Duration::from_millis(300)));
    Arc::new(app)
}

async fn reply_row(pool: &PgPool, key: &str, kind: &str) -> (String, Option<String>) {
    sqlx::query_as("SELECT status, twilio_sid FROM tipline_replies WHERE message_sid = $1 AND kind = $2")
        .bind(key)
        .bind(kind)
        .fetch_one(pool)
        .await
        .expect("reply row")
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn an_answer_lost_after_twilio_accepted_the_reply_is_reconciled_not_resent(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(Accepting::new(&ledger).answering_after(Duration::from_secs(3)))
        .with_priority(1)
        .mount(&twilio)
        .await;

    let result = process_batch(
        impatient_state(&pool, &twilio),
        event(&[("m1", envelope(1, "Your account is locked, send the code"), 1)]),
        deadline(),
    )
    .await;

    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1, "the person gets one copy");
    assert_eq!(ledger.len(), 1);
    let (status, twilio_sid) = reply_row(&pool, &sid(1), "verdict").await;
    assert_eq!(status, "sent");
    assert!(
        twilio_sid.is_some_and(|s| s.starts_with("SM")),
        "Twilio's SID is recorded"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn an_unreadable_2xx_is_reconciled_not_resent(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(Accepting::new(&ledger).answering_with("<html>gateway</html>"))
        .with_priority(1)
        .mount(&twilio)
        .await;

    let result = process_batch(
        impatient_state(&pool, &twilio),
        event(&[("m1", envelope(1, "You won a prize, pay the fee"), 1)]),
        deadline(),
    )
    .await;

    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
    assert_eq!(reply_row(&pool, &sid(1), "verdict").await.0, "sent");
}

const TEXT: &str = "Your parcel is held, pay the fee at https://bit.ly/x";

/// Runs message 1 once with the process "dying" right after Twilio accepted its reply, before
/// the answer was recorded: the reply is left `sending`. Returns the state for the retry.
async fn crashed_mid_send(pool: &PgPool, twilio: &MockServer) -> Arc<AppState> {
    let app = state_with(crashing(pool, false, true), twilio, Arc::new(OfflineAnalyzer), 1);
    let first = process_batch(app.clone(), event(&[("m1", envelope(1, TEXT), 1)]), deadline()).await;
    assert_eq!(first.response.batch_item_failures.len(), 1);
    assert_eq!(reply_row(pool, &sid(1), "verdict").await.0, "sending");
    app
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_reply_left_sending_by_a_crash_is_sent_when_twilio_has_no_such_message(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let app = crashed_mid_send(&pool, &twilio).await;
    // As if the process died before its request reached Twilio.
    ledger.clear();

    let result = process_batch(app, event(&[("m1", envelope(1, TEXT), 2)]), deadline()).await;

    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);
    assert_eq!(ledger.len(), 1, "the person hears back once, not never");
    assert_eq!(reply_row(&pool, &sid(1), "verdict").await.0, "sent");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_reply_left_sending_by_a_crash_is_not_resent_when_twilio_has_it(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let app = crashed_mid_send(&pool, &twilio).await;
    let accepted = ledger.sids();

    let result = process_batch(app, event(&[("m1", envelope(1, TEXT), 2)]), deadline()).await;

    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1, "not sent again");
    assert_eq!(
        reply_row(&pool, &sid(1), "verdict").await,
        ("sent".to_owned(), accepted.first().cloned()),
        "Twilio's SID is recorded"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_failed_lookup_is_never_a_blind_resend(pool: PgPool) {
    let twilio = twilio().await;
    Mock::given(method("GET"))
        .and(path(MESSAGES_PATH))
        .respond_with(twilio_error(503, 20503, "Service Unavailable"))
        .with_priority(1)
        .mount(&twilio)
        .await;
    let app = crashed_mid_send(&pool, &twilio).await;

    let result = process_batch(app, event(&[("m1", envelope(1, TEXT), 2)]), deadline()).await;

    assert!(matches!(result.outcomes[0].1, RecordOutcome::Retryable(_)));
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1, "only the first send");
    assert_eq!(reply_row(&pool, &sid(1), "verdict").await.0, "sending");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_group_redelivered_in_another_order_or_split_is_answered_once(pool: PgPool) {
    let twilio = twilio().await;
    let app = state_with(crashing(&pool, true, false), &twilio, Arc::new(OfflineAnalyzer), 1);
    let a = envelope_from(1, 7, "Hi mum, this is my new number", &[]);
    let b = envelope_from(2, 7, "Can you send £200 today? It's urgent", &[]);

    let first = process_batch(
        app.clone(),
        event(&[("a", a.clone(), 1), ("b", b.clone(), 1)]),
        deadline(),
    )
    .await;
    assert_eq!(
        first.response.batch_item_failures.len(),
        2,
        "the failed completion retries both"
    );
    assert_eq!(sends_to(&twilio, &sender(7)).await, 1);

    // SQS brings them back in the other order, then one of them alone once more.
    let again = process_batch(app.clone(), event(&[("b", b.clone(), 2), ("a", a, 2)]), deadline()).await;
    assert!(again.response.batch_item_failures.is_empty());
    let alone = process_batch(app, event(&[("b", b, 3)]), deadline()).await;
    assert_eq!(alone.counts.duplicate, 1);

    assert_eq!(sends_to(&twilio, &sender(7)).await, 1, "one answer for the group");
    assert_eq!(count(&pool, "SELECT count(*) FROM b2b_pilot_user_submissions").await, 1);
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM tipline_claims WHERE status = 'done' AND submission_id IS NOT NULL"
        )
        .await,
        2,
        "every member points at the one submission"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_remark_whose_acknowledgement_failed_stays_feedback_on_the_retry(pool: PgPool) {
    let twilio = twilio().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer.clone(), 1);
    process_batch(
        app.clone(),
        event(&[("tip", envelope_from(1, 1, TEXT, &[]), 1)]),
        deadline(),
    )
    .await;
    // The acknowledgement of the remark fails once.
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(twilio_error(500, 20500, "Internal Server Error"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&twilio)
        .await;
    let remark = envelope_from(2, 1, "my bank said the same", &[]);

    let first = process_batch(app.clone(), event(&[("remark", remark.clone(), 1)]), deadline()).await;
    assert_eq!(first.response.batch_item_failures.len(), 1);
    let retry = process_batch(app, event(&[("remark", remark, 2)]), deadline()).await;

    assert!(retry.response.batch_item_failures.is_empty());
    assert_eq!(
        analyzer.calls.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "the remark is never analysed"
    );
    assert_eq!(count(&pool, "SELECT count(*) FROM b2b_pilot_user_submissions").await, 1);
    assert_eq!(reply_row(&pool, &sid(2), "feedback_ack").await.0, "sent");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_refused_attachment_beside_text_still_gets_a_verdict_on_the_text(pool: PgPool) {
    let (twilio, elsewhere) = (twilio().await, MockServer::start().await);
    let app = state(&pool, &twilio);
    let url = format!("{}{}", elsewhere.uri(), media_path(1, 1));
    let body = envelope_from(1, 1, TEXT, &[(url, "image/jpeg")]);

    let result = process_batch(app, event(&[("m1", body, 1)]), deadline()).await;

    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);
    assert_eq!(reply_row(&pool, &sid(1), "verdict").await.0, "sent");
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
    assert!(elsewhere.received_requests().await.unwrap_or_default().is_empty());
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_rotated_twilio_credential_is_retried_and_counted_not_failed(pool: PgPool) {
    let twilio = twilio().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(twilio_error(401, 20003, "Authenticate"))
        .with_priority(1)
        .mount(&twilio)
        .await;

    let result = process_batch(
        state(&pool, &twilio),
        event(&[("m1", envelope(1, TEXT), 1)]),
        deadline(),
    )
    .await;

    assert!(matches!(result.outcomes[0].1, RecordOutcome::Retryable(_)));
    assert_eq!(result.counts.auth_failures, 1);
    assert_eq!(
        sends_to(&twilio, &sender(1)).await,
        1,
        "not hammered within the invocation"
    );
    let status: String = sqlx::query_scalar("SELECT status FROM tipline_claims")
        .fetch_one(&pool)
        .await
        .expect("claim");
    assert_eq!(status, "released", "free for the next receive once the secret is fixed");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_hanging_model_leaves_the_fallback_time_to_answer(pool: PgPool) {
    let twilio = twilio().await;
    let openai = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(120)))
        .mount(&openai)
        .await;
    // Production's request timeout (25 s) and reserve, in an invocation with 12 s left.
    let analyzer = OpenAiAnalyzer::new(
        reqwest::Client::new(),
        &format!("{}/v1", openai.uri()),
        Secret::new("sk-test"),
        "hanging",
    );
    let app = state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        &twilio,
        Arc::new(analyzer),
        1,
    );

    let result = process_batch(
        app,
        event(&[("m1", envelope(1, TEXT), 1)]),
        Instant::now() + Duration::from_secs(12),
    )
    .await;

    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);
    assert_eq!(result.counts.analyzer_fallbacks, 1);
    let model: String = sqlx::query_scalar("SELECT prediction_result->>'model' FROM b2b_pilot_user_submissions")
        .fetch_one(&pool)
        .await
        .expect("submission");
    assert_eq!(model, OFFLINE_MODEL);
    let recorded: serde_json::Value = sqlx::query_scalar("SELECT prediction_result FROM b2b_pilot_user_submissions")
        .fetch_one(&pool)
        .await
        .expect("submission");
    let reason = recorded["fallback_reason"].as_str().unwrap_or_default();
    assert!(reason.contains("no answer in time"), "{recorded}");
    assert_eq!(recorded["hedged"], true, "the hanging call was hedged once");
    assert_eq!(openai.received_requests().await.unwrap_or_default().len(), 2);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
    let reply = twilio.received_requests().await.unwrap_or_default();
    let body = reply
        .iter()
        .flat_map(form_of)
        .find(|(k, _)| k == "Body")
        .map(|(_, v)| v)
        .unwrap_or_default();
    assert!(body.contains(BASIC_RULES_NOTE), "{body}");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_permanent_failure_is_answered_counted_and_kept_for_replay(pool: PgPool) {
    let (twilio, elsewhere) = (twilio().await, MockServer::start().await);
    let url = format!("{}{}", elsewhere.uri(), media_path(1, 1));
    let body = envelope_from(1, 1, "", &[(url, "image/jpeg")]);

    let result = process_batch(state(&pool, &twilio), event(&[("m1", body.clone(), 1)]), deadline()).await;

    assert_eq!(result.counts.permanent, 1);
    assert_eq!(result.counts.fallback_replies, 1);
    assert_eq!(reply_row(&pool, &sid(1), "fallback").await.0, "sent");
    let kept: String = sqlx::query_scalar("SELECT envelope FROM tipline_replayable WHERE message_sid = $1")
        .bind(sid(1))
        .fetch_one(&pool)
        .await
        .expect("kept for replay");
    assert_eq!(kept, body);
}
