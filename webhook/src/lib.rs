//! The webhook Lambda's logic: a Twilio request in, a queued envelope and a fast answer out.
//!
//! `main.rs` only builds [`AppState`] once and hands events to [`handle_lambda_event`]; tests
//! and the local stack call [`handle`] directly.

pub mod error;
pub mod event;
pub mod handler;
pub mod state;

pub use event::{WebhookRequest, WebhookResponse};
pub use handler::handle;
pub use state::{AppState, WebhookConfig};

/// Handles one raw Lambda invocation; a payload that is not an HTTP event gets a 400, not a crash.
pub async fn handle_lambda_event(state: &AppState, payload: serde_json::Value) -> serde_json::Value {
    let response = match event::from_lambda(payload) {
        Ok(request) => handle(state, request).await,
        Err(error) => {
            let error = error::WebhookError::from(error);
            tracing::warn!(error = %error, "not an HTTP event");
            WebhookResponse {
                status: error.status(),
                content_type: "text/plain; charset=utf-8",
                body: error.public_reason(),
                headers: Vec::new(),
            }
        }
    };
    event::to_lambda(response)
}
