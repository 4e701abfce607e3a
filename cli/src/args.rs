//! The command line: every command and flag, with the help text a newcomer reads first.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use tipline_shared::queue::poller;

/// tipline: a WhatsApp "is this a scam?" tipline. Run the whole pipeline locally, send it test
/// tips, apply migrations, and look after the dead-letter queue.
#[derive(Debug, Parser)]
#[command(name = "tipline", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the whole pipeline on this machine: the webhook as an HTTP server and a poller that
    /// feeds the processor exactly as Lambda's SQS event source does. Every part uses an embedded
    /// default unless its variable is set (QUEUE_URL, DATABASE_URL, TWILIO_ACCOUNT_SID, …).
    Serve(ServeArgs),
    /// Post a correctly signed, Twilio-shaped WhatsApp webhook to a running `tipline serve` and
    /// print the reply when it arrives.
    Send(SendArgs),
    /// Run the configured analyser on one tip and print the verdict, reasons and advice.
    Analyze(AnalyzeArgs),
    /// Measure the offline analyser on a labelled file (JSONL with text and expected/label, or
    /// TSV label<TAB>text): precision, recall and false-positive rate for "scam or suspicious",
    /// the confusion matrix over the four labels, per language, and the misclassified tips.
    Eval(EvalArgs),
    /// Retrain the offline analyser's text model from the data in the repository; writes the
    /// model and `<out>.provenance.json`. The same seed gives a byte-identical model.
    Train(TrainArgs),
    /// Apply the database migrations to DATABASE_URL (postgres://… or sqlite://…).
    Migrate,
    /// Look after the dead-letter queue (QUEUE_URL and DLQ_URL; DATABASE_URL adds last errors).
    #[command(subcommand)]
    Dlq(DlqCommand),
    /// Run one message through the pipeline again: moves it from the DLQ to the queue by its
    /// MessageSid and reopens its claim if it had failed for good.
    Replay {
        /// The Twilio MessageSid (SM… or MM…).
        message_sid: String,
    },
    /// Print everything stored about one sender as JSON (a subject-access request), from
    /// DATABASE_URL; logs show only the masked number.
    ExportSender {
        /// The sender: +<country code><number>, or a whatsapp: address.
        sender: String,
    },
    /// Pseudonymize phone numbers and delete media and free text past their ages
    /// (RETENTION_* settings), in bounded batches that resume where a run stopped; prints a
    /// JSON report.
    Retention {
        /// Report what would be done, change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The operator's block list (DATABASE_URL, else the local stack's database): blocked
    /// senders are neither analysed nor answered.
    #[command(flatten)]
    Block(BlockCommand),
    /// Load-test the local stack: signed webhooks at a rate or concurrency, with OpenAI and
    /// Twilio stand-ins that add latency, queued and inline side by side; prints a table (and
    /// JSON with --json). Uses SQLite in a temporary directory unless DATABASE_URL is set.
    Bench(BenchArgs),
}

