//! Twilio REST credentials and sender, read from the environment.

use crate::config::{self, ConfigError, Source};
use crate::secret::Secret;
use crate::twilio::messages::{Sender, TwilioAuth};

/// Twilio's production API.
pub const DEFAULT_API_BASE_URL: &str = "https://api.twilio.com";

/// Everything needed to call Twilio's REST API as this account.
#[derive(Debug, Clone)]
pub struct TwilioCredentials {
    pub account_sid: String,
    pub auth: TwilioAuth,
    pub sender: Sender,
    pub api_base_url: String,
}

impl TwilioCredentials {
    /// `TWILIO_ACCOUNT_SID`; `TWILIO_API_KEY` + `TWILIO_API_SECRET` or else `TWILIO_AUTH_TOKEN`
    /// (the first, during a rotation); `TWILIO_WHATSAPP_FROM` or `TWILIO_MESSAGING_SERVICE_SID`;
    /// `TWILIO_API_BASE_URL`. `None` when no account is configured at all.
    pub fn from_source(source: &dyn Source) -> Result<Option<Self>, ConfigError> {
        let Some(account_sid) = config::optional(source, "TWILIO_ACCOUNT_SID") else {
            return Ok(None);
        };
        if !(account_sid.len() == 34 && account_sid.starts_with("AC")) {
            return Err(ConfigError::Invalid {
                name: "TWILIO_ACCOUNT_SID",
                reason: "expected AC followed by 32 characters".into(),
            });
        }
        let auth = match (
            config::optional(source, "TWILIO_API_KEY"),
            config::optional(source, "TWILIO_API_SECRET"),
        ) {
            (Some(sid), Some(secret)) => TwilioAuth::ApiKey {
                sid,
                secret: Secret::new(secret),
            },
            (Some(_), None) => return Err(ConfigError::Missing("TWILIO_API_SECRET")),
            (None, Some(_)) => return Err(ConfigError::Missing("TWILIO_API_KEY")),
            (None, None) => {
                let token = config::secrets(source, "TWILIO_AUTH_TOKEN")?
                    .into_iter()
                    .next()
                    .ok_or(ConfigError::Missing("TWILIO_AUTH_TOKEN"))?;
                TwilioAuth::Account { token }
            }
        };
        let sender = match (
            config::optional(source, "TWILIO_WHATSAPP_FROM"),
            config::optional(source, "TWILIO_MESSAGING_SERVICE_SID"),
        ) {
            (Some(from), _) if from.starts_with("whatsapp:") => Sender::From(from),
            (Some(_), _) => {
                return Err(ConfigError::Invalid {
                    name: "TWILIO_WHATSAPP_FROM",
                    reason: "expected whatsapp:+<number>".into(),
                })
            }
            (None, Some(service)) => Sender::MessagingService(service),
            (None, None) => return Err(ConfigError::Missing("TWILIO_WHATSAPP_FROM")),
        };
        let api_base_url =
            config::url(source, "TWILIO_API_BASE_URL")?.unwrap_or_else(|| DEFAULT_API_BASE_URL.to_owned());
        Ok(Some(Self {
            account_sid,
            auth,
            sender,
            api_base_url,
        }))
    }
}
