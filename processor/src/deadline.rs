//! The invocation's deadline as the processor trusts it.
//!
//! Lambda passes `Lambda-Runtime-Deadline-Ms` as epoch milliseconds. Emulators do not always:
//! `cargo lambda watch` sends the timeout itself (`600000`), which read as an epoch time lies in
//! 1970, so every record would be "too close to the deadline" and retried forever. A deadline
//! already past or further away than Lambda's 15-minute maximum is logged once and replaced by a
//! sane budget, never silently turned into "retry everything".

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Lambda's longest timeout: no real deadline is further away than this.
pub const MAX_LAMBDA_TIMEOUT: Duration = Duration::from_secs(900);
/// The budget used when the runtime's deadline cannot be believed (the CDK stack's timeout).
pub const FALLBACK_BUDGET: Duration = Duration::from_secs(60);

static WARNED: AtomicBool = AtomicBool::new(false);

/// How long this invocation may run, from the runtime's deadline and the wall clock (both epoch
/// milliseconds).
pub fn invocation_budget(deadline_ms: u64, now_ms: u64) -> Duration {
    let left = Duration::from_millis(deadline_ms.saturating_sub(now_ms));
    if deadline_ms > now_ms && left <= MAX_LAMBDA_TIMEOUT {
        return left;
    }
    if !WARNED.swap(true, Ordering::Relaxed) {
        tracing::error!(
            deadline_ms,
            now_ms,
            budget_ms = FALLBACK_BUDGET.as_millis() as u64,
            "the runtime's deadline is in the past or implausibly far away (an emulator?); using a fixed budget"
        );
    }
    FALLBACK_BUDGET
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_765_000_000_000;

    #[test]
    fn a_real_deadline_gives_the_time_left() {
        assert_eq!(invocation_budget(NOW + 42_000, NOW), Duration::from_secs(42));
        assert_eq!(invocation_budget(NOW + 900_000, NOW), MAX_LAMBDA_TIMEOUT);
    }

    #[test]
    fn a_duration_past_or_far_deadline_gets_the_fallback_budget() {
        // cargo lambda watch: the timeout as the "deadline".
        assert_eq!(invocation_budget(600_000, NOW), FALLBACK_BUDGET);
        assert_eq!(invocation_budget(NOW - 1, NOW), FALLBACK_BUDGET);
        assert_eq!(invocation_budget(NOW, NOW), FALLBACK_BUDGET);
        assert_eq!(invocation_budget(NOW + 3_600_000, NOW), FALLBACK_BUDGET);
    }
}
