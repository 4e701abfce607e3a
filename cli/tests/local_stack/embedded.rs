//! Only embedded defaults: in-process queue, SQLite, offline rules, printed replies.

use crate::helpers::*;

async fn rows(data_dir: &std::path::Path) -> Vec<(String, String)> {
    let url = format!("sqlite://{}?mode=ro", data_dir.join("tipline.db").display());
    let pool = sqlx::SqlitePool::connect(&url)
        .await
        .expect("open the stack's database");
    let rows = sqlx::query_as("SELECT phone_number, scam_label FROM b2b_pilot_user_submissions ORDER BY phone_number")
        .fetch_all(&pool)
        .await
        .expect("rows");
    pool.close().await;
    rows
}

#[tokio::test]
async fn tips_go_through_and_survive_a_restart() {
    let data_dir = temp_dir();
    let serve = Serve::start(&data_dir, &[]).await;
    send_both(&data_dir);
    assert_queue_drains(&serve).await;
    let output = serve.stop();
    assert!(output.status.success(), "serve exits cleanly on Ctrl-C");
    let printed = stdout(&output);
    assert!(
        printed.contains("in-process queue") && printed.contains("SQLite"),
        "{printed}"
    );
    assert!(
        printed.contains("── reply to +155******01"),
        "replies are printed: {printed}"
    );
    assert!(printed.contains("stopped cleanly"));

    let expected = vec![
        ("whatsapp:+15550002001".to_owned(), "scam".to_owned()),
        ("whatsapp:+15550002002".to_owned(), "likely_safe".to_owned()),
    ];
    assert_eq!(rows(&data_dir).await, expected);

    // Same data directory, new process: the rows are still there and it still works.
    let again = Serve::start(&data_dir, &[]).await;
    assert_eq!(rows(&data_dir).await, expected);
    assert!(again.stop().status.success());
    let _ = std::fs::remove_dir_all(data_dir);
}

#[tokio::test]
async fn send_without_a_running_stack_says_what_is_wrong() {
    let data_dir = temp_dir();
    let output = send(&data_dir, "whatsapp:+15550002001", "hello");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("is `tipline serve` running"), "{error}");
    let _ = std::fs::remove_dir_all(data_dir);
}
