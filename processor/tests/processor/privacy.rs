//! Privacy and data rights: the notice on a first message and on request, and "delete my data"
//! erasing everything about a sender while redelivered messages are still never answered twice.

use std::sync::Arc;

use sqlx::PgPool;
use tipline_processor::{process_batch, RecordOutcome};
use tipline_shared::analysis::OfflineAnalyzer;
use tipline_shared::media::{MediaStore, ObjectMediaStore};
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::Store;
use wiremock::matchers::{header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

/// The bodies Twilio was asked to send to `to`, oldest first.
async fn bodies_to(server: &MockServer, to: &str) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(form_of)
        .filter(|form| form.iter().any(|(k, v)| k == "To" && v == to))
        .filter_map(|form| form.into_iter().find(|(k, _)| k == "Body").map(|(_, v)| v))
        .collect()
}

async fn run(app: &Arc<tipline_processor::AppState>, id: &str, body: String) -> RecordOutcome {
    let result = process_batch(app.clone(), event(&[(id, body, 1)]), deadline()).await;
    result.outcomes.into_iter().next().expect("one outcome").1
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn the_first_reply_carries_the_privacy_notice_once_and_privacy_repeats_it(pool: PgPool) {
    let twilio = twilio().await;
    let mut app = Arc::try_unwrap(state(&pool, &twilio)).expect("sole owner");
    app.settings.privacy_policy_url = Some("https://tipline.example/privacy".into());
    let app = Arc::new(app);

    let first = envelope_from(1, 1, "Your parcel is held, pay the fee at https://bit.ly/x", &[]);
    assert_eq!(run(&app, "a", first.clone()).await, RecordOutcome::Done);
    assert_eq!(run(&app, "a-again", first).await, RecordOutcome::Duplicate);
    let tip = envelope_from(
        2,
        1,
        "Congratulations, you won a prize, send your PIN to claim https://x.co",
        &[],
    );
    assert_eq!(run(&app, "b", tip).await, RecordOutcome::Done);
    assert_eq!(
        run(&app, "c", envelope_from(3, 1, "Privacidad", &[])).await,
        RecordOutcome::Done
    );

    let bodies = bodies_to(&twilio, &sender(1)).await;
    assert_eq!(bodies.len(), 3, "{bodies:#?}");
    assert!(bodies[0].starts_with("🚨"), "the verdict comes first: {}", bodies[0]);
    assert!(bodies[0].contains("🔒 Privacy:"), "{}", bodies[0]);
    assert!(bodies[0].contains("https://tipline.example/privacy"));
    assert!(
        bodies[0].ends_with("Reply 1 if this helped, 2 if not."),
        "{}",
        bodies[0]
    );
    assert!(!bodies[1].contains("🔒"), "never again on a tip: {}", bodies[1]);
    assert!(
        bodies[2].starts_with("🔒 Privacidad:"),
        "on request, in Spanish: {}",
        bodies[2]
    );
    assert!(bodies[2].ends_with("https://tipline.example/privacy"));
    let kinds: Vec<String> = sqlx::query_scalar("SELECT kind FROM tipline_replies ORDER BY created_at")
        .fetch_all(&pool)
        .await
        .expect("kinds");
    assert_eq!(kinds, ["verdict", "verdict", "privacy"]);

    // Another person's first message is their own first notice, in their language.
    let spanish = envelope_from(4, 2, "Hola, su cuenta está bloqueada, pague aquí https://bit.ly/y", &[]);
    assert_eq!(run(&app, "d", spanish).await, RecordOutcome::Done);
    let other = bodies_to(&twilio, &sender(2)).await;
    assert!(other[0].contains("🔒 Privacidad:"), "{}", other[0]);

    // Asked for first, the notice is not added again to the next reply.
    assert_eq!(
        run(&app, "e", envelope_from(5, 3, "PRIVACY", &[])).await,
        RecordOutcome::Done
    );
    assert_eq!(
        run(&app, "f", envelope_from(6, 3, "help", &[])).await,
        RecordOutcome::Done
    );
    let third = bodies_to(&twilio, &sender(3)).await;
    assert!(third[0].starts_with("🔒 Privacy:"), "{}", third[0]);
    assert!(!third[1].contains("🔒"), "{}", third[1]);
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn delete_my_data_then_yes_erases_every_trace_and_old_messages_stay_answered_once(pool: PgPool) {
    let (twilio, cdn) = (twilio().await, MockServer::start().await);
    serve_media(&twilio, &cdn, 1, 1, "image/png", png(7)).await;
    Mock::given(method("DELETE"))
        .and(path(media_path(1, 1)))
        .and(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .named("Twilio's copy deleted once ours is stored")
        .mount(&twilio)
        .await;
    let bucket = moto_bucket().await;
    let media_store: Arc<dyn MediaStore> =
        Arc::new(ObjectMediaStore::from_url(&format!("s3://{bucket}/tips")).expect("S3 store"));
    let mut app = Arc::try_unwrap(state_with_cdn(&pool, &twilio, &cdn, Arc::new(OfflineAnalyzer))).expect("sole");
    app.media_store = media_store.clone();
    let app = Arc::new(app);
    let store = PgStore::from_pool(pool.clone());

    // What the sender leaves: a tip with a screenshot, feedback on it, and another person's tip.
    let canary = "zebra canary 4242";
    let url = format!("{}{}", twilio.uri(), media_path(1, 1));
    let tip = envelope_from(
        1,
        1,
        &format!("{canary}: pay at https://bit.ly/x"),
        &[(url, "image/png")],
    );
    assert_eq!(run(&app, "tip", tip.clone()).await, RecordOutcome::Done);
    assert_eq!(
        run(&app, "rating", envelope_from(2, 1, "2", &[])).await,
        RecordOutcome::Done
    );
    let others = envelope_from(9, 9, "Your account is blocked, verify at https://bit.ly/z", &[]);
    assert_eq!(run(&app, "other", others).await, RecordOutcome::Done);
    let key = store
        .submission_by_message(&sid(1))
        .await
        .expect("read")
        .and_then(|s| s.s3_key)
        .expect("stored screenshot");
    assert_eq!(media_store.get(&key).await.expect("in S3"), png(7));
    let number = sender(1).trim_start_matches("whatsapp:").to_owned();
    assert!(
        !columns_holding(&pool, &number).await.is_empty(),
        "the search finds the number"
    );
    assert!(
        !columns_holding(&pool, canary).await.is_empty(),
        "the search finds the text"
    );

    // Asked, confirmed, done.
    assert_eq!(
        run(&app, "ask", envelope_from(3, 1, "DELETE MY DATA", &[])).await,
        RecordOutcome::Done
    );
    assert!(
        store.submission_by_message(&sid(1)).await.expect("read").is_some(),
        "nothing is erased before the yes"
    );
    assert_eq!(
        run(&app, "yes", envelope_from(4, 1, "YES", &[])).await,
        RecordOutcome::Done
    );

    let bodies = bodies_to(&twilio, &sender(1)).await;
    assert_eq!(bodies.len(), 4, "{bodies:#?}");
    assert!(
        bodies[2].starts_with("🗑️") && bodies[2].contains("Reply YES"),
        "{}",
        bodies[2]
    );
    assert!(bodies[3].starts_with("✅ Done"), "{}", bodies[3]);
    for needle in [number.as_str(), canary] {
        assert_eq!(
            columns_holding(&pool, needle).await,
            Vec::<String>::new(),
            "{needle:?} is gone"
        );
    }
    assert!(media_store.get(&key).await.is_err(), "the screenshot is gone from S3");
    assert!(
        store.submission_by_message(&sid(9)).await.expect("read").is_some(),
        "another sender's tip stays"
    );
    let claims: Vec<(String, String)> =
        sqlx::query_as("SELECT status, sender FROM tipline_claims WHERE message_sid = ANY($1) ORDER BY message_sid")
            .bind(vec![sid(1), sid(2), sid(3), sid(4)])
            .fetch_all(&pool)
            .await
            .expect("claims");
    assert_eq!(
        claims,
        vec![("done".to_owned(), "erased".to_owned()); 4],
        "kept for idempotency only"
    );

    // Twilio redelivers the old tip and the yes: acknowledged, nothing sent, nothing recreated.
    assert_eq!(run(&app, "tip-again", tip).await, RecordOutcome::Duplicate);
    assert_eq!(
        run(&app, "yes-again", envelope_from(4, 1, "YES", &[])).await,
        RecordOutcome::Duplicate
    );
    assert_eq!(bodies_to(&twilio, &sender(1)).await.len(), 4);
    assert_eq!(columns_holding(&pool, &number).await, Vec::<String>::new());

    // Writing again starts afresh: a new first notice.
    assert_eq!(
        run(&app, "new", envelope_from(5, 1, "help", &[])).await,
        RecordOutcome::Done
    );
    let bodies = bodies_to(&twilio, &sender(1)).await;
    assert!(bodies[4].contains("🔒 Privacy:"), "{}", bodies[4]);
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn an_erasure_interrupted_before_its_bookkeeping_resumes_without_a_second_reply(pool: PgPool) {
    let twilio = twilio().await;
    let app = state(&pool, &twilio);
    let tip = envelope_from(1, 1, "Your parcel is held, pay the fee at https://bit.ly/x", &[]);
    assert_eq!(run(&app, "tip", tip).await, RecordOutcome::Done);
    assert_eq!(
        run(&app, "ask", envelope_from(2, 1, "apagar meus dados", &[])).await,
        RecordOutcome::Done
    );

    // The erasure commits, then the process dies before the claims are marked done.
    let crashing = state_with(crashing(&pool, true, false), &twilio, Arc::new(OfflineAnalyzer), 4);
    let yes = envelope_from(3, 1, "sim", &[]);
    assert!(matches!(
        run(&crashing, "yes", yes.clone()).await,
        RecordOutcome::Retryable(_)
    ));
    assert_eq!(run(&app, "yes-retry", yes).await, RecordOutcome::Done);

    let bodies = bodies_to(&twilio, &sender(1)).await;
    assert_eq!(bodies.len(), 3, "one confirmation, not two: {bodies:#?}");
    assert!(bodies[1].contains("Responda SIM"), "asked in Portuguese: {}", bodies[1]);
    assert!(bodies[2].starts_with("✅ Pronto"), "{}", bodies[2]);
    let number = sender(1).trim_start_matches("whatsapp:").to_owned();
    assert_eq!(columns_holding(&pool, &number).await, Vec::<String>::new());
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_yes_after_the_confirmation_window_erases_nothing(pool: PgPool) {
    let twilio = twilio().await;
    let app = state(&pool, &twilio);
    let tip = envelope_from(1, 1, "Your parcel is held, pay the fee at https://bit.ly/x", &[]);
    assert_eq!(run(&app, "tip", tip).await, RecordOutcome::Done);
    assert_eq!(
        run(&app, "ask", envelope_from(2, 1, "delete my data", &[])).await,
        RecordOutcome::Done
    );
    sqlx::query("UPDATE tipline_deletion_requests SET requested_at = now() - interval '1 hour'")
        .execute(&pool)
        .await
        .expect("age the request");

    assert_eq!(
        run(&app, "yes", envelope_from(3, 1, "yes", &[])).await,
        RecordOutcome::Done
    );

    let store = PgStore::from_pool(pool.clone());
    assert!(store.submission_by_message(&sid(1)).await.expect("read").is_some());
    let state: String = sqlx::query_scalar("SELECT state FROM tipline_deletion_requests")
        .fetch_one(&pool)
        .await
        .expect("request");
    assert_eq!(state, "pending");
    let bodies = bodies_to(&twilio, &sender(1)).await;
    assert!(!bodies[2].starts_with("✅"), "{}", bodies[2]);
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_failed_delete_of_twilios_media_copy_never_blocks_the_reply_and_is_left_for_retention(pool: PgPool) {
    let (twilio, cdn) = (twilio().await, MockServer::start().await);
    serve_media(&twilio, &cdn, 1, 1, "image/png", png(3)).await;
    Mock::given(method("DELETE"))
        .and(path(media_path(1, 1)))
        .respond_with(twilio_error(500, 20500, "Internal Server Error"))
        .mount(&twilio)
        .await;
    let app = state_with_cdn(&pool, &twilio, &cdn, Arc::new(OfflineAnalyzer));
    let url = format!("{}{}", twilio.uri(), media_path(1, 1));
    let tip = envelope_from(1, 1, "is this real? https://bit.ly/x", &[(url.clone(), "image/png")]);

    assert_eq!(run(&app, "tip", tip).await, RecordOutcome::Done);

    assert_eq!(bodies_to(&twilio, &sender(1)).await.len(), 1, "answered");
    let pending = PgStore::from_pool(pool.clone())
        .twilio_media_pending(10)
        .await
        .expect("pending");
    assert_eq!(
        pending,
        [(url, tipline_shared::domain::MessageSid::parse(&sid(1)).expect("sid"))]
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn the_model_sees_the_tip_and_never_the_senders_number(pool: PgPool) {
    let (twilio, openai) = (twilio().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(crate::openai::scam_answer())
        .expect(1)
        .mount(&openai)
        .await;
    let app = state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        &twilio,
        Arc::new(crate::openai::analyzer(&openai)),
        1,
    );
    let tip = envelope_from(1, 1, "Your parcel is held, pay the fee at https://bit.ly/x", &[]);

    assert_eq!(run(&app, "tip", tip).await, RecordOutcome::Done);

    let requests = openai.received_requests().await.unwrap_or_default();
    let sent = String::from_utf8_lossy(&requests[0].body).into_owned();
    assert!(
        sent.contains("pay the fee at https://bit.ly/x"),
        "the tip's content goes: {sent}"
    );
    let number = sender(1).trim_start_matches("whatsapp:+").to_owned();
    assert!(
        !sent.contains(&number) && !sent.contains("whatsapp:"),
        "no sender: {sent}"
    );
}
