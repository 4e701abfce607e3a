//! `Tip`: one thing a sender asked us to check — the text and media they sent together,
//! with WhatsApp's forwarding flags — as every analyser receives it.

use std::fmt;

/// The text and media one sender sent together, plus WhatsApp's Forwarded / FrequentlyForwarded flags.
#[derive(Debug, Clone, Default)]
pub struct Tip {
    /// The message text, several bodies joined when a sender sent text and screenshots together.
    pub text: String,
    /// WhatsApp marked the message as forwarded.
    pub forwarded: bool,
    /// WhatsApp marked the message as forwarded many times (a chain message).
    pub frequently_forwarded: bool,
    /// Images and other attachments, already downloaded.
    pub media: Vec<TipMedia>,
}

impl Tip {
    /// A tip that is only text, not forwarded.
    pub fn from_text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }
}

/// One downloaded attachment of a tip.
#[derive(Clone)]
pub struct TipMedia {
    /// The MIME type Twilio reported, such as `image/jpeg`.
    pub content_type: String,
    /// The attachment's bytes.
    pub bytes: Vec<u8>,
}

// Hand-written so that logging a tip prints the size of a screenshot, not megabytes of bytes.
impl fmt::Debug for TipMedia {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TipMedia")
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_media_size_not_content() {
        let cases = [(0, "<0 bytes>"), (3, "<3 bytes>"), (5_000_000, "<5000000 bytes>")];
        for (len, shown) in cases {
            let media = TipMedia {
                content_type: "image/png".into(),
                bytes: vec![7; len],
            };
            let debug = format!("{media:?}");
            assert!(debug.contains(shown), "{debug}");
            assert!(debug.len() < 100, "{debug}");
        }
    }

    #[test]
    fn from_text_is_a_plain_unforwarded_tip() {
        let tip = Tip::from_text("hello");
        assert_eq!(tip.text, "hello");
        assert!(!tip.forwarded && !tip.frequently_forwarded && tip.media.is_empty());
    }
}
