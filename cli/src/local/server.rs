//! The local HTTP server: the webhook (the same handler code the Lambda runs) and two small
//! endpoints `tipline send` and the tests read: a message's reply, and queue depths.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use tipline_shared::domain::MessageSid;
use tipline_shared::queue::QueueConsumer;
use tipline_shared::store::{ReplyKind, Store};
use tipline_webhook::WebhookRequest;

/// The local webhook path, as ARCHITECTURE.md fixes it.
pub const WEBHOOK_PATH: &str = "/twilio/whatsapp";

/// Media `tipline send --media` uploaded, served at Twilio-shaped URLs: media id → (type, bytes).
pub type LocalMedia = Arc<Mutex<HashMap<String, (String, Vec<u8>)>>>;

/// What the server's routes share.
#[derive(Debug, Clone)]
pub struct ServerState {
    pub webhook: Arc<tipline_webhook::AppState>,
    pub store: Arc<dyn Store>,
    pub queue: Arc<dyn QueueConsumer>,
    pub dead_letter: Option<Arc<dyn QueueConsumer>>,
    pub media: LocalMedia,
    pub base_url: String,
}

/// The router.
pub fn router(state: ServerState) -> Router {
    Router::new()
        .route(WEBHOOK_PATH, any(webhook))
        .route("/local/replies/{sid}", get(reply))
        .route("/local/status", get(status))
        .route("/local/media", post(upload_media))
        .route(
            "/2010-04-01/Accounts/{account}/Messages/{sid}/Media/{media}",
            get(twilio_media),
        )
        .route("/local/cdn/{media}", get(cdn_media))
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
        ReplyKind::OptOut,
        ReplyKind::OptIn,
        ReplyKind::Limit,
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

#[derive(Debug, serde::Deserialize)]
struct UploadQuery {
    message_sid: String,
}

/// Keeps an upload and answers the Twilio-shaped URL it will be served at.
async fn upload_media(
    State(state): State<ServerState>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if MessageSid::parse(&query.message_sid).is_err() {
        return (StatusCode::BAD_REQUEST, "message_sid is not a MessageSid").into_response();
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let media_sid = format!("ME{}", uuid::Uuid::new_v4().simple());
    state
        .media
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(media_sid.clone(), (content_type, body.to_vec()));
    let url = format!(
        "{}/2010-04-01/Accounts/{}/Messages/{}/Media/{media_sid}",
        state.base_url,
        super::send::LOCAL_ACCOUNT_SID,
        query.message_sid
    );
    Json(serde_json::json!({ "url": url })).into_response()
}

/// As Twilio's media resource: credentials required, then a redirect to the "CDN".
async fn twilio_media(
    State(state): State<ServerState>,
    Path((_account, _sid, media)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    if !headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Basic "))
    {
        return (StatusCode::UNAUTHORIZED, "Twilio media needs HTTP basic auth").into_response();
    }
    let location = format!("{}/local/cdn/{media}", state.base_url);
    (StatusCode::TEMPORARY_REDIRECT, [("location", location)]).into_response()
}

/// As Twilio's media CDN: no credentials, the bytes with their type.
async fn cdn_media(State(state): State<ServerState>, Path(media): Path<String>) -> Response {
    let found = state
        .media
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(&media)
        .cloned();
    match found {
        Some((content_type, bytes)) => ([("content-type", content_type)], bytes).into_response(),
        None => (StatusCode::NOT_FOUND, "no such media").into_response(),
    }
}
