//! `tipline bench`: signed webhooks at a given rate or concurrency against the local stack, with
//! provider stand-ins that add latency, in the queued mode (webhook → queue → poller → batch
//! engine, as deployed) and an inline mode (the webhook processes the message before answering,
//! as systems without a queue do), reported side by side as a table and as JSON.
//!
//! Everything runs in this process: the stack, the stand-ins and the load generator, so the peak
//! RSS reported is theirs together (an upper bound for the stack).

pub mod stack;
pub mod standins;
pub mod stats;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use tipline_shared::twilio::TwilioForm;
use tokio::sync::Semaphore;
use tokio::time::Instant;

use crate::args::{BenchArgs, BenchMode};
use crate::local::send::{inbound_form, new_message_sid, post_signed};
use stack::Stack;
use standins::StandIns;
use stats::Summary;

/// Twilio gives up on a webhook after this long.
pub const TWILIO_TIMEOUT: Duration = Duration::from_secs(15);

/// What one mode measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ModeReport {
    pub mode: &'static str,
    pub sent: usize,
    pub acknowledged: usize,
    pub replied: usize,
    /// Acknowledged but never answered within the drain timeout.
    pub lost: usize,
    /// Replies beyond the first to the same message.
    pub duplicate_replies: usize,
    pub in_dlq: u64,
    /// Webhook answers slower than Twilio's 15 s timeout (Twilio would have retried or failed over).
    pub over_twilio_timeout: usize,
    pub ack: Summary,
    /// From the webhook call to the reply reaching the Twilio stand-in.
    pub end_to_end: Summary,
    /// Replies per second, from the first webhook call to the last reply.
    pub throughput_per_s: f64,
    pub wall_s: f64,
    /// Processor invocations (batches, or one per message inline) and their durations: the
    /// Lambda duration the cost model bills.
    pub invocations: usize,
    pub records_per_invocation: f64,
    pub invocation: Summary,
    pub invocation_mean_ms: f64,
    /// Chat completion requests the OpenAI stand-in received (hedges and retries included), and
    /// per replied tip: what hedging costs.
    pub model_calls: usize,
    pub model_calls_per_tip: f64,
    /// Peak resident set of this process during the mode (VmHWM), in MiB.
    pub peak_rss_mib: Option<f64>,
}

/// The whole run: settings and one report per mode.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub messages: usize,
    pub rate_per_s: Option<f64>,
    pub concurrency: usize,
    pub openai_latency_ms: u64,
    /// Every this-many-th OpenAI call is slow (0: none), taking `openai_slow_ms`.
    pub openai_slow_every: usize,
    pub openai_slow_ms: u64,
    /// Every this-many-th OpenAI call never answers (0: none).
    pub openai_hang_every: usize,
    /// Whether slow model calls were hedged (off: the behaviour before latency budgets).
    pub hedging: bool,
    pub twilio_latency_ms: u64,
    pub database: String,
    pub queue: String,
    pub modes: Vec<ModeReport>,
    /// Inline ack p99 divided by queued ack p99, when both ran.
    pub ack_p99_ratio_inline_over_queued: Option<f64>,
}

/// Runs the benchmark and prints (and optionally writes) the report.
pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    if std::env::var_os("RUST_LOG").is_none() {
        // Per-message logs at this volume would measure the terminal, not the pipeline.
        std::env::set_var("RUST_LOG", "error");
    }
    tipline_shared::telemetry::init(tipline_shared::telemetry::Format::Text);
    args.validate()?;
    let modes: &[BenchMode] = match args.mode {
        BenchMode::Both => &[BenchMode::Queued, BenchMode::Inline],
        BenchMode::Queued => &[BenchMode::Queued],
        BenchMode::Inline => &[BenchMode::Inline],
    };
    let mut reports = Vec::new();
    let mut database = String::new();
    for mode in modes {
        let report = run_mode(&args, *mode, &mut database).await?;
        print_mode(&report);
        reports.push(report);
    }
    let p99 = |name: &str| reports.iter().find(|r| r.mode == name).map(|r| r.ack.p99_ms);
    let ratio = match (p99("inline"), p99("queued")) {
        (Some(inline), Some(queued)) if queued > 0.0 => Some((inline / queued * 10.0).round() / 10.0),
        _ => None,
    };
    let report = BenchReport {
        messages: args.messages,
        rate_per_s: args.rate,
        concurrency: args.concurrency,
        openai_latency_ms: args.openai_latency_ms,
        openai_slow_every: args.openai_slow_every,
        openai_slow_ms: args.openai_slow_ms,
        openai_hang_every: args.openai_hang_every,
        hedging: !args.no_hedging,
        twilio_latency_ms: args.twilio_latency_ms,
        database,
        queue: "in-process queue with SQS semantics (redrive after 3 receives)".into(),
        modes: reports,
        ack_p99_ratio_inline_over_queued: ratio,
    };
    print_table(&report);
    if let Some(path) = &args.json {
        let json = serde_json::to_string_pretty(&report)?;
        std::fs::write(path, json + "\n").with_context(|| format!("cannot write --json {}", path.display()))?;
        println!("JSON written to {}", path.display());
    }
    Ok(())
}

