//! The store's per-message overhead: claim + save submission + record reply + complete, the
//! database work every processed message costs, on Postgres (DATABASE_URL, a fresh database)
//! and on SQLite (a temp file).
//!
//! Run: `bash scripts/with-services.sh cargo bench -p tipline-shared --bench store`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use criterion::{criterion_group, criterion_main, Criterion};
use sqlx::Connection as _;
use tipline_shared::domain::MessageSid;
use tipline_shared::store::postgres::PgStore;
use tipline_shared::store::sqlite::SqliteStore;
use tipline_shared::store::{NewClaim, NewSubmission, ReplyKind, Store};
use uuid::Uuid;

static NEXT: AtomicU64 = AtomicU64::new(1);

async fn one_message(store: &dyn Store) {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let sid = MessageSid::parse(&format!(
        "SM{:032x}",
        u128::from(n) | (u128::from(std::process::id()) << 64)
    ))
    .expect("sid");
    let claim = NewClaim {
        message_sid: sid.clone(),
        payload_hash: "h".into(),
        sender: "whatsapp:+15550000001".into(),
        received_at: Utc::now(),
        lease: Duration::from_secs(60),
    };
    store.claim(&claim).await.expect("claim");
    let id = store
        .save_submission(&NewSubmission {
            id: Uuid::now_v7(),
            message_id: sid.to_string(),
            phone_number: "whatsapp:+15550000001".into(),
            image_url: None,
            s3_key: None,
            prediction_result: serde_json::json!({"label": "scam", "model": "offline-rules"}),
            confidence_score: 0.9,
            scam_label: "scam".into(),
            processing_time_ms: 3,
            input_text: "pay the fee at https://bit.ly/x".into(),
        })
        .await
        .expect("save");
    store.reply(&sid, ReplyKind::Verdict).await.expect("check reply");
    store
        .begin_reply(&sid, ReplyKind::Verdict, "whatsapp:+15550000001", "🚨 scam")
        .await
        .expect("begin");
    store
        .finish_reply(&sid, ReplyKind::Verdict, Ok("SMx"))
        .await
        .expect("finish");
    store.complete(&sid, Some(id)).await.expect("complete");
}

async fn fresh_postgres() -> Option<Arc<dyn Store>> {
    let url = std::env::var("DATABASE_URL").ok()?;
    let name = format!("tipline_bench_{}", Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&url)
        .await
        .expect("connect to DATABASE_URL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create database");
    let (server, _) = url.rsplit_once('/').expect("database URL");
    let store = PgStore::connect_lazy(&format!("{server}/{name}"), 2).expect("pool");
    store.migrate().await.expect("migrate");
    Some(Arc::new(store))
}

async fn fresh_sqlite() -> Arc<dyn Store> {
    let dir = std::env::temp_dir().join(format!("tipline-bench-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = SqliteStore::connect(&format!("sqlite://{}/bench.db", dir.display()))
        .await
        .expect("sqlite");
    store.migrate().await.expect("migrate");
    Arc::new(store)
}

fn store_overhead(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mut group = c.benchmark_group("claim+store+reply+complete");
    group.sample_size(50).measurement_time(Duration::from_secs(8));
    match runtime.block_on(fresh_postgres()) {
        Some(store) => {
            group.bench_function("postgres", |b| {
                b.to_async(&runtime).iter(|| one_message(store.as_ref()))
            });
        }
        None => eprintln!("DATABASE_URL is not set: skipping Postgres (run through scripts/with-services.sh)"),
    }
    let sqlite = runtime.block_on(fresh_sqlite());
    group.bench_function("sqlite", |b| b.to_async(&runtime).iter(|| one_message(sqlite.as_ref())));
    group.finish();
}

criterion_group!(benches, store_overhead);
criterion_main!(benches);
