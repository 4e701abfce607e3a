//! `tipline migrate`: applies the schema history to DATABASE_URL, the one way migrations run.

use anyhow::Context as _;
use tipline_shared::config::{self, Env};

use crate::local::parts::Database;

/// Applies pending migrations and says which database it touched.
pub async fn run() -> anyhow::Result<()> {
    let url = config::required(&Env, "DATABASE_URL")?;
    let database = Database::parse(&url)?;
    database
        .migrate()
        .await
        .with_context(|| format!("failed to migrate {}", database.describe()))?;
    println!("migrations applied to {}", database.describe());
    Ok(())
}

/// The migrate function in Lambda: each invocation reads the database URL from Secrets Manager
/// and applies pending migrations; a failure fails the deploy's trigger.
pub async fn lambda() -> anyhow::Result<()> {
    tipline_shared::telemetry::init(tipline_shared::telemetry::Format::Json);
    lambda_runtime::run(lambda_runtime::service_fn(
        |_event: lambda_runtime::LambdaEvent<serde_json::Value>| async {
            let sdk =
                tipline_shared::aws::load(3, std::time::Duration::from_secs(2), std::time::Duration::from_secs(10))
                    .await;
            let source = tipline_shared::secrets::load(Env, &sdk).await?;
            let url = config::required(&source, "DATABASE_URL")?;
            let database = Database::parse(&url)?;
            database
                .migrate()
                .await
                .with_context(|| format!("failed to migrate {}", database.describe()))?;
            tracing::info!(database = %database.describe(), "migrations applied");
            Ok::<_, lambda_runtime::Error>(serde_json::json!({ "migrated": true }))
        },
    ))
    .await
    .map_err(|e| anyhow::anyhow!(e))
}
