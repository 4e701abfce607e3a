//! The webhook handler: check, parse, enqueue, answer, in that order and nothing more.

use chrono::Utc;
use tipline_shared::domain::address;
use tipline_shared::queue::Envelope;
use tipline_shared::twilio::signature::{Payload, SignedRequest};
use tipline_shared::twilio::{InboundMessage, TwilioForm};
use tracing::{field, Instrument};

use crate::error::WebhookError;
use crate::event::{WebhookRequest, WebhookResponse};
use crate::state::AppState;

/// The TwiML that acknowledges a message without replying in-band (the processor replies later).
pub const EMPTY_TWIML: &str = "<Response/>";

const FORM_TYPE: &str = "application/x-www-form-urlencoded";

/// Handles one webhook request and always produces a response (errors become their status).
pub async fn handle(state: &AppState, request: WebhookRequest) -> WebhookResponse {
    let span = tracing::info_span!("webhook", message_sid = field::Empty, from = field::Empty);
    async move {
        match accept(state, &request).await {
            Ok(()) => WebhookResponse {
                status: 200,
                content_type: "text/xml",
                body: EMPTY_TWIML.to_owned(),
                headers: Vec::new(),
            },
            Err(error) => {
                let status = error.status();
                if status >= 500 {
                    tracing::error!(status, error = %error, "webhook failed");
                } else {
                    tracing::warn!(status, error = %error, "webhook refused");
                }
                let headers = if status == 405 {
                    vec![("allow", "POST")]
                } else {
                    Vec::new()
                };
                WebhookResponse {
                    status,
                    content_type: "text/plain; charset=utf-8",
                    body: error.public_reason(),
                    headers,
                }
            }
        }
    }
    .instrument(span)
    .await
}

async fn accept(state: &AppState, request: &WebhookRequest) -> Result<(), WebhookError> {
    if request.method != "POST" {
        return Err(WebhookError::Method(request.method.chars().take(16).collect()));
    }
    let content_type = request.header("content-type").unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case(FORM_TYPE) {
        return Err(WebhookError::ContentType(content_type.chars().take(64).collect()));
    }
    if request.body.len() > state.max_body_bytes {
        return Err(WebhookError::TooLarge {
            size: request.body.len(),
            limit: state.max_body_bytes,
        });
    }
    let form = TwilioForm::parse(&request.body)?;
    state.verifier.verify(&SignedRequest {
        raw_query: request.raw_query.as_deref(),
        signature: request.header("x-twilio-signature"),
        settings: request.header("x-twilio-webhooks-signature-settings"),
        payload: Payload::Form(form.pairs()),
    })?;
    let message = InboundMessage::try_from(form)?;
    let span = tracing::Span::current();
    span.record("message_sid", message.message_sid.as_str());
    span.record("from", address::mask(&message.from.as_address()));

    let envelope = Envelope::new(
        &message,
        Utc::now(),
        request.header("i-twilio-idempotency-token").map(str::to_owned),
        request.header("x-amzn-trace-id").map(str::to_owned),
    );
    let primary = match state.queue.send(&envelope).await {
        Ok(id) => {
            tracing::info!(queue_message_id = %id, media = message.media.len(), "message queued");
            return Ok(());
        }
        Err(error) => error,
    };
    tracing::warn!(error = %primary, "queue unavailable, taking the fallback path");
    let Some(fallback) = &state.fallback else {
        return Err(WebhookError::Undeliverable {
            primary,
            fallback: "none configured".into(),
        });
    };
    match fallback.send(&envelope).await {
        Ok(id) => {
            tracing::warn!(fallback_id = %id, "message delivered by the fallback path");
            Ok(())
        }
        Err(error) => Err(WebhookError::Undeliverable {
            primary,
            fallback: error.to_string(),
        }),
    }
}
