//! Voice notes into text, through an OpenAI-compatible transcription API
//! (`POST {base}/audio/transcriptions`, multipart `file` + `model`, answer `{"text": "…"}`).
//!
//! A transcript is worth waiting for only inside the record's budget: 429 and 5xx are retried
//! with jittered backoff until a bounded number of attempts or the deadline, and whatever still
//! fails becomes a [`TranscribeError`] whose note the sender reads — never a lost message.

use std::time::Duration;

use async_trait::async_trait;
use rand::Rng as _;
use serde::Deserialize;
use tokio::time::Instant;

use crate::config::{self, ConfigError, Source};
use crate::secret::Secret;

/// A small, cheap transcription model; `whisper-1` and other providers' models work too.
pub const DEFAULT_TRANSCRIPTION_MODEL: &str = "gpt-4o-mini-transcribe";
/// Twilio's cap for WhatsApp audio; OpenAI takes up to 25 MB.
pub const DEFAULT_MAX_AUDIO_BYTES: usize = 16 * 1024 * 1024;
/// Characters of transcript kept for the analysers: minutes of speech.
const MAX_TRANSCRIPT_CHARS: usize = 4000;

/// One voice note or audio file to transcribe.
#[derive(Debug, Clone, Copy)]
pub struct AudioClip<'a> {
    /// The canonical MIME type, such as `audio/ogg`.
    pub mime: &'a str,
    /// The file extension the provider reads the format from, such as `ogg`.
    pub extension: &'a str,
    pub bytes: &'a [u8],
}

/// Why a voice note has no transcript.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranscribeError {
    #[error("the audio is {0} bytes, over the transcription cap")]
    TooLarge(usize),
    /// The provider refused the request (unreadable format, bad key, unknown model).
    #[error("the transcription service refused the audio: {0}")]
    Rejected(String),
    /// Throttled, failing or unreachable after every attempt the budget allowed.
    #[error("the transcription service is unavailable: {0}")]
    Unavailable(String),
    #[error("transcription ran out of time")]
    Deadline,
    #[error("the recording has no speech we could transcribe")]
    Empty,
}

impl TranscribeError {
    /// What a sender is told about this voice note, and what to send instead.
    pub fn note(&self) -> &'static str {
        match self {
            Self::TooLarge(_) => "it was too long to transcribe. Send a shorter clip, or type out what it said",
            Self::Rejected(_) => {
                "we couldn't read this audio format. Type out what it said, or send a screenshot of the chat"
            }
            Self::Unavailable(_) | Self::Deadline => {
                "our transcription service didn't answer in time. Try again later, or type out what it said"
            }
            Self::Empty => "we heard no speech in it. Type out what it said, or send a screenshot of the chat",
        }
    }
}

/// Turns speech into text.
#[async_trait]
pub trait Transcriber: Send + Sync + std::fmt::Debug {
    /// Transcribes one clip, giving up at `deadline`.
    async fn transcribe(&self, clip: AudioClip<'_>, deadline: Instant) -> Result<String, TranscribeError>;

    /// A short description for start-up logs.
    fn describe(&self) -> String;
}

/// The OpenAI-compatible adapter.
#[derive(Debug, Clone)]
pub struct OpenAiTranscriber {
    http: reqwest::Client,
    base_url: String,
    api_key: Secret,
    model: String,
    max_bytes: usize,
    max_attempts: u32,
    base_backoff: Duration,
    request_timeout: Duration,
}

impl OpenAiTranscriber {
    /// An adapter for `model` at `base_url` (e.g. `https://api.openai.com/v1`).
    pub fn new(http: reqwest::Client, base_url: &str, api_key: Secret, model: &str) -> Self {
        Self {
            http,
            base_url: base_url.trim_end_matches('/').to_owned(),
            api_key,
            model: model.to_owned(),
            max_bytes: DEFAULT_MAX_AUDIO_BYTES,
            max_attempts: 3,
            base_backoff: Duration::from_millis(500),
            request_timeout: Duration::from_secs(20),
        }
    }

    /// `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_TRANSCRIPTION_MODEL`,
    /// `TRANSCRIPTION_MAX_BYTES`; `None` (voice notes are not checked) when no key is set.
    pub fn from_source(source: &dyn Source, http: reqwest::Client) -> Result<Option<Self>, ConfigError> {
        let Some(key) = config::optional(source, "OPENAI_API_KEY") else {
            return Ok(None);
        };
        let base_url = config::url(source, "OPENAI_BASE_URL")?
            .unwrap_or_else(|| crate::analysis::openai::DEFAULT_BASE_URL.to_owned());
        let model = config::optional(source, "OPENAI_TRANSCRIPTION_MODEL")
            .unwrap_or_else(|| DEFAULT_TRANSCRIPTION_MODEL.to_owned());
        let max_bytes = config::parsed(source, "TRANSCRIPTION_MAX_BYTES", DEFAULT_MAX_AUDIO_BYTES)?;
        Ok(Some(
            Self::new(http, &base_url, Secret::new(key), &model).with_max_bytes(max_bytes),
        ))
    }

