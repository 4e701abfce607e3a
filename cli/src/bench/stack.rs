//! The stack under load: the local webhook server in front of the queue and poller (queued
//! mode), or in front of a "queue" that processes the message before it returns (inline mode).

use std::sync::Arc;
use std::time::Duration;

use std::sync::Mutex;

use async_trait::async_trait;
use tipline_processor::record::{process_record, RecordInput};
use tipline_processor::{AppState, RecordOutcome, Settings};
use tipline_shared::analysis::OpenAiAnalyzer;
use tipline_shared::config::Env;
use tipline_shared::media::{MediaDownloader, MediaPolicy, ObjectMediaStore};
use tipline_shared::queue::memory::MemoryQueue;
use tipline_shared::queue::poller::{self, BatchHandler, PollerSettings};
use tipline_shared::queue::{Envelope, Queue, QueueConsumer, QueueError, ReceivedMessage};
use tipline_shared::twilio::messages::{Sender, TwilioAuth, TwilioMessenger};
use tipline_shared::twilio::signature::WebhookVerifier;
use tipline_shared::Secret;
use tokio::sync::watch;

use super::standins::ACCOUNT_SID;
use crate::args::{BenchArgs, BenchMode};
use crate::local::parts::Database;
use crate::local::server::{self, ServerState, WEBHOOK_PATH};
use tipline_processor::ProcessorHandler;

/// The running stack.
#[derive(Debug)]
pub struct Stack {
    pub webhook_url: String,
    pub auth_token: String,
    pub database: String,
    dead_letter: Arc<MemoryQueue>,
    /// Each processor invocation's duration and record count (a batch, or one inline message):
    /// what Lambda would bill.
    pub invocations: Invocations,
    stop: watch::Sender<bool>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    scratch: std::path::PathBuf,
}

/// Processor invocations as (duration, records).
pub type Invocations = Arc<Mutex<Vec<(Duration, usize)>>>;

fn note(invocations: &Invocations, took: Duration, records: usize) {
    invocations
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push((took, records));
}

/// Inline mode's "queue": runs the processor on the message before the webhook may answer.
#[derive(Debug)]
struct InlineQueue {
    state: Arc<AppState>,
    timeout: Duration,
    invocations: Invocations,
}

/// Times each batch the poller hands to the processor.
#[derive(Debug)]
struct TimedHandler {
    inner: ProcessorHandler,
    invocations: Invocations,
}

#[async_trait]
impl BatchHandler for TimedHandler {
    async fn handle(&self, batch: Vec<ReceivedMessage>) -> Vec<String> {
        let records = batch.len();
        let started = std::time::Instant::now();
        let failed = self.inner.handle(batch).await;
        note(&self.invocations, started.elapsed(), records);
        failed
    }
}

#[async_trait]
impl Queue for InlineQueue {
    async fn send(&self, envelope: &Envelope) -> Result<String, QueueError> {
        let id = uuid::Uuid::new_v4().to_string();
        let input = RecordInput {
            sqs_message_id: id.clone(),
            body: envelope.encode(),
            receive_count: 1,
        };
        let started = std::time::Instant::now();
        let outcome = process_record(&self.state, input, tokio::time::Instant::now() + self.timeout).await;
        note(&self.invocations, started.elapsed(), 1);
        match outcome {
            RecordOutcome::Retryable(reason) => Err(QueueError::Unavailable {
                target: "inline processing".into(),
                reason,
            }),
            _ => Ok(id),
        }
    }

    fn describe(&self) -> String {
        "inline processing (no queue)".into()
    }
}

