//! The reliability suite: 2,000 tips, a fifth of them delivered twice or more, through the
//! in-process queue (SQS semantics, redrive after 3 receives) and the real batch engine on
//! Postgres, while the harness injects faults: OpenAI 5xx, slow answers and calls that hang past
//! the whole invocation; Twilio 429 and 5xx, replies accepted whose answer is lost (a timeout, an
//! unreadable 2xx), and a spell of 401s from a rotated credential; group completions that fail
//! after the reply went out; the processor killed mid-batch (twice) and restarted, and the
//! database restarted once.
//!
//! It asserts the properties, not timings: every message ends with exactly one submission row
//! and exactly one reply, or sits in the DLQ with its reason recorded (and at most one reply);
//! nothing is lost; no reply goes out twice.
//!
//! The processor runs in its own Tokio runtime, as its own "process": killing it is
//! `shutdown_background`, which drops every task it spawned mid-await (the batch engine's group
//! tasks included), exactly the state a crashed Lambda leaves behind: claims leased, replies
//! possibly marked `sending`, messages received but not deleted.
//!
//! The database restart is a real `pg_ctl restart` when the services script says how
//! (`TIPLINE_PG_CTL`, `TIPLINE_PG_DATA`, `TIPLINE_PG_RUNAS`); `.config/nextest.toml` makes this
//! binary run alone so other tests' databases on that server are not disturbed. Without those
//! variables (an external DATABASE_URL) it terminates every connection to its own database instead.

#[allow(dead_code)] // the processor suite's helpers; this binary uses a few of them
#[path = "processor/helpers.rs"]
mod helpers;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::{Connection as _, PgPool};
use tipline_processor::{AppState, ProcessorHandler, Settings};
use tipline_shared::analysis::OpenAiAnalyzer;
use tipline_shared::queue::memory::MemoryQueue;
use tipline_shared::queue::poller::{self, PollerSettings};
use tipline_shared::queue::QueueConsumer;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::Secret;
use tokio::time::Instant;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use helpers::{envelope, sender, sid};

const MESSAGES: u32 = 2_000;
const MAX_RECEIVES: u32 = 3;
/// A "Lambda timeout" per batch. Claims are leased until it passes (plus the slack below), and
/// the visibility timeout (`poller::visibility_for`, as deployed) is longer, so a killed batch's
/// messages come back to free claims.
const BATCH_TIMEOUT: Duration = Duration::from_secs(3);
const LEASE_SLACK: Duration = Duration::from_millis(500);
/// The whole run must settle within this; it normally takes well under a minute.
const SETTLE_WITHIN: Duration = Duration::from_secs(150);

/// Message `n` is delivered this many times: 20% twice or more (every 20th of those three times).
fn copies(n: u32) -> u32 {
    match n % 20 {
        0 => 3,
        1..=3 => 2,
        _ => 1,
    }
}

fn text(n: u32) -> String {
    format!("Your parcel {n} is on hold. Pay the 1.99 fee today at https://bit.ly/p{n}")
}

/// OpenAI stand-in: every 10th call a 503, every 25th slow, every 40th hanging far past the
/// invocation (the adapter's budget must leave the offline fallback its time).
#[derive(Debug, Default)]
struct FaultyOpenAi {
    calls: AtomicUsize,
}

impl Respond for FaultyOpenAi {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        if n % 10 == 3 {
            return ResponseTemplate::new(503).set_body_string("upstream overloaded");
        }
        let verdict = serde_json::json!({
            "label": "scam", "confidence": 0.9,
            "reasons": ["It asks for a fee to release a parcel"],
            "advice": "Don't pay; check on the courier's own site."
        });
        let answer = ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "id": "chatcmpl-r", "object": "chat.completion", "model": "reliability",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": verdict.to_string(), "refusal": null}}]
        }));
        if n % 25 == 7 {
            return answer.set_delay(Duration::from_secs(1));
        }
        if n % 40 == 13 {
            return answer.set_delay(Duration::from_secs(60));
        }
        answer
    }
}

