//! Peak memory of one batch of ten 16 MB voice notes from ten senders at concurrency 8: what the
//! media bytes-in-flight budget is for.
//!
//! `cargo run --release -p tipline-processor --example media_memory [-- --budget-mb N]`
//! (`--budget-mb 0` turns the budget off). Twilio's media API and Messages API are played by a
//! small Python server in its own process, so its buffers are not counted in this process's
//! peak resident set (`VmHWM`), which is what the example prints.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use aws_lambda_events::event::sqs::SqsEvent;
use chrono::Utc;
use tipline_processor::{process_batch, AppState, Settings};
use tipline_shared::analysis::OfflineAnalyzer;
use tipline_shared::media::{MediaDownloader, MediaPolicy, ObjectMediaStore};
use tipline_shared::queue::Envelope;
use tipline_shared::store::sqlite::SqliteStore;
use tipline_shared::twilio::messages::{Sender, TwilioAuth, TwilioMessenger};
use tipline_shared::twilio::{InboundMessage, TwilioForm};
use tipline_shared::Secret;
use tokio::time::Instant;

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
const NOTES: u32 = 10;
const NOTE_BYTES: usize = 16_000_000;

/// Serves every GET as a 16 MB `audio/ogg`, streamed at about 16 MB/s (a CDN's pace, so the
/// downloads overlap as they do in production), and accepts every POST as a created message.
/// Prints its port, then serves until killed.
const STAND_IN: &str = r#"
import http.server, json, sys, time, uuid
SIZE = int(sys.argv[1])
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "audio/ogg")
        self.send_header("Content-Length", str(SIZE))
        self.end_headers()
        chunk = b"\0" * 65536
        left = SIZE
        while left > 0:
            n = min(left, len(chunk)); self.wfile.write(chunk[:n]); left -= n
            time.sleep(0.004)
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = json.dumps({"sid": "SM" + uuid.uuid4().hex, "status": "queued"}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

fn envelope(n: u32, base: &str) -> String {
    let sid = format!("SM{n:032x}");
    let url = format!("{base}/2010-04-01/Accounts/{ACCOUNT}/Messages/{sid}/Media/ME{n:032x}");
    let form = TwilioForm::from_pairs(vec![
        ("MessageSid".into(), sid),
        ("AccountSid".into(), ACCOUNT.into()),
        ("From".into(), format!("whatsapp:+1555{n:07}")),
        ("To".into(), "whatsapp:+14155238886".into()),
        ("Body".into(), String::new()),
        ("NumMedia".into(), "1".into()),
        ("MediaUrl0".into(), url),
        ("MediaContentType0".into(), "audio/ogg".into()),
    ]);
    let message = InboundMessage::try_from(form).expect("a valid message");
    Envelope::new(&message, Utc::now(), None, None).encode()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let mut budget_mb = tipline_shared::media::download::DEFAULT_BYTES_IN_FLIGHT_MB;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--budget-mb" => budget_mb = args.next().unwrap_or_default().parse()?,
            other => anyhow::bail!("unknown argument {other}; expected --budget-mb N"),
        }
    }

    let mut stand_in = Command::new("python3")
        .args(["-c", STAND_IN, &NOTE_BYTES.to_string()])
        .stdout(Stdio::piped())
        .spawn()?;
    let mut port = String::new();
    BufReader::new(stand_in.stdout.take().expect("stdout")).read_line(&mut port)?;
    let base = format!("http://127.0.0.1:{}", port.trim());

    let store = SqliteStore::connect("sqlite::memory:").await?;
    store.migrate().await?;
    let auth = TwilioAuth::Account {
        token: Secret::new("example"),
    };
    let media_dir = std::env::temp_dir().join(format!("tipline-media-memory-{}", uuid::Uuid::new_v4()));
    let state = Arc::new(AppState {
        store: Arc::new(store),
        messenger: Arc::new(TwilioMessenger::new(
            reqwest::Client::new(),
            &base,
            ACCOUNT,
            auth.clone(),
            Sender::From("whatsapp:+14155238886".into()),
        )),
        analyzer: Arc::new(OfflineAnalyzer),
        downloader: Arc::new(
            MediaDownloader::new(MediaPolicy::new(&base, ACCOUNT)?, auth)?.with_bytes_in_flight_mb(budget_mb),
        ),
        media_store: Arc::new(ObjectMediaStore::local(&media_dir)?),
        transcriber: None,
        settings: Settings {
            concurrency: 8,
            ..Settings::default()
        },
    });
    let records: Vec<serde_json::Value> = (0..NOTES)
        .map(|n| {
            serde_json::json!({
                "messageId": format!("m{n}"), "receiptHandle": "r", "body": envelope(n, &base),
                "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:000000000000:q", "awsRegion": "us-east-1"
            })
        })
        .collect();
    let event: SqsEvent = serde_json::from_value(serde_json::json!({ "Records": records }))?;

    let before = peak_rss_mib();
    let started = std::time::Instant::now();
    let result = process_batch(state, event, Instant::now() + Duration::from_secs(60)).await;
    let elapsed = started.elapsed();
    let _ = stand_in.kill();
    let _ = std::fs::remove_dir_all(&media_dir);

    println!(
        "media_memory: {NOTES} voice notes of {} MB at concurrency 8, budget {}: peak RSS {:.1} MiB \
         (before the batch {before:.1} MiB); {} processed, {} failed; {:.2} s",
        NOTE_BYTES / 1_000_000,
        if budget_mb == 0 {
            "off".to_owned()
        } else {
            format!("{budget_mb} MiB")
        },
        peak_rss_mib(),
        result.counts.processed,
        result.response.batch_item_failures.len(),
        elapsed.as_secs_f64(),
    );
    Ok(())
}
