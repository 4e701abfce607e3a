//! Every way a webhook request can be refused, and the one place that maps each to a status.

use tipline_shared::queue::QueueError;
use tipline_shared::twilio::form::FormError;
use tipline_shared::twilio::inbound::InboundError;
use tipline_shared::twilio::signature::SignatureError;

use crate::event::EventError;

/// Why the webhook did not take a request.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    #[error("method {0} is not allowed; Twilio POSTs")]
    Method(String),
    #[error("content type {0:?} is not application/x-www-form-urlencoded")]
    ContentType(String),
    #[error("body of {size} bytes is over the {limit}-byte limit")]
    TooLarge { size: usize, limit: usize },
    #[error("not an HTTP event: {0}")]
    Event(#[from] EventError),
    #[error("malformed form: {0}")]
    Form(#[from] FormError),
    #[error("signature refused: {0}")]
    Signature(#[from] SignatureError),
    #[error("not an inbound WhatsApp message: {0}")]
    Inbound(#[from] InboundError),
    #[error("could not queue the message: queue: {primary}; fallback: {fallback}")]
    Undeliverable { primary: QueueError, fallback: String },
}

impl WebhookError {
    /// The HTTP status Twilio sees. Only an undeliverable message gets a 5xx, so that Twilio's
    /// fallback URL takes over; everything else is the request's own fault and retrying won't help.
    pub fn status(&self) -> u16 {
        match self {
            Self::Method(_) => 405,
            Self::ContentType(_) => 415,
            Self::TooLarge { .. } => 413,
            Self::Event(_) | Self::Form(_) | Self::Inbound(_) => 400,
            Self::Signature(_) => 403,
            Self::Undeliverable { .. } => 503,
        }
    }

    /// The short reason in the response body: never a secret, a body or a phone number.
    pub fn public_reason(&self) -> String {
        match self {
            // Which check failed helps an attacker more than an operator; the log has the detail.
            Self::Signature(_) => "invalid or missing X-Twilio-Signature".to_owned(),
            Self::Undeliverable { .. } => "temporarily unable to accept the message".to_owned(),
            other => other.to_string(),
        }
    }
}
