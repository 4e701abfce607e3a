//! Shared set-up: the fixture configuration and queues that record or refuse deliveries.

use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tipline_shared::queue::{Envelope, Queue, QueueError};
use tipline_shared::twilio::signature::WebhookVerifier;
use tipline_shared::Secret;
use tipline_webhook::AppState;

/// The token and URL the fixtures were signed with (scripts/make_webhook_fixtures.py).
pub const TOKEN: &str = "fixture-auth-token-0123456789abcd";
pub const URL: &str = "https://abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws/twilio/whatsapp";

pub fn fixture(name: &str) -> serde_json::Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn verifier() -> WebhookVerifier {
    WebhookVerifier::new(URL, vec![Secret::new("previous-token"), Secret::new(TOKEN)], Vec::new())
}

/// A queue that keeps what it is sent, or refuses everything.
#[derive(Debug, Default)]
pub struct RecordingQueue {
    pub sent: Mutex<Vec<Envelope>>,
    pub refuse: bool,
}

impl RecordingQueue {
    pub fn refusing() -> Arc<Self> {
        Arc::new(Self {
            sent: Mutex::default(),
            refuse: true,
        })
    }

    pub fn count(&self) -> usize {
        self.sent.lock().expect("lock").len()
    }
}

#[async_trait]
impl Queue for RecordingQueue {
    async fn send(&self, envelope: &Envelope) -> Result<String, QueueError> {
        if self.refuse {
            return Err(QueueError::Unavailable {
                target: "test queue".into(),
                reason: "refused".into(),
            });
        }
        self.sent.lock().expect("lock").push(envelope.clone());
        Ok(format!("id-{}", self.count()))
    }

    fn describe(&self) -> String {
        "recording queue".into()
    }
}

pub fn state(queue: Arc<dyn Queue>, fallback: Option<Arc<dyn Queue>>) -> AppState {
    AppState {
        verifier: verifier(),
        queue,
        fallback,
        max_body_bytes: 64 * 1024,
    }
}