/// Twilio stand-in: every 7th send throttled (429), every 11th a 500, a spell of 401s (calls
/// 900–939, a rotated credential); of the sends it accepts, every 13th answers too late for the
/// client and every 17th with an unreadable body. Each accepted reply is in the ledger, which
/// serves the Messages list and counts what a person would see on their phone.
#[derive(Debug, Default)]
struct FaultyTwilio {
    calls: AtomicUsize,
    ledger: helpers::Ledger,
    /// Accepted sends whose answer was lost (late or unreadable), and 401s answered.
    lost_answers: Arc<AtomicUsize>,
    refused_credentials: Arc<AtomicUsize>,
}

impl Respond for FaultyTwilio {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        if request.method == wiremock::http::Method::GET {
            return helpers::Listing(self.ledger.clone()).respond(request);
        }
        let n = self.calls.fetch_add(1, Ordering::Relaxed);
        if (900..940).contains(&n) {
            self.refused_credentials.fetch_add(1, Ordering::Relaxed);
            return helpers::twilio_error(401, 20003, "Authenticate");
        }
        if n % 7 == 5 {
            return helpers::twilio_error(429, 20429, "Too Many Requests");
        }
        if n % 11 == 9 {
            return helpers::twilio_error(500, 20500, "Internal Server Error");
        }
        let message = self.ledger.accept(request);
        if n % 13 == 4 || n % 17 == 8 {
            self.lost_answers.fetch_add(1, Ordering::Relaxed);
        }
        if n % 13 == 4 {
            return ResponseTemplate::new(201)
                .set_body_json(message)
                .set_delay(TWILIO_LOST_ANSWER);
        }
        if n % 17 == 8 {
            return ResponseTemplate::new(201).set_body_string("<html>502 Bad Gateway</html>");
        }
        ResponseTemplate::new(201).set_body_json(message)
    }
}

/// The Twilio client's request timeout, and a delay past it: an answer lost after acceptance.
const TWILIO_TIMEOUT: Duration = Duration::from_millis(400);
const TWILIO_LOST_ANSWER: Duration = Duration::from_secs(2);

/// One processor "process": its own runtime, clients and pool, polling the shared queue.
struct Processor {
    runtime: tokio::runtime::Runtime,
}

impl Processor {
    fn start(queue: Arc<MemoryQueue>, database_url: &str, twilio: &MockServer, openai: &MockServer) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("a processor runtime");
        // Clients and the pool are built inside the new runtime, so killing it kills them too.
        let _inside = runtime.enter();
        let store = PgStore::connect_lazy(database_url, 8).expect("pool");
        // A request timeout longer than the invocation: a hanging call is cut by the budget.
        let analyzer = OpenAiAnalyzer::new(
            reqwest::Client::new(),
            &format!("{}/v1", openai.uri()),
            Secret::new("sk-test"),
            "reliability",
        )
        .with_retries(2, Duration::from_millis(5))
        .with_request_timeout(Duration::from_secs(10))
        .with_fallback_reserve(Duration::from_millis(1200));
        let state = Arc::new(AppState {
            store: Arc::new(helpers::CrashingStore::failing_every_nth_complete(store, 50)),
            messenger: Arc::new(helpers::messenger(twilio, 2).with_request_timeout(TWILIO_TIMEOUT)),
            analyzer: Arc::new(analyzer),
            downloader: Arc::new(helpers::downloader(twilio, &[])),
            media_store: helpers::local_media_store(),
            transcriber: None,
            settings: Settings {
                concurrency: 8,
                start_margin: Duration::from_millis(500),
                finish_margin: Duration::from_millis(200),
                max_receives: MAX_RECEIVES,
                lease_slack: LEASE_SLACK,
                ..Settings::default()
            },
        });
        let settings = PollerSettings {
            batch_size: 10,
            batching_window: Duration::from_millis(20),
            visibility_timeout: poller::visibility_for(BATCH_TIMEOUT),
            max_concurrency: 4,
            wait: Duration::from_millis(200),
        };
        // The stop signal is never sent: this process only ever ends by being killed.
        let (stop, stopped) = tokio::sync::watch::channel(false);
        runtime.spawn(async move {
            let _keep = stop;
            let handler = ProcessorHandler {
                state,
                timeout: BATCH_TIMEOUT,
                source_arn: "arn:aws:sqs:us-east-1:000000000000:reliability".into(),
            };
            poller::run(queue, Arc::new(handler), settings, stopped).await;
        });
        Self { runtime }
    }

    /// Kills the process: every task is dropped where it stands, nothing is finished or released.
    fn kill(self) {
        self.runtime.shutdown_background();
    }
}

