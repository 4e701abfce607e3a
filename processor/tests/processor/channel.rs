//! The channel's promises: STOP is confirmed once and then nothing is sent until START; a
//! sender past a tip limit is told once and costs no model call; a blocked sender is ignored; a
//! flood from one number leaves everyone else answered.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::Utc;
use sqlx::PgPool;
use tipline_processor::reply::{send_once, Delivery};
use tipline_processor::{process_batch, AppState};
use tipline_shared::analysis::reply::help_reply;
use tipline_shared::channel::TipLimits;
use tipline_shared::domain::{MessageSid, WhatsAppAddress};
use tipline_shared::queue::Envelope;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::{ReplyKind, Store};
use tipline_shared::twilio::{InboundMessage, TwilioForm};
use wiremock::matchers::{method, path};
use wiremock::Mock;

use crate::helpers::*;

const TIP: &str = "URGENT your account is locked, verify at https://bit.ly/x";

/// A queue body for message `n` from sender `from` with extra Twilio parameters.
fn envelope_with(n: u32, from: u32, text: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = vec![
        ("MessageSid".into(), sid(n)),
        ("AccountSid".into(), ACCOUNT.into()),
        ("From".into(), sender(from)),
        ("To".into(), "whatsapp:+14155238886".into()),
        ("Body".into(), text.into()),
        ("NumMedia".into(), "0".into()),
    ];
    pairs.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    let message = InboundMessage::try_from(TwilioForm::from_pairs(pairs)).expect("valid test message");
    Envelope::new(&message, Utc::now(), None, None).encode()
}

async fn one(app: &Arc<AppState>, id: &str, body: String) {
    let result = process_batch(app.clone(), event(&[(id, body, 1)]), deadline()).await;
    assert!(result.response.batch_item_failures.is_empty(), "{id} failed");
}