    /// Overrides the size cap.
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// Overrides the retry policy (tests keep the backoff short).
    pub fn with_retries(mut self, max_attempts: u32, base_backoff: Duration) -> Self {
        self.max_attempts = max_attempts.max(1);
        self.base_backoff = base_backoff;
        self
    }

    /// Overrides how long one request may take.
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    async fn call(&self, clip: AudioClip<'_>, deadline: Instant) -> Result<String, Failure> {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Failure::Final(TranscribeError::Deadline));
        }
        let part = reqwest::multipart::Part::bytes(clip.bytes.to_vec())
            .file_name(format!("voice-note.{}", clip.extension))
            .mime_str(clip.mime)
            .map_err(|e| Failure::Final(TranscribeError::Rejected(format!("bad MIME type: {e}"))))?;
        let form = reqwest::multipart::Form::new()
            .part("file", part)
            .text("model", self.model.clone())
            .text("response_format", "json");
        let response = self
            .http
            .post(format!("{}/audio/transcriptions", self.base_url))
            .bearer_auth(self.api_key.expose())
            .multipart(form)
            .timeout(left.min(self.request_timeout))
            .send()
            .await
            .map_err(|e| {
                Failure::Transient(if e.is_timeout() {
                    "timed out".into()
                } else {
                    format!("connection failed: {}", e.without_url())
                })
            })?;
        let status = response.status();
        let body = response
            .text()
            .await
            .map_err(|e| Failure::Transient(format!("reading the answer failed: {}", e.without_url())))?;
        if status.as_u16() == 429 || status.is_server_error() {
            return Err(Failure::Transient(format!("HTTP {status}")));
        }
        if !status.is_success() {
            // Only the provider's own message is kept: the body may echo the request.
            let message = serde_json::from_str::<serde_json::Value>(&body)
                .ok()
                .and_then(|v| {
                    v["error"]["message"]
                        .as_str()
                        .map(|m| m.chars().take(200).collect::<String>())
                })
                .unwrap_or_default();
            return Err(Failure::Final(TranscribeError::Rejected(format!(
                "HTTP {status}: {message}"
            ))));
        }
        let answer: Answer = serde_json::from_str(&body).map_err(|e| {
            Failure::Final(TranscribeError::Rejected(format!(
                "the answer is not a transcription: {e}"
            )))
        })?;
        let text = answer.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            return Err(Failure::Final(TranscribeError::Empty));
        }
        Ok(text.chars().take(MAX_TRANSCRIPT_CHARS).collect())
    }

    /// Exponential backoff with ±20% jitter, so throttled workers do not retry in lockstep.
    fn backoff(&self, attempt: u32) -> Duration {
        let base = self
            .base_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)));
        base.mul_f64(rand::rng().random_range(0.8..1.2))
    }
}

#[derive(Deserialize)]
struct Answer {
    text: String,
}

enum Failure {
    Transient(String),
    Final(TranscribeError),
}

#[async_trait]
impl Transcriber for OpenAiTranscriber {
    #[tracing::instrument(skip_all, fields(model = %self.model, bytes = clip.bytes.len()))]
    async fn transcribe(&self, clip: AudioClip<'_>, deadline: Instant) -> Result<String, TranscribeError> {
        if clip.bytes.len() > self.max_bytes {
            return Err(TranscribeError::TooLarge(clip.bytes.len()));
        }
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.call(clip, deadline).await {
                Ok(text) => return Ok(text),
                Err(Failure::Final(error)) => return Err(error),
                Err(Failure::Transient(reason)) => {
                    let pause = self.backoff(attempt);
                    if attempt >= self.max_attempts || Instant::now() + pause >= deadline {
                        tracing::warn!(%reason, attempt, "transcription failed");
                        return Err(if reason == "timed out" && Instant::now() >= deadline {
                            TranscribeError::Deadline
                        } else {
                            TranscribeError::Unavailable(reason)
                        });
                    }
                    tracing::info!(%reason, attempt, "transcription failed; retrying");
                    tokio::time::sleep(pause).await;
                }
            }
        }
    }

    fn describe(&self) -> String {
        format!("OpenAI-compatible transcription ({}) at {}", self.model, self.base_url)
    }
}

