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
