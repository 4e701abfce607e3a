//! SQS semantics, checked twice: against the in-process queue and against SQS itself (the moto
//! server), so the local stack behaves as production does.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tipline_shared::queue::memory::MemoryQueue;
use tipline_shared::queue::poller::{gather, settle, BatchHandler, PollerSettings};
use tipline_shared::queue::redrive;
use tipline_shared::queue::sqs::SqsQueue;
use tipline_shared::queue::{QueueConsumer, QueueError, ReceivedMessage};
use tokio::time::Instant;

struct Pair {
    queue: Arc<dyn QueueConsumer>,
    dlq: Arc<dyn QueueConsumer>,
    old_receipts: OldReceipts,
}

/// What a delete with the receipt of an earlier receive does: the one place the queues differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OldReceipts {
    /// Refused with `QueueError::StaleReceipt`, the message kept (the in-process queue).
    Refused,
    /// Accepted, the message deleted: moto honours every handle a message ever had. SQS itself
    /// also answers success but documents that the message "might not be deleted".
    Honoured,
}

fn memory(max_receives: u32) -> Pair {
    let dlq = Arc::new(MemoryQueue::new("dlq"));
    let queue = Arc::new(MemoryQueue::with_redrive("inbound", dlq.clone(), max_receives));
    Pair {
        queue,
        dlq,
        old_receipts: OldReceipts::Refused,
    }
}

