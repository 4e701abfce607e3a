//! The redrive policy, not our code, moves a message that always fails to the DLQ.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use aws_sdk_sqs::types::MessageSystemAttributeName;
use sqlx::PgPool;
use tipline_processor::process_batch;
use tipline_shared::queue::sqs::SqsQueue;
use tipline_shared::store::postgres::PgStore;

use crate::helpers::*;

async fn sqs() -> aws_sdk_sqs::Client {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`, which starts a moto server"
    );
    aws_sdk_sqs::Client::new(&tipline_shared::aws::load(2, Duration::from_secs(2), Duration::from_secs(5)).await)
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_message_that_always_fails_is_received_three_times_then_lands_in_the_dlq(pool: PgPool) {
    let sqs = sqs().await;
    let (queue, dlq) = SqsQueue::create_with_dlq(&sqs, &format!("inbound-{}", uuid::Uuid::new_v4()), 3)
        .await
        .expect("moto creates the queues");
    let (queue_url, dlq_url) = (queue.url().to_owned(), dlq.url().to_owned());
    sqs.send_message()
        .queue_url(&queue_url)
        .message_body(envelope(1, "check this please"))
        .send()
        .await
        .expect("send");

    let twilio = twilio().await;
    let analyzer = Arc::new(ScriptedAnalyzer {
        fail_all: true,
        ..Default::default()
    });
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer.clone(), 1);

    // Drive the processor as Lambda's event source does; a failed message becomes visible again
    // at once here (visibility 0) instead of after the timeout, which is all this test skips.
    let mut in_dlq = Vec::new();
    for _ in 0..10 {
        let received = sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            .message_system_attribute_names(MessageSystemAttributeName::All)
            .send()
            .await
            .expect("receive")
            .messages
            .unwrap_or_default();
        if received.is_empty() {
            in_dlq = sqs
                .receive_message()
                .queue_url(&dlq_url)
                .send()
                .await
                .expect("dlq receive")
                .messages
                .unwrap_or_default();
            if !in_dlq.is_empty() {
                break;
            }
            continue;
        }
        let records: Vec<(String, String, u32)> = received
            .iter()
            .map(|m| {
                let attributes: HashMap<String, String> = m
                    .attributes
                    .clone()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v))
                    .collect();
                let receives = attributes
                    .get("ApproximateReceiveCount")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1);
                (
                    m.message_id.clone().unwrap_or_default(),
                    m.body.clone().unwrap_or_default(),
                    receives,
                )
            })
            .collect();
        let borrowed: Vec<(&str, String, u32)> = records
            .iter()
            .map(|(id, body, n)| (id.as_str(), body.clone(), *n))
            .collect();
        let result = process_batch(app.clone(), event(&borrowed), deadline()).await;
        for message in &received {
            let id = message.message_id.clone().unwrap_or_default();
            let handle = message.receipt_handle.clone().unwrap_or_default();
            if result
                .response
                .batch_item_failures
                .iter()
                .any(|f| f.item_identifier == id)
            {
                sqs.change_message_visibility()
                    .queue_url(&queue_url)
                    .receipt_handle(handle)
                    .visibility_timeout(0)
                    .send()
                    .await
                    .expect("visibility");
            } else {
                sqs.delete_message()
                    .queue_url(&queue_url)
                    .receipt_handle(handle)
                    .send()
                    .await
                    .expect("delete");
            }
        }
    }
    assert_eq!(in_dlq.len(), 1, "the message is in the DLQ");
    assert!(in_dlq[0].body.as_deref().unwrap_or_default().contains(&sid(1)));
    assert_eq!(
        analyzer.calls.load(Ordering::SeqCst),
        3,
        "received and attempted exactly three times"
    );
    assert_eq!(
        sends_to(&twilio, &sender(1)).await,
        1,
        "one honest fallback reply on the last receive"
    );
}
