//! Analysis: one tip in, one verdict out, behind the [`Analyzer`] trait.

pub mod budget;
pub mod eval;
pub mod language;
pub mod normalize;
pub mod offline;
pub mod openai;
pub mod reply;
pub mod tip;
pub mod verdict;

use async_trait::async_trait;
use tokio::time::Instant;

pub use budget::LatencyBudget;
pub use offline::OfflineAnalyzer;
pub use openai::OpenAiAnalyzer;
pub use tip::{Tip, TipMedia};
pub use verdict::{Label, Verdict};

/// A verdict with what produced it, as recorded in `prediction_result`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Analysis {
    pub verdict: Verdict,
    /// The model or rule set that decided (`offline-rules`, or the OpenAI model name).
    pub model: String,
    pub latency_ms: u64,
    /// Set when the configured model failed and this analysis came from its fallback: why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fallback_reason: Option<String>,
    /// Whether a second request was sent because the first was past its latency budget.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub hedged: bool,
}

/// Why a tip could not be analysed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalyzeError {
    #[error("the analyser is unavailable: {0}")]
    Retryable(String),
    #[error("the tip cannot be analysed: {0}")]
    Permanent(String),
}

/// Decides whether a tip is a scam.
#[async_trait]
pub trait Analyzer: Send + Sync + std::fmt::Debug {
    /// Analyses one tip, giving up at `deadline`.
    async fn analyze(&self, tip: &Tip, deadline: Instant) -> Result<Analysis, AnalyzeError>;

    /// A short description for start-up logs.
    fn describe(&self) -> String;
}

/// The name the offline rules record as their model.
pub const OFFLINE_MODEL: &str = "offline-rules";

#[async_trait]
impl Analyzer for OfflineAnalyzer {
    async fn analyze(&self, tip: &Tip, _deadline: Instant) -> Result<Analysis, AnalyzeError> {
        let started = std::time::Instant::now();
        let verdict = OfflineAnalyzer::analyze(self, tip);
        Ok(Analysis {
            verdict,
            model: OFFLINE_MODEL.to_owned(),
            latency_ms: started.elapsed().as_millis() as u64,
            fallback_reason: None,
            hedged: false,
        })
    }

    fn describe(&self) -> String {
        "offline rules".to_owned()
    }
}
