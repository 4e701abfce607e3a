//! The in-process queue of the local stack, with SQS's semantics: visibility timeout, receive
//! count, and redrive to a dead-letter queue after the configured number of receives.
//!
//! The same behavioural tests run against it and against SQS (moto), so the two are known to agree.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tokio::sync::Notify;
use tokio::time::Instant;

use super::{Envelope, Queue, QueueConsumer, QueueDepth, QueueError, ReceivedMessage};

#[derive(Debug, Clone)]
struct Stored {
    id: String,
    body: String,
    attributes: Vec<(String, String)>,
    sent_at: DateTime<Utc>,
    sent_instant: Instant,
    receive_count: u32,
    visible_at: Instant,
    receipt: Option<String>,
}

/// An in-memory queue, optionally redriving to a dead-letter queue.
#[derive(Debug)]
pub struct MemoryQueue {
    name: String,
    messages: Mutex<VecDeque<Stored>>,
    arrived: Notify,
    redrive: Option<(Arc<MemoryQueue>, u32)>,
}

impl MemoryQueue {
    /// A queue without a dead-letter queue.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            messages: Mutex::new(VecDeque::new()),
            arrived: Notify::new(),
            redrive: None,
        }
    }

    /// A queue whose messages move to `dlq` once received `max_receives` times without deletion.
    pub fn with_redrive(name: impl Into<String>, dlq: Arc<MemoryQueue>, max_receives: u32) -> Self {
        Self {
            redrive: Some((dlq, max_receives.max(1))),
            ..Self::new(name)
        }
    }

    /// The dead-letter queue, when there is one.
    pub fn dead_letter_queue(&self) -> Option<Arc<MemoryQueue>> {
        self.redrive.as_ref().map(|(dlq, _)| dlq.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Stored>> {
        // A panic while holding the lock leaves plain data behind; the queue stays usable.
        self.messages.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn push(&self, body: String, attributes: Vec<(String, String)>, sent_at: DateTime<Utc>) -> String {
        let id = uuid::Uuid::new_v4().to_string();
        let now = Instant::now();
        self.lock().push_back(Stored {
            id: id.clone(),
            body,
            attributes,
            sent_at,
            sent_instant: now,
            receive_count: 0,
            visible_at: now,
            receipt: None,
        });
        self.arrived.notify_waiters();
        id
    }

    /// Takes what is visible now; moves over-received messages to the DLQ as SQS does on receive.
    fn take_visible(&self, max: usize, visibility: Duration) -> (Vec<ReceivedMessage>, Option<Instant>) {
        let now = Instant::now();
        let mut taken = Vec::new();
        let mut dead = Vec::new();
        let mut next_visible: Option<Instant> = None;
        {
            let mut messages = self.lock();
            let mut index = 0;
            while index < messages.len() && taken.len() < max {
                let message = &mut messages[index];
                if message.visible_at > now {
                    next_visible = Some(next_visible.map_or(message.visible_at, |n| n.min(message.visible_at)));
                    index += 1;
                    continue;
                }
                if let Some((_, max_receives)) = &self.redrive {
                    if message.receive_count >= *max_receives {
                        if let Some(moved) = messages.remove(index) {
                            dead.push(moved);
                        }
                        continue;
                    }
                }
                message.receive_count += 1;
                message.visible_at = now + visibility;
                let receipt = uuid::Uuid::new_v4().to_string();
                message.receipt = Some(receipt.clone());
                taken.push(ReceivedMessage {
                    message_id: message.id.clone(),
                    receipt_handle: receipt,
                    body: message.body.clone(),
                    receive_count: message.receive_count,
                    sent_at: message.sent_at,
                    attributes: message.attributes.clone(),
                });
                index += 1;
            }
        }
        if let Some((dlq, _)) = &self.redrive {
            for message in dead {
                tracing::warn!(queue = %self.name, message_id = %message.id, "moved to the dead-letter queue");
                dlq.push(message.body, message.attributes, message.sent_at);
            }
        }
        (taken, next_visible)
    }

    fn stale_receipt(&self) -> QueueError {
        QueueError::StaleReceipt {
            target: format!("in-process queue `{}`", self.name),
        }
    }

    /// Every message, visible or not, without receiving it (for `dlq peek` on the local stack).
    pub fn snapshot(&self) -> Vec<(String, String, u32)> {
        self.lock()
            .iter()
            .map(|m| (m.id.clone(), m.body.clone(), m.receive_count))
            .collect()
    }
}

#[async_trait]
impl Queue for MemoryQueue {
    async fn send(&self, envelope: &Envelope) -> Result<String, QueueError> {
        let attributes = envelope
            .attributes()
            .pairs()
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Ok(self.push(envelope.encode(), attributes, Utc::now()))
    }

    fn describe(&self) -> String {
        match &self.redrive {
            Some((dlq, max)) => format!(
                "in-process queue `{}` (redrive to `{}` after {max} receives)",
                self.name, dlq.name
            ),
            None => format!("in-process queue `{}`", self.name),
        }
    }
}

#[async_trait]
impl QueueConsumer for MemoryQueue {
    async fn receive(
        &self,
        max: usize,
        wait: Duration,
        visibility: Duration,
    ) -> Result<Vec<ReceivedMessage>, QueueError> {
        let give_up = Instant::now() + wait;
        loop {
            let notified = self.arrived.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (taken, next_visible) = self.take_visible(max.max(1), visibility);
            if !taken.is_empty() || Instant::now() >= give_up {
                return Ok(taken);
            }
            let wake = next_visible.map_or(give_up, |at| at.min(give_up));
            let _ = tokio::time::timeout_at(wake, notified).await;
        }
    }

    async fn delete(&self, receipt_handle: &str) -> Result<(), QueueError> {
        // Only the latest receive may delete: an older receipt means the message is in someone
        // else's hands now, and saying "deleted" would hide that it will be processed again.
        let deleted = {
            let mut messages = self.lock();
            let before = messages.len();
            messages.retain(|m| m.receipt.as_deref() != Some(receipt_handle));
            messages.len() < before
        };
        if !deleted {
            return Err(self.stale_receipt());
        }
        Ok(())
    }

    async fn change_visibility(&self, receipt_handle: &str, timeout: Duration) -> Result<(), QueueError> {
        let found = {
            let mut messages = self.lock();
            match messages
                .iter_mut()
                .find(|m| m.receipt.as_deref() == Some(receipt_handle))
            {
                Some(message) => {
                    message.visible_at = Instant::now() + timeout;
                    true
                }
                None => false,
            }
        };
        if !found {
            return Err(self.stale_receipt());
        }
        self.arrived.notify_waiters();
        Ok(())
    }

    async fn send_raw(&self, body: &str, attributes: &[(String, String)]) -> Result<String, QueueError> {
        Ok(self.push(body.to_owned(), attributes.to_vec(), Utc::now()))
    }

    async fn depth(&self) -> Result<QueueDepth, QueueError> {
        let now = Instant::now();
        let messages = self.lock();
        let visible = messages.iter().filter(|m| m.visible_at <= now).count() as u64;
        let oldest_age = messages
            .iter()
            .map(|m| now.saturating_duration_since(m.sent_instant))
            .max();
        Ok(QueueDepth {
            visible,
            in_flight: messages.len() as u64 - visible,
            oldest_age,
        })
    }
}
