//! Shared set-up: fixture events, envelopes, a Twilio stand-in, and state over a test database.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_lambda_events::event::sqs::SqsEvent;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use tipline_processor::{AppState, Settings};
use tipline_shared::analysis::{Analysis, AnalyzeError, Analyzer, OfflineAnalyzer, Tip};
use tipline_shared::domain::MessageSid;
use tipline_shared::media::{MediaDownloader, MediaPolicy, MediaStore, ObjectMediaStore};
use tipline_shared::queue::Envelope;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::{
    AgedMedia, BlockedSender, ClaimInfo, ClaimOutcome, DeletionRequest, Erased, GroupRecord, LastVerdict, NewClaim,
    NewSubmission, ReplyKind, ReplyRecord, Route, SenderMedia, SenderStanding, Store, StoreError, Submission,
    TipAllowance, TipLimits,
};
use tipline_shared::twilio::messages::{Sender, TwilioAuth, TwilioMessenger};
use tipline_shared::twilio::{InboundMessage, TwilioForm};
use tipline_shared::Secret;
use tokio::time::Instant;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

pub const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
pub const MESSAGES_PATH: &str = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";

/// The SID of test message `n`.
pub fn sid(n: u32) -> String {
    format!("SM{n:032x}")
}

/// The sender of test message `n`: each message its own sender, so replies can be counted per message.
pub fn sender(n: u32) -> String {
    format!("whatsapp:+1555{n:07}")
}

/// A queue body for message `n` with this text, as the webhook would have written it.
pub fn envelope(n: u32, text: &str) -> String {
    envelope_from(n, n, text, &[])
}

/// A queue body for message `n` from sender `from`, with media given as (URL, content type).
pub fn envelope_from(n: u32, from: u32, text: &str, media: &[(String, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = vec![
        ("MessageSid".into(), sid(n)),
        ("AccountSid".into(), ACCOUNT.into()),
        ("From".into(), sender(from)),
        ("To".into(), "whatsapp:+14155238886".into()),
        ("Body".into(), text.into()),
        ("NumMedia".into(), media.len().to_string()),
    ];
    for (index, (url, content_type)) in media.iter().enumerate() {
        pairs.push((format!("MediaUrl{index}"), url.clone()));
        pairs.push((format!("MediaContentType{index}"), (*content_type).to_owned()));
    }
    let message = InboundMessage::try_from(TwilioForm::from_pairs(pairs)).expect("valid test message");
    Envelope::new(&message, Utc::now(), None, None).encode()
}

/// Twilio's id for attachment `n`.
pub fn media_sid(n: u32) -> String {
    format!("ME{n:032x}")
}

/// The path of attachment `media` of message `n` under our account, as Twilio's API serves it.
pub fn media_path(n: u32, media: u32) -> String {
    format!(
        "/2010-04-01/Accounts/{ACCOUNT}/Messages/{}/Media/{}",
        sid(n),
        media_sid(media)
    )
}

/// A CDN stand-in's `host:port`, for the redirect allow-list.
pub fn host_of(server: &MockServer) -> String {
    server.address().to_string()
}

/// Serves attachment `media` of message `n` as Twilio does: the credentialed API request is
/// answered with a redirect to a pre-signed CDN URL, where the bytes are. Each hop expected once.
pub async fn serve_media(
    twilio: &MockServer,
    cdn: &MockServer,
    n: u32,
    media: u32,
    content_type: &str,
    bytes: Vec<u8>,
) {
    let signed = format!("/media/{}", media_sid(media));
    Mock::given(method("GET"))
        .and(path(media_path(n, media)))
        .and(wiremock::matchers::header_exists("authorization"))
        .respond_with(ResponseTemplate::new(307).insert_header(
            "location",
            format!("{}{signed}?X-Amz-Signature=abc", cdn.uri()).as_str(),
        ))
        .expect(1)
        .mount(twilio)
        .await;
    Mock::given(method("GET"))
        .and(path(signed))
        .respond_with(ResponseTemplate::new(200).set_body_raw(bytes, content_type))
        .expect(1)
        .mount(cdn)
        .await;
}

/// A tiny PNG-shaped payload (the analysers only need bytes).
pub fn png(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(seed, 64));
    bytes
}

/// An SQS event built from the real fixture's shape: (message id, body, receive count) per record.
pub fn event(records: &[(&str, String, u32)]) -> SqsEvent {
    let path = format!("{}/tests/fixtures/sqs_event.json", env!("CARGO_MANIFEST_DIR"));
    let fixture: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("json");
    let template = fixture["Records"][0].clone();
    let records: Vec<serde_json::Value> = records
        .iter()
        .map(|(id, body, receives)| {
            let mut record = template.clone();
            record["messageId"] = (*id).into();
            record["body"] = body.clone().into();
            record["attributes"]["ApproximateReceiveCount"] = receives.to_string().into();
            record
        })
        .collect();
    serde_json::from_value(serde_json::json!({ "Records": records })).expect("an SqsEvent")
}

/// A Twilio stand-in that accepts every message (201 with a fresh SID) and lists what it
/// accepted on `GET …/Messages.json`, as Twilio does.
pub async fn twilio() -> MockServer {
    twilio_with_ledger().await.0
}

/// [`twilio`], with its record of accepted messages (for stand-ins that misbehave after accepting).
pub async fn twilio_with_ledger() -> (MockServer, Ledger) {
    let server = MockServer::start().await;
    let ledger = Ledger::default();
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(Accepting::new(&ledger))
        .with_priority(10)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(MESSAGES_PATH))
        .respond_with(Listing(ledger.clone()))
        .with_priority(10)
        .mount(&server)
        .await;
    (server, ledger)
}

