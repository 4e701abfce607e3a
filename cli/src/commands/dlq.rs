//! On-call tools for the dead-letter queue: how full it is, what is in it, and moving it back.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::Utc;
use tipline_shared::config::{self, Env};
use tipline_shared::domain::address;
use tipline_shared::queue::redrive::{self, DeadLetter};
use tipline_shared::queue::sqs::SqsQueue;
use tipline_shared::queue::QueueConsumer;
use tipline_shared::store::{ClaimInfo, Store};

use crate::args::{DlqCommand, RedriveArgs};
use crate::local::parts::Database;

/// The main queue and its DLQ, from `QUEUE_URL` and `DLQ_URL`.
#[derive(Debug)]
pub struct Queues {
    pub main: Arc<SqsQueue>,
    pub dlq: Arc<SqsQueue>,
}

impl Queues {
    pub async fn from_env() -> anyhow::Result<Self> {
        let main = config::required(&Env, "QUEUE_URL")?;
        let dlq = config::required(&Env, "DLQ_URL")?;
        let sdk = tipline_shared::aws::load(3, Duration::from_secs(5), Duration::from_secs(25)).await;
        let client = aws_sdk_sqs::Client::new(&sdk);
        Ok(Self {
            main: Arc::new(SqsQueue::new(client.clone(), main)),
            dlq: Arc::new(SqsQueue::new(client, dlq)),
        })
    }
}

/// The store, when `DATABASE_URL` is set (for each message's last recorded error).
async fn optional_store() -> anyhow::Result<Option<Arc<dyn Store>>> {
    match config::optional(&Env, "DATABASE_URL") {
        Some(url) => Ok(Some(Database::parse(&url)?.open().await?)),
        None => Ok(None),
    }
}

/// Runs one `tipline dlq` command.
pub async fn run(command: DlqCommand) -> anyhow::Result<()> {
    let queues = Queues::from_env().await?;
    match command {
        DlqCommand::Stats => stats(&queues).await,
        DlqCommand::Peek { n } => peek(&queues, n).await,
        DlqCommand::Redrive(args) => redrive(&queues, args).await,
    }
}

fn age(letter: &DeadLetter) -> String {
    let minutes = (Utc::now() - letter.received_at()).num_minutes().max(0);
    if minutes >= 120 {
        format!("{}h{:02}m", minutes / 60, minutes % 60)
    } else {
        format!("{minutes}m")
    }
}

async fn stats(queues: &Queues) -> anyhow::Result<()> {
    let main = queues.main.depth().await?;
    let dlq = queues.dlq.depth().await?;
    println!(
        "queue  {:>6} waiting {:>6} in flight   {}",
        main.visible,
        main.in_flight,
        queues.main.url()
    );
    println!(
        "dlq    {:>6} waiting {:>6} in flight   {}",
        dlq.visible,
        dlq.in_flight,
        queues.dlq.url()
    );
    let letters = redrive::peek(queues.dlq.as_ref(), 1000).await?;
    if letters.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let oldest = letters
        .iter()
        .max_by_key(|l| now - l.received_at())
        .map(age)
        .unwrap_or_default();
    let newest = letters
        .iter()
        .min_by_key(|l| now - l.received_at())
        .map(age)
        .unwrap_or_default();
    let expired = letters.iter().filter(|l| l.outside_reply_window(now)).count();
    println!(
        "dlq messages read: {}   oldest {oldest}   newest {newest}",
        letters.len()
    );
    if expired > 0 {
        println!("⚠ {expired} received more than 24 h ago: a reply now fails with Twilio 63016 (see docs/runbook.md#whatsapp-24-hour-window)");
    }
    Ok(())
}

async fn peek(queues: &Queues, n: usize) -> anyhow::Result<()> {
    let store = optional_store().await?;
    let letters = redrive::peek(queues.dlq.as_ref(), n.max(1)).await?;
    if letters.is_empty() {
        println!("the DLQ is empty");
        return Ok(());
    }
    let now = Utc::now();
    for letter in &letters {
        let (sid, sender) = match &letter.envelope {
            Some(envelope) => (
                envelope.message_sid.to_string(),
                address::mask(envelope.params.get("From").unwrap_or_default()),
            ),
            None => ("(unreadable body)".to_owned(), "-".to_owned()),
        };
        let flag = if letter.outside_reply_window(now) {
            "  ⚠ past the 24 h window"
        } else {
            ""
        };
        println!(
            "{sid}  from {sender}  received {} ({} ago)  receives {}{flag}",
            letter.received_at().format("%Y-%m-%d %H:%M:%SZ"),
            age(letter),
            letter.message.receive_count,
        );
        if let (Some(store), Some(envelope)) = (&store, &letter.envelope) {
            match store.claim_info(&envelope.message_sid).await? {
                Some(info) => println!("{}", claim_line(&info)),
                None => println!("    never claimed (it failed before reaching the database)"),
            }
        }
    }
    Ok(())
}

/// A claim's state for `dlq peek`. The error is masked again here: rows written before the
/// store masked error texts can still hold a full number.
fn claim_line(info: &ClaimInfo) -> String {
    format!(
        "    claim {} after {} attempts; last error: {}",
        info.status,
        info.attempts,
        info.last_error
            .as_deref()
            .map_or_else(|| "none recorded".to_owned(), address::mask_phone_numbers)
    )
}

async fn redrive(queues: &Queues, args: RedriveArgs) -> anyhow::Result<()> {
    let now = Utc::now();
    let letters = redrive::peek(queues.dlq.as_ref(), 1000).await?;
    let expired = letters.iter().filter(|l| l.outside_reply_window(now)).count();
    if expired > 0 {
        println!(
            "⚠ {expired} of {} messages were received more than 24 h ago; replies to them will fail (63016).",
            letters.len()
        );
        if args.skip_expired {
            println!("  --skip-expired: they stay in the DLQ.");
        }
    }
    if !args.skip_expired {
        let destination = queues.main.arn().await?;
        match queues.dlq.start_move_task(&destination, args.max_per_second).await {
            Ok(handle) => {
                println!(
                    "started SQS message move task {handle} at {} msg/s",
                    args.max_per_second
                );
                return Ok(());
            }
            Err(error) => println!("StartMessageMoveTask unavailable here ({error}); moving messages one by one"),
        }
    }
    let skip_expired = args.skip_expired;
    let report = redrive::redrive_loop(
        queues.dlq.as_ref(),
        queues.main.as_ref(),
        args.max_per_second,
        |letter| !(skip_expired && letter.outside_reply_window(now)),
    )
    .await
    .context("redrive stopped part-way; messages not yet moved are still in the DLQ")?;
    println!(
        "moved {} message(s) to the queue; {} left in the DLQ",
        report.moved, report.skipped
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peek_masks_numbers_in_the_last_error() {
        let info = ClaimInfo {
            status: "failed".into(),
            attempts: 3,
            last_error: Some("The 'To' number whatsapp:+14155550123 is not a valid phone number.".into()),
            submission_id: None,
        };
        assert_eq!(
            claim_line(&info),
            "    claim failed after 3 attempts; last error: The 'To' number whatsapp:+141******23 is not a valid phone number."
        );
        let none = ClaimInfo {
            last_error: None,
            ..info
        };
        assert!(claim_line(&none).ends_with("last error: none recorded"));
    }
}
