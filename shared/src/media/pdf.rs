//! Text out of a forwarded PDF (invoices, fake tickets, "court summons"), in process with
//! `lopdf`, so the analysers judge what the document says.
//!
//! A PDF is hostile input: every bound is enforced here — bytes in, pages read, bytes any one
//! stream may inflate to, characters out, and wall time — and a panic inside the parser is caught
//! and becomes an error like any other. What cannot be read says why, in words a sender can act on.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Duration;

use tokio::time::Instant;

/// How much of a PDF is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PdfLimits {
    /// Files larger than this are not parsed at all.
    pub max_bytes: usize,
    /// Pages read from the start; a scam's hook is on its first pages.
    pub max_pages: usize,
    /// Bytes one stream (a page's content, an object stream) may decompress to: bombs stop here.
    pub max_decompressed: usize,
    /// Characters of text kept for the analysers.
    pub max_chars: usize,
    /// Wall time for the whole extraction.
    pub timeout: Duration,
}

impl Default for PdfLimits {
    fn default() -> Self {
        Self {
            max_bytes: crate::media::MAX_OTHER_BYTES as usize,
            max_pages: 20,
            max_decompressed: 8 * 1024 * 1024,
            max_chars: 4000,
            timeout: Duration::from_secs(5),
        }
    }
}

/// The text read from a PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfText {
    /// Whitespace-normalised text, at most `max_chars` characters.
    pub text: String,
    /// Pages in the document.
    pub pages: usize,
    /// Pages whose text was read (the first `max_pages`, less any that failed).
    pub pages_read: usize,
    /// Whether text was left out: pages past the cap, or characters past `max_chars`.
    pub truncated: bool,
}

/// Why a PDF gave no text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF is password-protected")]
    Encrypted,
    #[error("the file is not a PDF that could be read: {0}")]
    Malformed(String),
    #[error("the PDF has no text layer (it may be scanned images)")]
    NoText,
    #[error("the PDF is {0} bytes, over the cap")]
    TooLarge(usize),
    #[error("reading the PDF took too long")]
    TimedOut,
    #[error("the PDF reader failed on this file")]
    Crashed,
}

impl PdfError {
    /// What a sender is told about this PDF, and what to send instead.
    pub fn note(&self) -> &'static str {
        match self {
            Self::Encrypted => {
                "it is password-protected, so we couldn't read it. Send a screenshot of its pages instead"
            }
            Self::NoText => "it has no text we could read (it may be a scan). Send a screenshot of its pages instead",
            Self::Malformed(_) | Self::Crashed => {
                "we couldn't read it as a PDF. Send a screenshot of its pages instead"
            }
            Self::TooLarge(_) | Self::TimedOut => {
                "it was too large to read in time. Send a screenshot of the page that worries you instead"
            }
        }
    }
}

/// Reads a PDF's text on a blocking thread, within `limits.timeout` and `deadline`.
///
/// A parse that runs out of time is abandoned (its thread finishes on its own, bounded by the
/// page and decompression caps); the record moves on.
pub async fn extract(bytes: bytes::Bytes, limits: PdfLimits, deadline: Instant) -> Result<PdfText, PdfError> {
    let until = deadline.min(Instant::now() + limits.timeout);
    if until <= Instant::now() {
        return Err(PdfError::TimedOut);
    }
    let work = tokio::task::spawn_blocking(move || extract_blocking(&bytes, &limits));
    match tokio::time::timeout_at(until, work).await {
        Err(_) => Err(PdfError::TimedOut),
        // A panic is caught inside; a join error means the runtime is going away.
        Ok(Err(_)) => Err(PdfError::Crashed),
        Ok(Ok(result)) => result,
    }
}

/// Reads a PDF's text on the calling thread; never panics.
pub fn extract_blocking(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, PdfError> {
    if bytes.len() > limits.max_bytes {
        return Err(PdfError::TooLarge(bytes.len()));
    }
    // The release profile unwinds, so a bug in the parser costs this attachment, not the record.
    catch_unwind(AssertUnwindSafe(|| read(bytes, limits))).unwrap_or(Err(PdfError::Crashed))
}

fn read(bytes: &[u8], limits: &PdfLimits) -> Result<PdfText, PdfError> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(limits.max_decompressed),
        ..lopdf::LoadOptions::default()
    };
    let declares_encryption = || bytes.windows(8).any(|w| w == b"/Encrypt");
    let document = match lopdf::Document::load_mem_with_options(bytes, options) {
        Ok(document) => document,
        Err(_) if declares_encryption() => return Err(PdfError::Encrypted),
        Err(error) => return Err(PdfError::Malformed(clip_chars(&error.to_string(), 200))),
    };
    // lopdf opens files whose user password is empty by itself; anything still encrypted needs one.
    if document.is_encrypted() || document.trailer.has(b"Encrypt") {
        return Err(PdfError::Encrypted);
    }
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(PdfError::Malformed("it has no pages".into()));
    }
    let wanted = &pages[..pages.len().min(limits.max_pages)];
    let mut text = String::new();
    let mut pages_read = 0;
    for page in wanted {
        if text.chars().count() > limits.max_chars {
            break;
        }
        let chunks = document.extract_text_chunks_with_limit(&[*page], limits.max_decompressed);
        let mut read_any = false;
        for chunk in chunks.into_iter().flatten() {
            read_any = true;
            text.push_str(&chunk);
            text.push(' ');
        }
        pages_read += usize::from(read_any);
    }
    let normalised = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if normalised.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        return Err(if pages_read == 0 {
            PdfError::Malformed("no page could be read".into())
        } else {
            PdfError::NoText
        });
    }
    let truncated = wanted.len() < pages.len() || normalised.chars().count() > limits.max_chars;
    Ok(PdfText {
        text: clip_chars(&normalised, limits.max_chars),
        pages: pages.len(),
        pages_read,
        truncated,
    })
}

