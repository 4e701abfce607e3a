//! Choosing each part of the pipeline: the real one when its variable is set, the embedded
//! default otherwise.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tipline_shared::analysis::{Analyzer, OfflineAnalyzer, OpenAiAnalyzer};
use tipline_shared::config::{self, ConfigError, Source};
use tipline_shared::media::transcribe::{OpenAiTranscriber, Transcriber};
use tipline_shared::media::{MediaDownloader, MediaPolicy, MediaStore, ObjectMediaStore};
use tipline_shared::queue::memory::MemoryQueue;
use tipline_shared::queue::sqs::SqsQueue;
use tipline_shared::queue::{Queue, QueueConsumer};
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::sqlite::SqliteStore;
use tipline_shared::store::Store;
use tipline_shared::twilio::credentials::TwilioCredentials;
use tipline_shared::twilio::messages::{Messenger, TwilioAuth, TwilioMessenger};
use tipline_shared::Secret;

use super::messenger::PrintingMessenger;
use super::send::LOCAL_ACCOUNT_SID;

/// Which database, from `DATABASE_URL` or the data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    Postgres(String),
    Sqlite(String),
}

impl Database {
    /// Reads a `postgres://…` or `sqlite://…` URL.
    pub fn parse(url: &str) -> Result<Self, ConfigError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres(url.to_owned()))
        } else if url.starts_with("sqlite:") {
            Ok(Self::Sqlite(url.to_owned()))
        } else {
            Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                reason: "expected postgres://… or sqlite://…".into(),
            })
        }
    }

    /// `DATABASE_URL`, or a SQLite file in the data directory.
    pub fn from_env(source: &dyn Source, data_dir: &Path) -> Result<Self, ConfigError> {
        match config::optional(source, "DATABASE_URL") {
            Some(url) => Self::parse(&url),
            None => Ok(Self::Sqlite(format!(
                "sqlite://{}",
                data_dir.join("tipline.db").display()
            ))),
        }
    }

    /// A description without credentials.
    pub fn describe(&self) -> String {
        match self {
            Self::Postgres(url) => {
                let host = url.rsplit_once('@').map_or(url.as_str(), |(_, host)| host);
                format!("Postgres {host}")
            }
            Self::Sqlite(url) => format!("SQLite {}", url.trim_start_matches("sqlite://")),
        }
    }

    /// Opens the store.
    pub async fn open(&self) -> anyhow::Result<Arc<dyn Store>> {
        Ok(match self {
            Self::Postgres(url) => Arc::new(PgStore::connect_lazy(url, 5)?),
            Self::Sqlite(url) => Arc::new(SqliteStore::connect(url).await?),
        })
    }

    /// Applies the migrations for this kind of database.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        match self {
            Self::Postgres(url) => {
                let store = PgStore::connect_lazy(url, 2)?;
                store.migrate().await?;
                store.pool().close().await;
            }
            Self::Sqlite(url) => {
                let store = SqliteStore::connect(url).await?;
                store.migrate().await?;
                store.pool().close().await;
            }
        }
        Ok(())
    }
}

/// The queue the webhook sends to and the poller receives from, and its dead-letter queue.
#[derive(Debug, Clone)]
pub struct Queues {
    pub sender: Arc<dyn Queue>,
    pub consumer: Arc<dyn QueueConsumer>,
    pub dead_letter: Option<Arc<dyn QueueConsumer>>,
    pub description: String,
}

/// `QUEUE_URL` (with `DLQ_URL`) for SQS or moto; otherwise the in-process queue.
pub async fn queues(source: &dyn Source) -> Result<Queues, ConfigError> {
    let max_receives: u32 = config::parsed(source, "MAX_RECEIVES", 3)?;
    match config::optional(source, "QUEUE_URL") {
        Some(url) => {
            let sdk = tipline_shared::aws::load(3, Duration::from_secs(5), Duration::from_secs(25)).await;
            let client = aws_sdk_sqs::Client::new(&sdk);
            let queue = Arc::new(SqsQueue::new(client.clone(), url));
            let dead_letter = config::optional(source, "DLQ_URL")
                .map(|dlq| Arc::new(SqsQueue::new(client, dlq)) as Arc<dyn QueueConsumer>);
            let description = format!("{} (its redrive policy moves failures to the DLQ)", queue.describe());
            Ok(Queues {
                sender: queue.clone(),
                consumer: queue,
                dead_letter,
                description,
            })
        }
        None => {
            let dlq = Arc::new(MemoryQueue::new("dead-letter"));
            let queue = Arc::new(MemoryQueue::with_redrive("inbound", dlq.clone(), max_receives));
            let description = queue.describe();
            Ok(Queues {
                sender: queue.clone(),
                consumer: queue,
                dead_letter: Some(dlq),
                description,
            })
        }
    }
}

