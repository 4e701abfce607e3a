//! The same flow with the moto server as SQS and the throwaway Postgres.

use std::time::Duration;

use sqlx::PgPool;
use tipline_shared::queue::sqs::SqsQueue;

use crate::helpers::*;

fn database_url(pool: &PgPool) -> String {
    let base = std::env::var("DATABASE_URL").expect("DATABASE_URL is set by `make test`");
    let name = pool
        .connect_options()
        .get_database()
        .expect("a test database")
        .to_owned();
    let (server, _) = base.rsplit_once('/').expect("a database URL");
    format!("{server}/{name}")
}

#[sqlx::test(migrator = "tipline_shared::store::postgres::MIGRATOR")]
async fn tips_go_through_sqs_and_postgres(pool: PgPool) {
    assert!(
        std::env::var("AWS_ENDPOINT_URL").is_ok(),
        "AWS_ENDPOINT_URL is not set: run the tests with `make test`"
    );
    let sqs =
        aws_sdk_sqs::Client::new(&tipline_shared::aws::load(2, Duration::from_secs(2), Duration::from_secs(5)).await);
    let (queue, dlq) = SqsQueue::create_with_dlq(&sqs, &format!("e2e-{}", uuid::Uuid::new_v4()), 3)
        .await
        .expect("moto creates the queues");
    let (queue, dlq) = (queue.url().to_owned(), dlq.url().to_owned());

    let data_dir = temp_dir();
    let env = [
        ("QUEUE_URL", queue),
        ("DLQ_URL", dlq),
        ("DATABASE_URL", database_url(&pool)),
    ];
    let serve = Serve::start(&data_dir, &env).await;
    send_both(&data_dir);
    assert_queue_drains(&serve).await;
    let output = serve.stop();
    assert!(output.status.success());
    let printed = stdout(&output);
    assert!(
        printed.contains("SQS http://") && printed.contains("Postgres"),
        "{printed}"
    );

    let labels: Vec<(String,)> =
        sqlx::query_as("SELECT scam_label FROM b2b_pilot_user_submissions ORDER BY phone_number")
            .fetch_all(&pool)
            .await
            .expect("rows");
    assert_eq!(labels, vec![("scam".to_owned(),), ("likely_safe".to_owned(),)]);
    let replies: i64 = sqlx::query_scalar("SELECT count(*) FROM tipline_replies WHERE status = 'sent'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(replies, 2);
    let _ = std::fs::remove_dir_all(data_dir);
}