async fn moto(max_receives: u32) -> Pair {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`, which starts a moto server"
    );
    let client =
        aws_sdk_sqs::Client::new(&tipline_shared::aws::load(2, Duration::from_secs(3), Duration::from_secs(25)).await);
    let (queue, dlq) = SqsQueue::create_with_dlq(&client, &format!("inbound-{}", uuid::Uuid::new_v4()), max_receives)
        .await
        .expect("moto creates the queues");
    Pair {
        queue: Arc::new(queue),
        dlq: Arc::new(dlq),
        old_receipts: OldReceipts::Honoured,
    }
}

const NO_WAIT: Duration = Duration::ZERO;
const HIDE: Duration = Duration::from_secs(30);

async fn send(pair: &Pair, bodies: &[&str]) {
    for body in bodies {
        pair.queue
            .send_raw(body, &[("message_id".to_owned(), format!("id-{body}"))])
            .await
            .expect("send");
    }
}

/// Receives until `count` messages arrived or the bound runs out (SQS may return fewer per call).
async fn receive_all(queue: &dyn QueueConsumer, count: usize, visibility: Duration) -> Vec<ReceivedMessage> {
    let mut all = Vec::new();
    let give_up = Instant::now() + Duration::from_secs(10);
    while all.len() < count && Instant::now() < give_up {
        all.extend(
            queue
                .receive(10, Duration::from_millis(200), visibility)
                .await
                .expect("receive"),
        );
    }
    all
}

/// Asserts one short receive gets nothing, saying `why` it should not.
async fn assert_nothing_to_receive(queue: &dyn QueueConsumer, why: &str) {
    let got = queue
        .receive(10, Duration::from_millis(200), HIDE)
        .await
        .expect("receive");
    assert!(got.is_empty(), "{why}: received {} messages", got.len());
}

async fn received_messages_hide_until_deleted_or_released(pair: Pair) {
    send(&pair, &["a", "b", "c"]).await;
    let mut first = receive_all(pair.queue.as_ref(), 3, HIDE).await;
    first.sort_by(|x, y| x.body.cmp(&y.body));
    assert_eq!(
        first.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(),
        ["a", "b", "c"]
    );
    assert!(first.iter().all(|m| m.receive_count == 1));
    assert!(first[0]
        .attributes
        .contains(&("message_id".to_owned(), "id-a".to_owned())));
    assert!(
        pair.queue.receive(10, NO_WAIT, HIDE).await.expect("receive").is_empty(),
        "in flight: hidden"
    );

    pair.queue.delete(&first[0].receipt_handle).await.expect("delete");
    pair.queue
        .change_visibility(&first[1].receipt_handle, Duration::ZERO)
        .await
        .expect("release");
    let again = receive_all(pair.queue.as_ref(), 1, HIDE).await;
    assert_eq!(again.len(), 1);
    assert_eq!((again[0].body.as_str(), again[0].receive_count), ("b", 2));
}

async fn the_visibility_timeout_brings_a_message_back(pair: Pair) {
    send(&pair, &["x"]).await;
    let first = receive_all(pair.queue.as_ref(), 1, Duration::from_secs(1)).await;
    assert_eq!(first.len(), 1);
    // Poll (bounded) until the one-second visibility timeout lapses.
    let back = receive_all(pair.queue.as_ref(), 1, HIDE).await;
    assert_eq!(back.len(), 1, "the message came back after its visibility timeout");
    assert_eq!(back[0].receive_count, 2);
}

async fn redrive_moves_a_message_after_max_receives(pair: Pair) {
    send(&pair, &["poison"]).await;
    for receive in 1..=2u32 {
        let got = receive_all(pair.queue.as_ref(), 1, HIDE).await;
        assert_eq!(got.len(), 1, "receive {receive}");
        assert_eq!(got[0].receive_count, receive);
        pair.queue
            .change_visibility(&got[0].receipt_handle, Duration::ZERO)
            .await
            .expect("release");
    }
    assert_nothing_to_receive(pair.queue.as_ref(), "moved, not received a third time").await;
    let dead = receive_all(pair.dlq.as_ref(), 1, HIDE).await;
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].body, "poison");
}

async fn batches_are_capped_and_gathered_within_the_window(pair: Pair) {
    let bodies: Vec<String> = (0..15).map(|n| format!("m{n}")).collect();
    send(&pair, &bodies.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let settings = PollerSettings {
        batch_size: 10,
        batching_window: Duration::from_millis(500),
        visibility_timeout: HIDE,
        max_concurrency: 1,
        wait: Duration::from_millis(500),
    };
    let first = gather(pair.queue.as_ref(), &settings).await;
    assert!(!first.is_empty() && first.len() <= 10, "batch of {}", first.len());
    let mut seen = first.len();
    let give_up = Instant::now() + Duration::from_secs(10);
    while seen < 15 && Instant::now() < give_up {
        let batch = gather(pair.queue.as_ref(), &settings).await;
        assert!(batch.len() <= 10);
        seen += batch.len();
    }
    assert_eq!(seen, 15, "every message arrives in some batch, none twice");
}

struct FailOne {
    fail_body: &'static str,
    seen: Mutex<Vec<String>>,
}

#[async_trait]
impl BatchHandler for FailOne {
    async fn handle(&self, batch: Vec<ReceivedMessage>) -> Vec<String> {
        self.seen
            .lock()
            .expect("lock")
            .extend(batch.iter().map(|m| m.body.clone()));
        batch
            .into_iter()
            .filter(|m| m.body == self.fail_body)
            .map(|m| m.message_id)
            .collect()
    }
}

async fn partial_failure_deletes_the_rest_and_redelivers_the_failed(pair: Pair) {
    send(&pair, &["ok-1", "bad", "ok-2"]).await;
    let handler = FailOne {
        fail_body: "bad",
        seen: Mutex::default(),
    };
    let batch = receive_all(pair.queue.as_ref(), 3, Duration::from_secs(1)).await;
    settle(pair.queue.as_ref(), &handler, batch).await;
    let back = receive_all(pair.queue.as_ref(), 1, HIDE).await;
    assert_eq!(
        back.iter()
            .map(|m| (m.body.as_str(), m.receive_count))
            .collect::<Vec<_>>(),
        [("bad", 2)]
    );
    assert_nothing_to_receive(pair.queue.as_ref(), "successes were deleted").await;
}

async fn peeking_leaves_messages_and_redrive_loses_nothing(pair: Pair) {
    // Three messages fail their way into the DLQ.
    send(&pair, &["r1", "r2", "r3"]).await;
    for _ in 0..2 {
        for message in receive_all(pair.queue.as_ref(), 3, HIDE).await {
            pair.queue
                .change_visibility(&message.receipt_handle, Duration::ZERO)
                .await
                .expect("release");
        }
    }
    assert_nothing_to_receive(pair.queue.as_ref(), "the source queue is empty").await;
    let peeked = redrive::peek(pair.dlq.as_ref(), 10).await.expect("peek");
    assert_eq!(peeked.len(), 3);
    assert_eq!(
        redrive::peek(pair.dlq.as_ref(), 10).await.expect("peek again").len(),
        3,
        "peek removes nothing"
    );

    let report = redrive::redrive_loop(pair.dlq.as_ref(), pair.queue.as_ref(), 100, |l| l.message.body != "r3")
        .await
        .expect("redrive");
    assert_eq!((report.moved, report.skipped), (2, 1));
    let mut moved: Vec<String> = receive_all(pair.queue.as_ref(), 2, HIDE)
        .await
        .into_iter()
        .map(|m| m.body)
        .collect();
    moved.sort();
    assert_eq!(moved, ["r1", "r2"]);
    let left = redrive::peek(pair.dlq.as_ref(), 10).await.expect("peek");
    assert_eq!(
        left.iter().map(|l| l.message.body.as_str()).collect::<Vec<_>>(),
        ["r3"],
        "the skipped one stays"
    );
    assert!(left[0].message.attributes.iter().any(|(k, _)| k == "message_id"));
}

/// Messages waiting or in flight (approximate on SQS, exact on moto and in memory).
async fn held(queue: &dyn QueueConsumer) -> u64 {
    let depth = queue.depth().await.expect("depth");
    depth.visible + depth.in_flight
}

async fn a_stale_receipt_never_deletes_silently(pair: Pair) {
    send(&pair, &["slow"]).await;
    let first = receive_all(pair.queue.as_ref(), 1, Duration::from_secs(1)).await;
    assert_eq!(first.len(), 1);
    // The first receive's visibility lapses and another worker receives the message.
    let second = receive_all(pair.queue.as_ref(), 1, HIDE).await;
    assert_eq!(second.len(), 1);
    assert_ne!(first[0].receipt_handle, second[0].receipt_handle);

    let stale = pair.queue.delete(&first[0].receipt_handle).await;
    match pair.old_receipts {
        OldReceipts::Refused => {
            assert!(matches!(stale, Err(QueueError::StaleReceipt { .. })), "{stale:?}");
            assert_eq!(held(pair.queue.as_ref()).await, 1, "the message stays");
        }
        OldReceipts::Honoured => {
            assert!(stale.is_ok(), "{stale:?}");
            assert_eq!(
                held(pair.queue.as_ref()).await,
                0,
                "moto deletes with any handle it issued"
            );
        }
    }
    // The latest receipt deletes (or finds it already deleted), everywhere.
    pair.queue
        .delete(&second[0].receipt_handle)
        .await
        .expect("delete with the latest receipt");
    assert_eq!(held(pair.queue.as_ref()).await, 0);
    // A handle never issued is refused by every queue, as the same typed error.
    for refused in [
        pair.queue.delete("never-issued").await,
        pair.queue.change_visibility("never-issued", Duration::ZERO).await,
    ] {
        assert!(matches!(refused, Err(QueueError::StaleReceipt { .. })), "{refused:?}");
    }
}

/// Log lines written while the guard lives, for asserting what the poller reports.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Logs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

/// A batch that outlives its visibility timeout: its delete is refused, and the poller says so
/// at WARN with the message id (never the body), instead of counting it deleted.
#[tokio::test]
async fn the_poller_warns_when_a_slow_batch_cannot_delete() {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let pair = memory(5);
    send(&pair, &["private body"]).await;
    let batch = receive_all(pair.queue.as_ref(), 1, Duration::from_secs(1)).await;
    assert_eq!(batch.len(), 1);
    let id = batch[0].message_id.clone();
    let again = receive_all(pair.queue.as_ref(), 1, HIDE).await;
    assert_eq!(again.len(), 1, "redelivered while the first batch still runs");

    let handler = FailOne {
        fail_body: "none",
        seen: Mutex::default(),
    };
    settle(pair.queue.as_ref(), &handler, batch).await;

    let text = logs.text();
    let line = text
        .lines()
        .find(|l| l.contains("WARN") && l.contains(&id))
        .unwrap_or_else(|| panic!("no warning naming {id}: {text}"));
    assert!(line.contains("stale"), "{line}");
    assert!(!text.contains("private body"), "{text}");
    assert_eq!(
        held(pair.queue.as_ref()).await,
        1,
        "still there for its current receiver"
    );
}

macro_rules! both {
    ($($name:ident => $max:expr),* $(,)?) => {
        mod in_memory {
            $(#[tokio::test] async fn $name() { super::$name(super::memory($max)).await })*
        }
        mod on_moto {
            $(#[tokio::test] async fn $name() { super::$name(super::moto($max).await).await })*
        }
    };
}

both! {
    received_messages_hide_until_deleted_or_released => 5,
    the_visibility_timeout_brings_a_message_back => 5,
    redrive_moves_a_message_after_max_receives => 2,
    batches_are_capped_and_gathered_within_the_window => 5,
    partial_failure_deletes_the_rest_and_redelivers_the_failed => 5,
    peeking_leaves_messages_and_redrive_loses_nothing => 2,
    a_stale_receipt_never_deletes_silently => 5,
}
