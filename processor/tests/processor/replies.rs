//! Replies through the Twilio stand-in: the request shape, throttling, and permanent refusals.

use std::sync::Arc;

use sqlx::PgPool;
use tipline_processor::process_batch;
use tipline_shared::analysis::OfflineAnalyzer;
use tipline_shared::domain::{ReplyText, WhatsAppAddress};
use tipline_shared::store::postgres::PgStore;
use tipline_shared::twilio::messages::Messenger as _;
use wiremock::matchers::{header_exists, method, path};
use wiremock::Mock;

use crate::helpers::*;

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn the_reply_is_a_form_post_with_basic_auth_and_the_verdict_first(pool: PgPool) {
    let twilio = twilio().await;
    let result = process_batch(
        state(&pool, &twilio),
        event(&[(
            "m1",
            envelope(
                1,
                "Hi mum, I lost my phone, this is my new number. Can you send money today?",
            ),
            1,
        )]),
        deadline(),
    )
    .await;
    assert!(result.response.batch_item_failures.is_empty());
    let requests = twilio.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.url.path(), MESSAGES_PATH);
    let auth = request
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(auth.starts_with("Basic "), "{auth}");
    assert!(request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .starts_with("application/x-www-form-urlencoded"));
    let form = form_of(request);
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(field("To"), sender(1));
    assert_eq!(field("From"), "whatsapp:+14155238886");
    let body = field("Body");
    assert!(body.chars().count() <= 1600);
    assert!(body.ends_with("Reply 1 if this helped, 2 if not."), "{body}");
    let stored: String = sqlx::query_scalar("SELECT twilio_sid FROM tipline_replies")
        .fetch_one(&pool)
        .await
        .expect("reply row");
    assert!(stored.starts_with("SM"));
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn throttling_is_retried_with_backoff(pool: PgPool) {
    let twilio = twilio().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .and(header_exists("authorization"))
        .respond_with(twilio_error(429, 20429, "Too Many Requests"))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&twilio)
        .await;
    let app = state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        &twilio,
        Arc::new(OfflineAnalyzer),
        4,
    );
    let result = process_batch(app, event(&[("m1", envelope(1, "is this real?"), 1)]), deadline()).await;
    assert!(result.response.batch_item_failures.is_empty());
    assert_eq!(result.counts.processed, 1);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 3, "two 429s, then accepted");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn outside_the_24_hour_window_is_permanent(pool: PgPool) {
    let twilio = twilio().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(twilio_error(
            400,
            63016,
            "Failed to send freeform message because you are outside the allowed window.",
        ))
        .with_priority(1)
        .mount(&twilio)
        .await;
    let result = process_batch(
        state(&pool, &twilio),
        event(&[("m1", envelope(1, "old message"), 1)]),
        deadline(),
    )
    .await;
    assert!(
        result.response.batch_item_failures.is_empty(),
        "acknowledged: retrying cannot help"
    );
    assert_eq!(result.counts.permanent, 1);
    assert_eq!(sends_to(&twilio, &sender(1)).await, 1, "not retried");
    let (status, error): (String, Option<String>) = sqlx::query_as("SELECT status, last_error FROM tipline_claims")
        .fetch_one(&pool)
        .await
        .expect("claim");
    assert_eq!(status, "failed");
    assert!(error.unwrap_or_default().contains("63016"));
}

/// Twilio's text for an unusable `To` names the whole number; neither the error's Display (what
/// is logged) nor the claim and reply rows may keep it whole.
#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_twilio_error_naming_the_number_is_stored_and_shown_masked(pool: PgPool) {
    let to = sender(1);
    let number = to.trim_start_matches("whatsapp:");
    let twilio = twilio().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(twilio_error(
            400,
            21211,
            &format!("The 'To' number {to} is not a valid phone number."),
        ))
        .with_priority(1)
        .mount(&twilio)
        .await;

    let address = WhatsAppAddress::parse(&to).expect("address");
    let body = ReplyText::parse("hello").expect("reply text");
    let error = messenger(&twilio, 1)
        .send(&address, &body, deadline())
        .await
        .expect_err("refused");
    let shown = error.to_string();
    assert!(!shown.contains(number), "{shown}");
    assert!(shown.contains("whatsapp:+155******01 is not a valid"), "{shown}");

    process_batch(
        state(&pool, &twilio),
        event(&[("m1", envelope(1, "is this real?"), 1)]),
        deadline(),
    )
    .await;
    let stored: Vec<String> = sqlx::query_scalar(
        "SELECT last_error FROM tipline_claims WHERE last_error IS NOT NULL
         UNION ALL SELECT error FROM tipline_replies WHERE error IS NOT NULL",
    )
    .fetch_all(&pool)
    .await
    .expect("errors");
    assert!(
        stored.iter().any(|e| e.contains("whatsapp:+155******01")),
        "the refusal is recorded: {stored:?}"
    );
    assert!(stored.iter().all(|e| !e.contains(number)), "{stored:?}");
}