async fn replies(pool: &PgPool) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT kind, status, error FROM tipline_replies ORDER BY created_at")
        .fetch_all(pool)
        .await
        .expect("replies")
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn stop_is_confirmed_once_then_nothing_is_sent_until_start(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let app = state_with(Arc::new(PgStore::from_pool(pool.clone())), &twilio, analyzer.clone(), 1);

    one(&app, "stop", envelope_from(1, 1, "STOP", &[])).await;
    assert_eq!(ledger.len(), 1, "one confirmation");
    one(&app, "tip", envelope_from(2, 1, TIP, &[])).await;
    one(&app, "help", envelope_from(3, 1, "help", &[])).await;
    one(&app, "stop-again", envelope_from(4, 1, "parar", &[])).await;
    assert_eq!(ledger.len(), 1, "nothing after the confirmation");
    assert_eq!(
        analyzer.calls.load(Ordering::SeqCst),
        0,
        "an opted-out sender's tip is not analysed"
    );

    one(&app, "start", envelope_from(5, 1, "START", &[])).await;
    one(&app, "tip-after", envelope_from(6, 1, TIP, &[])).await;
    assert_eq!(ledger.len(), 3, "the START confirmation and the verdict");
    assert_eq!(analyzer.calls.load(Ordering::SeqCst), 1);
    let kinds: Vec<String> = replies(&pool).await.into_iter().map(|(kind, _, _)| kind).collect();
    assert_eq!(kinds, ["opt_out", "opt_in", "verdict"]);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM tipline_claims WHERE status = 'done'").await,
        6,
        "every message is finished, none left for a retry"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_reply_to_an_opted_out_sender_is_recorded_as_not_sent(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let store = PgStore::from_pool(pool.clone());
    let app = state(&pool, &twilio);
    one(&app, "tip", envelope_from(1, 1, TIP, &[])).await;
    let key = MessageSid::parse(&sid(1)).expect("sid");
    let to = WhatsAppAddress::parse(&sender(1)).expect("address");
    // A STOP handled by a concurrent batch after this group's checks: the reply path still holds.
    store
        .opt_out(&sender(1), &MessageSid::parse(&sid(2)).expect("sid"), "keyword")
        .await
        .expect("opt out");

    let delivery = send_once(&app, &key, ReplyKind::Help, &to, &help_reply(), deadline())
        .await
        .expect("handled");

    assert_eq!(delivery, Delivery::NotSent);
    assert_eq!(ledger.len(), 1, "only the verdict before the STOP");
    let help = replies(&pool)
        .await
        .into_iter()
        .find(|(kind, _, _)| kind == "help")
        .expect("help row");
    assert_eq!(help.1, "not_sent");
    assert!(help.2.as_deref().unwrap_or_default().contains("opted out"), "{help:?}");
    let again = send_once(&app, &key, ReplyKind::Help, &to, &help_reply(), deadline())
        .await
        .expect("handled");
    assert_eq!(again, Delivery::NotSent, "a retry does not send it either");
    assert_eq!(ledger.len(), 1);
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn twilio_opt_out_type_opts_out_without_a_second_confirmation(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let app = state(&pool, &twilio);
    // Advanced Opt-Out matched "stop" and answered it itself.
    one(&app, "stop", envelope_with(1, 1, "stop", &[("OptOutType", "STOP")])).await;
    one(&app, "tip", envelope_from(2, 1, TIP, &[])).await;
    assert_eq!(ledger.len(), 0);
    one(&app, "start", envelope_with(3, 1, "start", &[("OptOutType", "START")])).await;
    one(&app, "tip-after", envelope_from(4, 1, TIP, &[])).await;
    assert_eq!(ledger.len(), 1, "the verdict after START");
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn twilio_error_21610_opts_the_recipient_out(pool: PgPool) {
    let twilio = twilio().await;
    Mock::given(method("POST"))
        .and(path(MESSAGES_PATH))
        .respond_with(twilio_error(400, 21610, "Attempt to send to unsubscribed recipient"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&twilio)
        .await;
    let store = PgStore::from_pool(pool.clone());
    let app = state(&pool, &twilio);
    one(&app, "tip", envelope_from(1, 1, TIP, &[])).await;

    let verdict = replies(&pool).await.remove(0);
    assert_eq!((verdict.0.as_str(), verdict.1.as_str()), ("verdict", "not_sent"));
    assert!(store.standing(&sender(1)).await.expect("standing").opted_out);
    one(&app, "help", envelope_from(2, 1, "help", &[])).await;
    assert_eq!(
        sends_to(&twilio, &sender(1)).await,
        1,
        "only the refused send was tried"
    );
}

fn limited_state(
    pool: &PgPool,
    twilio: &wiremock::MockServer,
    analyzer: Arc<ScriptedAnalyzer>,
    limits: TipLimits,
) -> Arc<AppState> {
    let mut app = Arc::try_unwrap(state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        twilio,
        analyzer,
        1,
    ))
    .expect("sole owner");
    app.settings.tip_limits = limits;
    Arc::new(app)
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn past_the_limit_a_sender_is_told_once_and_costs_no_model_call(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let app = limited_state(
        &pool,
        &twilio,
        analyzer.clone(),
        TipLimits {
            per_hour: 3,
            per_day: 10,
        },
    );
    for n in 1..=6 {
        one(&app, &format!("tip-{n}"), envelope_from(n, 1, TIP, &[])).await;
    }
    one(&app, "other", envelope_from(7, 2, TIP, &[])).await;

    assert_eq!(
        analyzer.calls.load(Ordering::SeqCst),
        4,
        "three from the first sender, one from the other"
    );
    assert_eq!(
        ledger.per_recipient().get(&sender(1)),
        Some(&4),
        "three verdicts and one notice"
    );
    let rows = replies(&pool).await;
    let limit: Vec<&str> = rows
        .iter()
        .filter(|(k, _, _)| k == "limit")
        .map(|(_, s, _)| s.as_str())
        .collect();
    assert_eq!(limit, ["sent", "not_sent", "not_sent"]);
    assert_eq!(
        count(&pool, "SELECT count(*) FROM tipline_claims WHERE status = 'done'").await,
        7
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_blocked_sender_is_neither_analysed_nor_answered(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let store = PgStore::from_pool(pool.clone());
    let app = state_with(Arc::new(store.clone()), &twilio, analyzer.clone(), 1);
    store.block_sender(&sender(1)).await.expect("block");
    one(&app, "tip", envelope_from(1, 1, TIP, &[])).await;
    one(&app, "stop", envelope_from(2, 1, "STOP", &[])).await;
    assert_eq!((ledger.len(), analyzer.calls.load(Ordering::SeqCst)), (0, 0));

    store.unblock_sender(&sender(1)).await.expect("unblock");
    one(&app, "tip-after", envelope_from(3, 1, TIP, &[])).await;
    assert_eq!((ledger.len(), analyzer.calls.load(Ordering::SeqCst)), (1, 1));
}

/// 1,000 messages from one number and 100 from 100 others, in batches of 10 with four batches
/// at a time: everyone else is answered exactly once, the flood costs at most the daily limit
/// in model calls (here the hourly one, since it all happens within the hour) and nothing is lost.
#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_flood_from_one_number_leaves_everyone_else_answered(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let analyzer = Arc::new(RecordingAnalyzer::default());
    let limits = TipLimits::default();
    let mut app = Arc::try_unwrap(state_with(
        Arc::new(PgStore::from_pool(pool.clone())),
        &twilio,
        analyzer.clone(),
        1,
    ))
    .expect("sole owner");
    app.settings.tip_limits = limits;
    let app = Arc::new(app);

    const FLOODER: u32 = 9_999;
    // Each batch: nine from the flood, one from someone else (the last ten batches are all flood),
    // so the flood arrives as about 110 groups, far more than either limit.
    let mut records: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    for other in 1..=100u32 {
        for _ in 0..9 {
            n += 1;
            records.push((
                format!("flood-{n}"),
                envelope_from(n, FLOODER, &format!("FLOOD {n} {TIP}"), &[]),
            ));
        }
        records.push((
            format!("other-{other}"),
            envelope_from(100_000 + other, other, TIP, &[]),
        ));
    }
    while n < 1000 {
        n += 1;
        records.push((
            format!("flood-{n}"),
            envelope_from(n, FLOODER, &format!("FLOOD {n} {TIP}"), &[]),
        ));
    }
    assert_eq!(records.len(), 1100);
    let batches: Vec<Vec<(String, String)>> = records.chunks(10).map(<[_]>::to_vec).collect();
    for wave in batches.chunks(4) {
        let runs = wave.iter().map(|batch| {
            let app = app.clone();
            let refs: Vec<(&str, String, u32)> =
                batch.iter().map(|(id, body)| (id.as_str(), body.clone(), 1)).collect();
            let event = event(&refs);
            async move { process_batch(app, event, deadline()).await }
        });
        for result in futures::future::join_all(runs).await {
            assert!(
                result.response.batch_item_failures.is_empty(),
                "{:?}",
                result.response.batch_item_failures
            );
        }
    }

    let flood_calls = analyzer.tips().iter().filter(|t| t.text.contains("FLOOD")).count();
    assert!(
        flood_calls as u32 <= limits.per_day,
        "{flood_calls} model calls for the flood"
    );
    assert_eq!(
        flood_calls as u32, limits.per_hour,
        "all within the hour: the hourly limit holds"
    );
    let seen = ledger.per_recipient();
    for other in 1..=100u32 {
        assert_eq!(
            seen.get(&sender(other)),
            Some(&1),
            "sender {other} answered exactly once"
        );
    }
    assert_eq!(
        seen.get(&sender(FLOODER)).copied(),
        Some(limits.per_hour as usize + 1),
        "the flood's verdicts and one notice"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM tipline_claims WHERE status = 'done'").await,
        1100,
        "nothing lost"
    );
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_feedback_button_is_a_rating_in_any_language_and_typed_ratings_still_work(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let analyzer = Arc::new(ScriptedAnalyzer::default());
    let store = PgStore::from_pool(pool.clone());
    let app = state_with(Arc::new(store.clone()), &twilio, analyzer.clone(), 1);
    one(&app, "tip", envelope_from(1, 1, TIP, &[])).await;
    one(&app, "typed", envelope_from(2, 1, "1", &[])).await;
    // A second remark would be a new tip; a button press is a rating whatever it says.
    let press = envelope_with(
        3,
        1,
        "Não ajudou",
        &[
            ("ButtonText", "Não ajudou"),
            ("ButtonPayload", "not_helpful"),
            ("MessageType", "button"),
        ],
    );
    one(&app, "button", press).await;

    assert_eq!(analyzer.calls.load(Ordering::SeqCst), 1, "neither answer is analysed");
    let kinds: Vec<String> = replies(&pool).await.into_iter().map(|(kind, _, _)| kind).collect();
    assert_eq!(kinds, ["verdict", "feedback_ack", "feedback_ack"]);
    assert_eq!(ledger.len(), 3);
    let submission = store.submission_by_message(&sid(1)).await.expect("query").expect("row");
    assert_eq!(submission.feedback_text.as_deref(), Some("Não ajudou"));
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn a_reply_outside_the_24_hour_window_is_recorded_undeliverable_not_sent(pool: PgPool) {
    let (twilio, ledger) = twilio_with_ledger().await;
    let app = state(&pool, &twilio);
    // Redriven a day late: the sender's last message is 25 hours old.
    let pairs: Vec<(String, String)> = vec![
        ("MessageSid".into(), sid(1)),
        ("AccountSid".into(), ACCOUNT.into()),
        ("From".into(), sender(1)),
        ("Body".into(), TIP.into()),
    ];
    let message = InboundMessage::try_from(TwilioForm::from_pairs(pairs)).expect("valid");
    let late = Envelope::new(&message, Utc::now() - chrono::Duration::hours(25), None, None).encode();
    one(&app, "late", late).await;

    assert_eq!(ledger.len(), 0, "no free text that Twilio would refuse with 63016");
    let verdict = replies(&pool).await.remove(0);
    assert_eq!((verdict.0.as_str(), verdict.1.as_str()), ("verdict", "not_sent"));
    assert!(
        verdict.2.as_deref().unwrap_or_default().contains("24-hour window"),
        "{verdict:?}"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM tipline_claims WHERE status = 'done'").await,
        1
    );
    // A fresh message reopens the window.
    one(&app, "fresh", envelope_from(2, 1, TIP, &[])).await;
    assert_eq!(ledger.len(), 1);
}
