//! Secrets from AWS Secrets Manager, layered over the environment.
//!
//! In Lambda the functions get only `*_SECRET_ARN` variables; each secret is a JSON object whose
//! keys are the variable names it supplies (`{"DATABASE_URL": "postgres://…"}`). Reading them
//! once at cold start keeps secret values out of the function's configuration.
//!
//! A few settings the stack itself produces (the webhook's own Function URL) come from SSM
//! parameters named by `*_PARAMETER` variables instead, so no later deploy can drop them.

use std::collections::HashMap;

use crate::config::Source;

/// The variables that name secrets, in the order they are read.
pub const SECRET_ARN_VARIABLES: [&str; 5] = [
    "TWILIO_SECRET_ARN",
    "TWILIO_SIGNING_SECRET_ARN",
    "OPENAI_SECRET_ARN",
    "DATABASE_SECRET_ARN",
    "RETENTION_SECRET_ARN",
];

/// Why the secrets could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    #[error("cannot read secret {variable} ({arn}): {reason}")]
    Fetch {
        variable: &'static str,
        arn: String,
        reason: String,
    },
    #[error("secret {variable} is not a JSON object of strings: {reason}")]
    Shape { variable: &'static str, reason: String },
    #[error("cannot read SSM parameter {name} (named by {variable}): {reason}")]
    Parameter {
        variable: &'static str,
        name: String,
        reason: String,
    },
}

/// Variables naming an SSM parameter, and the setting each parameter supplies when that setting
/// is not set directly.
pub const PARAMETER_VARIABLES: [(&str, &str); 1] = [("PUBLIC_WEBHOOK_URL_PARAMETER", "PUBLIC_WEBHOOK_URL")];

/// Settings from secrets first, then the environment (or any other source) beneath.
#[derive(Debug, Clone)]
pub struct Layered<S> {
    secrets: HashMap<String, String>,
    below: S,
}

impl<S: Source> Source for Layered<S> {
    fn get(&self, name: &str) -> Option<String> {
        self.secrets.get(name).cloned().or_else(|| self.below.get(name))
    }
}

impl<S: Source> Layered<S> {
    /// No secrets: the source as it is (local runs, tests).
    pub fn plain(below: S) -> Self {
        Self {
            secrets: HashMap::new(),
            below,
        }
    }

    /// The names the secrets supplied (never their values), for the start-up log.
    pub fn supplied(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.secrets.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }
}

/// Reads every secret named by a `*_SECRET_ARN` variable in `below` and layers it on top.
pub async fn load<S: Source>(below: S, sdk: &aws_config::SdkConfig) -> Result<Layered<S>, SecretsError> {
    let arns: Vec<(&'static str, String)> = SECRET_ARN_VARIABLES
        .iter()
        .filter_map(|variable| crate::config::optional(&below, variable).map(|arn| (*variable, arn)))
        .collect();
    if arns.is_empty() {
        return Ok(Layered::plain(below));
    }
    let client = aws_sdk_secretsmanager::Client::new(sdk);
    let mut secrets = HashMap::new();
    for (variable, arn) in arns {
        let output = client
            .get_secret_value()
            .secret_id(&arn)
            .send()
            .await
            .map_err(|e| SecretsError::Fetch {
                variable,
                arn: arn.clone(),
                reason: aws_sdk_secretsmanager::error::DisplayErrorContext(&e).to_string(),
            })?;
        let text = output.secret_string.ok_or_else(|| SecretsError::Shape {
            variable,
            reason: "the secret has no string value".into(),
        })?;
        let values: HashMap<String, String> = serde_json::from_str(&text).map_err(|e| SecretsError::Shape {
            variable,
            reason: e.to_string(),
        })?;
        secrets.extend(values);
    }
    Ok(Layered { secrets, below })
}

/// Fills each setting of [`PARAMETER_VARIABLES`] that is not set from the SSM parameter its
/// variable names (a plain `String` parameter).
pub async fn load_parameters<S: Source>(
    mut layered: Layered<S>,
    sdk: &aws_config::SdkConfig,
) -> Result<Layered<S>, SecretsError> {
    let wanted: Vec<(&'static str, &'static str, String)> = PARAMETER_VARIABLES
        .iter()
        .filter(|(_, setting)| crate::config::optional(&layered, setting).is_none())
        .filter_map(|(variable, setting)| {
            crate::config::optional(&layered, variable).map(|name| (*variable, *setting, name))
        })
        .collect();
    if wanted.is_empty() {
        return Ok(layered);
    }
    let client = aws_sdk_ssm::Client::new(sdk);
    for (variable, setting, name) in wanted {
        let output = client
            .get_parameter()
            .name(&name)
            .send()
            .await
            .map_err(|e| SecretsError::Parameter {
                variable,
                name: name.clone(),
                reason: aws_sdk_ssm::error::DisplayErrorContext(&e).to_string(),
            })?;
        let value = output
            .parameter
            .and_then(|p| p.value)
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| SecretsError::Parameter {
                variable,
                name: name.clone(),
                reason: "the parameter has no value".into(),
            })?;
        layered.secrets.insert(setting.to_owned(), value);
    }
    Ok(layered)
}
