//! A tip with a screenshot end to end: Twilio's media API and CDN (stand-ins) → S3 (moto) →
//! the OpenAI-compatible API (stand-in) → Postgres → the reply through Twilio (stand-in).

use std::sync::Arc;

use base64::Engine as _;
use sqlx::PgPool;
use tipline_processor::{process_batch, RecordOutcome};
use tipline_shared::media::{MediaStore, ObjectMediaStore};
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::Store;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;
use crate::openai::{analyzer, scam_answer, MODEL};

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_tip_with_a_screenshot_is_downloaded_stored_analysed_saved_and_answered(pool: PgPool) {
    let (twilio, cdn, openai) = (twilio().await, MockServer::start().await, MockServer::start().await);
    let screenshot = png(9);
    serve_media(&twilio, &cdn, 1, 1, "image/png", screenshot.clone()).await;
    Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/v1/chat/completions"))
        .respond_with(scam_answer())
        .expect(1)
        .mount(&openai)
        .await;
    let bucket = moto_bucket().await;
    let media_store: Arc<dyn MediaStore> =
        Arc::new(ObjectMediaStore::from_url(&format!("s3://{bucket}/tips")).expect("S3 store"));
    let mut app =
        Arc::try_unwrap(state_with_cdn(&pool, &twilio, &cdn, Arc::new(analyzer(&openai)))).expect("sole owner");
    app.media_store = media_store.clone();
    let app = Arc::new(app);

    let url = format!("{}{}", twilio.uri(), media_path(1, 1));
    let body = envelope_from(1, 1, "is this real?", &[(url, "image/png")]);
    let result = process_batch(app, event(&[("m1", body, 1)]), deadline()).await;
    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);

    // Stored in S3 under the dated key, and that key recorded on the submission.
    let submission = PgStore::from_pool(pool.clone())
        .submission_by_message(&sid(1))
        .await
        .expect("query")
        .expect("row");
    let key = submission.s3_key.clone().expect("s3_key");
    let today = chrono::Utc::now().format("%Y/%m/%d").to_string();
    assert_eq!(key, format!("tips/media/{today}/{}/0.png", sid(1)));
    assert_eq!(submission.image_url, Some(format!("s3://{bucket}/{key}")));
    assert_eq!(media_store.get(&key).await.expect("in S3"), screenshot);

    // The model saw the screenshot, decided, and is named on the record.
    let request = &openai.received_requests().await.unwrap_or_default()[0];
    let sent: serde_json::Value = serde_json::from_slice(&request.body).expect("json");
    let image = sent["messages"][1]["content"][1]["image_url"]["url"]
        .as_str()
        .unwrap_or_default();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&screenshot);
    assert_eq!(image, format!("data:image/png;base64,{encoded}"));
    let prediction = submission.prediction_result.clone().unwrap_or_default();
    assert_eq!(prediction["model"], MODEL);
    assert!(prediction["latency_ms"].is_u64());
    assert_eq!(submission.scam_label.as_deref(), Some("scam"));
    assert_eq!(submission.input_text.as_deref(), Some("is this real?"));

    // One reply, verdict first.
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
    let reply: String = sqlx::query_scalar("SELECT body FROM tipline_replies WHERE kind = 'verdict'")
        .fetch_one(&pool)
        .await
        .expect("reply");
    assert!(reply.starts_with("🚨 This looks like a SCAM."), "{reply}");
    assert!(reply.contains("It asks for a payment to release a parcel"), "{reply}");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_forged_media_url_fails_the_message_permanently_without_a_credentialed_request_and_is_answered(pool: PgPool) {
    let (twilio, elsewhere) = (twilio().await, MockServer::start().await);
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&elsewhere)
        .await;
    let app = state_with_cdn(
        &pool,
        &twilio,
        &elsewhere,
        Arc::new(tipline_shared::analysis::OfflineAnalyzer),
    );
    let url = format!("{}{}", elsewhere.uri(), media_path(1, 1));
    let body = envelope_from(1, 1, "", &[(url, "image/jpeg")]);

    let result = process_batch(app, event(&[("m1", body, 1)]), deadline()).await;

    assert!(
        result.response.batch_item_failures.is_empty(),
        "acknowledged, not retried"
    );
    assert!(matches!(&result.outcomes[0].1, RecordOutcome::Permanent(reason) if reason.contains("refused")));
    assert_eq!(
        count(
            &pool,
            "SELECT count(*) FROM tipline_claims WHERE status = 'failed' AND last_error LIKE '%refused%'"
        )
        .await,
        1
    );
    // No download was tried, and the sender still hears back honestly.
    let requests = twilio.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "one reply, no download");
    assert_eq!(requests[0].url.path(), MESSAGES_PATH);
    let kind: String = sqlx::query_scalar("SELECT kind FROM tipline_replies")
        .fetch_one(&pool)
        .await
        .expect("reply");
    assert_eq!(kind, "fallback");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_message_with_only_an_unsupported_attachment_is_told_so(pool: PgPool) {
    let twilio = twilio().await;
    let analyzer = Arc::new(RecordingAnalyzer::default());
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer.clone(), 1);
    let url = format!("{}{}", twilio.uri(), media_path(1, 1));
    let body = envelope_from(1, 1, "", &[(url, "video/mp4")]);

    let result = process_batch(app, event(&[("m1", body, 1)]), deadline()).await;

    assert_eq!(result.outcomes, [("m1".to_owned(), RecordOutcome::Done)]);
    assert!(analyzer.tips().is_empty());
    let kind: String = sqlx::query_scalar("SELECT kind FROM tipline_replies")
        .fetch_one(&pool)
        .await
        .expect("reply");
    assert_eq!(kind, "unsupported");
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
}
