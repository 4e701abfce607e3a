//! `tipline block`, `unblock`, `blocked`: the operator's block list, kept in the database, so a
//! sender flooding or abusing the tipline is neither analysed nor answered.

use anyhow::Context as _;
use tipline_shared::config::Env;
use tipline_shared::domain::WhatsAppAddress;

use crate::args::{BlockCommand, DataDir};
use crate::local::parts::Database;

/// Reads `+15551234567`, `whatsapp:+15551234567` or a WhatsApp user id as the stored address.
pub fn sender_address(raw: &str) -> anyhow::Result<WhatsAppAddress> {
    let raw = raw.trim();
    // Digits alone would read as a WhatsApp user id and block nobody.
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        anyhow::bail!("{raw:?} is not a WhatsApp number: write it with + and the country code, e.g. +{raw}");
    }
    let full = if raw.starts_with("whatsapp:") {
        raw.to_owned()
    } else {
        format!("whatsapp:{raw}")
    };
    WhatsAppAddress::parse(&full)
        .with_context(|| format!("{raw:?} is not a WhatsApp number (+ and 8 to 15 digits) or user id"))
}

/// Runs one block-list command against `DATABASE_URL`, or the local stack's database.
pub async fn run(command: BlockCommand) -> anyhow::Result<()> {
    let data: &DataDir = match &command {
        BlockCommand::Block { data, .. } | BlockCommand::Unblock { data, .. } | BlockCommand::Blocked { data } => data,
    };
    let database = Database::from_env(&Env, &data.data_dir)?;
    if matches!(database, Database::Sqlite(_)) {
        // The local stack's file may not exist yet; the block list must still be kept.
        database.migrate().await?;
    }
    let store = database
        .open()
        .await
        .with_context(|| format!("cannot open {}", database.describe()))?;
    match command {
        BlockCommand::Block { number, .. } => {
            let address = sender_address(&number)?;
            if store.block_sender(&address.as_address()).await? {
                println!("blocked {}: nothing from it is analysed or answered", address.masked());
            } else {
                println!("{} was already blocked", address.masked());
            }
        }
        BlockCommand::Unblock { number, .. } => {
            let address = sender_address(&number)?;
            if store.unblock_sender(&address.as_address()).await? {
                println!("unblocked {}", address.masked());
            } else {
                println!("{} was not blocked", address.masked());
            }
        }
        BlockCommand::Blocked { .. } => {
            let blocked = store.blocked_senders().await?;
            if blocked.is_empty() {
                println!("no blocked senders");
            }
            // The operator needs the whole number to unblock it; this is their own terminal.
            for entry in blocked {
                println!(
                    "{}  blocked {}",
                    entry.sender.trim_start_matches("whatsapp:"),
                    entry.blocked_at.to_rfc3339()
                );
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_numbers_with_or_without_the_channel_prefix() {
        assert_eq!(
            sender_address("+15551234567").expect("number").as_address(),
            "whatsapp:+15551234567"
        );
        assert_eq!(
            sender_address(" whatsapp:+15551234567 ").expect("address").as_address(),
            "whatsapp:+15551234567"
        );
        let error = sender_address("5551234").expect_err("no plus");
        assert!(error.to_string().contains("not a WhatsApp number"), "{error}");
    }
}