/// The messages a Twilio stand-in accepted, newest last, in the Messages resource's JSON shape.
#[derive(Debug, Default, Clone)]
pub struct Ledger(Arc<std::sync::Mutex<Vec<serde_json::Value>>>);

impl Ledger {
    /// Records a send as Twilio would create it, returning the message resource.
    pub fn accept(&self, request: &Request) -> serde_json::Value {
        static NEXT: AtomicUsize = AtomicUsize::new(1);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let form = form_of(request);
        let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let message = serde_json::json!({
            "sid": format!("SM{:032x}", 0xacce_0000_0000_u64 + n as u64),
            "to": field("To"), "from": field("From"), "body": field("Body"),
            "messaging_service_sid": field("MessagingServiceSid"),
            "status": "queued", "date_created": Utc::now().to_rfc2822(), "date_sent": null,
        });
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(message.clone());
        message
    }

    /// Forgets every message, as if none of the sends had reached Twilio.
    pub fn clear(&self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// How many accepted messages went to each recipient: what each person saw.
    #[allow(dead_code)] // the reliability suite's count
    pub fn per_recipient(&self) -> std::collections::HashMap<String, usize> {
        let mut counts = std::collections::HashMap::new();
        for message in self.0.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            *counts
                .entry(message["to"].as_str().unwrap_or_default().to_owned())
                .or_default() += 1;
        }
        counts
    }

    /// The SIDs of the accepted messages, oldest first.
    pub fn sids(&self) -> Vec<String> {
        let messages = self.0.lock().unwrap_or_else(|p| p.into_inner());
        messages
            .iter()
            .filter_map(|m| m["sid"].as_str().map(str::to_owned))
            .collect()
    }

    /// How many messages were accepted.
    pub fn len(&self) -> usize {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len()
    }
}

/// Accepts a send into the ledger, then answers after `delay` with `body` (Twilio's JSON when
/// `None`): a delay past the client's timeout or a garbled body is an answer lost after acceptance.
#[derive(Debug)]
pub struct Accepting {
    ledger: Ledger,
    delay: Duration,
    body: Option<String>,
}

impl Accepting {
    pub fn new(ledger: &Ledger) -> Self {
        Self {
            ledger: ledger.clone(),
            delay: Duration::ZERO,
            body: None,
        }
    }

    pub fn answering_after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    pub fn answering_with(mut self, body: &str) -> Self {
        self.body = Some(body.to_owned());
        self
    }
}

impl wiremock::Respond for Accepting {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let message = self.ledger.accept(request);
        let template = match &self.body {
            Some(body) => ResponseTemplate::new(201).set_body_string(body.clone()),
            None => ResponseTemplate::new(201).set_body_json(message),
        };
        template.set_delay(self.delay)
    }
}