#[cfg(test)]
mod tests {
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    const CLIP: AudioClip<'static> = AudioClip {
        mime: "audio/ogg",
        extension: "ogg",
        bytes: b"OggS fake opus voice note",
    };

    fn transcriber(server: &MockServer) -> OpenAiTranscriber {
        OpenAiTranscriber::new(
            reqwest::Client::new(),
            &format!("{}/v1", server.uri()),
            Secret::new("sk-test"),
            "whisper-1",
        )
        .with_retries(3, Duration::from_millis(5))
        .with_request_timeout(Duration::from_millis(300))
    }

    fn deadline() -> Instant {
        Instant::now() + Duration::from_secs(10)
    }

    async fn answering(template: ResponseTemplate, times: impl Into<wiremock::Times>) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/v1/audio/transcriptions"))
            .and(header("authorization", "Bearer sk-test"))
            .respond_with(template)
            .expect(times)
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn sends_the_documented_multipart_request_and_reads_the_text() {
        let server = answering(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"text": " This is your bank.  Read me the code. "})),
            1,
        )
        .await;
        let text = transcriber(&server).transcribe(CLIP, deadline()).await.expect("text");
        assert_eq!(text, "This is your bank. Read me the code.");
        let request = &server.received_requests().await.unwrap_or_default()[0];
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(
            content_type.starts_with("multipart/form-data; boundary="),
            "{content_type}"
        );
        let body = String::from_utf8_lossy(&request.body);
        assert!(body.contains("name=\"file\"; filename=\"voice-note.ogg\""), "{body}");
        assert!(body.contains("Content-Type: audio/ogg"), "{body}");
        assert!(body.contains("OggS fake opus voice note"), "{body}");
        assert!(body.contains("name=\"model\"\r\n\r\nwhisper-1"), "{body}");
    }

    #[tokio::test]
    async fn a_4xx_is_a_refusal_without_retries() {
        let server = answering(
            ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": {"message": "Invalid file format."}})),
            1,
        )
        .await;
        let error = transcriber(&server)
            .transcribe(CLIP, deadline())
            .await
            .expect_err("refused");
        assert!(
            matches!(&error, TranscribeError::Rejected(m) if m.contains("Invalid file format")),
            "{error}"
        );
    }

    #[tokio::test]
    async fn throttles_and_5xx_are_retried_then_reported_unavailable() {
        for status in [429, 500, 503] {
            let server = answering(ResponseTemplate::new(status), 3).await;
            let error = transcriber(&server)
                .transcribe(CLIP, deadline())
                .await
                .expect_err("unavailable");
            assert!(matches!(error, TranscribeError::Unavailable(_)), "{status}: {error}");
        }
    }

    #[tokio::test]
    async fn a_throttle_that_clears_gets_the_transcript() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(429))
            .up_to_n_times(1)
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"text": "hello"})))
            .expect(1)
            .mount(&server)
            .await;
        let text = transcriber(&server).transcribe(CLIP, deadline()).await.expect("text");
        assert_eq!(text, "hello");
    }

    #[tokio::test]
    async fn a_slow_provider_is_abandoned_within_the_deadline() {
        let server = answering(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"text": "late"}))
                .set_delay(Duration::from_secs(5)),
            1..=3,
        )
        .await;
        let started = Instant::now();
        let error = transcriber(&server)
            .with_request_timeout(Duration::from_secs(30))
            .transcribe(CLIP, started + Duration::from_millis(400))
            .await
            .expect_err("too slow");
        assert!(
            matches!(error, TranscribeError::Deadline | TranscribeError::Unavailable(_)),
            "{error}"
        );
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[tokio::test]
    async fn oversize_audio_and_empty_speech_get_their_own_notes() {
        let server = answering(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"text": "  "})),
            1,
        )
        .await;
        let transcriber = transcriber(&server).with_max_bytes(4);
        let error = transcriber.transcribe(CLIP, deadline()).await.expect_err("too large");
        assert_eq!(error, TranscribeError::TooLarge(CLIP.bytes.len()));
        let small = AudioClip { bytes: b"Ogg", ..CLIP };
        let error = transcriber.transcribe(small, deadline()).await.expect_err("empty");
        assert_eq!(error, TranscribeError::Empty);
        assert_ne!(TranscribeError::Empty.note(), error_note_of_too_large());
    }

    fn error_note_of_too_large() -> &'static str {
        TranscribeError::TooLarge(1).note()
    }
}
