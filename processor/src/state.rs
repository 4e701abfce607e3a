//! The processor's state: every client built once per cold start, shared by all records.

use std::sync::Arc;

use tipline_shared::analysis::Analyzer;
use tipline_shared::media::transcribe::Transcriber;
use tipline_shared::media::{MediaDownloader, MediaStore};
use tipline_shared::store::Store;
use tipline_shared::twilio::messages::Messenger;

use crate::settings::Settings;

/// What every record needs, behind the narrow traits so tests and the local stack swap adapters.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub messenger: Arc<dyn Messenger>,
    pub analyzer: Arc<dyn Analyzer>,
    /// Fetches attachments from Twilio (credentials only to our own account's media URLs).
    pub downloader: Arc<MediaDownloader>,
    pub media_store: Arc<dyn MediaStore>,
    /// Voice notes into text; `None` where no transcription service is configured (offline).
    pub transcriber: Option<Arc<dyn Transcriber>>,
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
    #[error(transparent)]
    MediaStore(#[from] tipline_shared::media::MediaStoreError),
    #[error("TWILIO_API_BASE_URL is invalid: {0}")]
    TwilioBase(#[from] url::ParseError),
}

/// Builds the production state from the environment: Postgres, Twilio, media, and the analyser
/// (OpenAI-compatible when `OPENAI_API_KEY` is set, else the offline rules).
pub async fn from_env(source: &dyn tipline_shared::config::Source) -> Result<AppState, StartupError> {
    use tipline_shared::analysis::{OfflineAnalyzer, OpenAiAnalyzer};
    use tipline_shared::config::{self, ConfigError};
    use tipline_shared::media::{MediaPolicy, ObjectMediaStore};
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
    let policy = MediaPolicy::new(&twilio.api_base_url, &twilio.account_sid)?.hosts_from_source(source)?;
    let downloader = MediaDownloader::new(policy, twilio.auth.clone())?.budget_from_source(source)?;
    let media_store = ObjectMediaStore::from_url(&config::required(source, "MEDIA_STORE_URL")?)?;
    let transcriber = tipline_shared::media::transcribe::OpenAiTranscriber::from_source(source, http.clone())?
        .map(|t| Arc::new(t) as Arc<dyn Transcriber>);
    let analyzer: Arc<dyn Analyzer> = match OpenAiAnalyzer::from_source(source, http.clone())? {
        Some(openai) => Arc::new(openai),
        None => Arc::new(OfflineAnalyzer),
    };
    let messenger = TwilioMessenger::new(
        http,
        &twilio.api_base_url,
        &twilio.account_sid,
        twilio.auth,
        twilio.sender,
    );
    tracing::info!(
        analyzer = %analyzer.describe(),
        media_store = %media_store.describe(),
        transcriber = %transcriber.as_ref().map_or("none: voice notes are not checked".to_owned(), |t| t.describe()),
        "processor configured"
    );
    Ok(AppState {
        store: Arc::new(store),
        messenger: Arc::new(messenger),
        analyzer,
        downloader: Arc::new(downloader),
        media_store: Arc::new(media_store),
        transcriber,
        settings: Settings::from_source(source)?,
    })
}
