//! `MessageSid`: Twilio's id for one message, the key tipline is idempotent on.

use std::fmt;

/// A Twilio message SID: `SM` or `MM` followed by 32 hex digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct MessageSid(String);

/// Why a string is not a message SID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("MessageSid {0:?} is not SM/MM followed by 32 hex digits")]
pub struct InvalidMessageSid(pub String);

impl MessageSid {
    /// Parses a SID; Twilio issues `SM` for text and `MM` for media messages.
    pub fn parse(raw: &str) -> Result<Self, InvalidMessageSid> {
        let valid = raw.len() == 34
            && (raw.starts_with("SM") || raw.starts_with("MM"))
            && raw[2..].bytes().all(|b| b.is_ascii_hexdigit());
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(InvalidMessageSid(raw.chars().take(40).collect()))
        }
    }

    /// The SID as Twilio wrote it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MessageSid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for MessageSid {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_real_sids() {
        let cases = [
            ("SM0123456789abcdef0123456789abcdef", true),
            ("MM0123456789ABCDEF0123456789abcdef", true),
            ("SM0123456789abcdef0123456789abcde", false),
            ("XX0123456789abcdef0123456789abcdef", false),
            ("SM0123456789abcdef0123456789abcdeg", false),
            ("", false),
            ("SMéé23456789abcdef0123456789abcd", false),
        ];
        for (raw, ok) in cases {
            assert_eq!(MessageSid::parse(raw).is_ok(), ok, "{raw}");
        }
    }
}
