//! The OpenAI-compatible analyser against a local stand-in of the chat completions API.

use std::time::Duration;

use base64::Engine as _;
use serde_json::json;
use tipline_shared::analysis::{Analyzer, Label, LatencyBudget, OpenAiAnalyzer, Tip, TipMedia, OFFLINE_MODEL};
use tipline_shared::Secret;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::*;

pub const MODEL: &str = "test-model";

pub fn analyzer(server: &MockServer) -> OpenAiAnalyzer {
    OpenAiAnalyzer::new(
        reqwest::Client::new(),
        &format!("{}/v1", server.uri()),
        Secret::new("sk-test"),
        MODEL,
    )
    .with_retries(3, Duration::from_millis(10))
}

/// A chat completion whose content is `content`.
pub fn completion(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "chatcmpl-1", "object": "chat.completion", "model": MODEL,
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content, "refusal": null}}]
    }))
}

pub fn scam_answer() -> ResponseTemplate {
    completion(
        &json!({
            "label": "scam", "confidence": 0.92,
            "reasons": ["It asks for a payment to release a parcel", "The link is not the courier's"],
            "advice": "Don't pay; check the parcel on the courier's own app."
        })
        .to_string(),
    )
}

fn tip_with_image() -> Tip {
    Tip {
        text: "Your parcel is held, pay 1.99 at https://bit.ly/x".into(),
        forwarded: true,
        frequently_forwarded: false,
        media: vec![
            TipMedia {
                content_type: "image/png".into(),
                bytes: png(3),
            },
            TipMedia {
                content_type: "application/pdf".into(),
                bytes: b"%PDF".to_vec(),
            },
        ],
    }
}

async fn mount(server: &MockServer, response: ResponseTemplate, times: u64) {
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(response)
        .expect(times)
        .mount(server)
        .await;
}

/// The provider answers `first` to the first request only (a higher priority than [`mount`]).
async fn mount_first(server: &MockServer, first: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(first)
        .up_to_n_times(1)
        .with_priority(1)
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn the_request_carries_model_text_image_and_strict_schema() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(header("authorization", "Bearer sk-test"))
        .respond_with(scam_answer())
        .expect(1)
        .mount(&server)
        .await;
    analyzer(&server)
        .analyze(&tip_with_image(), deadline())
        .await
        .expect("analysed");

    let requests = server.received_requests().await.unwrap_or_default();
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("json body");
    assert_eq!(body["model"], MODEL);
    let format = &body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_eq!(
        schema["properties"]["label"]["enum"],
        json!(["scam", "suspicious", "likely_safe", "unknown"])
    );
    assert_eq!(schema["required"], json!(["label", "confidence", "reasons", "advice"]));
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(body["messages"][0]["role"], "system");
    let parts = body["messages"][1]["content"].as_array().expect("parts");
    assert_eq!(parts.len(), 2, "the text and the one image; the PDF is only mentioned");
    let text = parts[0]["text"].as_str().unwrap_or_default();
    assert!(
        text.contains("Your parcel is held") && text.contains("forwarded"),
        "{text}"
    );
    assert!(text.contains("1 attachment"), "{text}");
    let expected = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png(3))
    );
    assert_eq!(parts[1]["type"], "image_url");
    assert_eq!(parts[1]["image_url"]["url"], expected.as_str());
}

#[tokio::test]
async fn a_valid_answer_is_the_verdict_with_the_model_named() {
    let server = MockServer::start().await;
    mount(&server, scam_answer(), 1).await;
    let analysis = analyzer(&server)
        .analyze(&Tip::from_text("pay now"), deadline())
        .await
        .expect("analysed");
    assert_eq!(analysis.model, MODEL);
    assert_eq!(analysis.fallback_reason, None);
    assert_eq!(analysis.verdict.label, Label::Scam);
    assert_eq!(analysis.verdict.confidence, 0.92);
    assert_eq!(analysis.verdict.reasons.len(), 2);
}

