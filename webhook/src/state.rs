//! The webhook's state: every client built once per cold start, and the settings that shape it.

use std::sync::Arc;
use std::time::Duration;

use tipline_shared::config::{self, ConfigError, Source};
use tipline_shared::queue::lambda_invoke::AsyncInvoke;
use tipline_shared::queue::sqs::SqsQueue;
use tipline_shared::queue::Queue;
use tipline_shared::twilio::signature::{SharedKey, WebhookVerifier};

/// Twilio's inbound messages are a few kilobytes; anything near this is not one of them.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;

/// What the handler needs, shared by reference across invocations.
#[derive(Debug, Clone)]
pub struct AppState {
    pub verifier: WebhookVerifier,
    pub queue: Arc<dyn Queue>,
    /// The second durable path, used only when `queue` fails.
    pub fallback: Option<Arc<dyn Queue>>,
    pub max_body_bytes: usize,
}

/// The webhook's settings read from the environment.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    pub verifier: WebhookVerifier,
    pub queue_url: String,
    pub fallback_function: Option<String>,
    pub max_body_bytes: usize,
}

impl WebhookConfig {
    /// `PUBLIC_WEBHOOK_URL`, `TWILIO_AUTH_TOKEN` (comma-separated during rotation), optional
    /// `TWILIO_SHARED_KEYS` (`id=secret,…`), `QUEUE_URL`, optional `FALLBACK_FUNCTION_NAME`.
    pub fn from_source(source: &dyn Source) -> Result<Self, ConfigError> {
        let public_url =
            config::url(source, "PUBLIC_WEBHOOK_URL")?.ok_or(ConfigError::Missing("PUBLIC_WEBHOOK_URL"))?;
        let tokens = config::secrets(source, "TWILIO_AUTH_TOKEN")?;
        let shared_keys = match config::optional(source, "TWILIO_SHARED_KEYS") {
            None => Vec::new(),
            Some(raw) => parse_shared_keys(&raw)?,
        };
        Ok(Self {
            verifier: WebhookVerifier::new(public_url, tokens, shared_keys),
            queue_url: config::required(source, "QUEUE_URL")?,
            fallback_function: config::optional(source, "FALLBACK_FUNCTION_NAME"),
            max_body_bytes: config::parsed(source, "MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)?,
        })
    }
}

fn parse_shared_keys(raw: &str) -> Result<Vec<SharedKey>, ConfigError> {
    raw.split(',')
        .filter(|item| !item.trim().is_empty())
        .map(|item| match item.split_once('=') {
            Some((id, secret)) if !id.trim().is_empty() && !secret.trim().is_empty() => Ok(SharedKey {
                id: id.trim().to_owned(),
                secret: tipline_shared::Secret::new(secret.trim()),
            }),
            _ => Err(ConfigError::Invalid {
                name: "TWILIO_SHARED_KEYS",
                reason: "expected id=secret pairs separated by commas".into(),
            }),
        })
        .collect()
}

impl AppState {
    /// Builds the AWS clients once. SQS gets three quick attempts within 4 s, the fallback the
    /// same, so even both failing answers Twilio well inside its 15 s.
    pub async fn from_config(config: WebhookConfig) -> Self {
        let sdk = tipline_shared::aws::load(3, Duration::from_millis(1500), Duration::from_secs(4)).await;
        let queue: Arc<dyn Queue> = Arc::new(SqsQueue::new(aws_sdk_sqs_client(&sdk), config.queue_url));
        let fallback = config
            .fallback_function
            .map(|name| Arc::new(AsyncInvoke::new(aws_sdk_lambda_client(&sdk), name)) as Arc<dyn Queue>);
        Self {
            verifier: config.verifier,
            queue,
            fallback,
            max_body_bytes: config.max_body_bytes,
        }
    }
}

fn aws_sdk_sqs_client(sdk: &aws_config::SdkConfig) -> aws_sdk_sqs::Client {
    aws_sdk_sqs::Client::new(sdk)
}

fn aws_sdk_lambda_client(sdk: &aws_config::SdkConfig) -> aws_sdk_lambda::Client {
    aws_sdk_lambda::Client::new(sdk)
}
