//! The batch engine's own overhead per record: `process_batch` on a batch of 10 tips with
//! instant stand-ins (a store that answers from nothing, a messenger that accepts at once, the
//! offline rules as analyser), so what is measured is parsing, grouping, the task per group,
//! claim → analyse → save → reply → complete orchestration and the response, not I/O.
//!
//! Run: `cargo bench -p tipline-processor --bench batch_engine`

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_lambda_events::event::sqs::SqsEvent;
use chrono::{DateTime, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tipline_processor::{process_batch, AppState, Settings};
use tipline_shared::analysis::OfflineAnalyzer;
use tipline_shared::domain::{MessageSid, ReplyText, WhatsAppAddress};
use tipline_shared::media::{MediaDownloader, MediaPolicy, ObjectMediaStore};
use tipline_shared::queue::Envelope;
use tipline_shared::store::{
    AgedMedia, BlockedSender, ClaimInfo, ClaimOutcome, DeletionRequest, Erased, GroupRecord, LastVerdict, NewClaim,
    NewSubmission, ReplyKind, ReplyRecord, Route, SenderMedia, SenderStanding, Store, StoreError, Submission,
    TipAllowance, TipLimits,
};
use tipline_shared::twilio::messages::{Messenger, SendError, SentMessage, TwilioAuth};
use tipline_shared::twilio::{InboundMessage, TwilioForm};
use tipline_shared::Secret;
use tokio::time::Instant;
use uuid::Uuid;

const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";

/// A store that owns nothing: every claim succeeds, nothing was ever replied.
#[derive(Debug)]
struct InstantStore;

#[async_trait]
impl Store for InstantStore {
    async fn claim(&self, _: &NewClaim) -> Result<ClaimOutcome, StoreError> {
        Ok(ClaimOutcome::Claimed { attempts: 1 })
    }
    async fn release(&self, _: &MessageSid, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn fail(&self, _: &MessageSid, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn reopen(&self, _: &MessageSid) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn complete(&self, _: &MessageSid, _: Option<Uuid>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn claim_info(&self, _: &MessageSid) -> Result<Option<ClaimInfo>, StoreError> {
        Ok(None)
    }
    async fn record_conflict(&self, _: &MessageSid, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn record_rejected(&self, _: &str, _: &str, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn save_submission(&self, submission: &NewSubmission) -> Result<Uuid, StoreError> {
        Ok(submission.id)
    }
    async fn submission_by_message(&self, _: &str) -> Result<Option<Submission>, StoreError> {
        Ok(None)
    }
    async fn submission(&self, _: Uuid) -> Result<Option<Submission>, StoreError> {
        Ok(None)
    }
    async fn record_inbound(&self, _: &str, _: DateTime<Utc>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn record_verdict(&self, _: &str, _: Uuid, _: DateTime<Utc>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn last_verdict(&self, _: &str) -> Result<Option<LastVerdict>, StoreError> {
        Ok(None)
    }
    async fn store_feedback(&self, _: Uuid, _: &str, _: DateTime<Utc>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn reply(&self, _: &MessageSid, _: ReplyKind) -> Result<Option<ReplyRecord>, StoreError> {
        Ok(None)
    }
    async fn begin_reply(&self, _: &MessageSid, _: ReplyKind, _: &str, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn finish_reply(&self, _: &MessageSid, _: ReplyKind, _: Result<&str, &str>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn claim_privacy_notice(&self, _: &str, _: &MessageSid, _: DateTime<Utc>) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn request_deletion(&self, _: &MessageSid, _: &str, _: DateTime<Utc>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn pending_deletion(&self, _: &str, _: DateTime<Utc>) -> Result<Option<DeletionRequest>, StoreError> {
        Ok(None)
    }
    async fn confirm_deletion(&self, _: &MessageSid, _: &MessageSid) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn deletion_confirmed_by(&self, _: &MessageSid) -> Result<Option<DeletionRequest>, StoreError> {
        Ok(None)
    }
    async fn sender_media(&self, _: &str) -> Result<SenderMedia, StoreError> {
        Ok(SenderMedia::default())
    }
    async fn export_sender(&self, _: &str) -> Result<serde_json::Value, StoreError> {
        Ok(serde_json::Value::Null)
    }
    async fn record_twilio_media(&self, _: &str, _: &MessageSid, _: Result<(), &str>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn twilio_media_pending(&self, _: u32) -> Result<Vec<(String, MessageSid)>, StoreError> {
        Ok(Vec::new())
    }
    async fn senders_to_pseudonymize(&self, _: DateTime<Utc>, _: u32) -> Result<Vec<String>, StoreError> {
        Ok(Vec::new())
    }
    async fn pseudonymize_sender(&self, _: &str, _: &str, _: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(0)
    }
    async fn media_older_than(&self, _: DateTime<Utc>, _: u32) -> Result<Vec<AgedMedia>, StoreError> {
        Ok(Vec::new())
    }
    async fn forget_media(&self, _: Uuid) -> Result<(), StoreError> {
        Ok(())
    }
    async fn text_older_than(&self, _: DateTime<Utc>, _: u32) -> Result<Vec<Uuid>, StoreError> {
        Ok(Vec::new())
    }
    async fn erase_text(&self, _: &[Uuid], _: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(0)
    }
    async fn erase_sender(&self, _: &str, _: &MessageSid) -> Result<Erased, StoreError> {
        Ok(Erased::default())
    }
    async fn join_group(&self, members: &[MessageSid]) -> Result<GroupRecord, StoreError> {
        Ok(GroupRecord {
            key: members[0].clone(),
            route: None,
        })
    }
    async fn set_route(&self, _: &MessageSid, _: Route) -> Result<(), StoreError> {
        Ok(())
    }
    async fn complete_group(&self, _: &[MessageSid], _: Option<Uuid>) -> Result<(), StoreError> {
        Ok(())
    }
    async fn keep_for_replay(&self, _: &MessageSid, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn replayable(&self, _: &MessageSid) -> Result<Option<String>, StoreError> {
        Ok(None)
    }
    async fn standing(&self, _: &str) -> Result<SenderStanding, StoreError> {
        Ok(SenderStanding::default())
    }
    async fn opt_out(&self, _: &str, _: &MessageSid, _: &str) -> Result<bool, StoreError> {
        Ok(true)
    }
    async fn opt_in(&self, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn record_unsent(&self, _: &MessageSid, _: ReplyKind, _: &str, _: &str, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn take_tip(&self, _: &str, _: &MessageSid, _: TipLimits) -> Result<TipAllowance, StoreError> {
        Ok(TipAllowance::Allowed)
    }
    async fn block_sender(&self, _: &str) -> Result<bool, StoreError> {
        Ok(true)
    }
    async fn unblock_sender(&self, _: &str) -> Result<bool, StoreError> {
        Ok(true)
    }
    async fn blocked_senders(&self) -> Result<Vec<BlockedSender>, StoreError> {
        Ok(Vec::new())
    }
}

/// Accepts every reply at once.
#[derive(Debug)]
struct InstantMessenger;

#[async_trait]
impl Messenger for InstantMessenger {
    async fn send(&self, _: &WhatsAppAddress, _: &ReplyText, _: Instant) -> Result<SentMessage, SendError> {
        Ok(SentMessage { sid: "SMbench".into() })
    }
    fn describe(&self) -> String {
        "instant".into()
    }
}

fn state() -> Arc<AppState> {
    let auth = TwilioAuth::Account {
        token: Secret::new("bench"),
    };
    let policy = MediaPolicy::new("http://127.0.0.1:9", ACCOUNT).expect("policy");
    let media_dir = std::env::temp_dir().join("tipline-bench-batch-engine");
    Arc::new(AppState {
        store: Arc::new(InstantStore),
        messenger: Arc::new(InstantMessenger),
        analyzer: Arc::new(OfflineAnalyzer),
        downloader: Arc::new(MediaDownloader::new(policy, auth).expect("downloader")),
        media_store: Arc::new(ObjectMediaStore::local(&media_dir).expect("media dir")),
        transcriber: None,
        settings: Settings::default(),
    })
}

/// A batch of ten tips from ten senders, shaped as Lambda delivers it.
fn batch() -> SqsEvent {
    let records: Vec<serde_json::Value> = (0..10u32)
        .map(|n| {
            let pairs = vec![
                ("MessageSid".to_owned(), format!("SM{n:032x}")),
                ("AccountSid".to_owned(), ACCOUNT.to_owned()),
                ("From".to_owned(), format!("whatsapp:+1555{n:07}")),
                ("To".to_owned(), "whatsapp:+14155238886".to_owned()),
                (
                    "Body".to_owned(),
                    format!("Your parcel {n} is on hold. Pay the 1.99 fee today at https://bit.ly/p{n}"),
                ),
                ("NumMedia".to_owned(), "0".to_owned()),
            ];
            let message = InboundMessage::try_from(TwilioForm::from_pairs(pairs)).expect("message");
            serde_json::json!({
                "messageId": Uuid::new_v4().to_string(),
                "receiptHandle": "r",
                "body": Envelope::new(&message, Utc::now(), None, None).encode(),
                "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1795342530200"},
                "messageAttributes": {},
                "eventSource": "aws:sqs",
                "eventSourceARN": "arn:aws:sqs:eu-west-1:123456789012:tipline-inbound",
                "awsRegion": "eu-west-1",
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({ "Records": records })).expect("an SqsEvent")
}

fn batch_engine(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let state = state();
    let event = batch();
    let mut group = c.benchmark_group("batch_engine");
    group.throughput(Throughput::Elements(event.records.len() as u64));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("process_batch_10_records_instant_standins", |b| {
        b.to_async(&runtime).iter(|| async {
            let result = process_batch(state.clone(), event.clone(), Instant::now() + Duration::from_secs(30)).await;
            assert_eq!(result.counts.processed, 10);
        });
    });
    group.finish();
}

criterion_group!(benches, batch_engine);
criterion_main!(benches);
