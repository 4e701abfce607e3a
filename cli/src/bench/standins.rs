//! Stand-ins for OpenAI's chat completions and Twilio's Messages API that answer after a
//! configurable latency, so the real HTTP adapters run against something shaped like the
//! providers. The Twilio one records when each reply arrived, per recipient.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context as _;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Form, Json, Router};
use tokio::time::Instant;

/// The account the bench's Twilio stand-in serves.
pub const ACCOUNT_SID: &str = "AC0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b";

/// Every reply the Twilio stand-in accepted: recipient → the instants they arrived.
pub type Deliveries = Arc<Mutex<HashMap<String, Vec<Instant>>>>;

/// How long the OpenAI stand-in takes: a fixed time, and optionally a slow tail and hanging calls.
#[derive(Debug, Clone, Copy)]
pub struct OpenAiLatency {
    pub usual: Duration,
    /// Every `slow_every`-th call (0: none) takes `slow` instead, as vision calls sometimes do.
    pub slow_every: usize,
    pub slow: Duration,
    /// Every `hang_every`-th call (0: none) never answers; it ends only when the client gives up.
    pub hang_every: usize,
}

#[derive(Debug, Clone)]
struct StandIn {
    openai_latency: OpenAiLatency,
    openai_calls: Arc<std::sync::atomic::AtomicUsize>,
    twilio_latency: Duration,
    deliveries: Deliveries,
}

/// A running pair of stand-ins on one loopback port.
#[derive(Debug)]
pub struct StandIns {
    pub base_url: String,
    pub deliveries: Deliveries,
    openai_calls: Arc<std::sync::atomic::AtomicUsize>,
    server: tokio::task::JoinHandle<()>,
}

impl StandIns {
    /// Starts both stand-ins on a free loopback port.
    pub async fn start(openai_latency: OpenAiLatency, twilio_latency: Duration) -> anyhow::Result<Self> {
        let deliveries = Deliveries::default();
        let openai_calls = Arc::<std::sync::atomic::AtomicUsize>::default();
        let state = StandIn {
            openai_latency,
            openai_calls: openai_calls.clone(),
            twilio_latency,
            deliveries: deliveries.clone(),
        };
        let app = Router::new()
            .route("/v1/chat/completions", post(completion))
            .route(
                &format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"),
                post(message),
            )
            .with_state(state);
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .context("cannot open a loopback port for the provider stand-ins")?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self {
            base_url,
            deliveries,
            openai_calls,
            server,
        })
    }

    /// Chat completion requests received so far, hedges and retries included.
    pub fn model_calls(&self) -> usize {
        self.openai_calls.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Replies accepted so far, counting repeats.
    pub fn delivered(&self) -> usize {
        lock(&self.deliveries).values().map(Vec::len).sum()
    }
}

impl Drop for StandIns {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn lock(deliveries: &Deliveries) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
    deliveries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn completion(State(state): State<StandIn>) -> impl IntoResponse {
    let call = state.openai_calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    let latency = &state.openai_latency;
    if latency.hang_every > 0 && call % latency.hang_every == 0 {
        std::future::pending::<()>().await;
    }
    let slow = latency.slow_every > 0 && call % latency.slow_every == 0;
    tokio::time::sleep(if slow { latency.slow } else { latency.usual }).await;
    let verdict = serde_json::json!({
        "label": "scam", "confidence": 0.9,
        "reasons": ["It asks for a fee to release a parcel"],
        "advice": "Don't pay; check the parcel on the courier's own site."
    });
    Json(serde_json::json!({
        "id": "chatcmpl-bench", "object": "chat.completion", "model": "bench",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": verdict.to_string(), "refusal": null}}]
    }))
}

async fn message(State(state): State<StandIn>, Form(form): Form<HashMap<String, String>>) -> impl IntoResponse {
    tokio::time::sleep(state.twilio_latency).await;
    let to = form.get("To").cloned().unwrap_or_default();
    lock(&state.deliveries).entry(to).or_default().push(Instant::now());
    let sid = format!("SM{}", uuid::Uuid::new_v4().simple());
    (
        StatusCode::CREATED,
        Json(serde_json::json!({"sid": sid, "status": "queued"})),
    )
}
