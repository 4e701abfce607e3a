//! The media stage: what a stored attachment says, as text the analysers can judge — a PDF's
//! text layer, a voice note's transcript — or, when it cannot be read, an honest line for the
//! reply saying why and what to send instead.
//!
//! Images need no reading (the online analyser looks at them, the offline one cannot); every
//! other kind either joins the tip's text or is named in the reply as not checked.

use bytes::Bytes;
use tipline_shared::media::pdf::{self, PdfLimits};
use tipline_shared::media::transcribe::AudioClip;
use tipline_shared::media::{Accepted, MediaKind};
use tokio::time::Instant;

use crate::state::AppState;

/// What the stage made of one attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reading {
    /// Passed to the analyser as it is (images).
    AsIs,
    /// Its text, which joins the tip.
    Text { kind: &'static str, text: String },
    /// Not readable here; `note` tells the sender why and what to send instead.
    Unread { kind: &'static str, note: String },
}

impl Reading {
    /// The attachment's text in the form the analysers read it, after the sender's own text.
    pub fn tip_text(&self) -> Option<String> {
        match self {
            Self::Text { kind, text } => Some(format!("[{} {kind}] {text}", article_cap(kind))),
            _ => None,
        }
    }

    /// What is kept with the submission (`prediction_result.media[i]`).
    pub fn record(&self) -> serde_json::Value {
        match self {
            Self::AsIs => serde_json::json!({}),
            Self::Text { text, .. } => serde_json::json!({ "text": text }),
            Self::Unread { note, .. } => serde_json::json!({ "text_note": note }),
        }
    }

    /// The reply's line about this attachment.
    pub fn reply_line(&self) -> Option<String> {
        match self {
            Self::AsIs => None,
            Self::Text { kind, .. } => Some(format!("✔️ This verdict covers what the {kind} says.")),
            Self::Unread { kind, note } => Some(format!("⚠️ We couldn't check the {kind}: {note}.")),
        }
    }
}

fn article_cap(kind: &str) -> &'static str {
    match kind {
        "PDF" => "Text of the",
        _ => "Transcript of the",
    }
}

/// Reads one stored attachment within the record's deadline; never fails the record.
#[tracing::instrument(skip_all, fields(mime = accepted.mime, bytes = bytes.len()))]
pub async fn read(state: &AppState, accepted: Accepted, bytes: &Bytes, deadline: Instant) -> Reading {
    match accepted.kind {
        MediaKind::Image => Reading::AsIs,
        MediaKind::Pdf => match pdf::extract(bytes.clone(), PdfLimits::default(), deadline).await {
            Ok(read) => {
                tracing::info!(
                    pages = read.pages,
                    pages_read = read.pages_read,
                    truncated = read.truncated,
                    "PDF read"
                );
                Reading::Text {
                    kind: "PDF",
                    text: read.text,
                }
            }
            Err(error) => {
                tracing::info!(%error, "PDF not read");
                Reading::Unread {
                    kind: "PDF",
                    note: error.note().to_owned(),
                }
            }
        },
        MediaKind::Audio => {
            let Some(transcriber) = &state.transcriber else {
                return Reading::Unread {
                    kind: "voice note",
                    note: NO_TRANSCRIPTION.to_owned(),
                };
            };
            let clip = AudioClip {
                mime: accepted.mime,
                extension: accepted.extension,
                bytes,
            };
            match transcriber.transcribe(clip, deadline).await {
                Ok(text) => Reading::Text {
                    kind: "voice note",
                    text,
                },
                Err(error) => {
                    tracing::info!(%error, "voice note not transcribed");
                    Reading::Unread {
                        kind: "voice note",
                        note: error.note().to_owned(),
                    }
                }
            }
        }
    }
}

/// Why a voice note is not checked where no transcription service is configured.
pub const NO_TRANSCRIPTION: &str =
    "voice notes can't be checked in this setup. Type out what it said, or send a screenshot of the chat";

/// The reply's line about an attachment the allow-list kept out, by what WhatsApp said it is.
pub fn skipped_line(content_type: &str) -> String {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let what = if mime.starts_with("video/") {
        "a video: we can't check videos. Send a screenshot of the message, or type out what it says"
    } else if mime.contains("vcard") {
        "a contact card: we can't check those. Type out the name and number it gives"
    } else if mime.starts_with("image/") {
        "an image that is too large or of a kind we can't read. Send a screenshot (JPG, PNG or WEBP up to 5 MB)"
    } else {
        "an attachment of a kind we can't check. Forward the message as text, or send a screenshot"
    };
    format!("⚠️ We couldn't check {what}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reading_says_what_it_covered_and_keeps_it() {
        let pdf = Reading::Text {
            kind: "PDF",
            text: "Pay now".into(),
        };
        assert_eq!(pdf.tip_text().as_deref(), Some("[Text of the PDF] Pay now"));
        assert_eq!(pdf.record()["text"], "Pay now");
        assert!(pdf
            .reply_line()
            .unwrap_or_default()
            .contains("covers what the PDF says"));
        let voice = Reading::Unread {
            kind: "voice note",
            note: NO_TRANSCRIPTION.into(),
        };
        assert_eq!(voice.tip_text(), None);
        assert!(voice
            .reply_line()
            .unwrap_or_default()
            .contains("can't be checked in this setup"));
        assert_eq!(Reading::AsIs.reply_line(), None);
    }

    #[test]
    fn skipped_kinds_get_their_own_line() {
        let cases = [
            ("video/mp4", "a video"),
            ("text/x-vcard", "a contact card"),
            ("image/tiff", "an image"),
            ("application/zip", "an attachment"),
        ];
        for (mime, expected) in cases {
            assert!(skipped_line(mime).contains(expected), "{mime}");
        }
    }
}
