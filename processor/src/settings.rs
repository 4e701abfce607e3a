//! The processor's tunables, read from the environment with defaults that suit Lambda.

use std::time::Duration;

use tipline_shared::channel::TipLimits;
use tipline_shared::config::{self, ConfigError, Source};

/// How the batch engine paces itself.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Records processed at once within one invocation.
    pub concurrency: usize,
    /// No record starts later than this before the deadline: room to finish and answer Lambda.
    pub start_margin: Duration,
    /// Work is cut off this long before the deadline so the outcome can still be recorded.
    pub finish_margin: Duration,
    /// The redrive policy's maxReceiveCount: the receive that gets the fallback reply.
    pub max_receives: u32,
    /// How long after the deadline a crashed worker's claim stays held.
    pub lease_slack: Duration,
    /// How long after a verdict a short answer counts as feedback on it, not as a new tip.
    pub feedback_window: Duration,
    /// The full privacy policy, linked from the privacy notice.
    pub privacy_policy_url: Option<String>,
    /// How long after "delete my data" a "yes" confirms it.
    pub deletion_window: Duration,
    /// Tips checked per sender per hour and per day; past them, one notice and no model call.
    pub tip_limits: TipLimits,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            concurrency: 8,
            start_margin: Duration::from_secs(5),
            finish_margin: Duration::from_millis(1500),
            max_receives: 3,
            lease_slack: Duration::from_secs(10),
            feedback_window: Duration::from_secs(600),
            privacy_policy_url: None,
            deletion_window: Duration::from_secs(300),
            tip_limits: TipLimits::default(),
        }
    }
}

impl Settings {
    /// `PROCESSOR_CONCURRENCY`, `START_MARGIN_MS`, `FINISH_MARGIN_MS`, `MAX_RECEIVES`, `FEEDBACK_WINDOW_SECS`,
    /// `PRIVACY_POLICY_URL`, `DELETION_CONFIRM_WINDOW_SECS`, `SENDER_TIPS_PER_HOUR`, `SENDER_TIPS_PER_DAY`.
    pub fn from_source(source: &dyn Source) -> Result<Self, ConfigError> {
        let defaults = Self::default();
        let concurrency: usize = config::parsed(source, "PROCESSOR_CONCURRENCY", defaults.concurrency)?;
        if concurrency == 0 {
            return Err(ConfigError::Invalid {
                name: "PROCESSOR_CONCURRENCY",
                reason: "must be at least 1".into(),
            });
        }
        let max_receives: u32 = config::parsed(source, "MAX_RECEIVES", defaults.max_receives)?;
        if max_receives == 0 {
            return Err(ConfigError::Invalid {
                name: "MAX_RECEIVES",
                reason: "must be at least 1".into(),
            });
        }
        let privacy_policy_url = match config::optional(source, "PRIVACY_POLICY_URL") {
            None => None,
            Some(raw) => match url::Url::parse(&raw) {
                Ok(url) if matches!(url.scheme(), "https" | "http") => Some(raw),
                Ok(url) => {
                    return Err(ConfigError::Invalid {
                        name: "PRIVACY_POLICY_URL",
                        reason: format!("must be an http(s) link, not {}:", url.scheme()),
                    })
                }
                Err(error) => {
                    return Err(ConfigError::Invalid {
                        name: "PRIVACY_POLICY_URL",
                        reason: error.to_string(),
                    })
                }
            },
        };
        let deletion_window = Duration::from_secs(config::parsed(
            source,
            "DELETION_CONFIRM_WINDOW_SECS",
            defaults.deletion_window.as_secs(),
        )?);
        if deletion_window.is_zero() {
            return Err(ConfigError::Invalid {
                name: "DELETION_CONFIRM_WINDOW_SECS",
                reason: "must be at least 1".into(),
            });
        }
        let per_hour: u32 = config::parsed(source, "SENDER_TIPS_PER_HOUR", defaults.tip_limits.per_hour)?;
        if per_hour == 0 {
            return Err(ConfigError::Invalid {
                name: "SENDER_TIPS_PER_HOUR",
                reason: "must be at least 1".into(),
            });
        }
        let per_day: u32 = config::parsed(source, "SENDER_TIPS_PER_DAY", defaults.tip_limits.per_day)?;
        if per_day == 0 {
            return Err(ConfigError::Invalid {
                name: "SENDER_TIPS_PER_DAY",
                reason: "must be at least 1".into(),
            });
        }
        Ok(Self {
            privacy_policy_url,
            deletion_window,
            concurrency,
            start_margin: Duration::from_millis(config::parsed(source, "START_MARGIN_MS", 5000)?),
            finish_margin: Duration::from_millis(config::parsed(source, "FINISH_MARGIN_MS", 1500)?),
            max_receives,
            lease_slack: defaults.lease_slack,
            feedback_window: Duration::from_secs(config::parsed(
                source,
                "FEEDBACK_WINDOW_SECS",
                defaults.feedback_window.as_secs(),
            )?),
            tip_limits: TipLimits { per_hour, per_day },
        })
    }
}
