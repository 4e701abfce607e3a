//! Replies through Twilio's Messages API, behind the narrow [`Messenger`] trait.
//!
//! `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, basic auth with an API
//! key or the account's own credentials. 429 and 5xx are retried with jittered exponential
//! backoff inside the caller's deadline; 4xx answers are final (63016: outside WhatsApp's 24 h).

use std::time::Duration;

use async_trait::async_trait;
use rand::Rng as _;
use tokio::time::Instant;

use crate::domain::address::mask_phone_numbers;
use crate::domain::{ReplyText, WhatsAppAddress};
use crate::secret::Secret;

/// Twilio's error for a free-form WhatsApp message more than 24 h after the user's last message.
pub const OUTSIDE_WINDOW: u32 = 63016;

/// Why a reply was not sent, and whether trying again can help.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("Twilio is unavailable or throttling (HTTP {status}, code {code:?}): {message}")]
    Retryable {
        status: u16,
        code: Option<u32>,
        message: String,
    },
    #[error("Twilio refused the message (HTTP {status}, code {code:?}): {message}")]
    Permanent {
        status: u16,
        code: Option<u32>,
        message: String,
    },
    #[error("no time left to reach Twilio before the deadline")]
    Deadline,
}

impl SendError {
    /// Whether a later attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        !matches!(self, Self::Permanent { .. })
    }
}

/// Twilio's acceptance of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// Twilio's SID for the outbound message (`SM…`).
    pub sid: String,
}

/// Sends a reply to one WhatsApp user.
#[async_trait]
pub trait Messenger: Send + Sync + std::fmt::Debug {
    /// Sends `body` to `to`, giving up at `deadline`.
    async fn send(&self, to: &WhatsAppAddress, body: &ReplyText, deadline: Instant) -> Result<SentMessage, SendError>;

    /// A short description for start-up logs.
    fn describe(&self) -> String;
}

/// How tipline authenticates to Twilio's REST API.
#[derive(Debug, Clone)]
pub enum TwilioAuth {
    /// An API key (`SK…`) and its secret: Twilio's recommendation.
    ApiKey { sid: String, secret: Secret },
    /// The account SID and auth token.
    Account { token: Secret },
}

/// Who sends: a WhatsApp sender address, or a Messaging Service.
#[derive(Debug, Clone)]
pub enum Sender {
    From(String),
    MessagingService(String),
}

/// The Twilio adapter.
#[derive(Debug, Clone)]
pub struct TwilioMessenger {
    http: reqwest::Client,
    base_url: String,
    account_sid: String,
    auth: TwilioAuth,
    sender: Sender,
    max_attempts: u32,
    base_backoff: Duration,
}

#[derive(serde::Deserialize)]
struct CreatedMessage {
    sid: String,
}

#[derive(serde::Deserialize)]
struct TwilioErrorBody {
    code: Option<u32>,
    message: Option<String>,
}

impl TwilioMessenger {
    /// `base_url` is `https://api.twilio.com` in production and a local stand-in in tests.
    pub fn new(http: reqwest::Client, base_url: &str, account_sid: &str, auth: TwilioAuth, sender: Sender) -> Self {
        Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            account_sid: account_sid.to_owned(),
            auth,
            sender,
            max_attempts: 4,
            base_backoff: Duration::from_millis(200),
        }
    }

    /// Overrides the retry policy (tests keep the backoff short).
    pub fn with_retries(mut self, max_attempts: u32, base_backoff: Duration) -> Self {
        self.max_attempts = max_attempts.max(1);
        self.base_backoff = base_backoff;
        self
    }

    async fn attempt(
        &self,
        to: &WhatsAppAddress,
        body: &ReplyText,
        deadline: Instant,
    ) -> Result<SentMessage, SendError> {
        let url = format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.base_url, self.account_sid
        );
        let to = to.as_address();
        let mut form: Vec<(&str, &str)> = vec![("To", to.as_str()), ("Body", body.as_str())];
        match &self.sender {
            Sender::From(from) => form.push(("From", from)),
            Sender::MessagingService(sid) => form.push(("MessagingServiceSid", sid)),
        }
        let (user, password) = match &self.auth {
            TwilioAuth::ApiKey { sid, secret } => (sid.as_str(), secret.expose()),
            TwilioAuth::Account { token } => (self.account_sid.as_str(), token.expose()),
        };
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(SendError::Deadline);
        }
        let response = self
            .http
            .post(&url)
            .basic_auth(user, Some(password))
            .form(&form)
            .timeout(remaining)
            .send()
            .await
            .map_err(|e| SendError::Retryable {
                status: 0,
                code: None,
                message: if e.is_timeout() {
                    "timed out".into()
                } else {
                    "connection failed".into()
                },
            })?;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        if (200..300).contains(&status) {
            return serde_json::from_str::<CreatedMessage>(&text)
                .map(|m| SentMessage { sid: m.sid })
                .map_err(|_| SendError::Retryable {
                    status,
                    code: None,
                    message: "Twilio's answer had no message sid".into(),
                });
        }
        let error: Option<TwilioErrorBody> = serde_json::from_str(&text).ok();
        let code = error.as_ref().and_then(|e| e.code);
        // Twilio's text can name the `To` number; masked here, so no Display or log shows it whole.
        let message = error
            .and_then(|e| e.message)
            .map_or_else(|| format!("HTTP {status}"), |m| mask_phone_numbers(&m));
        if status == 429 || status >= 500 {
            Err(SendError::Retryable { status, code, message })
        } else {
            Err(SendError::Permanent { status, code, message })
        }
    }

    /// Exponential backoff with ±20% jitter, so throttled workers do not retry in lockstep.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self
            .base_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        let jitter = rand::rng().random_range(0.8..1.2);
        base.mul_f64(jitter)
    }
}

#[async_trait]
impl Messenger for TwilioMessenger {
    #[tracing::instrument(skip_all, fields(to = %to))]
    async fn send(&self, to: &WhatsAppAddress, body: &ReplyText, deadline: Instant) -> Result<SentMessage, SendError> {
        let mut attempt = 1;
        loop {
            match self.attempt(to, body, deadline).await {
                Err(error) if error.is_retryable() && attempt < self.max_attempts => {
                    let pause = self.backoff(attempt);
                    if Instant::now() + pause >= deadline {
                        return Err(error);
                    }
                    tracing::warn!(attempt, error = %error, "Twilio send failed, backing off");
                    tokio::time::sleep(pause).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn describe(&self) -> String {
        format!("Twilio Messages API at {}", self.base_url)
    }
}
