//! `tipline retention [--dry-run]`: nothing is kept longer than needed. Phone numbers older than
//! their age are pseudonymized with a keyed HMAC (the same sender keeps one pseudonym, so counts
//! per sender still add up, but the number cannot be recovered without the key); media and free
//! text older than theirs are deleted; Twilio media copies whose delete failed are tried again.
//!
//! Work goes in bounded batches, each committed on its own, and every selection skips what is
//! already done, so a run cut short (a Lambda timeout) resumes where it stopped on the next one.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;
use sha2::Sha256;
use tipline_shared::config::{self, ConfigError, Env, Source};
use tipline_shared::media::{MediaDownloader, MediaPolicy, MediaStore, ObjectMediaStore};
use tipline_shared::store::{Store, PSEUDONYM_PREFIX};
use tipline_shared::twilio::credentials::TwilioCredentials;
use tipline_shared::Secret;

use crate::local::parts::Database;

/// How old each kind of record may get, and how much one run does.
#[derive(Debug, Clone)]
pub struct RetentionSettings {
    /// Key of the HMAC that pseudonymizes numbers; `None` only for a dry run.
    pub hmac_key: Option<Secret>,
    pub pseudonymize_after: chrono::Duration,
    pub media_after: chrono::Duration,
    pub text_after: chrono::Duration,
    pub batch_size: u32,
    pub max_batches: u32,
}

impl RetentionSettings {
    /// `RETENTION_HMAC_KEY` (required unless `dry_run`), `RETENTION_PSEUDONYMIZE_DAYS` (30),
    /// `RETENTION_MEDIA_DAYS` (30), `RETENTION_TEXT_DAYS` (90), `RETENTION_BATCH_SIZE` (200),
    /// `RETENTION_MAX_BATCHES` (50).
    pub fn from_source(source: &dyn Source, dry_run: bool) -> Result<Self, ConfigError> {
        let hmac_key = match config::optional(source, "RETENTION_HMAC_KEY") {
            Some(key) if key.len() < 32 => {
                return Err(ConfigError::Invalid {
                    name: "RETENTION_HMAC_KEY",
                    reason: "must be at least 32 characters".into(),
                })
            }
            Some(key) => Some(Secret::new(key)),
            None if dry_run => None,
            None => return Err(ConfigError::Missing("RETENTION_HMAC_KEY")),
        };
        let days = |name: &'static str, default: i64| -> Result<chrono::Duration, ConfigError> {
            let days: i64 = config::parsed(source, name, default)?;
            if days < 1 {
                return Err(ConfigError::Invalid {
                    name,
                    reason: "must be at least 1 day".into(),
                });
            }
            Ok(chrono::Duration::days(days))
        };
        let positive = |name: &'static str, default: u32| -> Result<u32, ConfigError> {
            let value: u32 = config::parsed(source, name, default)?;
            if value == 0 {
                return Err(ConfigError::Invalid {
                    name,
                    reason: "must be at least 1".into(),
                });
            }
            Ok(value)
        };
        Ok(Self {
            hmac_key,
            pseudonymize_after: days("RETENTION_PSEUDONYMIZE_DAYS", 30)?,
            media_after: days("RETENTION_MEDIA_DAYS", 30)?,
            text_after: days("RETENTION_TEXT_DAYS", 90)?,
            batch_size: positive("RETENTION_BATCH_SIZE", 200)?,
            max_batches: positive("RETENTION_MAX_BATCHES", 50)?,
        })
    }
}

/// What a run did, or (dry run) would do.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RetentionReport {
    pub dry_run: bool,
    pub senders_pseudonymized: u64,
    pub media_submissions: u64,
    pub media_objects: u64,
    pub text_submissions: u64,
    pub twilio_media_deleted: u64,
    pub twilio_media_failed: u64,
    /// False when a step stopped at its batch limit with more left for the next run.
    pub complete: bool,
}

/// The pseudonym of an address under a key: stable, so one sender stays one pseudonym.
pub fn pseudonym(key: &Secret, address: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.expose().as_bytes()).expect("HMAC takes any key length");
    mac.update(address.as_bytes());
    let digest = hex::encode(mac.finalize().into_bytes());
    format!("{PSEUDONYM_PREFIX}{}", &digest[..32])
}