fn clip_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// A minimal, valid PDF with one page per entry of `pages`, each line of it drawn in Helvetica,
/// with a correct cross-reference table: for tests and fuzz seeds.
pub fn sample_pdf(pages: &[&[&str]]) -> Vec<u8> {
    let escape = |line: &str| line.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
    let mut objects: Vec<String> = Vec::new();
    let page_ids: Vec<usize> = (0..pages.len()).map(|i| 4 + 2 * i).collect();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids = page_ids
        .iter()
        .map(|id| format!("{id} 0 R"))
        .collect::<Vec<_>>()
        .join(" ");
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {} >>", pages.len()));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for (i, lines) in pages.iter().enumerate() {
        let content_id = page_ids[i] + 1;
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {content_id} 0 R >>"
        ));
        let mut stream = String::from("BT /F1 12 Tf 72 720 Td 14 TL\n");
        for line in *lines {
            stream.push_str(&format!("({}) Tj T*\n", escape(line)));
        }
        stream.push_str("ET");
        objects.push(format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> PdfLimits {
        PdfLimits::default()
    }

    #[test]
    fn reads_the_text_of_every_page() {
        let pdf = sample_pdf(&[&["URGENT: your parcel is held"], &["Pay the fee at (paypa1-login.top)"]]);
        let read = extract_blocking(&pdf, &limits()).expect("text");
        assert!(read.text.contains("URGENT: your parcel is held"), "{read:?}");
        assert!(read.text.contains("paypa1-login.top"), "{read:?}");
        assert_eq!((read.pages, read.pages_read, read.truncated), (2, 2, false));
    }

    #[test]
    fn pages_and_characters_are_capped() {
        let pdf = sample_pdf(&[&["first page words"], &["second page words"], &["third"]]);
        let capped = PdfLimits {
            max_pages: 1,
            ..limits()
        };
        let read = extract_blocking(&pdf, &capped).expect("text");
        assert!(read.text.contains("first") && !read.text.contains("second"), "{read:?}");
        assert!(read.truncated);
        let short = PdfLimits {
            max_chars: 5,
            ..limits()
        };
        let read = extract_blocking(&pdf, &short).expect("text");
        assert_eq!(read.text.chars().count(), 5);
        assert!(read.truncated);
    }

    #[test]
    fn bad_input_gets_a_reason_never_a_panic() {
        let image_only = String::from_utf8(sample_pdf(&[&[]])).expect("ascii");
        type Case = (Vec<u8>, fn(&PdfError) -> bool);
        let cases: Vec<Case> = vec![
            (b"this is not a pdf at all".to_vec(), |e| {
                matches!(e, PdfError::Malformed(_))
            }),
            (Vec::new(), |e| matches!(e, PdfError::Malformed(_))),
            (b"%PDF-1.7\n1 0 obj\n<<".to_vec(), |e| {
                matches!(e, PdfError::Malformed(_))
            }),
            (image_only.into_bytes(), |e| matches!(e, PdfError::NoText)),
            (encrypted_pdf(), |e| matches!(e, PdfError::Encrypted)),
            (vec![0; 17 * 1024 * 1024], |e| matches!(e, PdfError::TooLarge(_))),
        ];
        for (i, (bytes, expected)) in cases.into_iter().enumerate() {
            let error = extract_blocking(&bytes, &limits()).expect_err("no text");
            assert!(expected(&error), "case {i}: {error:?}");
            assert!(!error.note().is_empty());
        }
    }

    #[test]
    fn truncated_files_never_panic() {
        let pdf = sample_pdf(&[&["Send your card PIN to claim the prize"]]);
        for cut in (0..pdf.len()).step_by(7) {
            let _ = extract_blocking(&pdf[..cut], &limits());
        }
    }

    #[tokio::test]
    async fn the_async_path_reads_and_keeps_to_the_deadline() {
        let pdf = bytes::Bytes::from(sample_pdf(&[&["Your account is suspended"]]));
        let far = Instant::now() + Duration::from_secs(30);
        let read = extract(pdf.clone(), limits(), far).await.expect("text");
        assert!(read.text.contains("suspended"));
        let error = extract(pdf, limits(), Instant::now()).await.expect_err("no time");
        assert_eq!(error, PdfError::TimedOut);
    }

    /// A PDF under the standard security handler whose user password is not empty.
    pub(super) fn encrypted_pdf() -> Vec<u8> {
        let text = String::from_utf8(sample_pdf(&[&["secret"]])).expect("ascii");
        let o = "<".to_owned() + &"a1".repeat(32) + ">";
        let u = "<".to_owned() + &"b2".repeat(32) + ">";
        let encrypt = format!("<< /Filter /Standard /V 1 /R 2 /O {o} /U {u} /P -44 >>");
        text.replace(
            "/Root 1 0 R >>",
            &format!("/Root 1 0 R /Encrypt {encrypt} /ID [<0102030405060708> <0102030405060708>] >>"),
        )
        .into_bytes()
    }
}
