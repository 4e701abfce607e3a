//! The media stage end to end: PDFs and voice notes (through a stand-in for the OpenAI-compatible
//! transcription API) join the tip's text, are stored with the submission, and the reply says
//! what the verdict covers and what could not be checked.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use tipline_processor::{process_batch, AppState, RecordOutcome};
use tipline_shared::analysis::OfflineAnalyzer;
use tipline_shared::media::pdf::sample_pdf;
use tipline_shared::media::transcribe::OpenAiTranscriber;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::Store;
use tipline_shared::Secret;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

const SCAM_TEXT: &str = "URGENT: your bank account is suspended. Verify your identity today at \
                         http://paypa1-login.top and send us the OTP code we texted you.";

fn app(pool: &PgPool, twilio: &MockServer, cdn: &MockServer, transcription: Option<&MockServer>) -> Arc<AppState> {
    let mut app = Arc::try_unwrap(state_with_cdn(pool, twilio, cdn, Arc::new(OfflineAnalyzer))).expect("sole owner");
    app.transcriber = transcription.map(|server| {
        Arc::new(
            OpenAiTranscriber::new(
                reqwest::Client::new(),
                &format!("{}/v1", server.uri()),
                Secret::new("sk-test"),
                "gpt-4o-mini-transcribe",
            )
            .with_retries(2, Duration::from_millis(5)),
        ) as _
    });
    Arc::new(app)
}

/// Sends message 1 with one attachment of this type and body, and returns (outcome, reply kind, reply).
async fn send(
    app: Arc<AppState>,
    twilio: &MockServer,
    cdn: &MockServer,
    text: &str,
    mime: &str,
    bytes: Vec<u8>,
    pool: &PgPool,
) -> (RecordOutcome, String, String) {
    serve_media(twilio, cdn, 1, 1, mime, bytes).await;
    let url = format!("{}{}", twilio.uri(), media_path(1, 1));
    let body = envelope_from(1, 1, text, &[(url, mime)]);
    let mut result = process_batch(app, event(&[("m1", body, 1)]), deadline()).await;
    let (kind, reply): (String, String) = sqlx::query_as("SELECT kind, body FROM tipline_replies")
        .fetch_one(pool)
        .await
        .expect("one reply");
    (result.outcomes.remove(0).1, kind, reply)
}

async fn prediction(pool: &PgPool) -> (Option<String>, serde_json::Value) {
    let submission = PgStore::from_pool(pool.clone())
        .submission_by_message(&sid(1))
        .await
        .expect("query")
        .expect("row");
    (submission.scam_label, submission.prediction_result.unwrap_or_default())
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_scam_pdf_is_read_judged_on_its_words_stored_and_named_in_the_reply(pool: PgPool) {
    let (twilio, cdn) = (twilio().await, MockServer::start().await);
    let pdf = sample_pdf(&[&["Invoice 2291", SCAM_TEXT]]);
    let app = app(&pool, &twilio, &cdn, None);

    let (outcome, kind, reply) = send(app, &twilio, &cdn, "", "application/pdf", pdf, &pool).await;

    assert_eq!(outcome, RecordOutcome::Done);
    assert_eq!(kind, "verdict");
    let (label, prediction) = prediction(&pool).await;
    assert_eq!(label.as_deref(), Some("scam"), "{prediction}");
    let reasons = prediction["reasons"].to_string().to_lowercase();
    assert!(reasons.contains("code") || reasons.contains("paypa1"), "{reasons}");
    assert!(
        prediction["media"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("paypa1-login.top"),
        "{prediction}"
    );
    assert!(reply.starts_with("🚨 This looks like a SCAM."), "{reply}");
    assert!(reply.contains("This verdict covers what the PDF says."), "{reply}");
}

/// A PDF sent alone that cannot be read: no verdict on nothing, but the reason and what to send.
async fn unreadable_pdf_is_answered_honestly(pool: &PgPool, bytes: Vec<u8>, note: &str) {
    let (twilio, cdn) = (twilio().await, MockServer::start().await);
    let app = app(pool, &twilio, &cdn, None);
    let (outcome, kind, reply) = send(app, &twilio, &cdn, "", "application/pdf", bytes, pool).await;
    assert_eq!(outcome, RecordOutcome::Done);
    assert_eq!(kind, "unsupported", "{reply}");
    assert!(reply.contains(note), "{reply}");
    assert!(
        !reply.contains("voice"),
        "offline: no promise about voice notes: {reply}"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_garbage_pdf_alone_gets_an_honest_note_not_a_verdict(pool: PgPool) {
    let garbage = b"%PDF-1.7 garbage \x00\xff that is no document".to_vec();
    unreadable_pdf_is_answered_honestly(&pool, garbage, "couldn't read it as a PDF").await;
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn an_image_only_pdf_alone_gets_an_honest_note_not_a_verdict(pool: PgPool) {
    unreadable_pdf_is_answered_honestly(&pool, sample_pdf(&[&[]]), "it has no text we could read").await;
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn without_a_transcription_service_the_reply_says_voice_notes_are_not_checked(pool: PgPool) {
    let (twilio, cdn) = (twilio().await, MockServer::start().await);
    let app = app(&pool, &twilio, &cdn, None);
    let (outcome, kind, reply) = send(
        app,
        &twilio,
        &cdn,
        SCAM_TEXT,
        "audio/ogg",
        b"OggS voice".to_vec(),
        &pool,
    )
    .await;
    assert_eq!(outcome, RecordOutcome::Done);
    assert_eq!(kind, "verdict");
    assert!(
        reply.contains(
            "We couldn't check the voice note: voice notes can't be checked in this setup. Type out what it said"
        ),
        "{reply}"
    );
    let (_, prediction) = prediction(&pool).await;
    assert!(prediction["media"][0]["text_note"].as_str().is_some(), "{prediction}");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_scam_voice_note_is_transcribed_judged_stored_and_named_in_the_reply(pool: PgPool) {
    let (twilio, cdn, openai) = (twilio().await, MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .and(path("/v1/audio/transcriptions"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "text": SCAM_TEXT })))
        .expect(1)
        .mount(&openai)
        .await;
    let app = app(&pool, &twilio, &cdn, Some(&openai));

    let (outcome, kind, reply) = send(app, &twilio, &cdn, "", "audio/ogg", b"OggS voice".to_vec(), &pool).await;

    assert_eq!(outcome, RecordOutcome::Done);
    assert_eq!(kind, "verdict");
    let (label, prediction) = prediction(&pool).await;
    assert_eq!(label.as_deref(), Some("scam"), "{prediction}");
    assert_eq!(
        prediction["media"][0]["text"],
        SCAM_TEXT.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    assert!(
        reply.contains("This verdict covers what the voice note says."),
        "{reply}"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_failing_transcription_service_leaves_a_note_and_the_text_is_still_judged(pool: PgPool) {
    let (twilio, cdn, openai) = (twilio().await, MockServer::start().await, MockServer::start().await);
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .expect(2)
        .mount(&openai)
        .await;
    let app = app(&pool, &twilio, &cdn, Some(&openai));

    let (outcome, kind, reply) = send(
        app,
        &twilio,
        &cdn,
        SCAM_TEXT,
        "audio/ogg",
        b"OggS voice".to_vec(),
        &pool,
    )
    .await;

    assert_eq!(outcome, RecordOutcome::Done);
    assert_eq!(kind, "verdict");
    assert!(reply.starts_with("🚨"), "{reply}");
    assert!(
        reply.contains("We couldn't check the voice note: our transcription service didn't answer"),
        "{reply}"
    );
}