async fn run_mode(args: &BenchArgs, mode: BenchMode, database: &mut String) -> anyhow::Result<ModeReport> {
    let openai = standins::OpenAiLatency {
        usual: Duration::from_millis(args.openai_latency_ms),
        slow_every: args.openai_slow_every,
        slow: Duration::from_millis(args.openai_slow_ms),
        hang_every: args.openai_hang_every,
    };
    let standins = StandIns::start(openai, Duration::from_millis(args.twilio_latency_ms)).await?;
    let stack = Stack::start(args, mode, &standins.base_url).await?;
    *database = stack.database.clone();
    let rss_reset = reset_peak_rss();

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency.max(1))
        .build()?;
    let started = Instant::now();
    let samples = load(args, &http, &stack).await;

    let acknowledged: Vec<&Sample> = samples.iter().filter(|s| s.status == 200).collect();
    // Bounded: stop waiting once everything acknowledged is answered or the drain timeout passes.
    let drain_until = Instant::now() + Duration::from_secs(args.drain_timeout_secs);
    while standins.delivered() < acknowledged.len() && Instant::now() < drain_until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let in_dlq = stack.dead_letter_depth().await;
    let model_calls = standins.model_calls();
    let invocations = stack.invocations.clone();
    stack.stop().await;
    let invocations = invocations.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let durations: Vec<Duration> = invocations.iter().map(|(d, _)| *d).collect();
    let records: usize = invocations.iter().map(|(_, r)| r).sum();
    let round1 = |x: f64| (x * 10.0).round() / 10.0;

    let deliveries = standins.deliveries.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mut end_to_end = Vec::new();
    let (mut replied, mut duplicate_replies) = (0, 0);
    let mut last_reply = started;
    for sample in &acknowledged {
        if let Some(times) = deliveries.get(&sample.from) {
            replied += 1;
            duplicate_replies += times.len().saturating_sub(1);
            end_to_end.push(times[0].saturating_duration_since(sample.started));
            last_reply = last_reply.max(times[0]);
        }
    }
    let wall = last_reply.saturating_duration_since(started);
    let acks: Vec<Duration> = samples.iter().map(|s| s.ack).collect();
    Ok(ModeReport {
        mode: mode.name(),
        sent: samples.len(),
        acknowledged: acknowledged.len(),
        replied,
        lost: acknowledged.len() - replied,
        duplicate_replies,
        in_dlq,
        over_twilio_timeout: acks.iter().filter(|a| **a > TWILIO_TIMEOUT).count(),
        ack: Summary::of(&acks),
        end_to_end: Summary::of(&end_to_end),
        throughput_per_s: if wall.is_zero() {
            0.0
        } else {
            (replied as f64 / wall.as_secs_f64() * 10.0).round() / 10.0
        },
        wall_s: (wall.as_secs_f64() * 100.0).round() / 100.0,
        invocations: invocations.len(),
        records_per_invocation: round1(records as f64 / invocations.len().max(1) as f64),
        invocation: Summary::of(&durations),
        invocation_mean_ms: round1(
            durations.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / durations.len().max(1) as f64,
        ),
        model_calls,
        model_calls_per_tip: (model_calls as f64 / replied.max(1) as f64 * 1000.0).round() / 1000.0,
        peak_rss_mib: if rss_reset { peak_rss_mib() } else { None },
    })
}

/// One webhook call as the load generator saw it.
#[derive(Debug, Clone)]
struct Sample {
    from: String,
    started: Instant,
    ack: Duration,
    /// The HTTP status, or 0 when the request did not complete.
    status: u16,
}