/// A fresh database on the test server, migrated.
async fn create_database(server_url: &str) -> (String, String) {
    let name = format!("tipline_reliability_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(server_url)
        .await
        .expect("DATABASE_URL must point at a reachable Postgres (run under scripts/with-services.sh)");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create the test database");
    let mut url = url::Url::parse(server_url).expect("DATABASE_URL is a URL");
    url.set_path(&format!("/{name}"));
    let store = PgStore::connect_lazy(url.as_str(), 2).expect("pool");
    store.migrate().await.expect("migrations");
    store.pool().close().await;
    (name, url.to_string())
}

/// Restarts the Postgres server (or, when this test does not own it, cuts every connection to
/// its database). Returns what it did, for the report.
async fn restart_database(pool: &PgPool) -> &'static str {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let (ctl, data, runas) = (var("TIPLINE_PG_CTL"), var("TIPLINE_PG_DATA"), var("TIPLINE_PG_RUNAS"));
    if ctl.is_empty() || data.is_empty() {
        sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
            .execute(pool)
            .await
            .expect("terminate connections");
        return "terminated every connection to the test database";
    }
    let status = tokio::task::spawn_blocking(move || {
        let mut command = if runas.is_empty() {
            std::process::Command::new(&ctl)
        } else {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", &runas, "--", &ctl]);
            c
        };
        // From `/`, which the server's owner can read, as the services script does.
        command
            .current_dir("/")
            .args([
                "-D",
                &data,
                "-l",
                &format!("{data}/log"),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                "restart",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
    })
    .await
    .expect("join")
    .expect("run pg_ctl");
    assert!(status.success(), "pg_ctl restart failed: {status}");
    "restarted the Postgres server (pg_ctl restart -m fast)"
}

/// Counts from the database; `None` while it is unreachable (during the restart).
async fn finished(pool: &PgPool) -> Option<i64> {
    sqlx::query_scalar("SELECT count(*) FROM tipline_claims WHERE status IN ('done', 'failed')")
        .fetch_one(pool)
        .await
        .ok()
}

/// Polls (bounded) until at least `target` messages are finished.
async fn wait_finished(pool: &PgPool, target: i64, give_up: Instant) {
    loop {
        if finished(pool).await.unwrap_or(0) >= target {
            return;
        }
        assert!(
            Instant::now() < give_up,
            "fewer than {target} messages finished in time"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_tips_under_faults_lose_nothing_and_never_answer_twice() {
    let started = Instant::now();
    let give_up = started + SETTLE_WITHIN;
    let server_url = std::env::var("DATABASE_URL").expect("DATABASE_URL (run under scripts/with-services.sh)");
    let (db_name, db_url) = create_database(&server_url).await;
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(2))
        .connect(&db_url)
        .await
        .expect("harness pool");

    let openai = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(FaultyOpenAi::default())
        .mount(&openai)
        .await;
    let twilio = MockServer::start().await;
    let ledger = helpers::Ledger::default();
    let (lost_answers, refused_credentials) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    Mock::given(wiremock::matchers::any())
        .respond_with(FaultyTwilio {
            calls: AtomicUsize::new(0),
            ledger: ledger.clone(),
            lost_answers: lost_answers.clone(),
            refused_credentials: refused_credentials.clone(),
        })
        .mount(&twilio)
        .await;

    let dlq = Arc::new(MemoryQueue::new("dead-letter"));
    let queue = Arc::new(MemoryQueue::with_redrive("inbound", dlq.clone(), MAX_RECEIVES));

    // Every message once, and the first duplicate of each repeated one right behind it (Twilio's
    // retry after a slow answer). The third copies come late, after the second kill.
    let mut deliveries = 0u32;
    for n in 0..MESSAGES {
        for _ in 0..copies(n).min(2) {
            queue.send_raw(&envelope(n, &text(n)), &[]).await.expect("enqueue");
            deliveries += 1;
        }
    }

    let mut processor = Processor::start(queue.clone(), &db_url, &twilio, &openai);

    wait_finished(&pool, 400, give_up).await;
    processor.kill();
    processor = Processor::start(queue.clone(), &db_url, &twilio, &openai);

    wait_finished(&pool, 1_000, give_up).await;
    let restart = restart_database(&pool).await;

    wait_finished(&pool, 1_500, give_up).await;
    processor.kill();
    processor = Processor::start(queue.clone(), &db_url, &twilio, &openai);
    for n in (0..MESSAGES).filter(|n| copies(*n) > 2) {
        queue.send_raw(&envelope(n, &text(n)), &[]).await.expect("enqueue");
        deliveries += 1;
    }

    // Settled: nothing waiting or in flight in the queue.
    loop {
        let depth = queue.depth().await.expect("depth");
        if depth.visible + depth.in_flight == 0 {
            break;
        }
        assert!(Instant::now() < give_up, "the queue did not drain in time: {depth:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    processor.kill();

    // What the database and Twilio's stand-in say about every message.
    let dead: HashSet<String> = dlq
        .snapshot()
        .into_iter()
        .filter_map(|(_, body, _)| {
            let envelope = tipline_shared::queue::Envelope::decode(&body).ok()?;
            Some(envelope.message().ok()?.message_sid.to_string())
        })
        .collect();
    let submissions: HashMap<String, i64> =
        sqlx::query_as("SELECT message_id, count(*) FROM b2b_pilot_user_submissions GROUP BY message_id")
            .fetch_all(&pool)
            .await
            .expect("submissions")
            .into_iter()
            .collect();
    let claims: HashMap<String, (String, Option<String>)> = sqlx::query_as::<_, (String, String, Option<String>)>(
        "SELECT message_sid, status, last_error FROM tipline_claims",
    )
    .fetch_all(&pool)
    .await
    .expect("claims")
    .into_iter()
    .map(|(sid, status, error)| (sid, (status, error)))
    .collect();
    let delivered = ledger.per_recipient();

    let mut lost = Vec::new();
    let mut doubled = Vec::new();
    let (mut replied, mut dead_answered) = (0, 0);
    for n in 0..MESSAGES {
        let sid = sid(n);
        let rows = submissions.get(&sid).copied().unwrap_or(0);
        let replies = delivered.get(&sender(n)).copied().unwrap_or(0);
        if rows > 1 || replies > 1 {
            doubled.push(format!("{sid}: {rows} submissions, {replies} replies"));
        }
        replied += usize::from(replies == 1);
        if dead.contains(&sid) {
            let reason = claims.get(&sid).and_then(|(_, error)| error.clone());
            assert!(reason.is_some(), "{sid} is in the DLQ without a recorded reason");
            dead_answered += usize::from(replies == 1);
            continue;
        }
        if rows != 1 {
            lost.push(format!("{sid}: {rows} submissions, claim {:?}", claims.get(&sid)));
        }
        if replies == 0 {
            // Ambiguous sends are reconciled with Twilio's list, so silence is a lost reply.
            lost.push(format!("{sid}: processed but never answered"));
        }
    }
    eprintln!(
        "reliability: {MESSAGES} messages, {deliveries} deliveries; {replied} answered once, \
         {} in the DLQ ({dead_answered} of them answered by the last receive's fallback reply); \
         Twilio lost {} answers after accepting and refused our credentials {} times; \
         {} OpenAI calls, {} Twilio calls (lists included); database: {restart}; {:.1} s",
        dead.len(),
        lost_answers.load(Ordering::Relaxed),
        refused_credentials.load(Ordering::Relaxed),
        openai.received_requests().await.map_or(0, |r| r.len()),
        twilio.received_requests().await.map_or(0, |r| r.len()),
        started.elapsed().as_secs_f64(),
    );
    assert!(
        lost.is_empty(),
        "{} messages lost, e.g. {:?}",
        lost.len(),
        &lost[..lost.len().min(5)]
    );
    assert!(
        doubled.is_empty(),
        "{} messages doubled, e.g. {:?}",
        doubled.len(),
        &doubled[..doubled.len().min(5)]
    );

    pool.close().await;
    let mut admin = sqlx::PgConnection::connect(&server_url)
        .await
        .expect("admin connection");
    sqlx::query(&format!("DROP DATABASE {db_name} WITH (FORCE)"))
        .execute(&mut admin)
        .await
        .expect("drop the test database");
}
