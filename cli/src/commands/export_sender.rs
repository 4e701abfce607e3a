//! `tipline export-sender +NUMBER`: everything tipline keeps about one sender, as JSON on
//! stdout, for a subject-access request. Only the masked number reaches the logs.

use anyhow::Context as _;
use tipline_shared::config::{self, Env};
use tipline_shared::domain::WhatsAppAddress;

use crate::local::parts::Database;

/// Reads a sender as typed by on-call: `+14155550100`, or the full `whatsapp:` address.
pub fn parse_sender(raw: &str) -> anyhow::Result<WhatsAppAddress> {
    let raw = raw.trim();
    // Digits alone would read as a business-scoped id; a number is meant, missing its `+`.
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        anyhow::bail!(
            "{} is not a sender: a phone number starts with + and its country code",
            tipline_shared::domain::address::mask(raw)
        );
    }
    let full = if raw.starts_with("whatsapp:") {
        raw.to_owned()
    } else {
        format!("whatsapp:{raw}")
    };
    WhatsAppAddress::parse(&full).with_context(|| {
        format!(
            "{} is not a sender: give +<country code><number> or a whatsapp: address",
            tipline_shared::domain::address::mask(raw)
        )
    })
}

/// Prints the sender's records from DATABASE_URL.
pub async fn run(raw_sender: &str) -> anyhow::Result<()> {
    let sender = parse_sender(raw_sender)?;
    let url = config::required(&Env, "DATABASE_URL")?;
    let store = Database::parse(&url)?.open().await?;
    let export = store
        .export_sender(&sender.as_address())
        .await
        .context("failed to read the sender's records")?;
    tracing::info!(sender = %sender.masked(), "sender's records exported");
    println!("{}", serde_json::to_string_pretty(&export)?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_are_read_with_or_without_the_channel_prefix() {
        assert_eq!(
            parse_sender("+14155550100").expect("number").as_address(),
            "whatsapp:+14155550100"
        );
        assert_eq!(
            parse_sender("whatsapp:+14155550100").expect("address").as_address(),
            "whatsapp:+14155550100"
        );
        let error = parse_sender("4155550100123456789").expect_err("no plus").to_string();
        assert!(
            error.contains("is not a sender") && !error.contains("4155550100123456789"),
            "{error}"
        );
    }
}
