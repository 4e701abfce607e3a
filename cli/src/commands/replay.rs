//! `tipline replay <MessageSid>`: one dead-lettered message back through the pipeline.

use std::time::Duration;

use anyhow::{bail, Context as _};
use tipline_shared::config::{self, Env};
use tipline_shared::domain::MessageSid;
use tipline_shared::queue::{Envelope, QueueConsumer};

use super::dlq::Queues;
use crate::local::parts::Database;

/// Finds the message in the DLQ, reopens a permanently failed claim, and requeues it.
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