#[derive(Debug, Subcommand)]
pub enum BlockCommand {
    /// Block a sender: `tipline block +15551234567`.
    Block {
        /// The number (+ and digits) or WhatsApp user id.
        number: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// Take a sender off the block list.
    Unblock {
        /// The number (+ and digits) or WhatsApp user id.
        number: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// List the blocked senders.
    Blocked {
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Debug, Subcommand)]
pub enum DlqCommand {
    /// Depths of the queue and the DLQ, the DLQ's oldest and newest messages, and how many are
    /// past WhatsApp's 24-hour reply window.
    Stats,
    /// Show DLQ messages without removing them: MessageSid, masked sender, age, receives, and the
    /// last error recorded in the database.
    Peek {
        /// How many messages to show.
        #[arg(short = 'n', default_value_t = 10)]
        n: usize,
    },
    /// Move DLQ messages back to the queue (SQS StartMessageMoveTask where available, otherwise
    /// a receive/send/delete loop that loses nothing). Flags messages past the 24 h window first.
    Redrive(RedriveArgs),
}

#[derive(Debug, clap::Args)]
pub struct RedriveArgs {
    /// At most this many messages a second.
    #[arg(long, default_value_t = 10)]
    pub max_per_second: u32,
    /// Leave messages past WhatsApp's 24 h reply window in the DLQ.
    #[arg(long)]
    pub skip_expired: bool,
}

/// Where the local stack keeps its SQLite database, media and connection details.
#[derive(Debug, Clone, clap::Args)]
pub struct DataDir {
    /// The local data directory.
    #[arg(long, env = "TIPLINE_DATA_DIR", default_value = ".tipline")]
    pub data_dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Port for the webhook on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    #[command(flatten)]
    pub data: DataDir,
    /// Send three sample tips through the running pipeline, print their replies, then stop.
    #[arg(long)]
    pub demo: bool,
    /// Messages per batch handed to the processor (Lambda's BatchSize).
    #[arg(long, default_value_t = 10)]
    pub batch_size: usize,
    /// How long to gather a batch, in milliseconds (MaximumBatchingWindowInSeconds).
    #[arg(long, default_value_t = 200)]
    pub batching_window_ms: u64,
    /// How long a received message stays hidden before it is retried, in seconds (default and
    /// minimum: 6 × --batch-timeout-secs, as deployed, so a slow batch is not delivered twice).
    #[arg(long)]
    pub visibility_timeout_secs: Option<u64>,
    /// Batches processed at once (the event source's MaximumConcurrency).
    #[arg(long, default_value_t = 2)]
    pub max_concurrency: usize,
    /// The time each batch gets, as a Lambda timeout, in seconds.
    #[arg(long, default_value_t = 30)]
    pub batch_timeout_secs: u64,
}

impl ServeArgs {
    /// The time each batch gets.
    pub fn batch_timeout(&self) -> Duration {
        Duration::from_secs(self.batch_timeout_secs.max(1))
    }

    /// The visibility timeout: derived from the batch timeout, or the explicit one if it is long
    /// enough. A shorter one would let the queue hand a batch still running to another worker.
    pub fn visibility_timeout(&self) -> anyhow::Result<Duration> {
        let least = poller::visibility_for(self.batch_timeout());
        let Some(secs) = self.visibility_timeout_secs else {
            return Ok(least);
        };
        anyhow::ensure!(
            Duration::from_secs(secs) >= least,
            "--visibility-timeout-secs {secs} is shorter than {} × --batch-timeout-secs ({} s): a slow batch \
             would be delivered again while it is still running; leave it out or give at least {}",
            poller::VISIBILITY_PER_BATCH_TIMEOUT,
            self.batch_timeout().as_secs(),
            least.as_secs()
        );
        Ok(Duration::from_secs(secs))
    }
}

#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// The message text, as a WhatsApp user would send it.
    pub text: String,
    /// Attach a file (image, PDF, audio), served to the processor at a Twilio-shaped media URL.
    #[arg(long = "media", value_name = "FILE")]
    pub media: Vec<PathBuf>,
    /// The sender's WhatsApp address.
    #[arg(long, default_value = "whatsapp:+15550001234")]
    pub from: String,
    /// The webhook URL (default: the one the running `tipline serve` wrote to the data directory).
    #[arg(long)]
    pub url: Option<String>,
    /// Mark the message as forwarded, as WhatsApp does.
    #[arg(long)]
    pub forwarded: bool,
    /// How long to wait for the reply, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout_secs: u64,
    #[command(flatten)]
    pub data: DataDir,
}

#[derive(Debug, clap::Args)]
pub struct AnalyzeArgs {
    /// The tip's text.
    pub text: String,
    /// Treat the tip as forwarded.
    #[arg(long)]
    pub forwarded: bool,
    /// Print a JSON object with label, confidence, reasons and advice.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The labelled file (.jsonl or .tsv).
    pub file: PathBuf,
    /// Only the held-out split, the part training never saw.
    #[arg(long)]
    pub held_out: bool,
    /// List at most this many misclassified tips.
    #[arg(long, default_value_t = 20)]
    pub show: usize,
}

#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// Where to write the model (the shipped one is shared/model/text_model.bin).
    #[arg(long)]
    pub out: PathBuf,
    /// The seed of the training shuffle.
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
    /// The public SMS Spam Collection (TSV).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/uci_sms_spam_collection.tsv"))]
    pub uci: PathBuf,
    /// The project's own labelled tips (JSONL).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../processor/tests/fixtures/offline_eval.jsonl"))]
    pub project: PathBuf,
}

/// Which pipeline `tipline bench` loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchMode {
    /// The webhook enqueues and answers; the poller feeds the batch engine (as deployed).
    Queued,
    /// The webhook processes the message before answering (a design without a queue).
    Inline,
    /// Queued, then inline, reported side by side.
    Both,
}