/// Runs every step once, oldest first, within the batch limits.
pub async fn run_retention(
    store: &dyn Store,
    media: &dyn MediaStore,
    twilio: Option<&MediaDownloader>,
    settings: &RetentionSettings,
    now: DateTime<Utc>,
    dry_run: bool,
) -> anyhow::Result<RetentionReport> {
    let mut report = RetentionReport {
        dry_run,
        complete: true,
        ..RetentionReport::default()
    };
    // A dry run changes nothing, so the same first rows would come back each batch: it looks
    // once, as far as a whole run would reach.
    let (limit, batches) = if dry_run {
        (settings.batch_size.saturating_mul(settings.max_batches), 1)
    } else {
        (settings.batch_size, settings.max_batches)
    };

    let before = now - settings.pseudonymize_after;
    let mut full = false;
    for _ in 0..batches {
        let senders = store.senders_to_pseudonymize(before, limit).await?;
        full = senders.len() as u64 == u64::from(limit);
        if !dry_run {
            let key = settings
                .hmac_key
                .as_ref()
                .ok_or(ConfigError::Missing("RETENTION_HMAC_KEY"))?;
            for sender in &senders {
                store
                    .pseudonymize_sender(sender, &pseudonym(key, sender), before)
                    .await?;
            }
        }
        report.senders_pseudonymized += senders.len() as u64;
        if !full {
            break;
        }
    }
    report.complete &= !full;

    let before = now - settings.media_after;
    for _ in 0..batches {
        let aged = store.media_older_than(before, limit).await?;
        full = aged.len() as u64 == u64::from(limit);
        for item in &aged {
            report.media_objects += item.keys.len() as u64;
            if !dry_run {
                for key in &item.keys {
                    media.delete(key).await.context("failed to delete aged media")?;
                }
                store.forget_media(item.submission_id).await?;
            }
        }
        report.media_submissions += aged.len() as u64;
        if !full {
            break;
        }
    }
    report.complete &= !full;

    let before = now - settings.text_after;
    for _ in 0..batches {
        let aged = store.text_older_than(before, limit).await?;
        full = aged.len() as u64 == u64::from(limit);
        if !dry_run {
            store.erase_text(&aged, before).await?;
        }
        report.text_submissions += aged.len() as u64;
        if !full {
            break;
        }
    }
    report.complete &= !full;

    // One batch only: a delete that fails now would fail again in the same run.
    let pending = store.twilio_media_pending(limit).await?;
    if let Some(twilio) = twilio.filter(|_| !dry_run) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        for (url, sid) in &pending {
            let result = twilio.delete_at_twilio(url, sid, deadline).await;
            let error = result.as_ref().err().map(ToString::to_string);
            store
                .record_twilio_media(url, sid, error.as_deref().map_or(Ok(()), Err))
                .await?;
            match error {
                None => report.twilio_media_deleted += 1,
                Some(reason) => {
                    tracing::warn!(error = %reason, "Twilio media copy still not deleted");
                    report.twilio_media_failed += 1;
                }
            }
        }
    } else {
        report.twilio_media_failed = pending.len() as u64;
    }
    Ok(report)
}

/// Builds the job's parts from a settings source and runs it.
async fn run_from(source: &dyn Source, dry_run: bool) -> anyhow::Result<RetentionReport> {
    let settings = RetentionSettings::from_source(source, dry_run)?;
    let url = config::required(source, "DATABASE_URL")?;
    let store: Arc<dyn Store> = Database::parse(&url)?.open().await?;
    let media = ObjectMediaStore::from_url(&config::required(source, "MEDIA_STORE_URL")?)?;
    let twilio = match TwilioCredentials::from_source(source)? {
        Some(twilio) => {
            let policy = MediaPolicy::new(&twilio.api_base_url, &twilio.account_sid)?;
            Some(MediaDownloader::new(policy, twilio.auth)?)
        }
        None => None,
    };
    run_retention(store.as_ref(), &media, twilio.as_ref(), &settings, Utc::now(), dry_run).await
}

/// `tipline retention [--dry-run]`: prints the report as JSON.
pub async fn run(dry_run: bool) -> anyhow::Result<()> {
    let report = run_from(&Env, dry_run).await?;
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// The retention function in Lambda (an EventBridge schedule invokes it): settings from the
/// environment and Secrets Manager; the report is the result and a log line.
pub async fn lambda() -> anyhow::Result<()> {
    tipline_shared::telemetry::init(tipline_shared::telemetry::Format::Json);
    lambda_runtime::run(lambda_runtime::service_fn(
        |event: lambda_runtime::LambdaEvent<serde_json::Value>| async move {
            let dry_run = event.payload.get("dry_run").and_then(|v| v.as_bool()).unwrap_or(false);
            let sdk = tipline_shared::aws::load(3, Duration::from_secs(2), Duration::from_secs(10)).await;
            let source = tipline_shared::secrets::load(Env, &sdk).await?;
            let report = run_from(&source, dry_run).await?;
            tracing::info!(report = %serde_json::to_string(&report)?, "retention run finished");
            Ok::<_, lambda_runtime::Error>(serde_json::to_value(report)?)
        },
    ))
    .await
    .map_err(|e| anyhow::anyhow!(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_keyed_and_not_the_number() {
        let key = Secret::new("k".repeat(32));
        let a = pseudonym(&key, "whatsapp:+15550001234");
        assert_eq!(a, pseudonym(&key, "whatsapp:+15550001234"));
        assert!(a.starts_with("hmac:") && !a.contains("5550001234"), "{a}");
        assert_ne!(a, pseudonym(&key, "whatsapp:+15550001235"));
        assert_ne!(a, pseudonym(&Secret::new("j".repeat(32)), "whatsapp:+15550001234"));
    }

    #[test]
    fn settings_name_what_is_wrong() {
        let source = |pairs: &[(&str, &str)]| -> std::collections::HashMap<String, String> {
            pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
        };
        let missing = RetentionSettings::from_source(&source(&[]), false).expect_err("key needed");
        assert!(missing.to_string().contains("RETENTION_HMAC_KEY"), "{missing}");
        assert!(
            RetentionSettings::from_source(&source(&[]), true).is_ok(),
            "a dry run needs no key"
        );
        let short = RetentionSettings::from_source(&source(&[("RETENTION_HMAC_KEY", "short")]), false);
        assert!(short.expect_err("short").to_string().contains("32"));
        let zero = RetentionSettings::from_source(&source(&[("RETENTION_MEDIA_DAYS", "0")]), true);
        assert!(zero.expect_err("zero").to_string().contains("RETENTION_MEDIA_DAYS"));
    }
}
