//! The processor Lambda binary: build the state once, then serve invocations.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lambda_runtime::{service_fn, Error, LambdaEvent};
use tipline_processor::handle_event;
use tipline_shared::config::Env;
use tipline_shared::telemetry::{self, Format};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init(Format::Json);
    // Secrets (Twilio, OpenAI, database) come from Secrets Manager by ARN, once per cold start.
    let sdk = tipline_shared::aws::load(3, Duration::from_secs(2), Duration::from_secs(10)).await;
    let source = tipline_shared::secrets::load(Env, &sdk).await?;
    let state = Arc::new(tipline_processor::state::from_env(&source).await?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| {
        let state = state.clone();
        async move {
            let now_ms = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0);
            let budget = tipline_processor::deadline::invocation_budget(event.context.deadline, now_ms);
            let deadline = tokio::time::Instant::now() + budget;
            handle_event(state, event.payload, deadline).await.map_err(Error::from)
        }
    }))
    .await
}
