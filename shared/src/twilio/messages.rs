//! Replies through Twilio's Messages API, behind the narrow [`Messenger`] trait.
//!
//! `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, basic auth with an API
//! key or the account's own credentials. 429 and 5xx are retried with jittered exponential
//! backoff inside the caller's deadline; 4xx answers are final (63016: outside WhatsApp's 24 h),
//! except 401/403, which mean our credentials are wrong and so are retried (and alarmed).
//!
//! A send that may have reached Twilio (the connection dropped after the request was written, a
//! timeout, an unreadable 2xx) is [`SendError::Ambiguous`]: it is never retried here. The caller
//! reconciles it with [`Messenger::find_sent`], Twilio's Messages list filtered by `To` and
//! `From`, before it sends again.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use rand::Rng as _;
use tokio::time::Instant;

use crate::domain::address::mask_phone_numbers;
use crate::domain::{ReplyText, WhatsAppAddress};
use crate::secret::Secret;

/// Twilio's error for a free-form WhatsApp message more than 24 h after the user's last message.
pub const OUTSIDE_WINDOW: u32 = 63016;
/// Twilio's error for a recipient who opted out (STOP) at Twilio: nothing can be sent to them.
pub const OPTED_OUT: u32 = 21610;

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
    /// The request may have reached Twilio: sending again could deliver a second copy.
    #[error("Twilio may have accepted the message; its answer was lost: {message}")]
    Ambiguous { message: String },
    /// Twilio refused our credentials (401/403): a rotated or revoked key, fixed by on-call.
    #[error("Twilio refused our credentials (HTTP {status}, code {code:?}): {message}")]
    Unauthorized {
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

    /// Whether the message surely did not reach Twilio, so an immediate resend is safe.
    fn is_safe_to_resend_now(&self) -> bool {
        matches!(self, Self::Retryable { .. })
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

    /// Looks for a message already sent to `to` with exactly `body`, created at or after `since`:
    /// how an ambiguous send is reconciled before anything is sent again. A messenger that can
    /// never leave a send ambiguous (it answers locally) has nothing to find.
    async fn find_sent(
        &self,
        _to: &WhatsAppAddress,
        _body: &str,
        _since: DateTime<Utc>,
        _deadline: Instant,
    ) -> Result<Option<SentMessage>, SendError> {
        Ok(None)
    }

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
    request_timeout: Duration,
}

#[derive(serde::Deserialize)]
struct CreatedMessage {
    sid: String,
}

/// One page of Twilio's Messages list (`GET …/Messages.json`), newest first.
#[derive(serde::Deserialize)]
struct MessagePage {
    #[serde(default)]
    messages: Vec<ListedMessage>,
}

#[derive(serde::Deserialize)]
struct ListedMessage {
    sid: String,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    body: Option<String>,
    /// RFC 2822, e.g. `Thu, 30 Jul 2015 20:12:31 +0000`.
    #[serde(default)]
    date_created: Option<String>,
    #[serde(default)]
    messaging_service_sid: Option<String>,
}

/// How far Twilio's clock may be behind ours when matching a listed message to a send.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(120);

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
            request_timeout: Duration::from_secs(10),
        }
    }

    /// Overrides how long one request may take (tests inject lost answers cheaply).
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    fn credentials(&self) -> (&str, &str) {
        match &self.auth {
            TwilioAuth::ApiKey { sid, secret } => (sid.as_str(), secret.expose()),
            TwilioAuth::Account { token } => (self.account_sid.as_str(), token.expose()),
        }
    }

    fn messages_url(&self) -> String {
        format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            self.base_url, self.account_sid
        )
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
        let to = to.as_address();
        let mut form: Vec<(&str, &str)> = vec![("To", to.as_str()), ("Body", body.as_str())];
        match &self.sender {
            Sender::From(from) => form.push(("From", from)),
            Sender::MessagingService(sid) => form.push(("MessagingServiceSid", sid)),
        }
        let (user, password) = self.credentials();
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(SendError::Deadline);
        }
        let response = self
            .http
            .post(self.messages_url())
            .basic_auth(user, Some(password))
            .form(&form)
            .timeout(remaining.min(self.request_timeout))
            .send()
            .await
            .map_err(|e| {
                if e.is_connect() {
                    // No connection, so no request: nothing reached Twilio.
                    SendError::Retryable {
                        status: 0,
                        code: None,
                        message: "connection failed".into(),
                    }
                } else {
                    SendError::Ambiguous {
                        message: if e.is_timeout() {
                            "timed out waiting for Twilio's answer".into()
                        } else {
                            "the connection dropped after the request was sent".into()
                        },
                    }
                }
            })?;
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            // Twilio created the message; only the proof (its SID) can still be lost.
            let text = response.text().await.map_err(|_| SendError::Ambiguous {
                message: format!("HTTP {status} but the answer could not be read"),
            })?;
            return serde_json::from_str::<CreatedMessage>(&text)
                .map(|m| SentMessage { sid: m.sid })
                .map_err(|_| SendError::Ambiguous {
                    message: format!("HTTP {status} but the answer had no message sid"),
                });
        }
        let text = response.text().await.unwrap_or_default();
        let error: Option<TwilioErrorBody> = serde_json::from_str(&text).ok();
        let code = error.as_ref().and_then(|e| e.code);
        // Twilio's text can name the `To` number; masked here, so no Display or log shows it whole.
        let message = error
            .and_then(|e| e.message)
            .map_or_else(|| format!("HTTP {status}"), |m| mask_phone_numbers(&m));
        Err(match status {
            429 | 500.. => SendError::Retryable { status, code, message },
            401 | 403 => SendError::Unauthorized { status, code, message },
            _ => SendError::Permanent { status, code, message },
        })
    }

    /// One page of the Messages list to `to` from our sender, newest first.
    async fn list_sent_to(&self, to: &str, deadline: Instant) -> Result<Vec<ListedMessage>, SendError> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(SendError::Deadline);
        }
        let mut query: Vec<(&str, &str)> = vec![("To", to), ("PageSize", "50")];
        // `DateSent` is not used as a filter: a message Twilio has accepted but not yet sent has
        // no date_sent and would be missed; `date_created` is compared below instead.
        if let Sender::From(from) = &self.sender {
            query.push(("From", from));
        }
        let (user, password) = self.credentials();
        let response = self
            .http
            .get(self.messages_url())
            .basic_auth(user, Some(password))
            .query(&query)
            .timeout(remaining.min(self.request_timeout))
            .send()
            .await
            .map_err(|e| SendError::Retryable {
                status: 0,
                code: None,
                message: format!(
                    "looking up earlier messages failed: {}",
                    if e.is_timeout() {
                        "timed out"
                    } else {
                        "connection failed"
                    }
                ),
            })?;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        if !(200..300).contains(&status) {
            let message = format!("looking up earlier messages answered HTTP {status}");
            return Err(match status {
                401 | 403 => SendError::Unauthorized {
                    status,
                    code: None,
                    message,
                },
                // Whatever the lookup's trouble, it must not turn into a blind resend.
                _ => SendError::Retryable {
                    status,
                    code: None,
                    message,
                },
            });
        }
        serde_json::from_str::<MessagePage>(&text)
            .map(|page| page.messages)
            .map_err(|e| SendError::Retryable {
                status,
                code: None,
                message: format!("Twilio's message list could not be read: {e}"),
            })
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
                Err(error) if error.is_safe_to_resend_now() && attempt < self.max_attempts => {
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

    #[tracing::instrument(skip_all, fields(to = %to))]
    async fn find_sent(
        &self,
        to: &WhatsAppAddress,
        body: &str,
        since: DateTime<Utc>,
        deadline: Instant,
    ) -> Result<Option<SentMessage>, SendError> {
        let address = to.as_address();
        let listed = self.list_sent_to(&address, deadline).await?;
        let service = match &self.sender {
            Sender::MessagingService(sid) => Some(sid.as_str()),
            Sender::From(_) => None,
        };
        let found = listed.into_iter().find(|m| {
            let created = m
                .date_created
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
                .map(|d| d.with_timezone(&Utc));
            m.to.as_deref().is_none_or(|t| t == address)
                && m.body.as_deref() == Some(body)
                // An unreadable date cannot rule a match out: a second copy is the worse error.
                && created.is_none_or(|c| c + CLOCK_SKEW >= since)
                && service.is_none_or(|s| m.messaging_service_sid.as_deref().is_none_or(|ms| ms == s))
        });
        Ok(found.map(|m| SentMessage { sid: m.sid }))
    }

    fn describe(&self) -> String {
        format!("Twilio Messages API at {}", self.base_url)
    }
}