#[tokio::test]
async fn malformed_json_is_asked_for_once_more_then_the_offline_rules_decide() {
    let server = MockServer::start().await;
    mount(&server, completion("{\"label\": \"scam\", \"confid"), 2).await;
    let analysis = analyzer(&server)
        .analyze(&Tip::from_text("URGENT: verify your bank account"), deadline())
        .await
        .expect("fallback");
    assert_eq!(analysis.model, OFFLINE_MODEL);
    let reason = analysis.fallback_reason.unwrap_or_default();
    assert!(
        reason.starts_with(MODEL) && reason.contains("not the verdict JSON"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_label_outside_the_set_is_asked_for_once_more() {
    let server = MockServer::start().await;
    mount_first(
        &server,
        completion(&json!({"label": "probably_fine", "confidence": 0.5, "reasons": [], "advice": "x"}).to_string()),
    )
    .await;
    mount(&server, scam_answer(), 1).await;
    let analysis = analyzer(&server)
        .analyze(&Tip::from_text("pay now"), deadline())
        .await
        .expect("analysed");
    assert_eq!((analysis.model.as_str(), analysis.verdict.label), (MODEL, Label::Scam));
}

#[tokio::test]
async fn a_429_is_retried_after_a_pause() {
    let server = MockServer::start().await;
    mount_first(
        &server,
        ResponseTemplate::new(429).set_body_json(json!({"error": {"message": "slow down"}})),
    )
    .await;
    mount(&server, scam_answer(), 1).await;
    let analysis = analyzer(&server)
        .analyze(&Tip::from_text("pay now"), deadline())
        .await
        .expect("analysed");
    assert_eq!(analysis.model, MODEL);
}

#[tokio::test]
async fn a_provider_that_keeps_failing_is_replaced_by_the_offline_rules() {
    let server = MockServer::start().await;
    mount(&server, ResponseTemplate::new(500), 3).await;
    let analysis = analyzer(&server)
        .analyze(&Tip::from_text("Send me the 6-digit code we texted you"), deadline())
        .await
        .expect("fallback");
    assert_eq!(analysis.model, OFFLINE_MODEL);
    assert!(analysis.fallback_reason.unwrap_or_default().contains("500"));
}

#[tokio::test]
async fn a_rejected_key_falls_back_at_once() {
    let server = MockServer::start().await;
    mount(
        &server,
        ResponseTemplate::new(401).set_body_json(json!({"error": {"message": "Incorrect API key provided"}})),
        1,
    )
    .await;
    let analysis = analyzer(&server)
        .analyze(&Tip::from_text("hello"), deadline())
        .await
        .expect("fallback");
    assert_eq!(analysis.model, OFFLINE_MODEL);
    assert!(analysis
        .fallback_reason
        .unwrap_or_default()
        .contains("Incorrect API key"));
}

/// An analyser that hedges after 500 ms, so its hard limit (2.5 budgets) is 1.25 s.
fn hedging_analyzer(server: &MockServer) -> OpenAiAnalyzer {
    let ms = Duration::from_millis;
    analyzer(server).with_latency_budget(LatencyBudget::clamped(ms(500), ms(10), ms(1000)))
}

fn safe_answer() -> ResponseTemplate {
    completion(&json!({"label": "likely_safe", "confidence": 0.7, "reasons": [], "advice": "x"}).to_string())
}

#[tokio::test]
async fn a_call_past_its_budget_is_hedged_and_the_hedge_answers() {
    let server = MockServer::start().await;
    // The first request would answer "likely safe" a minute later; the hedge answers "scam" now.
    mount_first(&server, safe_answer().set_delay(Duration::from_secs(60))).await;
    mount(&server, scam_answer(), 1).await;
    let analysis = hedging_analyzer(&server)
        .analyze(&Tip::from_text("pay now"), deadline())
        .await
        .expect("analysed");
    assert_eq!((analysis.model.as_str(), analysis.verdict.label), (MODEL, Label::Scam));
    assert!(analysis.hedged);
    assert_eq!(analysis.fallback_reason, None);
}

#[tokio::test]
async fn a_hanging_provider_gets_one_hedge_then_the_offline_rules_decide() {
    let server = MockServer::start().await;
    mount(&server, scam_answer().set_delay(Duration::from_secs(60)), 2).await;
    let analysis = hedging_analyzer(&server)
        .analyze(&Tip::from_text("Send me the 6-digit code we texted you"), deadline())
        .await
        .expect("fallback");
    assert_eq!(analysis.model, OFFLINE_MODEL);
    assert!(analysis.hedged);
    let reason = analysis.fallback_reason.unwrap_or_default();
    assert!(
        reason.starts_with(MODEL) && reason.contains("no answer in time") && reason.contains("hedged"),
        "{reason}"
    );
}

#[tokio::test]
async fn a_fast_provider_is_called_once_per_tip() {
    let server = MockServer::start().await;
    mount(&server, scam_answer(), 3).await;
    // The default budget: a fast answer is far inside it, so no tip costs a second call.
    let analyzer = analyzer(&server);
    for _ in 0..3 {
        let analysis = analyzer
            .analyze(&Tip::from_text("pay now"), deadline())
            .await
            .expect("analysed");
        assert_eq!((analysis.model.as_str(), analysis.hedged), (MODEL, false));
    }
}

#[tokio::test]
async fn without_hedging_a_slow_call_is_waited_for() {
    let server = MockServer::start().await;
    // Slower than the hedging analyser's whole hard limit, and still the answer.
    mount(&server, scam_answer().set_delay(Duration::from_millis(1500)), 1).await;
    let analysis = hedging_analyzer(&server)
        .with_hedging(false)
        .analyze(&Tip::from_text("pay now"), deadline())
        .await
        .expect("analysed");
    assert_eq!((analysis.model.as_str(), analysis.hedged), (MODEL, false));
}
