//! The queue contract: a versioned JSON envelope and the SQS message attributes beside it.
//!
//! The envelope carries every Twilio parameter as received, so a new Twilio field reaches the
//! processor without a webhook deploy. `v` lets a new shape roll out while old messages drain.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::MessageSid;
use crate::twilio::{InboundMessage, TwilioForm};

/// The envelope version this build writes.
pub const CURRENT_VERSION: u32 = 1;

/// The queued form of one inbound message, version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Always [`CURRENT_VERSION`] when written by this build.
    pub v: u32,
    pub message_sid: MessageSid,
    /// When the webhook received it (the processor measures end-to-end latency from here).
    pub received_at: DateTime<Utc>,
    /// Every webhook parameter in the order received.
    pub params: TwilioForm,
    /// Twilio's `I-Twilio-Idempotency-Token` header: the same on Twilio's retries of one delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_token: Option<String>,
    /// The trace id the webhook ran under, to follow one message across both functions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

/// Why a queue body is not an envelope this build can read.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    #[error("the message body is not JSON: {0}")]
    NotJson(#[source] serde_json::Error),
    #[error("the message body has no numeric `v` version field")]
    NoVersion,
    #[error("envelope version {0} is not supported by this build (it reads version {CURRENT_VERSION})")]
    UnsupportedVersion(u64),
    #[error("the version {CURRENT_VERSION} envelope is malformed: {0}")]
    Malformed(#[source] serde_json::Error),
    #[error("the envelope's parameters are not an inbound message: {0}")]
    NotAMessage(#[from] crate::twilio::inbound::InboundError),
    #[error("the envelope's message_sid {envelope} differs from the MessageSid parameter {param}")]
    SidMismatch { envelope: String, param: String },
}

/// The SQS message attributes, as the system tipline replaces wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageAttributes {
    /// Twilio's `MessageSid`.
    pub message_id: String,
    /// Always `whatsapp`.
    pub client_type: String,
    /// The sender's address (`whatsapp:…`).
    pub phone_number: String,
    /// `received_at` in RFC 3339.
    pub timestamp: String,
}

impl MessageAttributes {
    /// The attributes as (name, value) pairs, in a stable order.
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            ("message_id", &self.message_id),
            ("client_type", &self.client_type),
            ("phone_number", &self.phone_number),
            ("timestamp", &self.timestamp),
        ]
    }
}

impl Envelope {
    /// Wraps a parsed inbound message for the queue.
    pub fn new(
        message: &InboundMessage,
        received_at: DateTime<Utc>,
        idempotency_token: Option<String>,
        trace_id: Option<String>,
    ) -> Self {
        Self {
            v: CURRENT_VERSION,
            message_sid: message.message_sid.clone(),
            received_at,
            params: message.form.clone(),
            idempotency_token,
            trace_id,
        }
    }

    /// The JSON body sent to the queue.
    pub fn encode(&self) -> String {
        serde_json::to_string(self).expect("an envelope always serializes")
    }

    /// Reads a queue body, refusing versions this build does not know.
    pub fn decode(body: &str) -> Result<Self, EnvelopeError> {
        #[derive(Deserialize)]
        struct Probe {
            v: Option<serde_json::Value>,
        }
        let probe: Probe = serde_json::from_str(body).map_err(EnvelopeError::NotJson)?;
        match probe.v.as_ref().and_then(serde_json::Value::as_u64) {
            None => Err(EnvelopeError::NoVersion),
            Some(1) => {
                let envelope: Self = serde_json::from_str(body).map_err(EnvelopeError::Malformed)?;
                let param = envelope.params.get("MessageSid").unwrap_or_default();
                if param != envelope.message_sid.as_str() {
                    return Err(EnvelopeError::SidMismatch {
                        envelope: envelope.message_sid.to_string(),
                        param: param.to_owned(),
                    });
                }
                Ok(envelope)
            }
            Some(other) => Err(EnvelopeError::UnsupportedVersion(other)),
        }
    }

    /// The typed message inside.
    pub fn message(&self) -> Result<InboundMessage, EnvelopeError> {
        Ok(InboundMessage::try_from(self.params.clone())?)
    }

    /// The SQS message attributes for this envelope.
    pub fn attributes(&self) -> MessageAttributes {
        MessageAttributes {
            message_id: self.message_sid.to_string(),
            client_type: "whatsapp".to_owned(),
            phone_number: self.params.get("From").unwrap_or_default().to_owned(),
            timestamp: self.received_at.to_rfc3339_opts(SecondsFormat::Millis, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn sample() -> Envelope {
        let form = TwilioForm::from_pairs(vec![
            ("SmsMessageSid".into(), "SM0123456789abcdef0123456789abcdef".into()),
            ("NumMedia".into(), "0".into()),
            ("ProfileName".into(), "Ana".into()),
            ("MessageType".into(), "text".into()),
            ("WaId".into(), "14155550100".into()),
            (
                "Body".into(),
                "Your parcel is held, pay 1.99 at https://bit.ly/x".into(),
            ),
            ("To".into(), "whatsapp:+14155238886".into()),
            ("MessageSid".into(), "SM0123456789abcdef0123456789abcdef".into()),
            ("AccountSid".into(), "AC0123456789abcdef0123456789abcdef".into()),
            ("From".into(), "whatsapp:+14155550100".into()),
            ("ApiVersion".into(), "2010-04-01".into()),
        ]);
        let message = InboundMessage::try_from(form).expect("valid");
        let at = DateTime::parse_from_rfc3339("2026-11-22T10:15:30.123Z")
            .expect("valid")
            .with_timezone(&Utc);
        Envelope::new(&message, at, Some("idem-1".into()), Some("Root=1-abc".into()))
    }

    #[test]
    fn v1_json_is_pinned_by_fixture() {
        let expected: serde_json::Value = serde_json::from_str(&fixture("envelope_v1.json")).expect("fixture is JSON");
        let actual: serde_json::Value = serde_json::from_str(&sample().encode()).expect("encodes JSON");
        assert_eq!(actual, expected);
        assert_eq!(
            Envelope::decode(&fixture("envelope_v1.json")).expect("decodes"),
            sample()
        );
    }

    #[test]
    fn attributes_match_the_contract() {
        let attributes = sample().attributes();
        assert_eq!(
            attributes.pairs(),
            [
                ("message_id", "SM0123456789abcdef0123456789abcdef"),
                ("client_type", "whatsapp"),
                ("phone_number", "whatsapp:+14155550100"),
                ("timestamp", "2026-11-22T10:15:30.123Z"),
            ]
        );
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        let cases = [
            ("not json", "not JSON"),
            ("{}", "no numeric `v`"),
            (r#"{"v":"1"}"#, "no numeric `v`"),
            (r#"{"v":2,"anything":true}"#, "version 2 is not supported"),
            (r#"{"v":1}"#, "malformed"),
        ];
        for (body, needle) in cases {
            let error = Envelope::decode(body).expect_err(body).to_string();
            assert!(error.contains(needle), "{body}: {error}");
        }
        let tampered = sample().encode().replace(
            "\"message_sid\":\"SM0123456789abcdef0123456789abcdef\"",
            "\"message_sid\":\"SMffffffffffffffffffffffffffffffff\"",
        );
        assert!(matches!(
            Envelope::decode(&tampered),
            Err(EnvelopeError::SidMismatch { .. })
        ));
    }
}
