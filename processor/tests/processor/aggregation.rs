//! One sender's text and screenshots in one batch: one analysis, one submission, one reply.

use std::sync::Arc;

use sqlx::PgPool;
use tipline_processor::process_batch;
use tipline_shared::domain::MessageSid;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::Store;
use wiremock::MockServer;

use crate::helpers::*;

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_text_and_two_screenshots_are_one_tip_beside_another_senders_text(pool: PgPool) {
    let (twilio, cdn) = (twilio().await, MockServer::start().await);
    serve_media(&twilio, &cdn, 2, 1, "image/png", png(1)).await;
    serve_media(&twilio, &cdn, 3, 2, "image/jpeg", png(2)).await;
    let analyzer = Arc::new(RecordingAnalyzer::default());
    let app = state_with_cdn(&pool, &twilio, &cdn, analyzer.clone());
    let media = |n: u32, m: u32, content_type: &'static str| {
        vec![(format!("{}{}", twilio.uri(), media_path(n, m)), content_type)]
    };

    let records = [
        (
            "a-text",
            envelope_from(1, 1, "Is this real? They say my parcel is held", &[]),
            1,
        ),
        (
            "b-text",
            envelope_from(4, 4, "Congratulations, you won a prize! Send your PIN", &[]),
            1,
        ),
        ("a-shot-1", envelope_from(2, 1, "", &media(2, 1, "image/png")), 1),
        ("a-shot-2", envelope_from(3, 1, "", &media(3, 2, "image/jpeg")), 1),
    ];
    let result = process_batch(app.clone(), event(&records), deadline()).await;

    assert!(result.response.batch_item_failures.is_empty(), "{:?}", result.outcomes);
    assert_eq!(result.counts.processed, 4);
    let tips = analyzer.tips();
    assert_eq!(tips.len(), 2, "one analysis per sender");
    let combined = tips.iter().find(|t| t.media.len() == 2).expect("the aggregated tip");
    assert!(combined.text.contains("parcel is held"));
    assert_eq!(combined.media[0].bytes, png(1));
    assert_eq!(combined.media[1].bytes, png(2));

    assert_eq!(count(&pool, "SELECT count(*) FROM b2b_pilot_user_submissions").await, 2);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1);
    assert_eq!(sends_to(&twilio, &sender(4)).await, 1);

    // The submission is keyed on the group's first message; every claim points to it.
    let store = PgStore::from_pool(pool.clone());
    let submission = store.submission_by_message(&sid(1)).await.expect("query").expect("row");
    let key = submission.s3_key.clone().expect("s3_key");
    assert!(
        key.starts_with("media/") && key.ends_with(&format!("/{}/0.png", sid(2))),
        "{key}"
    );
    assert_eq!(app.media_store.get(&key).await.expect("stored"), png(1));
    let stored_media = submission
        .prediction_result
        .as_ref()
        .map(|p| p["media"].clone())
        .unwrap_or_default();
    assert_eq!(stored_media.as_array().map(Vec::len), Some(2));
    for n in 1..=3 {
        let info = store
            .claim_info(&MessageSid::parse(&sid(n)).expect("sid"))
            .await
            .expect("query")
            .expect("claimed");
        assert_eq!(
            (info.status.as_str(), info.submission_id),
            ("done", Some(submission.id)),
            "message {n}"
        );
    }
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_duplicate_member_is_acknowledged_alone_and_the_rest_still_answered_once(pool: PgPool) {
    let twilio = twilio().await;
    let analyzer = Arc::new(RecordingAnalyzer::default());
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer.clone(), 1);
    let first = process_batch(
        app.clone(),
        event(&[("a1", envelope_from(1, 1, "Your bank card is blocked", &[]), 1)]),
        deadline(),
    )
    .await;
    assert!(first.response.batch_item_failures.is_empty());

    // SQS delivers message 1 again, together with a follow-up the same sender wrote at once.
    let records = [
        ("a1-again", envelope_from(1, 1, "Your bank card is blocked", &[]), 2),
        (
            "a2",
            envelope_from(2, 1, "They want me to call 0800 123 4567 and give my card number", &[]),
            1,
        ),
    ];
    let result = process_batch(app, event(&records), deadline()).await;
    assert!(result.response.batch_item_failures.is_empty());
    assert_eq!((result.counts.duplicate, result.counts.processed), (1, 1));
    assert_eq!(analyzer.tips().len(), 2);
    assert_eq!(
        analyzer.tips()[1].text,
        "They want me to call 0800 123 4567 and give my card number"
    );
    assert_eq!(sends_to(&twilio, &sender(1)).await, 2);
}
