//! Per-batch counts as CloudWatch Embedded Metric Format: one JSON line that CloudWatch turns
//! into metrics without an API call.

use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::json;

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub processed: u32,
    pub duplicate: u32,
    pub permanent: u32,
    pub retryable: u32,
    /// Groups that failed because Twilio or the model refused our credentials (alarmed).
    pub auth_failures: u32,
    /// "We couldn't check this" replies: the last receive before the DLQ, or a permanent failure.
    pub fallback_replies: u32,
    /// Verdicts from the offline rules because the configured model failed.
    pub analyzer_fallbacks: u32,
    /// Groups not checked because their sender was past a tip limit (a flood).
    pub sender_limited: u32,
    /// Analyses that sent a hedged second model request (the first was past its latency budget).
    pub hedged_calls: u32,
}

/// Something that happened inside a group's work, counted for the next EMF line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    AuthFailure,
    FallbackReply,
    AnalyzerFallback,
    SenderLimited,
    HedgedCall,
}

// Process-wide, taken by each batch's EMF line: a Lambda instance runs one batch at a time, so
// they are that batch's counts; the local stack's concurrent batches share them, which keeps
// the totals right.
static AUTH_FAILURES: AtomicU32 = AtomicU32::new(0);
static FALLBACK_REPLIES: AtomicU32 = AtomicU32::new(0);
static ANALYZER_FALLBACKS: AtomicU32 = AtomicU32::new(0);
static SENDER_LIMITED: AtomicU32 = AtomicU32::new(0);
static HEDGED_CALLS: AtomicU32 = AtomicU32::new(0);

fn counter(event: Event) -> &'static AtomicU32 {
    match event {
        Event::AuthFailure => &AUTH_FAILURES,
        Event::FallbackReply => &FALLBACK_REPLIES,
        Event::AnalyzerFallback => &ANALYZER_FALLBACKS,
        Event::SenderLimited => &SENDER_LIMITED,
        Event::HedgedCall => &HEDGED_CALLS,
    }
}

/// Counts one event.
pub fn count(event: Event) {
    counter(event).fetch_add(1, Ordering::Relaxed);
}

impl BatchCounts {
    /// Adds the events counted since the last batch took them.
    pub fn take_events(&mut self) {
        self.auth_failures += AUTH_FAILURES.swap(0, Ordering::Relaxed);
        self.fallback_replies += FALLBACK_REPLIES.swap(0, Ordering::Relaxed);
        self.analyzer_fallbacks += ANALYZER_FALLBACKS.swap(0, Ordering::Relaxed);
        self.sender_limited += SENDER_LIMITED.swap(0, Ordering::Relaxed);
        self.hedged_calls += HEDGED_CALLS.swap(0, Ordering::Relaxed);
    }

    /// The EMF document for these counts.
    pub fn to_emf(&self, timestamp_ms: i64) -> serde_json::Value {
        json!({
            "_aws": {
                "Timestamp": timestamp_ms,
                "CloudWatchMetrics": [{
                    "Namespace": "tipline",
                    "Dimensions": [["Service"]],
                    "Metrics": [
                        {"Name": "Processed", "Unit": "Count"},
                        {"Name": "Duplicate", "Unit": "Count"},
                        {"Name": "Permanent", "Unit": "Count"},
                        {"Name": "Retryable", "Unit": "Count"},
                        {"Name": "AuthFailures", "Unit": "Count"},
                        {"Name": "FallbackReplies", "Unit": "Count"},
                        {"Name": "AnalyzerFallbacks", "Unit": "Count"},
                        {"Name": "SenderLimited", "Unit": "Count"},
                        {"Name": "HedgedCalls", "Unit": "Count"},
                    ],
                }],
            },
            // Lambda's log-level filter reads JSON lines by their "level" and takes a line
            // without one as INFO, so a WARN setting would drop the metrics; they go at the
            // highest level, which no setting filters out.
            "level": "FATAL",
            "Service": "processor",
            "Processed": self.processed,
            "Duplicate": self.duplicate,
            "Permanent": self.permanent,
            "Retryable": self.retryable,
            "AuthFailures": self.auth_failures,
            "FallbackReplies": self.fallback_replies,
            "AnalyzerFallbacks": self.analyzer_fallbacks,
            "SenderLimited": self.sender_limited,
            "HedgedCalls": self.hedged_calls,
        })
    }

    /// Writes the EMF line to stdout, where Lambda's log capture picks it up.
    pub fn emit(&self) {
        println!("{}", self.to_emf(chrono::Utc::now().timestamp_millis()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emf_names_every_metric_it_carries() {
        let doc = BatchCounts {
            processed: 7,
            duplicate: 1,
            permanent: 2,
            retryable: 1,
            ..BatchCounts::default()
        }
        .to_emf(1);
        for metric in doc["_aws"]["CloudWatchMetrics"][0]["Metrics"]
            .as_array()
            .expect("metrics")
        {
            let name = metric["Name"].as_str().expect("name");
            assert!(doc[name].is_number(), "{name} has no value");
        }
        assert_eq!(doc["Processed"], 7);
        assert_eq!(doc["level"], "FATAL", "survives every Lambda log level");
    }
}
