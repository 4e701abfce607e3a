//! Fetching one attachment from Twilio without leaking credentials.
//!
//! A forged or replayed webhook can name any URL as `MediaUrlN`, so Twilio's credentials go only
//! to `{our API base}/2010-04-01/Accounts/{our AccountSid}/Messages/{this MessageSid}/Media/{ME…}`.
//! Twilio answers that with a redirect to a short-lived pre-signed CDN URL; that one hop is
//! followed by hand, without credentials (a pre-signed URL rejects them, and the CDN must never
//! see them) and only to Twilio's media hosts. Bodies are streamed against the size caps.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt as _;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use tokio::sync::Semaphore;
use tokio::time::Instant;
use url::Url;

use super::{accept, Accepted, DownloadedMedia};
use crate::config::{self, ConfigError, Source};
use crate::domain::MessageSid;
use crate::twilio::inbound::MediaRef;
use crate::twilio::messages::TwilioAuth;

/// Where Twilio's media redirects lead: its CDN (`mms.twiliocdn.com` once HTTP auth is on, and
/// `media.twiliocdn.com`) and the S3 host of older, unauthenticated media.
pub const DEFAULT_CDN_HOSTS: &[&str] = &["*.twiliocdn.com", "s3-external-1.amazonaws.com"];

/// Why an attachment was not fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaError {
    /// The URL is not our account's Twilio media URL, or the redirect leads off Twilio's hosts.
    #[error("media URL refused: {0}")]
    Refused(String),
    /// A type outside the allow-list, or over its size cap: kept out, and the sender is told.
    #[error("unsupported media: {0}")]
    Unsupported(String),
    /// Twilio has no such media (deleted, or never existed).
    #[error("Twilio has no such media (HTTP 404)")]
    Gone,
    /// Twilio or its CDN failed or throttled; a later attempt gets a fresh pre-signed URL.
    #[error("media download failed: {0}")]
    Unavailable(String),
    #[error("media download ran out of time before the deadline")]
    Deadline,
}

impl MediaError {
    /// Whether a later attempt may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unavailable(_) | Self::Deadline)
    }
}

/// Which URLs may receive credentials and which hosts their redirect may lead to.
#[derive(Debug, Clone)]
pub struct MediaPolicy {
    /// Twilio's API base (`https://api.twilio.com`, a local stand-in in tests).
    pub api_base: Url,
    /// Our account: media of any other account is refused.
    pub account_sid: String,
    /// Allowed redirect hosts: `host`, `*.domain` (subdomains only), or `host:port`.
    pub cdn_hosts: Vec<String>,
}

impl MediaPolicy {
    /// The policy for an account at an API base, with Twilio's CDN hosts.
    pub fn new(api_base: &str, account_sid: &str) -> Result<Self, url::ParseError> {
        Ok(Self {
            api_base: Url::parse(api_base)?,
            account_sid: account_sid.to_owned(),
            cdn_hosts: DEFAULT_CDN_HOSTS.iter().map(|h| (*h).to_owned()).collect(),
        })
    }

    /// Replaces the allowed redirect hosts.
    pub fn with_cdn_hosts(mut self, hosts: Vec<String>) -> Self {
        self.cdn_hosts = hosts.into_iter().map(|h| h.trim().to_ascii_lowercase()).collect();
        self
    }

    /// `TWILIO_MEDIA_HOSTS` (comma-separated), defaulting to Twilio's own.
    pub fn hosts_from_source(self, source: &dyn Source) -> Result<Self, ConfigError> {
        match config::optional(source, "TWILIO_MEDIA_HOSTS") {
            None => Ok(self),
            Some(raw) => {
                let hosts: Vec<String> = raw
                    .split(',')
                    .map(str::trim)
                    .filter(|h| !h.is_empty())
                    .map(str::to_owned)
                    .collect();
                if hosts.is_empty() || hosts.iter().any(|h| h.contains('/') || h == "*") {
                    return Err(ConfigError::Invalid {
                        name: "TWILIO_MEDIA_HOSTS",
                        reason: "expected comma-separated hosts such as *.twiliocdn.com".into(),
                    });
                }
                Ok(self.with_cdn_hosts(hosts))
            }
        }
    }

