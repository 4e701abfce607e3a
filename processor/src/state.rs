//! The processor's state: every client built once per cold start, shared by all records.

use std::sync::Arc;

use tipline_shared::analysis::Analyzer;
use tipline_shared::store::Store;
use tipline_shared::twilio::messages::Messenger;

use crate::settings::Settings;

/// What every record needs, behind the narrow traits so tests and the local stack swap adapters.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub messenger: Arc<dyn Messenger>,
    pub analyzer: Arc<dyn Analyzer>,
    pub settings: Settings,
}

/// Why the processor cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] tipline_shared::config::ConfigError),
    #[error("cannot set up the database pool: {0}")]
    Store(#[from] tipline_shared::store::StoreError),
    #[error("cannot build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}

/// Builds the production state from the environment: Postgres, Twilio, and the analyser.
pub async fn from_env(source: &dyn tipline_shared::config::Source) -> Result<AppState, StartupError> {
    use tipline_shared::config::{self, ConfigError};
    use tipline_shared::store::postgres::PgStore;
    use tipline_shared::twilio::credentials::TwilioCredentials;
    use tipline_shared::twilio::messages::TwilioMessenger;

    let database_url = config::required(source, "DATABASE_URL")?;
    let pool_size: u32 = config::parsed(source, "DATABASE_POOL_SIZE", 2)?;
    let store = PgStore::connect_lazy(&database_url, pool_size)?;
    let twilio = TwilioCredentials::from_source(source)?.ok_or(ConfigError::Missing("TWILIO_ACCOUNT_SID"))?;
    let http = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(3))
        .build()?;
    let messenger = TwilioMessenger::new(
        http,
        &twilio.api_base_url,
        &twilio.account_sid,
        twilio.auth,
        twilio.sender,
    );
    Ok(AppState {
        store: Arc::new(store),
        messenger: Arc::new(messenger),
        analyzer: Arc::new(tipline_shared::analysis::OfflineAnalyzer),
        settings: Settings::from_source(source)?,
    })
}
