//! How long one model call may take before it is hedged: learned from what calls normally take.
//!
//! A provider's tail is its own (a cold replica, a long queue), so a second request sent once the
//! first is clearly late usually answers at the provider's usual pace ("The Tail at Scale"). The
//! budget is a running p95 of recent successful latencies times a factor, clamped, so a hedge
//! fires only for the few calls past what is normal and cost stays near one call per tip. Until
//! enough calls have been seen, the configured default applies.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use crate::config::{self, ConfigError, Source};

/// The budget before any call has been measured (`OPENAI_LATENCY_BUDGET_MS`): a vision call to
/// a small model usually answers within a few seconds.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(4);
/// Never hedge sooner: below this a hedge mostly duplicates calls that were about to answer.
pub const MIN_BUDGET: Duration = Duration::from_secs(1);
/// Never wait longer than this before hedging, whatever the history says.
pub const MAX_BUDGET: Duration = Duration::from_secs(10);
/// How far past the p95 a call must be to count as late.
const FACTOR: f64 = 1.5;
/// Successful latencies remembered; old ones age out so the budget follows the provider.
const WINDOW: usize = 200;
/// Latencies needed before the p95 is trusted over the default.
const MIN_SAMPLES: usize = 20;
/// The hard limit is this many budgets after the analysis started: room for the first call's
/// budget and then the hedge's own, after which the offline rules decide.
pub const HARD_LIMIT_BUDGETS: f64 = 2.5;

/// A running latency budget, shared by every analysis in the process.
#[derive(Debug)]
pub struct LatencyBudget {
    default: Duration,
    min: Duration,
    max: Duration,
    recent: Mutex<VecDeque<Duration>>,
}

impl Default for LatencyBudget {
    fn default() -> Self {
        Self::new(DEFAULT_BUDGET)
    }
}

impl LatencyBudget {
    /// A budget that starts at `default` (clamped like any learned one) until calls are measured.
    pub fn new(default: Duration) -> Self {
        Self::clamped(default, MIN_BUDGET, MAX_BUDGET)
    }

    /// A budget kept within `[min, max]` (tests use milliseconds).
    pub fn clamped(default: Duration, min: Duration, max: Duration) -> Self {
        let max = max.max(min);
        Self {
            default: default.clamp(min, max),
            min,
            max,
            recent: Mutex::new(VecDeque::with_capacity(WINDOW)),
        }
    }

    /// `OPENAI_LATENCY_BUDGET_MS`: the budget used until enough calls have been measured.
    pub fn from_source(source: &dyn Source) -> Result<Self, ConfigError> {
        let name = "OPENAI_LATENCY_BUDGET_MS";
        let ms: u64 = config::parsed(source, name, DEFAULT_BUDGET.as_millis() as u64)?;
        let default = Duration::from_millis(ms);
        if !(MIN_BUDGET..=MAX_BUDGET).contains(&default) {
            return Err(ConfigError::Invalid {
                name,
                reason: format!(
                    "{ms} ms is outside {}..={} ms",
                    MIN_BUDGET.as_millis(),
                    MAX_BUDGET.as_millis()
                ),
            });
        }
        Ok(Self::new(default))
    }

    /// Remembers how long a successful call took.
    pub fn record(&self, latency: Duration) {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        if recent.len() == WINDOW {
            recent.pop_front();
        }
        recent.push_back(latency);
    }

    /// How long a call may take before it is hedged.
    pub fn current(&self) -> Duration {
        let mut sorted: Vec<Duration> = {
            let recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
            if recent.len() < MIN_SAMPLES {
                return self.default;
            }
            recent.iter().copied().collect()
        };
        sorted.sort_unstable();
        let p95 = sorted[(sorted.len() * 95).div_ceil(100) - 1];
        p95.mul_f64(FACTOR).clamp(self.min, self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[test]
    fn the_default_holds_until_enough_calls_were_measured() {
        let budget = LatencyBudget::new(MS(3000));
        for _ in 0..MIN_SAMPLES - 1 {
            budget.record(MS(100));
        }
        assert_eq!(budget.current(), MS(3000));
        budget.record(MS(100));
        assert_eq!(budget.current(), MIN_BUDGET, "150 ms is clamped up");
    }

    #[test]
    fn the_budget_is_the_p95_times_the_factor_clamped() {
        let budget = LatencyBudget::clamped(MS(500), MS(10), MS(5000));
        // 95 calls at 800 ms and 5 at 16 s: the p95 is a usual call, so the tail gets hedged.
        for n in 0..100 {
            budget.record(if n % 20 == 0 { MS(16_000) } else { MS(800) });
        }
        assert_eq!(budget.current(), MS(1200));
        for _ in 0..WINDOW {
            budget.record(MS(9000));
        }
        assert_eq!(budget.current(), MS(5000), "clamped down; old latencies aged out");
    }

    #[test]
    fn the_configured_default_is_checked_and_named() {
        let env = |v: &str| -> std::collections::HashMap<String, String> {
            [("OPENAI_LATENCY_BUDGET_MS".to_owned(), v.to_owned())]
                .into_iter()
                .collect()
        };
        assert_eq!(
            LatencyBudget::from_source(&env("2500")).expect("valid").current(),
            MS(2500)
        );
        for bad in ["0", "60000", "soon"] {
            let error = LatencyBudget::from_source(&env(bad)).expect_err(bad);
            assert!(error.to_string().contains("OPENAI_LATENCY_BUDGET_MS"), "{error}");
        }
    }
}
