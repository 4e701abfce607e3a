//! Reading configuration from the environment, with errors that name the variable at fault.

use crate::secret::Secret;

/// A missing or malformed setting; the message always names the variable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("environment variable {0} is not set")]
    Missing(&'static str),
    #[error("environment variable {name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
}

/// Where settings come from: the process environment in production, a map in tests.
pub trait Source {
    /// The raw value, if set.
    fn get(&self, name: &str) -> Option<String>;
}

/// The process environment.
#[derive(Debug, Clone, Copy, Default)]
pub struct Env;

impl Source for Env {
    fn get(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Source for std::collections::HashMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        std::collections::HashMap::get(self, name).cloned()
    }
}

/// An optional setting; set-but-blank counts as unset.
pub fn optional(source: &dyn Source, name: &'static str) -> Option<String> {
    source.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A required setting.
pub fn required(source: &dyn Source, name: &'static str) -> Result<String, ConfigError> {
    optional(source, name).ok_or(ConfigError::Missing(name))
}

/// An optional setting parsed with `FromStr`, or its default.
pub fn parsed<T: std::str::FromStr>(source: &dyn Source, name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match optional(source, name) {
        None => Ok(default),
        Some(raw) => raw.parse().map_err(|e: T::Err| ConfigError::Invalid {
            name,
            reason: e.to_string(),
        }),
    }
}

/// A comma-separated list of secrets (e.g. `TWILIO_AUTH_TOKEN` during a rotation).
pub fn secrets(source: &dyn Source, name: &'static str) -> Result<Vec<Secret>, ConfigError> {
    let raw = required(source, name)?;
    let list: Vec<Secret> = raw
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Secret::new)
        .collect();
    if list.is_empty() {
        return Err(ConfigError::Invalid {
            name,
            reason: "no value between the commas".into(),
        });
    }
    Ok(list)
}

/// An absolute http(s) URL setting.
pub fn url(source: &dyn Source, name: &'static str) -> Result<Option<String>, ConfigError> {
    match optional(source, name) {
        None => Ok(None),
        Some(raw) if raw.starts_with("https://") || raw.starts_with("http://") => Ok(Some(raw)),
        Some(_) => Err(ConfigError::Invalid {
            name,
            reason: "expected an absolute http:// or https:// URL".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn source(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn errors_name_the_variable() {
        let env = source(&[("N", "x"), ("T", " , "), ("U", "ftp://x")]);
        assert_eq!(
            required(&env, "MISSING").expect_err("missing").to_string(),
            "environment variable MISSING is not set"
        );
        assert!(parsed::<u32>(&env, "N", 3)
            .expect_err("invalid")
            .to_string()
            .contains("N is invalid"));
        assert!(secrets(&env, "T")
            .expect_err("empty")
            .to_string()
            .contains("T is invalid"));
        assert!(url(&env, "U").expect_err("bad").to_string().contains("U is invalid"));
        assert_eq!(parsed::<u32>(&env, "UNSET", 3), Ok(3));
    }

    #[test]
    fn secrets_split_on_commas() {
        let env = source(&[("T", "a, b,,c")]);
        let list = secrets(&env, "T").expect("valid");
        assert_eq!(list.iter().map(Secret::expose).collect::<Vec<_>>(), ["a", "b", "c"]);
    }
}