    /// The URL to send credentials to, if `raw` is exactly our account's media URL for `sid`.
    pub fn credentialed_url(&self, raw: &str, sid: &MessageSid) -> Result<Url, MediaError> {
        let url = Url::parse(raw).map_err(|_| MediaError::Refused("not an absolute URL".into()))?;
        if url.origin() != self.api_base.origin() {
            return Err(MediaError::Refused(format!(
                "host {} is not the Twilio API",
                url.host_str().unwrap_or("(none)")
            )));
        }
        if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
            return Err(MediaError::Refused(
                "the media URL carries user info, a query or a fragment".into(),
            ));
        }
        let prefix = format!(
            "{}/2010-04-01/Accounts/{}/Messages/{}/Media/",
            self.api_base.path().trim_end_matches('/'),
            self.account_sid,
            sid
        );
        let Some(media_sid) = url.path().strip_prefix(&prefix) else {
            return Err(MediaError::Refused(
                "the path is not this account's media of this message".into(),
            ));
        };
        let is_media_sid = media_sid.len() == 34
            && media_sid.starts_with("ME")
            && media_sid[2..].bytes().all(|b| b.is_ascii_hexdigit());
        if !is_media_sid {
            return Err(MediaError::Refused("the path does not end in a MediaSid".into()));
        }
        Ok(url)
    }

    /// The redirect target, if it is an allowed media host. Plain http only when the API base is
    /// itself plain http (a local stand-in), never in production.
    pub fn cdn_url(&self, from: &Url, location: &str) -> Result<Url, MediaError> {
        let url = from
            .join(location)
            .map_err(|_| MediaError::Refused("the redirect is not a URL".into()))?;
        let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && self.api_base.scheme() == "http");
        if !scheme_ok || !url.username().is_empty() || url.password().is_some() {
            return Err(MediaError::Refused(format!(
                "the redirect uses {}:// or carries user info",
                url.scheme()
            )));
        }
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let host_port = format!("{host}:{}", url.port_or_known_default().unwrap_or(0));
        let allowed = self.cdn_hosts.iter().any(|pattern| {
            if pattern.contains(':') {
                *pattern == host_port
            } else if let Some(domain) = pattern.strip_prefix("*.") {
                host.len() > domain.len() + 1
                    && host.ends_with(domain)
                    && host[..host.len() - domain.len()].ends_with('.')
            } else {
                *pattern == host
            }
        });
        if !allowed {
            return Err(MediaError::Refused(format!(
                "the redirect leads to {host}, not a Twilio media host"
            )));
        }
        Ok(url)
    }
}

/// Downloads attachments under a [`MediaPolicy`], with Twilio credentials.
#[derive(Debug, Clone)]
pub struct MediaDownloader {
    http: reqwest::Client,
    policy: MediaPolicy,
    auth: TwilioAuth,
    /// KiB of attachments downloading or held at once in this process: ten 16 MB voice notes at
    /// concurrency 8 must queue, not exhaust the function's memory.
    budget: Option<(Arc<Semaphore>, u32)>,
}

/// Default bytes-in-flight budget per process (`MEDIA_BYTES_IN_FLIGHT_MB`): four attachments at
/// the 16 MB cap, well inside the processor's memory.
pub const DEFAULT_BYTES_IN_FLIGHT_MB: u32 = 64;

