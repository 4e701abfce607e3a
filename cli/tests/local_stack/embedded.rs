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

#[tokio::test]
async fn a_screenshot_goes_through_the_real_download_path() {
    let data_dir = temp_dir();
    // A 1×1 PNG, enough to be an image.
    let png: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
        8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde, 0, 0, 0, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x08, 0xd7, 0x63, 0xf8, 0xcf,
        0xc0, 0, 0, 0x03, 0x01, 0x01, 0, 0x18, 0xdd, 0x8d, 0xb0, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
        0x82,
    ];
    let shot = data_dir.join("screenshot.png");
    std::fs::write(&shot, png).expect("write png");
    let serve = Serve::start(&data_dir.join("stack"), &[]).await;
    let output = std::process::Command::new(BIN)
        .args(["send", "--timeout-secs", "20", "--media"])
        .arg(&shot)
        .arg("--data-dir")
        .arg(data_dir.join("stack"))
        .arg("they sent me this, is it real?")
        .output()
        .expect("send runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout(&output).contains("reply (verdict, sent)"), "{}", stdout(&output));
    assert_queue_drains(&serve).await;
    assert!(serve.stop().status.success());
    let stored: Vec<_> = walk(&data_dir.join("stack").join("media"));
    assert_eq!(stored.len(), 1, "the screenshot was downloaded and stored: {stored:?}");
    assert!(stored[0].ends_with("0.png"), "{stored:?}");
    assert_eq!(std::fs::read(&stored[0]).expect("stored file"), png);
    let _ = std::fs::remove_dir_all(data_dir);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
