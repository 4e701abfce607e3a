//! The webhook Lambda binary: build the state once, then serve invocations.

use lambda_runtime::{service_fn, Error, LambdaEvent};
use tipline_shared::config::Env;
use tipline_shared::telemetry::{self, Format};
use tipline_webhook::{handle_lambda_event, AppState, WebhookConfig};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init(Format::Json);
    let config = WebhookConfig::from_source(&Env)?;
    let state = AppState::from_config(config).await;
    let state = &state;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| async move {
        Ok::<_, Error>(handle_lambda_event(state, event.payload).await)
    }))
    .await
}
