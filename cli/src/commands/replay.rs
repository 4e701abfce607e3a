//! `tipline replay <MessageSid>`: one failed message back through the pipeline: a permanently
//! failed one from the database (it was acknowledged, so it is not in the DLQ), else a
//! dead-lettered one from the DLQ.

use std::time::Duration;

use anyhow::{bail, Context as _};
use tipline_shared::config::{self, Env};
use tipline_shared::domain::MessageSid;
use tipline_shared::queue::{Envelope, QueueConsumer};

use super::dlq::Queues;
use crate::local::parts::Database;

/// Finds the message (database first, then the DLQ), reopens a permanently failed claim, and
/// requeues it.
pub async fn run(raw_sid: &str) -> anyhow::Result<()> {
    let sid = MessageSid::parse(raw_sid)?;
    let queues = Queues::from_env().await?;
    let store = match config::optional(&Env, "DATABASE_URL") {
        Some(url) => Some(Database::parse(&url)?.open().await?),
        None => None,
    };
    if let Some(store) = &store {
        if let Some(info) = store.claim_info(&sid).await? {
            if info.status == "done" {
                bail!("{sid} was already processed and answered; replaying it would do nothing");
            }
            if info.status == "failed" {
                if let Some(envelope) = store.replayable(&sid).await? {
                    // Reopened first: a processor that took the message before would see a
                    // failed claim and drop it as a duplicate.
                    store.reopen(&sid).await?;
                    queues
                        .main
                        .send_raw(&envelope, &[])
                        .await
                        .context("reopened, but could not requeue the failed message")?;
                    println!(
                        "{sid} failed permanently ({}); reopened its claim and requeued it from the database",
                        info.last_error.as_deref().unwrap_or("no reason recorded")
                    );
                    return Ok(());
                }
            }
        }
    }

    let mut others = Vec::new();
    let mut found = None;
    for _ in 0..100 {
        let batch = queues
            .dlq
            .receive(10, Duration::from_millis(500), Duration::from_secs(30))
            .await?;
        if batch.is_empty() {
            break;
        }
        for message in batch {
            let matches = Envelope::decode(&message.body).is_ok_and(|e| e.message_sid == sid);
            if matches && found.is_none() {
                found = Some(message);
            } else {
                others.push(message.receipt_handle);
            }
        }
        if found.is_some() {
            break;
        }
    }
    for receipt in others {
        queues.dlq.change_visibility(&receipt, Duration::ZERO).await?;
    }
    let Some(message) = found else {
        bail!("{sid} is not in the DLQ ({}); nothing to replay", queues.dlq.url());
    };
    if let Some(store) = &store {
        if store.reopen(&sid).await? {
            println!("reopened the failed claim of {sid}");
        }
    }
    queues
        .main
        .send_raw(&message.body, &message.attributes)
        .await
        .context("could not requeue; it stays in the DLQ")?;
    queues.dlq.delete(&message.receipt_handle).await?;
    println!("{sid} moved from the DLQ back to the queue");
    Ok(())
}
