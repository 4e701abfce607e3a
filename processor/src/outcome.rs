//! What happened to one record, and the one place that decides retryable versus permanent.

use tipline_shared::analysis::AnalyzeError;
use tipline_shared::media::{MediaError, MediaStoreError};
use tipline_shared::queue::EnvelopeError;
use tipline_shared::store::StoreError;
use tipline_shared::twilio::messages::SendError;

/// Why processing a record stopped short.
#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("unreadable message: {0}")]
    Envelope(#[from] EnvelopeError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("analysis failed: {0}")]
    Analyze(#[from] AnalyzeError),
    #[error(transparent)]
    Media(#[from] MediaError),
    #[error("storing media failed: {0}")]
    MediaStore(#[from] MediaStoreError),
    #[error("reply failed: {0}")]
    Reply(#[from] SendError),
    #[error("another worker holds this message's claim")]
    Busy,
    #[error("the same MessageSid arrived with a different payload")]
    PayloadConflict,
    #[error("ran out of time before the invocation's deadline")]
    Deadline,
}

impl ProcessError {
    /// Retryable errors go back to the queue (SQS redelivers, then the DLQ); permanent ones are
    /// recorded and acknowledged, since no retry can fix them.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Envelope(_) | Self::PayloadConflict => false,
            Self::Analyze(AnalyzeError::Permanent(_)) => false,
            Self::Reply(error) => error.is_retryable(),
            // A refused URL (not our account's Twilio media) or deleted media stays that way.
            Self::Media(error) => error.is_retryable(),
            Self::MediaStore(_) => true,
            Self::Store(_) | Self::Analyze(AnalyzeError::Retryable(_)) | Self::Busy | Self::Deadline => true,
        }
    }
}

impl ProcessError {
    /// Whether a provider refused our credentials: retried (a fixed secret makes it succeed) and
    /// alarmed, since it fails every message until on-call acts.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Self::Reply(SendError::Unauthorized { .. }))
    }
}

/// The end state of one record in a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOutcome {
    /// Processed and answered.
    Done,
    /// Seen before and finished: acknowledged without work.
    Duplicate,
    /// Cannot succeed; recorded and acknowledged.
    Permanent(String),
    /// May succeed later; reported failed so SQS delivers it again.
    Retryable(String),
}

impl RecordOutcome {
    /// Whether the record's id goes into `batchItemFailures`.
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Retryable(_))
    }
}