/// Twilio's Messages list: the ledger's messages to the `To` query parameter, newest first.
#[derive(Debug)]
pub struct Listing(pub Ledger);

impl wiremock::Respond for Listing {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let to = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "To")
            .map(|(_, v)| v.into_owned());
        let messages: Vec<serde_json::Value> = self
            .0
             .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .rev()
            .filter(|m| to.is_none() || m["to"].as_str() == to.as_deref())
            .cloned()
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "messages": messages, "page": 0, "page_size": 50, "next_page_uri": null,
        }))
    }
}

pub fn created() -> ResponseTemplate {
    static NEXT: AtomicUsize = AtomicUsize::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    ResponseTemplate::new(201).set_body_json(serde_json::json!({"sid": format!("SM{n:032x}"), "status": "queued"}))
}

/// Twilio's error body, as its API documents it.
pub fn twilio_error(status: u16, code: u32, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(serde_json::json!({
        "code": code, "message": message, "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status
    }))
}

/// The form fields of a request Twilio received.
pub fn form_of(request: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

/// How many requests Twilio received for each `To`.
pub async fn sends_to(server: &MockServer, to: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| form_of(r).iter().any(|(k, v)| k == "To" && v == to))
        .count()
}

pub fn messenger(server: &MockServer, attempts: u32) -> TwilioMessenger {
    TwilioMessenger::new(
        reqwest::Client::new(),
        &server.uri(),
        ACCOUNT,
        TwilioAuth::Account {
            token: Secret::new("test-token"),
        },
        Sender::From("whatsapp:+14155238886".into()),
    )
    .with_retries(attempts, Duration::from_millis(10))
}

/// A downloader for the Twilio stand-in, redirecting only to the given hosts (`127.0.0.1:port`).
pub fn downloader(server: &MockServer, cdn_hosts: &[String]) -> MediaDownloader {
    let policy = MediaPolicy::new(&server.uri(), ACCOUNT)
        .expect("stand-in URL")
        .with_cdn_hosts(cdn_hosts.to_vec());
    MediaDownloader::new(
        policy,
        TwilioAuth::Account {
            token: Secret::new("test-token"),
        },
    )
    .expect("client")
}

/// A media store in a fresh temporary directory.
pub fn local_media_store() -> Arc<dyn MediaStore> {
    let dir = std::env::temp_dir().join(format!("tipline-test-media-{}", uuid::Uuid::new_v4()));
    Arc::new(ObjectMediaStore::local(&dir).expect("temp dir"))
}

pub fn settings() -> Settings {
    Settings {
        concurrency: 4,
        start_margin: Duration::from_millis(500),
        finish_margin: Duration::from_millis(200),
        ..Settings::default()
    }
}

pub fn state_with(
    store: Arc<dyn Store>,
    server: &MockServer,
    analyzer: Arc<dyn Analyzer>,
    attempts: u32,
) -> Arc<AppState> {
    Arc::new(AppState {
        store,
        messenger: Arc::new(messenger(server, attempts)),
        analyzer,
        downloader: Arc::new(downloader(server, &[])),
        media_store: local_media_store(),
        transcriber: None,
        settings: settings(),
    })
}

/// State whose downloader may follow Twilio's redirect to `cdn`.
pub fn state_with_cdn(
    pool: &PgPool,
    twilio: &MockServer,
    cdn: &MockServer,
    analyzer: Arc<dyn Analyzer>,
) -> Arc<AppState> {
    let mut state = Arc::try_unwrap(state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        twilio,
        analyzer,
        1,
    ))
    .expect("sole owner");
    state.downloader = Arc::new(downloader(twilio, &[host_of(cdn)]));
    Arc::new(state)
}

pub fn state(pool: &PgPool, server: &MockServer) -> Arc<AppState> {
    state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        server,
        Arc::new(OfflineAnalyzer),
        4,
    )
}

pub fn deadline() -> Instant {
    Instant::now() + Duration::from_secs(30)
}

pub async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect("count query")
}

/// An analyser that keeps every tip it is given and answers with the offline rules.
#[derive(Debug, Default)]
pub struct RecordingAnalyzer {
    pub tips: std::sync::Mutex<Vec<Tip>>,
}