/// Twilio when an account is configured; otherwise replies are printed.
pub fn messenger(source: &dyn Source) -> anyhow::Result<Arc<dyn Messenger>> {
    Ok(match TwilioCredentials::from_source(source)? {
        Some(twilio) => {
            let http = reqwest::Client::builder()
                .connect_timeout(Duration::from_secs(3))
                .build()?;
            Arc::new(TwilioMessenger::new(
                http,
                &twilio.api_base_url,
                &twilio.account_sid,
                twilio.auth,
                twilio.sender,
            ))
        }
        None => Arc::new(PrintingMessenger),
    })
}

/// The analyser: OpenAI-compatible when `OPENAI_API_KEY` is set, the offline rules otherwise.
pub fn analyzer(source: &dyn Source) -> anyhow::Result<Arc<dyn Analyzer>> {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .build()?;
    Ok(match OpenAiAnalyzer::from_source(source, http)? {
        Some(openai) => Arc::new(openai),
        None => Arc::new(OfflineAnalyzer),
    })
}

/// The OpenAI-compatible transcriber when `OPENAI_API_KEY` is set; else voice notes are not checked.
pub fn transcriber(source: &dyn Source) -> anyhow::Result<Option<Arc<dyn Transcriber>>> {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(3))
        .build()?;
    Ok(OpenAiTranscriber::from_source(source, http)?.map(|t| Arc::new(t) as Arc<dyn Transcriber>))
}

/// `MEDIA_STORE_URL` (`s3://…` or `file:///…`), or the data directory's `media/`.
pub fn media_store(source: &dyn Source, data_dir: &Path) -> anyhow::Result<Arc<dyn MediaStore>> {
    Ok(match config::optional(source, "MEDIA_STORE_URL") {
        Some(url) => Arc::new(ObjectMediaStore::from_url(&url)?),
        None => Arc::new(ObjectMediaStore::local(&data_dir.join("media"))?),
    })
}

/// Downloads media as the processor does. With a Twilio account configured, from Twilio; on
/// embedded defaults, from the local stack's own Twilio-shaped media endpoint at `local_base`.
pub fn downloader(source: &dyn Source, local_base: &str, local_token: &str) -> anyhow::Result<Arc<MediaDownloader>> {
    let downloader = match TwilioCredentials::from_source(source)? {
        Some(twilio) => {
            let policy = MediaPolicy::new(&twilio.api_base_url, &twilio.account_sid)?.hosts_from_source(source)?;
            MediaDownloader::new(policy, twilio.auth)?
        }
        None => {
            let host = local_base.trim_start_matches("http://").to_owned();
            let policy = MediaPolicy::new(local_base, LOCAL_ACCOUNT_SID)?.with_cdn_hosts(vec![host]);
            MediaDownloader::new(
                policy,
                TwilioAuth::Account {
                    token: Secret::new(local_token),
                },
            )?
        }
    };
    Ok(Arc::new(downloader))
}

/// Creates the data directory with owner-only permissions: it holds the local auth token.
pub fn ensure_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the data directory {}", dir.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("cannot restrict {}", dir.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_recognised_or_named_as_wrong() {
        assert!(matches!(
            Database::parse("postgres://u:p@h/db"),
            Ok(Database::Postgres(_))
        ));
        assert!(matches!(Database::parse("sqlite://x.db"), Ok(Database::Sqlite(_))));
        let error = Database::parse("mysql://x").expect_err("unsupported");
        assert!(error.to_string().contains("DATABASE_URL"));
        assert_eq!(
            Database::Postgres("postgres://u:secret@db:5432/x".into()).describe(),
            "Postgres db:5432/x"
        );
    }
}
