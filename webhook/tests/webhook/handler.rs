//! Every answer the contract names, from fixture events: status, body, and what was enqueued.

use std::sync::Arc;

use base64::Engine as _;
use tipline_webhook::handle_lambda_event;

use crate::helpers::{fixture, state, RecordingQueue};

struct Answer {
    status: u64,
    body: String,
    content_type: String,
}

async fn send(event: serde_json::Value, queue: &Arc<RecordingQueue>) -> Answer {
    let response = handle_lambda_event(&state(queue.clone(), None), event).await;
    Answer {
        status: response["statusCode"].as_u64().expect("statusCode"),
        body: response["body"].as_str().expect("body").to_owned(),
        content_type: response["headers"]["content-type"]
            .as_str()
            .expect("content-type")
            .to_owned(),
    }
}

#[tokio::test]
async fn valid_messages_are_queued_and_acknowledged_with_empty_twiml() {
    let cases = [
        ("text_function_url_base64.json", "SM00000000000000000000000000000001", 0),
        ("text_http_api.json", "SM00000000000000000000000000000001", 0),
        ("media_function_url.json", "MM00000000000000000000000000000002", 1),
        ("location_http_api.json", "SM00000000000000000000000000000003", 0),
        ("forwarded_function_url.json", "SM00000000000000000000000000000004", 0),
    ];
    for (name, sid, media) in cases {
        let queue = Arc::new(RecordingQueue::default());
        let answer = send(fixture(name), &queue).await;
        assert_eq!(
            (answer.status, answer.body.as_str(), answer.content_type.as_str()),
            (200, "<Response/>", "text/xml"),
            "{name}"
        );
        let sent = queue.sent.lock().expect("lock").clone();
        assert_eq!(sent.len(), 1, "{name}");
        let message = sent[0].message().expect("envelope holds a message");
        assert_eq!(message.message_sid.as_str(), sid, "{name}");
        assert_eq!(message.media.len(), media, "{name}");
        assert_eq!(
            sent[0].idempotency_token.as_deref(),
            Some("0f3a2d4e-6b7c-4d8e-9f10-112233445566")
        );
        // Every parameter travels, including ones tipline does not model.
        assert_eq!(message.form.get("ReferralNumMedia"), Some("0"), "{name}");
    }
}

#[tokio::test]
async fn forwarded_flags_and_location_survive_the_queue() {
    let queue = Arc::new(RecordingQueue::default());
    send(fixture("forwarded_function_url.json"), &queue).await;
    send(fixture("location_http_api.json"), &queue).await;
    let sent = queue.sent.lock().expect("lock").clone();
    let forwarded = sent[0].message().expect("message");
    assert!(forwarded.forwarded && forwarded.frequently_forwarded);
    assert!(forwarded.body.contains("R$500"));
    let location = sent[1].message().expect("message").location.expect("location");
    assert_eq!((location.latitude, location.longitude), (-23.5505, -46.6333));
}

#[tokio::test]
async fn refusals_enqueue_nothing_and_say_why() {
    let cases = [
        ("missing_signature.json", 403, "X-Twilio-Signature"),
        ("invalid_signature.json", 403, "X-Twilio-Signature"),
        ("wrong_url.json", 403, "X-Twilio-Signature"),
        ("missing_message_sid.json", 400, "MessageSid"),
        ("malformed_form.json", 400, "UTF-8"),
        ("wrong_method.json", 405, "GET"),
        ("wrong_content_type.json", 415, "application/json"),
    ];
    for (name, status, needle) in cases {
        let queue = Arc::new(RecordingQueue::default());
        let answer = send(fixture(name), &queue).await;
        assert_eq!(answer.status, status, "{name}: {}", answer.body);
        assert!(
            answer.body.contains(needle),
            "{name}: {:?} should mention {needle}",
            answer.body
        );
        assert_eq!(queue.count(), 0, "{name} enqueued something");
    }
}

#[tokio::test]
async fn oversize_bodies_are_refused_before_parsing() {
    let mut event = fixture("text_http_api.json");
    event["body"] = serde_json::Value::String(format!("Body={}", "a".repeat(70 * 1024)));
    let queue = Arc::new(RecordingQueue::default());
    let answer = send(event, &queue).await;
    assert_eq!(answer.status, 413);
    assert!(answer.body.contains("limit"));
    assert_eq!(queue.count(), 0);
}

#[tokio::test]
async fn a_tampered_body_fails_the_signature() {
    let mut event = fixture("text_function_url_base64.json");
    let body = base64::engine::general_purpose::STANDARD
        .decode(event["body"].as_str().expect("body"))
        .expect("base64");
    let tampered = String::from_utf8(body).expect("utf8").replace("1.99", "9.99");
    event["body"] = base64::engine::general_purpose::STANDARD.encode(tampered).into();
    let queue = Arc::new(RecordingQueue::default());
    assert_eq!(send(event, &queue).await.status, 403);
    assert_eq!(queue.count(), 0);
}

#[tokio::test]
async fn not_an_http_event_is_a_400() {
    let queue = Arc::new(RecordingQueue::default());
    let answer = send(serde_json::json!({"Records": []}), &queue).await;
    assert_eq!(answer.status, 400);
    let mut bad_base64 = fixture("text_function_url_base64.json");
    bad_base64["body"] = "!!!not base64".into();
    assert_eq!(send(bad_base64, &queue).await.status, 400);
    assert_eq!(queue.count(), 0);
}

#[tokio::test]
async fn queue_outage_takes_the_fallback_then_answers_503_when_both_fail() {
    let fallback = Arc::new(RecordingQueue::default());
    let with_fallback = state(RecordingQueue::refusing(), Some(fallback.clone()));
    let response = handle_lambda_event(&with_fallback, fixture("text_http_api.json")).await;
    assert_eq!(response["statusCode"], 200);
    assert_eq!(fallback.count(), 1);

    let both_down = state(RecordingQueue::refusing(), Some(RecordingQueue::refusing()));
    let response = handle_lambda_event(&both_down, fixture("text_http_api.json")).await;
    assert_eq!(response["statusCode"], 503);
    assert!(!response["body"].as_str().expect("body").contains("whatsapp:+"));

    let no_fallback = state(RecordingQueue::refusing(), None);
    assert_eq!(
        handle_lambda_event(&no_fallback, fixture("text_http_api.json")).await["statusCode"],
        503
    );
}
