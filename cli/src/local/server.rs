//! The local HTTP server: the webhook (the same handler code the Lambda runs) and two small
//! endpoints `tipline send` and the tests read: a message's reply, and queue depths.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use tipline_shared::domain::MessageSid;
use tipline_shared::queue::QueueConsumer;
use tipline_shared::store::{ReplyKind, Store};
use tipline_webhook::WebhookRequest;

/// The local webhook path, as ARCHITECTURE.md fixes it.
pub const WEBHOOK_PATH: &str = "/twilio/whatsapp";

/// What the server's routes share.
#[derive(Debug, Clone)]
pub struct ServerState {
    pub webhook: Arc<tipline_webhook::AppState>,
    pub store: Arc<dyn Store>,
    pub queue: Arc<dyn QueueConsumer>,
    pub dead_letter: Option<Arc<dyn QueueConsumer>>,
}

/// The router.
pub fn router(state: ServerState) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, any(webhook))
        .route("/local/replies/{sid}", get(reply))
        .route("/local/status", get(status))
        .with_state(state)
}

async fn webhook(
    State(state): State<ServerState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request = WebhookRequest {
        method: method.as_str().to_owned(),
        headers: headers
            .iter()
            .filter_map(|(name, value)| {
                value
                    .to_str()
                    .ok()
                    .map(|v| (name.as_str().to_ascii_lowercase(), v.to_owned()))
            })
            .collect(),
        raw_query: uri.query().map(str::to_owned),
        body: body.to_vec(),
    };
    let response = tipline_webhook::handle(&state.webhook, request).await;
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut headers = vec![("content-type", response.content_type)];
    headers.extend(response.headers);
    let mut out = (status, response.body).into_response();
    for (name, value) in headers {
        if let Ok(value) = value.parse() {
            out.headers_mut().insert(name, value);
        }
    }
    out
}

async fn reply(State(state): State<ServerState>, Path(sid): Path<String>) -> Response {
    let Ok(sid) = MessageSid::parse(&sid) else {
        return (StatusCode::BAD_REQUEST, "not a MessageSid").into_response();
    };
    for kind in [
        ReplyKind::Verdict,
        ReplyKind::FeedbackAck,
        ReplyKind::Help,
        ReplyKind::Unsupported,
        ReplyKind::Fallback,
    ] {
        match state.store.reply(&sid, kind).await {
            Ok(Some(record)) => {
                let status = format!("{:?}", record.status).to_ascii_lowercase();
                return Json(serde_json::json!({"kind": kind.as_str(), "status": status, "body": record.body}))
                    .into_response();
            }
            Ok(None) => {}
            Err(error) => return (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response(),
        }
    }
    (StatusCode::NOT_FOUND, "no reply yet").into_response()
}

async fn status(State(state): State<ServerState>) -> Response {
    let depth =
        |d: tipline_shared::queue::QueueDepth| serde_json::json!({"visible": d.visible, "in_flight": d.in_flight});
    let queue = match state.queue.depth().await {
        Ok(d) => depth(d),
        Err(error) => return (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response(),
    };
    let dead_letter = match &state.dead_letter {
        Some(dlq) => match dlq.depth().await {
            Ok(d) => depth(d),
            Err(error) => return (StatusCode::SERVICE_UNAVAILABLE, error.to_string()).into_response(),
        },
        None => serde_json::Value::Null,
    };
    Json(serde_json::json!({"queue": queue, "dead_letter": dead_letter})).into_response()
}
