//! What a running `tipline serve` tells `tipline send`: where it listens and the auth token it
//! checks signatures with, in a file only the owner can read.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::{Deserialize, Serialize};

/// The connection details of a running local stack.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Session {
    /// The URL Twilio (or `tipline send`) posts to; signatures are computed over it.
    pub webhook_url: String,
    /// The server's base URL, for the local status and reply endpoints.
    pub base_url: String,
    /// The auth token webhook signatures are checked with.
    pub auth_token: String,
}

fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("serve.json")
}

impl Session {
    /// Writes the session file (owner-only).
    pub fn save(&self, data_dir: &Path) -> anyhow::Result<()> {
        let file = path(data_dir);
        std::fs::write(&file, serde_json::to_vec_pretty(self)?)
            .with_context(|| format!("cannot write {}", file.display()))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }

    /// Reads the session a running `tipline serve` wrote.
    pub fn load(data_dir: &Path) -> anyhow::Result<Self> {
        let file = path(data_dir);
        let text = std::fs::read_to_string(&file).with_context(|| {
            format!(
                "cannot read {}: is `tipline serve` running with --data-dir {}?",
                file.display(),
                data_dir.display()
            )
        })?;
        serde_json::from_str(&text).with_context(|| format!("{} is not a tipline session file", file.display()))
    }

    /// Removes the session file when the server stops.
    pub fn remove(data_dir: &Path) {
        let _ = std::fs::remove_file(path(data_dir));
    }
}

/// A fresh random token for the local webhook.
pub fn generate_token() -> String {
    use rand::Rng as _;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