impl MediaDownloader {
    /// Builds its own HTTP client because redirects must never be followed automatically:
    /// reqwest would carry the `Authorization` header to wherever Twilio (or a forger) points.
    pub fn new(policy: MediaPolicy, auth: TwilioAuth) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(3))
            .build()?;
        Ok(Self {
            http,
            policy,
            auth,
            budget: None,
        }
        .with_bytes_in_flight_mb(DEFAULT_BYTES_IN_FLIGHT_MB))
    }

    /// Bounds the attachments held at once to `mb` MiB (0: unbounded); each download reserves
    /// its type's size cap until the attachment is dropped.
    pub fn with_bytes_in_flight_mb(mut self, mb: u32) -> Self {
        let kib = mb.saturating_mul(1024);
        self.budget = (kib > 0).then(|| (Arc::new(Semaphore::new(kib as usize)), kib));
        self
    }

    /// `MEDIA_BYTES_IN_FLIGHT_MB`, defaulting to [`DEFAULT_BYTES_IN_FLIGHT_MB`].
    pub fn budget_from_source(self, source: &dyn Source) -> Result<Self, ConfigError> {
        let mb = config::parsed(source, "MEDIA_BYTES_IN_FLIGHT_MB", DEFAULT_BYTES_IN_FLIGHT_MB)?;
        Ok(self.with_bytes_in_flight_mb(mb))
    }

    async fn reserve(
        &self,
        accepted: Accepted,
        deadline: Instant,
    ) -> Result<Option<tokio::sync::OwnedSemaphorePermit>, MediaError> {
        let Some((semaphore, total)) = &self.budget else {
            return Ok(None);
        };
        // One attachment larger than the whole budget still gets it all, never a deadlock.
        let kib = u32::try_from(accepted.max_bytes.div_ceil(1024))
            .unwrap_or(u32::MAX)
            .min(*total);
        let permit = tokio::time::timeout_at(deadline, semaphore.clone().acquire_many_owned(kib))
            .await
            .map_err(|_| MediaError::Deadline)?
            .map_err(|_| MediaError::Unavailable("the media budget was closed".into()))?;
        Ok(Some(permit))
    }

    /// The policy in force.
    pub fn policy(&self) -> &MediaPolicy {
        &self.policy
    }

    /// Fetches one attachment of message `sid`, giving up at `deadline`.
    #[tracing::instrument(skip_all, fields(content_type = %media.content_type))]
    pub async fn fetch(
        &self,
        media: &MediaRef,
        sid: &MessageSid,
        deadline: Instant,
    ) -> Result<DownloadedMedia, MediaError> {
        // The declared type is checked first, so an unsupported attachment costs no request.
        let declared = accept(&media.content_type)
            .ok_or_else(|| MediaError::Unsupported(format!("{} is not a type tipline checks", media.content_type)))?;
        let url = self.policy.credentialed_url(&media.url, sid)?;
        let (user, password) = self.credentials();
        let first = self
            .http
            .get(url.clone())
            .basic_auth(user, Some(password))
            .timeout(remaining(deadline)?)
            .send()
            .await
            .map_err(transport)?;
        let status = first.status();
        let response = if status.is_redirection() {
            let location = first
                .headers()
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .ok_or_else(|| MediaError::Unavailable(format!("Twilio answered {status} without a Location")))?;
            let cdn = self.policy.cdn_url(&url, location)?;
            // No credentials on this hop: a fresh request, built from the bare URL.
            let response = self
                .http
                .get(cdn)
                .timeout(remaining(deadline)?)
                .send()
                .await
                .map_err(transport)?;
            let status = response.status();
            if !status.is_success() {
                // A pre-signed URL that expired or is not yet live: the next attempt gets a new one.
                return Err(MediaError::Unavailable(format!("the media CDN answered {status}")));
            }
            response
        } else if status.is_success() {
            first
        } else if status == reqwest::StatusCode::NOT_FOUND {
            return Err(MediaError::Gone);
        } else {
            return Err(MediaError::Unavailable(format!("Twilio's media API answered {status}")));
        };
        let accepted = match response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            // What was served decides: a "jpeg" that arrives as HTML is not kept.
            Some(served) => {
                accept(served).ok_or_else(|| MediaError::Unsupported(format!("the media was served as {served}")))?
            }
            None => declared,
        };
        let budget = self.reserve(accepted, deadline).await?;
        let bytes = tokio::time::timeout_at(deadline, read_capped(response, accepted))
            .await
            .map_err(|_| MediaError::Deadline)??;
        Ok(DownloadedMedia {
            accepted,
            bytes,
            _budget: budget,
        })
    }
}

impl MediaDownloader {
    fn credentials(&self) -> (&str, &str) {
        match &self.auth {
            TwilioAuth::ApiKey { sid, secret } => (sid.as_str(), secret.expose()),
            TwilioAuth::Account { token } => (self.policy.account_sid.as_str(), token.expose()),
        }
    }

    /// Deletes Twilio's copy of an attachment once ours is stored (Twilio's Media `DELETE`), on
    /// the same credential-scoped URL the download used; media already gone counts as deleted.
    #[tracing::instrument(skip_all)]
    pub async fn delete_at_twilio(&self, raw_url: &str, sid: &MessageSid, deadline: Instant) -> Result<(), MediaError> {
        let url = self.policy.credentialed_url(raw_url, sid)?;
        let (user, password) = self.credentials();
        let response = self
            .http
            .delete(url)
            .basic_auth(user, Some(password))
            .timeout(remaining(deadline)?)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        if status.is_success() || status == reqwest::StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(MediaError::Unavailable(format!(
                "Twilio's media API answered {status} to the delete"
            )))
        }
    }
}

fn remaining(deadline: Instant) -> Result<Duration, MediaError> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(MediaError::Deadline)
    } else {
        Ok(left)
    }
}