impl RecordingAnalyzer {
    pub fn tips(&self) -> Vec<Tip> {
        self.tips.lock().expect("lock").clone()
    }
}

#[async_trait]
impl Analyzer for RecordingAnalyzer {
    async fn analyze(&self, tip: &Tip, deadline: Instant) -> Result<Analysis, AnalyzeError> {
        self.tips.lock().expect("lock").push(tip.clone());
        <OfflineAnalyzer as Analyzer>::analyze(&OfflineAnalyzer, tip, deadline).await
    }

    fn describe(&self) -> String {
        "recording".into()
    }
}

/// An analyser that fails (retryably) or panics on chosen texts and counts its calls.
#[derive(Debug, Default)]
pub struct ScriptedAnalyzer {
    pub calls: AtomicUsize,
    pub fail_all: bool,
}

#[async_trait]
impl Analyzer for ScriptedAnalyzer {
    async fn analyze(&self, tip: &Tip, deadline: Instant) -> Result<Analysis, AnalyzeError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if tip.text.contains("PANIC") {
            panic!("scripted panic");
        }
        if self.fail_all || tip.text.contains("FAIL") {
            return Err(AnalyzeError::Retryable("scripted outage".into()));
        }
        <OfflineAnalyzer as Analyzer>::analyze(&OfflineAnalyzer, tip, deadline).await
    }

    fn describe(&self) -> String {
        "scripted".into()
    }
}

/// The real store, with chosen operations failing as if the process died there: the next
/// completion or recorded Twilio answer once, and (for the reliability suite) every n-th group
/// completion.
#[derive(Debug)]
pub struct CrashingStore {
    inner: PgStore,
    crash_on_complete: AtomicBool,
    crash_on_finish_reply: AtomicBool,
    complete_failure_every: usize,
    completions: AtomicUsize,
}

fn crash() -> StoreError {
    StoreError(sqlx::Error::PoolTimedOut)
}

impl CrashingStore {
    /// Fails every `n`-th group completion after the reply went out.
    #[allow(dead_code)] // the reliability suite's fault
    pub fn failing_every_nth_complete(inner: PgStore, n: usize) -> Self {
        Self {
            inner,
            crash_on_complete: AtomicBool::new(false),
            crash_on_finish_reply: AtomicBool::new(false),
            complete_failure_every: n,
            completions: AtomicUsize::new(0),
        }
    }

    fn completion_crashes(&self) -> bool {
        let n = self.completions.fetch_add(1, Ordering::SeqCst);
        self.crash_on_complete.swap(false, Ordering::SeqCst)
            || (self.complete_failure_every > 0 && n % self.complete_failure_every == self.complete_failure_every - 1)
    }
}

