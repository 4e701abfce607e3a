//! Per-batch counts as CloudWatch Embedded Metric Format: one JSON line that CloudWatch turns
//! into metrics without an API call.

use serde_json::json;

/// What one batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchCounts {
    pub processed: u32,
    pub duplicate: u32,
    pub permanent: u32,
    pub retryable: u32,
}

impl BatchCounts {
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
                    ],
                }],
            },
            "Service": "processor",
            "Processed": self.processed,
            "Duplicate": self.duplicate,
            "Permanent": self.permanent,
            "Retryable": self.retryable,
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
    }
}
