//! Media a sender attached: what tipline accepts, how it is fetched from Twilio, and where it is kept.
//!
//! [`download`] fetches one attachment with Twilio's credentials sent only to our own account's
//! Media URL; [`store`] keeps the bytes under a dated key (S3 in production, a directory locally).

pub mod download;
pub mod pdf;
pub mod store;
pub mod transcribe;

pub use download::{MediaDownloader, MediaError, MediaPolicy};
pub use store::{media_key, media_prefix, MediaStore, MediaStoreError, ObjectMediaStore, StoredMedia};

/// Twilio's WhatsApp cap for images.
pub const MAX_IMAGE_BYTES: u64 = 5 * 1024 * 1024;
/// Twilio's WhatsApp cap for every other kind of media.
pub const MAX_OTHER_BYTES: u64 = 16 * 1024 * 1024;

/// The kinds of attachment tipline keeps and can analyse (or at least store).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Image,
    Pdf,
    Audio,
}

/// An allowed content type: its kind, size cap and file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    pub kind: MediaKind,
    /// The canonical MIME type, parameters stripped and lower-cased.
    pub mime: &'static str,
    pub extension: &'static str,
    pub max_bytes: u64,
}

const ACCEPTED: &[(&str, MediaKind, &str)] = &[
    ("image/jpeg", MediaKind::Image, "jpg"),
    ("image/jpg", MediaKind::Image, "jpg"),
    ("image/png", MediaKind::Image, "png"),
    ("image/webp", MediaKind::Image, "webp"),
    ("image/gif", MediaKind::Image, "gif"),
    ("application/pdf", MediaKind::Pdf, "pdf"),
    ("audio/ogg", MediaKind::Audio, "ogg"),
    ("audio/mpeg", MediaKind::Audio, "mp3"),
    ("audio/amr", MediaKind::Audio, "amr"),
    ("audio/aac", MediaKind::Audio, "aac"),
    ("audio/mp4", MediaKind::Audio, "m4a"),
    ("audio/3gpp", MediaKind::Audio, "3gp"),
];

/// Classifies a `Content-Type` value (`image/jpeg; charset=…` included); `None` is not allowed.
pub fn accept(content_type: &str) -> Option<Accepted> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    ACCEPTED
        .iter()
        .find(|(name, _, _)| *name == mime)
        .map(|(name, kind, ext)| Accepted {
            kind: *kind,
            mime: name,
            extension: ext,
            max_bytes: match kind {
                MediaKind::Image => MAX_IMAGE_BYTES,
                _ => MAX_OTHER_BYTES,
            },
        })
}

/// One attachment fetched and checked. While it is alive it holds its share of the
/// downloader's bytes-in-flight budget.
pub struct DownloadedMedia {
    pub accepted: Accepted,
    pub bytes: Vec<u8>,
    pub(crate) _budget: Option<tokio::sync::OwnedSemaphorePermit>,
}

// By hand, so a log line shows the size of an attachment rather than its bytes.
impl std::fmt::Debug for DownloadedMedia {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DownloadedMedia")
            .field("mime", &self.accepted.mime)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allow_list_knows_images_pdf_and_audio_only() {
        let cases = [
            ("image/jpeg", Some((MediaKind::Image, "jpg", MAX_IMAGE_BYTES))),
            (
                "IMAGE/PNG; charset=binary",
                Some((MediaKind::Image, "png", MAX_IMAGE_BYTES)),
            ),
            ("application/pdf", Some((MediaKind::Pdf, "pdf", MAX_OTHER_BYTES))),
            (
                "audio/ogg; codecs=opus",
                Some((MediaKind::Audio, "ogg", MAX_OTHER_BYTES)),
            ),
            ("video/mp4", None),
            ("text/vcard", None),
            ("application/octet-stream", None),
            ("", None),
        ];
        for (raw, expected) in cases {
            let got = accept(raw).map(|a| (a.kind, a.extension, a.max_bytes));
            assert_eq!(got, expected, "{raw}");
        }
    }
}
