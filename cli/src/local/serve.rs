//! `tipline serve`: the whole pipeline on this machine, and `--demo` to watch tips go through.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tipline_processor::Settings;
use tipline_shared::config::{self, Env};
use tipline_shared::queue::poller::{self, PollerSettings};
use tipline_shared::telemetry::{self, Format};
use tipline_shared::twilio::signature::WebhookVerifier;
use tipline_shared::Secret;

use super::parts::{self, Database};
use super::send::send_tip;
use super::server::{self, ServerState, WEBHOOK_PATH};
use super::session::{generate_token, Session};
use crate::args::ServeArgs;
use tipline_processor::ProcessorHandler;

/// Three tips that show each kind of verdict.
pub const DEMO_TIPS: [(&str, &str); 3] = [
    ("whatsapp:+15550001001", "Royal Mail: your parcel is on hold. Pay the £1.99 redelivery fee within 24 hours at https://bit.ly/rm-parcel-fee"),
    ("whatsapp:+15550001002", "Hi mum, I dropped my phone, this is my new number. Can you send £250 today? I'll pay you back tomorrow"),
    ("whatsapp:+15550001003", "Hi! Are we still on for lunch on Saturday at 1pm? I booked the usual place"),
];

/// Runs the local stack until Ctrl-C (or, with `--demo`, until the sample tips are answered).
pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    if std::env::var_os("RUST_LOG").is_none() {
        // The stack prints what matters itself; logs below warnings would drown it.
        std::env::set_var("RUST_LOG", "warn");
    }
    telemetry::init(Format::Text);
    let visibility_timeout = args.visibility_timeout()?;
    let data_dir = args.data.data_dir.clone();
    parts::ensure_data_dir(&data_dir)?;

    let database = Database::from_env(&Env, &data_dir)?;
    database
        .migrate()
        .await
        .with_context(|| format!("cannot prepare {}", database.describe()))?;
    let store = database.open().await?;
    let queues = parts::queues(&Env).await?;
    let messenger = parts::messenger(&Env)?;
    let analyzer = parts::analyzer(&Env)?;
    let media_store = parts::media_store(&Env, &data_dir)?;
    let transcriber = parts::transcriber(&Env)?;

    let listener = tokio::net::TcpListener::bind(("127.0.0.1", args.port))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1:{} (try --port 0 for a free one)", args.port))?;
    let port = listener.local_addr()?.port();
    let base_url = format!("http://127.0.0.1:{port}");
    let webhook_url = config::url(&Env, "PUBLIC_WEBHOOK_URL")?.unwrap_or_else(|| format!("{base_url}{WEBHOOK_PATH}"));
    let (tokens, generated) = match config::secrets(&Env, "TWILIO_AUTH_TOKEN") {
        Ok(tokens) => (tokens, false),
        Err(config::ConfigError::Missing(_)) => (vec![Secret::new(generate_token())], true),
        Err(other) => return Err(other.into()),
    };
    let session = Session {
        webhook_url: webhook_url.clone(),
        base_url: base_url.clone(),
        auth_token: tokens[0].expose().to_owned(),
    };
    // Listen for Ctrl-C before anyone can learn where we are, so an early one still drains cleanly.
    let interrupted = Interrupt::listen()?;
    session.save(&data_dir)?;

    let webhook = Arc::new(tipline_webhook::AppState {
        verifier: WebhookVerifier::new(webhook_url.clone(), tokens, Vec::new()),
        queue: queues.sender.clone(),
        fallback: None,
        max_body_bytes: tipline_webhook::state::DEFAULT_MAX_BODY_BYTES,
    });
    let processor = Arc::new(tipline_processor::AppState {
        store: store.clone(),
        messenger: messenger.clone(),
        analyzer: analyzer.clone(),
        downloader: parts::downloader(&Env, &base_url, &session.auth_token)?,
        media_store: media_store.clone(),
        transcriber: transcriber.clone(),
        settings: Settings::from_source(&Env)?,
    });

    println!("tipline serve: the whole pipeline on this machine");
    println!("  webhook   POST {webhook_url}");
    println!("  queue     {}", queues.description);
    println!("  database  {}", database.describe());
    println!("  media     {}", media_store.describe());
    println!("  analyser  {}", analyzer.describe());
    match &transcriber {
        Some(transcriber) => println!("  voice     {}", transcriber.describe()),
        None => println!("  voice     not checked (set OPENAI_API_KEY for a transcription service)"),
    }
    println!("  replies   {}", messenger.describe());
    if generated {
        println!(
            "  token     {} (generated; saved in {} for `tipline send`)",
            session.auth_token,
            data_dir.join("serve.json").display()
        );
    } else {
        println!("  token     from TWILIO_AUTH_TOKEN");
    }
    println!(
        "\nTry it:  tipline send --data-dir {} \"Your parcel is held, pay the fee at https://bit.ly/x\"\n",
        data_dir.display()
    );

    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let poller_settings = PollerSettings {
        batch_size: args.batch_size.clamp(1, 10_000),
        batching_window: Duration::from_millis(args.batching_window_ms),
        visibility_timeout,
        max_concurrency: args.max_concurrency.max(1),
        wait: Duration::from_millis(500),
    };
    let handler = Arc::new(ProcessorHandler {
        state: processor,
        timeout: args.batch_timeout(),
        source_arn: "arn:aws:sqs:local:000000000000:tipline-inbound".into(),
    });
    let poller = tokio::spawn(poller::run(
        queues.consumer.clone(),
        handler,
        poller_settings,
        stop_rx.clone(),
    ));

    let app = server::router(ServerState {
        webhook,
        store,
        queue: queues.consumer.clone(),
        dead_letter: queues.dead_letter.clone(),
        media: Arc::default(),
        base_url: base_url.clone(),
    });
    let mut server_stop = stop_rx.clone();
    let server = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = server_stop.wait_for(|stop| *stop).await;
            })
            .await
    });

    let outcome = if args.demo {
        demo(&session).await
    } else {
        interrupted.wait().await
    };
    println!("stopping: finishing the batches in flight…");
    let _ = stop_tx.send(true);
    let _ = poller.await;
    let _ = server.await;
    Session::remove(&data_dir);
    println!("stopped cleanly");
    outcome
}

/// Ctrl-C (SIGINT) or SIGTERM, registered up front.
struct Interrupt {
    #[cfg(unix)]
    signals: (tokio::signal::unix::Signal, tokio::signal::unix::Signal),
}

impl Interrupt {
    fn listen() -> anyhow::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let interrupt = signal(SignalKind::interrupt()).context("cannot listen for Ctrl-C")?;
            let terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
            Ok(Self {
                signals: (interrupt, terminate),
            })
        }
        #[cfg(not(unix))]
        Ok(Self {})
    }

    async fn wait(mut self) -> anyhow::Result<()> {
        #[cfg(unix)]
        tokio::select! {
            _ = self.signals.0.recv() => {}
            _ = self.signals.1.recv() => {}
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await.context("cannot listen for Ctrl-C")?;
        Ok(())
    }
}

async fn demo(session: &Session) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    for (from, text) in DEMO_TIPS {
        println!("→ tip from {from}: {text}");
        let started = std::time::Instant::now();
        let (sid, reply) = send_tip(&http, session, from, text, &[], false, Duration::from_secs(30)).await?;
        println!(
            "← {sid}: {} reply recorded {} ms after the webhook call\n",
            reply.kind,
            started.elapsed().as_millis()
        );
    }
    Ok(())
}
