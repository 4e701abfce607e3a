//! AWS SDK configuration, loaded once per cold start with tight, bounded retries.
//!
//! The webhook must answer Twilio well inside 15 s even when AWS is slow, so each call gets a
//! per-attempt and a total time budget instead of the SDK's open-ended defaults.

use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, SdkConfig};

/// Loads the shared SDK config (region, credentials, `AWS_ENDPOINT_URL`) with bounded retries.
pub async fn load(attempts: u32, attempt_timeout: Duration, total_timeout: Duration) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(attempts)
                .with_initial_backoff(Duration::from_millis(50))
                .with_max_backoff(Duration::from_millis(500)),
        )
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(attempt_timeout)
                .operation_attempt_timeout(attempt_timeout)
                .operation_timeout(total_timeout)
                .build(),
        )
        .load()
        .await
}