/// Sends every message, open-loop at `--rate` or closed-loop with `--concurrency` in flight.
async fn load(args: &BenchArgs, http: &reqwest::Client, stack: &Stack) -> Vec<Sample> {
    let slots = Arc::new(Semaphore::new(args.concurrency.max(1)));
    let interval = args.rate.map(|rate| Duration::from_secs_f64(1.0 / rate));
    let first = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..args.messages {
        if let Some(interval) = interval {
            tokio::time::sleep_until(first + interval.mul_f64(n as f64)).await;
        }
        // Open loop still caps connections at --concurrency, like a client's pool; closed loop waits here.
        let permit = slots.clone().acquire_owned().await.ok();
        let http = http.clone();
        let url = stack.webhook_url.clone();
        let token = stack.auth_token.clone();
        let from = format!("whatsapp:+1555{n:07}");
        tasks.spawn(async move {
            let _permit = permit;
            let form: TwilioForm = inbound_form(
                &new_message_sid(),
                &from,
                &format!("Your parcel {n} is on hold. Pay the 1.99 fee today at https://bit.ly/p{n}"),
                false,
            );
            let started = Instant::now();
            let status = match post_signed(&http, &url, &token, &form).await {
                Ok((status, _)) => status,
                Err(error) => {
                    tracing::warn!(error = %error, "webhook call failed");
                    0
                }
            };
            Sample {
                from,
                started,
                ack: started.elapsed(),
                status,
            }
        });
    }
    let mut samples = Vec::with_capacity(args.messages);
    while let Some(sample) = tasks.join_next().await {
        if let Ok(sample) = sample {
            samples.push(sample);
        }
    }
    samples
}

/// Resets this process's peak RSS (Linux: `5` into `/proc/self/clear_refs`), so each mode is
/// measured on its own. Returns whether it worked.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// `VmHWM` of this process, in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some((kib / 1024.0 * 10.0).round() / 10.0)
}

fn print_mode(report: &ModeReport) {
    println!(
        "{}: {} sent, {} acknowledged, {} replied in {:.1} s",
        report.mode, report.sent, report.acknowledged, report.replied, report.wall_s
    );
}

/// One table cell's formatter.
type Cell = Box<dyn Fn(&ModeReport) -> String>;

fn print_table(report: &BenchReport) {
    let load = match report.rate_per_s {
        Some(rate) => format!("{rate}/s open loop (≤ {} connections)", report.concurrency),
        None => format!("{} in flight (closed loop)", report.concurrency),
    };
    let slow = match report.openai_slow_every {
        0 => String::new(),
        every => format!(" (every {every}th call {} ms)", report.openai_slow_ms),
    };
    let hang = match report.openai_hang_every {
        0 => String::new(),
        every => format!(" (every {every}th call hangs)"),
    };
    let hedging = if report.hedging { "hedging on" } else { "hedging off" };
    println!(
        "\ntipline bench: {} messages, {load}; OpenAI stand-in {} ms{slow}{hang}, {hedging}, Twilio stand-in {} ms; {}",
        report.messages, report.openai_latency_ms, report.twilio_latency_ms, report.database
    );
    let rows: Vec<(&str, Cell)> = vec![
        ("ack p50 ms", Box::new(|r| format!("{:.1}", r.ack.p50_ms))),
        ("ack p90 ms", Box::new(|r| format!("{:.1}", r.ack.p90_ms))),
        ("ack p99 ms", Box::new(|r| format!("{:.1}", r.ack.p99_ms))),
        ("ack max ms", Box::new(|r| format!("{:.1}", r.ack.max_ms))),
        ("acks > 15 s", Box::new(|r| r.over_twilio_timeout.to_string())),
        ("end-to-end p50 ms", Box::new(|r| format!("{:.1}", r.end_to_end.p50_ms))),
        ("end-to-end p99 ms", Box::new(|r| format!("{:.1}", r.end_to_end.p99_ms))),
        (
            "throughput replies/s",
            Box::new(|r| format!("{:.1}", r.throughput_per_s)),
        ),
        ("model calls", Box::new(|r| r.model_calls.to_string())),
        (
            "model calls per tip",
            Box::new(|r| format!("{:.3}", r.model_calls_per_tip)),
        ),
        (
            "peak RSS MiB",
            Box::new(|r| r.peak_rss_mib.map_or("n/a".into(), |m| format!("{m:.1}"))),
        ),
        ("sent", Box::new(|r| r.sent.to_string())),
        ("acknowledged", Box::new(|r| r.acknowledged.to_string())),
        ("replied", Box::new(|r| r.replied.to_string())),
        ("lost", Box::new(|r| r.lost.to_string())),
        ("duplicate replies", Box::new(|r| r.duplicate_replies.to_string())),
        ("in DLQ", Box::new(|r| r.in_dlq.to_string())),
    ];
    print!("\n{:<22}", "");
    for mode in &report.modes {
        print!("{:>12}", mode.mode);
    }
    println!();
    for (label, cell) in &rows {
        print!("{label:<22}");
        for mode in &report.modes {
            print!("{:>12}", cell(mode));
        }
        println!();
    }
    if let Some(ratio) = report.ack_p99_ratio_inline_over_queued {
        println!("\nack p99 inline / queued = {ratio}×");
    }
}
