//! The webhook Lambda binary: build the state once, then serve invocations.

use lambda_runtime::{service_fn, Error, LambdaEvent};
use tipline_shared::config::Env;
use tipline_shared::telemetry::{self, Format};
use tipline_webhook::{handle_lambda_event, AppState, WebhookConfig};

#[tokio::main]
async fn main() -> Result<(), Error> {
    telemetry::init(Format::Json);
    // The auth token comes from Secrets Manager by ARN, once per cold start.
    let sdk = tipline_shared::aws::load(3, std::time::Duration::from_secs(2), std::time::Duration::from_secs(10)).await;
    let source = tipline_shared::secrets::load(Env, &sdk).await?;
    // The Function URL is the stack's own SSM parameter unless PUBLIC_WEBHOOK_URL pins it.
    let source = tipline_shared::secrets::load_parameters(source, &sdk).await?;
    let config = WebhookConfig::from_source(&source)?;
    let state = AppState::from_config(config).await;
    let state = &state;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<serde_json::Value>| async move {
        Ok::<_, Error>(handle_lambda_event(state, event.payload).await)
    }))
    .await
}