#[async_trait]
impl Store for CrashingStore {
    async fn claim(&self, claim: &NewClaim) -> Result<ClaimOutcome, StoreError> {
        self.inner.claim(claim).await
    }
    async fn release(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError> {
        self.inner.release(sid, error).await
    }
    async fn fail(&self, sid: &MessageSid, error: &str) -> Result<(), StoreError> {
        self.inner.fail(sid, error).await
    }
    async fn reopen(&self, sid: &MessageSid) -> Result<bool, StoreError> {
        self.inner.reopen(sid).await
    }
    async fn complete(&self, sid: &MessageSid, submission_id: Option<Uuid>) -> Result<(), StoreError> {
        if self.completion_crashes() {
            return Err(crash());
        }
        self.inner.complete(sid, submission_id).await
    }
    async fn complete_group(&self, members: &[MessageSid], submission_id: Option<Uuid>) -> Result<(), StoreError> {
        if self.completion_crashes() {
            return Err(crash());
        }
        self.inner.complete_group(members, submission_id).await
    }
    async fn join_group(&self, members: &[MessageSid]) -> Result<GroupRecord, StoreError> {
        self.inner.join_group(members).await
    }
    async fn set_route(&self, key: &MessageSid, route: Route) -> Result<(), StoreError> {
        self.inner.set_route(key, route).await
    }
    async fn keep_for_replay(&self, sid: &MessageSid, envelope: &str) -> Result<(), StoreError> {
        self.inner.keep_for_replay(sid, envelope).await
    }
    async fn replayable(&self, sid: &MessageSid) -> Result<Option<String>, StoreError> {
        self.inner.replayable(sid).await
    }
    async fn claim_info(&self, sid: &MessageSid) -> Result<Option<ClaimInfo>, StoreError> {
        self.inner.claim_info(sid).await
    }
    async fn record_conflict(&self, sid: &MessageSid, payload_hash: &str) -> Result<(), StoreError> {
        self.inner.record_conflict(sid, payload_hash).await
    }
    async fn record_rejected(&self, id: &str, reason: &str, excerpt: &str) -> Result<(), StoreError> {
        self.inner.record_rejected(id, reason, excerpt).await
    }
    async fn save_submission(&self, submission: &NewSubmission) -> Result<Uuid, StoreError> {
        self.inner.save_submission(submission).await
    }
    async fn submission_by_message(&self, message_id: &str) -> Result<Option<Submission>, StoreError> {
        self.inner.submission_by_message(message_id).await
    }
    async fn submission(&self, id: Uuid) -> Result<Option<Submission>, StoreError> {
        self.inner.submission(id).await
    }
    async fn record_inbound(&self, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.record_inbound(sender, at).await
    }
    async fn record_verdict(&self, sender: &str, submission_id: Uuid, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.record_verdict(sender, submission_id, at).await
    }
    async fn last_verdict(&self, sender: &str) -> Result<Option<LastVerdict>, StoreError> {
        self.inner.last_verdict(sender).await
    }
    async fn store_feedback(&self, submission_id: Uuid, text: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.store_feedback(submission_id, text, at).await
    }
    async fn reply(&self, sid: &MessageSid, kind: ReplyKind) -> Result<Option<ReplyRecord>, StoreError> {
        self.inner.reply(sid, kind).await
    }
    async fn begin_reply(&self, sid: &MessageSid, kind: ReplyKind, to: &str, body: &str) -> Result<(), StoreError> {
        self.inner.begin_reply(sid, kind, to, body).await
    }
    async fn claim_privacy_notice(
        &self,
        sender: &str,
        key: &MessageSid,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.inner.claim_privacy_notice(sender, key, at).await
    }
    async fn request_deletion(&self, key: &MessageSid, sender: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.inner.request_deletion(key, sender, at).await
    }
    async fn pending_deletion(
        &self,
        sender: &str,
        since: DateTime<Utc>,
    ) -> Result<Option<DeletionRequest>, StoreError> {
        self.inner.pending_deletion(sender, since).await
    }
    async fn confirm_deletion(&self, request: &MessageSid, confirm: &MessageSid) -> Result<bool, StoreError> {
        self.inner.confirm_deletion(request, confirm).await
    }
    async fn deletion_confirmed_by(&self, confirm: &MessageSid) -> Result<Option<DeletionRequest>, StoreError> {
        self.inner.deletion_confirmed_by(confirm).await
    }
    async fn sender_media(&self, sender: &str) -> Result<SenderMedia, StoreError> {
        self.inner.sender_media(sender).await
    }
    async fn export_sender(&self, sender: &str) -> Result<serde_json::Value, StoreError> {
        self.inner.export_sender(sender).await
    }
    async fn record_twilio_media(
        &self,
        url: &str,
        sid: &MessageSid,
        result: Result<(), &str>,
    ) -> Result<(), StoreError> {
        self.inner.record_twilio_media(url, sid, result).await
    }
    async fn twilio_media_pending(&self, limit: u32) -> Result<Vec<(String, MessageSid)>, StoreError> {
        self.inner.twilio_media_pending(limit).await
    }
    async fn senders_to_pseudonymize(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<String>, StoreError> {
        self.inner.senders_to_pseudonymize(before, limit).await
    }
    async fn pseudonymize_sender(
        &self,
        sender: &str,
        pseudonym: &str,
        before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        self.inner.pseudonymize_sender(sender, pseudonym, before).await
    }
    async fn media_older_than(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<AgedMedia>, StoreError> {
        self.inner.media_older_than(before, limit).await
    }
    async fn forget_media(&self, submission_id: Uuid) -> Result<(), StoreError> {
        self.inner.forget_media(submission_id).await
    }
    async fn text_older_than(&self, before: DateTime<Utc>, limit: u32) -> Result<Vec<Uuid>, StoreError> {
        self.inner.text_older_than(before, limit).await
    }
    async fn erase_text(&self, ids: &[Uuid], before: DateTime<Utc>) -> Result<u64, StoreError> {
        self.inner.erase_text(ids, before).await
    }
    async fn erase_sender(&self, sender: &str, request: &MessageSid) -> Result<Erased, StoreError> {
        self.inner.erase_sender(sender, request).await
    }
    async fn finish_reply(
        &self,
        sid: &MessageSid,
        kind: ReplyKind,
        result: Result<&str, &str>,
    ) -> Result<(), StoreError> {
        if self.crash_on_finish_reply.swap(false, Ordering::SeqCst) {
            return Err(crash());
        }
        self.inner.finish_reply(sid, kind, result).await
    }
    async fn standing(&self, sender: &str) -> Result<SenderStanding, StoreError> {
        self.inner.standing(sender).await
    }
    async fn opt_out(&self, sender: &str, key: &MessageSid, source: &str) -> Result<bool, StoreError> {
        self.inner.opt_out(sender, key, source).await
    }
    async fn opt_in(&self, sender: &str) -> Result<(), StoreError> {
        self.inner.opt_in(sender).await
    }
    async fn record_unsent(
        &self,
        sid: &MessageSid,
        kind: ReplyKind,
        to: &str,
        body: &str,
        reason: &str,
    ) -> Result<(), StoreError> {
        self.inner.record_unsent(sid, kind, to, body, reason).await
    }
    async fn take_tip(&self, sender: &str, key: &MessageSid, limits: TipLimits) -> Result<TipAllowance, StoreError> {
        self.inner.take_tip(sender, key, limits).await
    }
    async fn block_sender(&self, sender: &str) -> Result<bool, StoreError> {
        self.inner.block_sender(sender).await
    }
    async fn unblock_sender(&self, sender: &str) -> Result<bool, StoreError> {
        self.inner.unblock_sender(sender).await
    }
    async fn blocked_senders(&self) -> Result<Vec<BlockedSender>, StoreError> {
        self.inner.blocked_senders().await
    }
}

pub fn crashing(pool: &PgPool, on_complete: bool, on_finish_reply: bool) -> Arc<CrashingStore> {
    Arc::new(CrashingStore {
        inner: PgStore::from_pool(pool.clone()),
        crash_on_complete: AtomicBool::new(on_complete),
        crash_on_finish_reply: AtomicBool::new(on_finish_reply),
        complete_failure_every: 0,
        completions: AtomicUsize::new(0),
    })
}

/// A fresh bucket on the moto server, created with a plain S3 `CreateBucket` request.
pub async fn moto_bucket() -> String {
    let endpoint = std::env::var("AWS_ENDPOINT_URL")
        .expect("AWS_ENDPOINT_URL is not set: run the tests through scripts/with-services.sh");
    let bucket = format!("media-{}", uuid::Uuid::new_v4());
    let response = reqwest::Client::new()
        .put(format!("{}/{bucket}", endpoint.trim_end_matches('/')))
        .send()
        .await
        .expect("moto reachable");
    assert!(response.status().is_success(), "create bucket: {}", response.status());
    bucket
}

/// Every `table.column` of a text-like column (text, varchar, JSON) holding `needle`: a
/// deletion test's proof that nothing about a sender is left anywhere, tables added later included.
pub async fn columns_holding(pool: &PgPool, needle: &str) -> Vec<String> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
          WHERE table_schema = current_schema()
            AND data_type IN ('text', 'character varying', 'character', 'jsonb', 'json')",
    )
    .fetch_all(pool)
    .await
    .expect("columns");
    assert!(columns.len() > 10, "the schema's text columns: {columns:?}");
    let mut found = Vec::new();
    for (table, column) in columns {
        let hits: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) FROM \"{table}\" WHERE \"{column}\"::text LIKE '%' || $1 || '%'"
        ))
        .bind(needle)
        .fetch_one(pool)
        .await
        .expect("search");
        if hits > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}
