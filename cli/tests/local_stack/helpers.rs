//! Running the `tipline` binary as a user would, with bounded waits.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

use tokio::time::Instant;

pub const BIN: &str = env!("CARGO_BIN_EXE_tipline");

pub const SCAM: &str = "Royal Mail: your parcel is on hold. Pay the £1.99 fee within 24 hours at https://bit.ly/rm-fee";
pub const BENIGN: &str = "Are we still on for lunch on Saturday at 1pm?";

pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tipline-e2e-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A running `tipline serve`, stopped with Ctrl-C (SIGINT) when dropped.
pub struct Serve {
    child: Option<Child>,
    pub base_url: String,
}

impl Serve {
    pub async fn start(data_dir: &Path, env: &[(&str, String)]) -> Self {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--port", "0", "--data-dir"])
            .arg(data_dir)
            .env_remove("DATABASE_URL")
            .env_remove("QUEUE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn().expect("tipline serve starts");
        let session = data_dir.join("serve.json");
        let give_up = Instant::now() + Duration::from_secs(30);
        let base_url = loop {
            if let Ok(text) = std::fs::read_to_string(&session) {
                if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                    break value["base_url"].as_str().expect("base_url").to_owned();
                }
            }
            assert!(
                Instant::now() < give_up,
                "tipline serve wrote no session file within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        Self {
            child: Some(child),
            base_url,
        }
    }

    /// Queue depths from the running stack.
    pub async fn status(&self) -> serde_json::Value {
        reqwest::get(format!("{}/local/status", self.base_url))
            .await
            .expect("status")
            .json()
            .await
            .expect("json")
    }

    /// Ctrl-C, then the exit and everything it printed.
    pub fn stop(mut self) -> Output {
        let child = self.child.take().expect("running");
        interrupt(&child);
        child.wait_with_output().expect("serve exits")
    }
}

fn interrupt(child: &Child) {
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            interrupt(&child);
            let _ = child.wait();
        }
    }
}

/// `tipline send`, as a user types it.
pub fn send(data_dir: &Path, from: &str, text: &str) -> Output {
    Command::new(BIN)
        .args(["send", "--timeout-secs", "20", "--from", from, "--data-dir"])
        .arg(data_dir)
        .arg(text)
        .env_remove("TWILIO_AUTH_TOKEN")
        .output()
        .expect("tipline send runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Sends a scam and a benign tip and checks both replies.
pub fn send_both(data_dir: &Path) {
    let scam = send(data_dir, "whatsapp:+15550002001", SCAM);
    assert!(
        scam.status.success(),
        "send failed: {}",
        String::from_utf8_lossy(&scam.stderr)
    );
    assert!(stdout(&scam).contains("This looks like a SCAM"), "{}", stdout(&scam));
    let benign = send(data_dir, "whatsapp:+15550002002", BENIGN);
    assert!(
        benign.status.success(),
        "send failed: {}",
        String::from_utf8_lossy(&benign.stderr)
    );
    assert!(stdout(&benign).contains("likely SAFE"), "{}", stdout(&benign));
}

/// Polls the stack's status (bounded) until the queue holds nothing, visible or in flight.
pub async fn assert_queue_drains(serve: &Serve) {
    let give_up = Instant::now() + Duration::from_secs(15);
    loop {
        let status = serve.status().await;
        let empty = status["queue"]["visible"] == 0 && status["queue"]["in_flight"] == 0;
        if empty {
            assert!(
                status["dead_letter"].is_null() || status["dead_letter"]["visible"] == 0,
                "{status}"
            );
            return;
        }
        assert!(Instant::now() < give_up, "queue not empty: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