impl BenchMode {
    /// The name used in reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Inline => "inline",
            Self::Both => "both",
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// How many webhooks to send per mode.
    #[arg(long, default_value_t = 1000)]
    pub messages: usize,
    /// Send at this many requests per second (open loop); without it, keep --concurrency in flight.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Webhook calls in flight at most.
    #[arg(long, default_value_t = 50)]
    pub concurrency: usize,
    /// Which pipeline to load.
    #[arg(long, value_enum, default_value_t = BenchMode::Both)]
    pub mode: BenchMode,
    /// The OpenAI stand-in's answer time, in milliseconds.
    #[arg(long, default_value_t = 800)]
    pub openai_latency_ms: u64,
    /// Make every N-th OpenAI call slow (0: none), as vision calls sometimes are.
    #[arg(long, default_value_t = 0)]
    pub openai_slow_every: usize,
    /// How long a slow OpenAI call takes, in milliseconds.
    #[arg(long, default_value_t = 16_000)]
    pub openai_slow_ms: u64,
    /// Make every N-th OpenAI call never answer (0: none), as a stuck provider connection does.
    #[arg(long, default_value_t = 0)]
    pub openai_hang_every: usize,
    /// Wait for every model call up to its timeout, without a latency budget or hedged request
    /// (the behaviour before hedging, for comparison).
    #[arg(long)]
    pub no_hedging: bool,
    /// The Twilio stand-in's answer time, in milliseconds.
    #[arg(long, default_value_t = 100)]
    pub twilio_latency_ms: u64,
    /// Messages per batch (Lambda's BatchSize), queued mode.
    #[arg(long, default_value_t = 10)]
    pub batch_size: usize,
    /// Batching window in milliseconds, queued mode.
    #[arg(long, default_value_t = 100)]
    pub batching_window_ms: u64,
    /// Batches in flight at once (the event source's MaximumConcurrency), queued mode.
    #[arg(long, default_value_t = 10)]
    pub max_concurrency: usize,
    /// Records processed at once within a batch (PROCESSOR_CONCURRENCY).
    #[arg(long, default_value_t = 10)]
    pub processor_concurrency: usize,
    /// The time each batch (or inline message) gets, as a Lambda timeout, in seconds.
    #[arg(long, default_value_t = 30)]
    pub batch_timeout_secs: u64,
    /// After the last webhook, how long to wait for outstanding replies, in seconds.
    #[arg(long, default_value_t = 120)]
    pub drain_timeout_secs: u64,
    /// Also write the report as JSON to this file.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

impl BenchArgs {
    /// Refuses settings that cannot produce a meaningful run, naming the flag.
    pub fn validate(&self) -> anyhow::Result<()> {
        let positive = [
            ("--messages", self.messages),
            ("--concurrency", self.concurrency),
            ("--batch-size", self.batch_size),
            ("--max-concurrency", self.max_concurrency),
            ("--processor-concurrency", self.processor_concurrency),
            ("--batch-timeout-secs", self.batch_timeout_secs as usize),
        ];
        for (flag, value) in positive {
            anyhow::ensure!(value > 0, "{flag} must be at least 1");
        }
        anyhow::ensure!(
            self.batch_size <= 10_000,
            "--batch-size must be at most 10000 (SQS's limit)"
        );
        if let Some(rate) = self.rate {
            anyhow::ensure!(
                rate.is_finite() && rate > 0.0,
                "--rate must be a positive number of requests per second"
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(extra: &[&str]) -> ServeArgs {
        let cli = Cli::try_parse_from([&["tipline", "serve"], extra].concat()).expect("parses");
        match cli.command {
            Command::Serve(args) => args,
            other => panic!("not serve: {other:?}"),
        }
    }

    #[test]
    fn serve_hides_a_message_for_six_batch_timeouts() {
        let cases: &[(&[&str], Result<u64, &str>)] = &[
            (&[], Ok(180)),
            (&["--batch-timeout-secs", "5"], Ok(30)),
            (&["--visibility-timeout-secs", "600"], Ok(600)),
            (&["--visibility-timeout-secs", "180"], Ok(180)),
            (
                &["--visibility-timeout-secs", "10"],
                Err("--visibility-timeout-secs 10 is shorter"),
            ),
            (
                &["--batch-timeout-secs", "5", "--visibility-timeout-secs", "29"],
                Err("give at least 30"),
            ),
        ];
        for (flags, expected) in cases {
            let args = serve(flags);
            match (args.visibility_timeout(), expected) {
                (Ok(got), Ok(secs)) => assert_eq!(got, Duration::from_secs(*secs), "{flags:?}"),
                (Err(error), Err(needle)) => assert!(error.to_string().contains(needle), "{flags:?}: {error}"),
                (got, _) => panic!("{flags:?}: {got:?}, expected {expected:?}"),
            }
            assert!(
                args.visibility_timeout()
                    .map_or(true, |v| v >= args.batch_timeout() * 6),
                "{flags:?}"
            );
        }
    }
}