/// A transport failure, described without its URL: a pre-signed URL's query is a credential.
fn transport(error: reqwest::Error) -> MediaError {
    if error.is_timeout() {
        MediaError::Deadline
    } else {
        MediaError::Unavailable(error.without_url().to_string())
    }
}

async fn read_capped(response: reqwest::Response, accepted: Accepted) -> Result<Vec<u8>, MediaError> {
    let too_large = || {
        MediaError::Unsupported(format!(
            "{} over the {} MB limit",
            accepted.mime,
            accepted.max_bytes / (1024 * 1024)
        ))
    };
    let declared_len = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_len.is_some_and(|len| len > accepted.max_bytes) {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(declared_len.unwrap_or(0).min(accepted.max_bytes) as usize);
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(transport)?;
        // Counted as it arrives: a missing or lying Content-Length cannot make us buffer more.
        if bytes.len() as u64 + chunk.len() as u64 > accepted.max_bytes {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCOUNT: &str = "AC0123456789abcdef0123456789abcdef";
    const SID: &str = "MM0123456789abcdef0123456789abcdef";
    const MEDIA: &str = "ME0123456789abcdef0123456789abcdef";

    fn policy() -> MediaPolicy {
        MediaPolicy::new("https://api.twilio.com", ACCOUNT).expect("base")
    }

    #[test]
    fn credentials_go_only_to_our_accounts_media_of_this_message() {
        let sid = MessageSid::parse(SID).expect("sid");
        let ours = format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}");
        assert!(policy().credentialed_url(&ours, &sid).is_ok());
        let other_account = "AC1111111111abcdef0123456789abcdef";
        let other_message = "MM1111111111abcdef0123456789abcdef";
        let refused = [
            format!("https://evil.example/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}"),
            format!("http://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}"),
            format!("https://api.twilio.com:8443/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}"),
            format!("https://api.twilio.com.evil.example/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}"),
            format!("https://user:pw@api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}"),
            format!("https://api.twilio.com/2010-04-01/Accounts/{other_account}/Messages/{SID}/Media/{MEDIA}"),
            format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{other_message}/Media/{MEDIA}"),
            format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}?x=1"),
            format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/../../{other_message}/Media/{MEDIA}"),
            format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/{MEDIA}/x"),
            format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages/{SID}/Media/XX0123"),
            format!("https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Messages.json"),
            "not a url".to_owned(),
        ];
        for raw in refused {
            assert!(
                matches!(policy().credentialed_url(&raw, &sid), Err(MediaError::Refused(_))),
                "{raw}"
            );
        }
    }

    #[test]
    fn redirects_only_to_twilio_media_hosts_over_https() {
        let from = Url::parse("https://api.twilio.com/2010-04-01/x").expect("url");
        let allowed = [
            "https://mms.twiliocdn.com/AC/abc?X-Amz-Signature=1",
            "https://media.twiliocdn.com/x",
            "https://s3-external-1.amazonaws.com/media.twiliocdn.com/AC/x",
        ];
        for location in allowed {
            assert!(policy().cdn_url(&from, location).is_ok(), "{location}");
        }
        let refused = [
            "http://mms.twiliocdn.com/x",
            "https://twiliocdn.com.evil.example/x",
            "https://eviltwiliocdn.com/x",
            "https://user@mms.twiliocdn.com/x",
            "https://evil.example/x",
            "/2010-04-01/elsewhere",
            "https://s3.amazonaws.com/attacker-bucket/x",
        ];
        for location in refused {
            assert!(
                matches!(policy().cdn_url(&from, location), Err(MediaError::Refused(_))),
                "{location}"
            );
        }
    }

    #[test]
    fn a_port_pinned_host_matches_that_port_only() {
        let policy = MediaPolicy::new("http://127.0.0.1:1000", ACCOUNT)
            .expect("base")
            .with_cdn_hosts(vec!["127.0.0.1:2000".into()]);
        let from = Url::parse("http://127.0.0.1:1000/x").expect("url");
        assert!(policy.cdn_url(&from, "http://127.0.0.1:2000/m").is_ok());
        assert!(policy.cdn_url(&from, "http://127.0.0.1:3000/m").is_err());
    }

    #[test]
    fn media_hosts_from_the_environment_are_checked() {
        let env: std::collections::HashMap<String, String> = [("TWILIO_MEDIA_HOSTS".to_owned(), "*".to_owned())]
            .into_iter()
            .collect();
        let error = policy()
            .hosts_from_source(&env)
            .expect_err("a bare * allows everything");
        assert!(error.to_string().contains("TWILIO_MEDIA_HOSTS"));
    }
}
