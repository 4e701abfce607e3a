//! `ReplyText`: a WhatsApp reply body Twilio will accept, at most 1600 characters.

use std::fmt;

/// Twilio refuses message bodies over 1600 characters.
pub const MAX_CHARS: usize = 1600;

/// A non-empty reply body of at most [`MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyText(String);

/// Why a string cannot be sent as a reply.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidReplyText {
    #[error("a reply cannot be empty")]
    Empty,
    #[error("a reply of {0} characters is over WhatsApp's {MAX_CHARS}")]
    TooLong(usize),
}

impl ReplyText {
    /// Accepts a body as it is, or says why not.
    pub fn parse(text: &str) -> Result<Self, InvalidReplyText> {
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 {
            Err(InvalidReplyText::Empty)
        } else if chars > MAX_CHARS {
            Err(InvalidReplyText::TooLong(chars))
        } else {
            Ok(Self(text.to_owned()))
        }
    }

    /// Fits any text into one reply: cut at the last line or word break before the limit, with
    /// an ellipsis, so a long reason never cuts a word in half. Empty text gets a placeholder.
    pub fn fit(text: &str) -> Self {
        let text = text.trim();
        if text.is_empty() {
            return Self("…".to_owned());
        }
        if text.chars().count() <= MAX_CHARS {
            return Self(text.to_owned());
        }
        let budget = MAX_CHARS - 1;
        let cut = text.char_indices().nth(budget).map_or(text.len(), |(at, _)| at);
        let head = &text[..cut];
        let min_keep = head.len() / 2;
        let at = head
            .rfind('\n')
            .filter(|at| *at > min_keep)
            .or_else(|| head.rfind(' ').filter(|at| *at > min_keep))
            .unwrap_or(head.len());
        Self(format!("{}…", head[..at].trim_end()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReplyText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_fit() {
        assert_eq!(ReplyText::parse("  "), Err(InvalidReplyText::Empty));
        assert_eq!(
            ReplyText::parse(&"a".repeat(1601)),
            Err(InvalidReplyText::TooLong(1601))
        );
        assert!(ReplyText::parse(&"é".repeat(1600)).is_ok());

        let long = "word ".repeat(500);
        let fitted = ReplyText::fit(&long);
        assert!(fitted.as_str().chars().count() <= MAX_CHARS);
        assert!(fitted.as_str().ends_with("word…"));

        let unbroken = "x".repeat(2000);
        assert_eq!(ReplyText::fit(&unbroken).as_str().chars().count(), MAX_CHARS);
        assert_eq!(ReplyText::fit("").as_str(), "…");
        assert_eq!(ReplyText::fit("short").as_str(), "short");
    }
}