impl Stack {
    /// Builds and starts the stack for one mode, with a fresh database.
    pub async fn start(args: &BenchArgs, mode: BenchMode, providers: &str) -> anyhow::Result<Self> {
        let scratch = std::env::temp_dir().join(format!("tipline-bench-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&scratch)?;
        let database = Database::from_env(&Env, &scratch)?;
        database.migrate().await?;
        let store = database.open().await?;

        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .pool_max_idle_per_host(256)
            .build()?;
        let auth = TwilioAuth::Account {
            token: Secret::new("bench-token"),
        };
        let processor = Arc::new(AppState {
            store: store.clone(),
            messenger: Arc::new(TwilioMessenger::new(
                http.clone(),
                providers,
                ACCOUNT_SID,
                auth.clone(),
                Sender::From("whatsapp:+14155238886".into()),
            )),
            analyzer: Arc::new(
                OpenAiAnalyzer::new(http, &format!("{providers}/v1"), Secret::new("sk-bench"), "bench")
                    .with_hedging(!args.no_hedging),
            ),
            downloader: Arc::new(MediaDownloader::new(MediaPolicy::new(providers, ACCOUNT_SID)?, auth)?),
            media_store: Arc::new(ObjectMediaStore::local(&scratch.join("media"))?),
            transcriber: None,
            settings: Settings {
                concurrency: args.processor_concurrency,
                ..Settings::default()
            },
        });

        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let webhook_url = format!("{base_url}{WEBHOOK_PATH}");
        let auth_token = format!("bench{}", uuid::Uuid::new_v4().simple());
        let dead_letter = Arc::new(MemoryQueue::new("dead-letter"));
        let queue = Arc::new(MemoryQueue::with_redrive("inbound", dead_letter.clone(), 3));
        let timeout = Duration::from_secs(args.batch_timeout_secs);
        let invocations = Invocations::default();
        let sender: Arc<dyn Queue> = match mode {
            BenchMode::Inline => Arc::new(InlineQueue {
                state: processor.clone(),
                timeout,
                invocations: invocations.clone(),
            }),
            _ => queue.clone(),
        };
        let webhook = Arc::new(tipline_webhook::AppState {
            verifier: WebhookVerifier::new(webhook_url.clone(), vec![Secret::new(auth_token.clone())], Vec::new()),
            queue: sender,
            fallback: None,
            max_body_bytes: tipline_webhook::state::DEFAULT_MAX_BODY_BYTES,
        });

        let (stop, stopped) = watch::channel(false);
        let mut tasks = Vec::new();
        if mode == BenchMode::Queued {
            let settings = PollerSettings {
                batch_size: args.batch_size,
                batching_window: Duration::from_millis(args.batching_window_ms),
                visibility_timeout: poller::visibility_for(timeout),
                max_concurrency: args.max_concurrency,
                wait: Duration::from_millis(200),
            };
            let handler = Arc::new(TimedHandler {
                inner: ProcessorHandler {
                    state: processor.clone(),
                    timeout,
                    source_arn: "arn:aws:sqs:local:000000000000:tipline-bench".into(),
                },
                invocations: invocations.clone(),
            });
            let consumer: Arc<dyn QueueConsumer> = queue.clone();
            tasks.push(tokio::spawn(poller::run(consumer, handler, settings, stopped.clone())));
        }
        let app = server::router(ServerState {
            webhook,
            store,
            queue: queue.clone(),
            dead_letter: Some(dead_letter.clone()),
            media: Arc::default(),
            base_url,
        });
        let mut server_stop = stopped;
        tasks.push(tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = server_stop.wait_for(|stop| *stop).await;
                })
                .await;
        }));
        Ok(Self {
            webhook_url,
            auth_token,
            database: match &database {
                Database::Sqlite(_) => "SQLite (a temporary file)".into(),
                other => other.describe(),
            },
            dead_letter,
            invocations,
            stop,
            tasks,
            scratch,
        })
    }

    /// Messages in the dead-letter queue.
    pub async fn dead_letter_depth(&self) -> u64 {
        self.dead_letter.depth().await.map_or(0, |d| d.visible + d.in_flight)
    }

    /// Stops the server and the poller (finishing batches in flight) and removes scratch files.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for task in self.tasks {
            let _ = task.await;
        }
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}
