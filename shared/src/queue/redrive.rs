//! Looking into and emptying a dead-letter queue without losing a message.
//!
//! `peek` receives and immediately releases, so messages stay put. `redrive_loop` sends each
//! message to the destination before deleting it from the DLQ: a crash between the two leaves a
//! duplicate, which the processor's claim absorbs, never a loss. SQS's own `StartMessageMoveTask`
//! is preferred where the endpoint has it (see the CLI); this loop serves moto and the
//! in-process queue.

use std::collections::HashSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::time::Instant;

use super::{Envelope, QueueConsumer, QueueError, ReceivedMessage};

/// WhatsApp only allows free-form replies within 24 h of the user's last message.
pub const REPLY_WINDOW: chrono::Duration = chrono::Duration::hours(24);

/// How long peeked messages stay hidden while the scan runs.
const SCAN_VISIBILITY: Duration = Duration::from_secs(30);

/// A dead-lettered message, decoded for a person.
#[derive(Debug, Clone)]
pub struct DeadLetter {
    pub message: ReceivedMessage,
    /// The envelope inside, when it decodes.
    pub envelope: Option<Envelope>,
}

impl DeadLetter {
    /// When the webhook received it: the envelope's time, else when it was queued.
    pub fn received_at(&self) -> DateTime<Utc> {
        self.envelope.as_ref().map_or(self.message.sent_at, |e| e.received_at)
    }

    /// Whether a reply now would fall outside WhatsApp's 24 h window (Twilio error 63016).
    pub fn outside_reply_window(&self, now: DateTime<Utc>) -> bool {
        now - self.received_at() > REPLY_WINDOW
    }
}

/// Reads up to `max` messages without removing them: each is released again right after.
pub async fn peek(queue: &dyn QueueConsumer, max: usize) -> Result<Vec<DeadLetter>, QueueError> {
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut receipts = Vec::new();
    let give_up = Instant::now() + Duration::from_secs(20);
    while found.len() < max && Instant::now() < give_up {
        let batch = queue
            .receive((max - found.len()).min(10), Duration::from_millis(200), SCAN_VISIBILITY)
            .await?;
        if batch.is_empty() {
            break;
        }
        for message in batch {
            receipts.push(message.receipt_handle.clone());
            if seen.insert(message.message_id.clone()) {
                let envelope = Envelope::decode(&message.body).ok();
                found.push(DeadLetter { message, envelope });
            }
        }
    }
    for receipt in receipts {
        // Released at once so the scan leaves the queue as it found it.
        queue.change_visibility(&receipt, Duration::ZERO).await?;
    }
    Ok(found)
}

/// What a redrive did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RedriveReport {
    pub moved: u64,
    /// Left in the DLQ because the caller's filter said so (e.g. past the reply window).
    pub skipped: u64,
}

/// Moves every message from `from` to `to`, at most `per_second` a second, keeping bodies and
/// attributes. `keep` decides which to move; the rest stay in `from`.
pub async fn redrive_loop(
    from: &dyn QueueConsumer,
    to: &dyn QueueConsumer,
    per_second: u32,
    keep: impl Fn(&DeadLetter) -> bool,
) -> Result<RedriveReport, QueueError> {
    let mut report = RedriveReport::default();
    let pause = Duration::from_secs_f64(1.0 / f64::from(per_second.max(1)));
    let mut skipped_receipts = Vec::new();
    let mut skipped_ids = HashSet::new();
    loop {
        let batch = from.receive(10, Duration::from_millis(500), SCAN_VISIBILITY).await?;
        let fresh: Vec<ReceivedMessage> = batch
            .into_iter()
            .filter(|m| {
                if skipped_ids.contains(&m.message_id) {
                    skipped_receipts.push(m.receipt_handle.clone());
                    false
                } else {
                    true
                }
            })
            .collect();
        if fresh.is_empty() {
            break;
        }
        for message in fresh {
            let letter = DeadLetter {
                envelope: Envelope::decode(&message.body).ok(),
                message,
            };
            if !keep(&letter) {
                skipped_ids.insert(letter.message.message_id.clone());
                skipped_receipts.push(letter.message.receipt_handle.clone());
                report.skipped += 1;
                continue;
            }
            let started = Instant::now();
            to.send_raw(&letter.message.body, &letter.message.attributes).await?;
            from.delete(&letter.message.receipt_handle).await?;
            report.moved += 1;
            tokio::time::sleep_until(started + pause).await;
        }
    }
    for receipt in skipped_receipts {
        from.change_visibility(&receipt, Duration::ZERO).await?;
    }
    Ok(report)
}
