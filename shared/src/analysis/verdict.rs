//! `Verdict`: what an analyser concludes about one tip, in the shape every analyser returns and the reply is written from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The answer a sender gets: how likely the message they forwarded is a scam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Clear signs of a known scam.
    Scam,
    /// Some warning signs, not enough to be sure.
    Suspicious,
    /// Readable text with no warning signs.
    LikelySafe,
    /// Nothing the analyser could judge, such as an image it could not read.
    Unknown,
}

impl Label {
    /// The stable snake_case name stored in the database and used on the wire.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Scam => "scam",
            Self::Suspicious => "suspicious",
            Self::LikelySafe => "likely_safe",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a string is not a verdict label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseLabelError {
    label: String,
}

impl ParseLabelError {
    /// The text that was not a label (cut to 40 characters).
    pub fn label(&self) -> &str {
        &self.label
    }
}

impl fmt::Display for ParseLabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:?} is not a verdict label (scam, suspicious, likely_safe or unknown)",
            self.label
        )
    }
}

impl std::error::Error for ParseLabelError {}

impl FromStr for Label {
    type Err = ParseLabelError;

    /// Accepts the snake_case names in any case, with spaces or hyphens for the underscore,
    /// because model output and old database rows are not always exact.
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let canonical: String = raw
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '-' => '_',
                other => other.to_ascii_lowercase(),
            })
            .collect();
        match canonical.as_str() {
            "scam" => Ok(Self::Scam),
            "suspicious" => Ok(Self::Suspicious),
            "likely_safe" => Ok(Self::LikelySafe),
            "unknown" => Ok(Self::Unknown),
            _ => Err(ParseLabelError {
                label: raw.chars().take(40).collect(),
            }),
        }
    }
}

/// An analyser's conclusion about one tip, with the reasons and advice the reply shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The label the sender sees first.
    pub label: Label,
    /// How sure the analyser is of `label`, from 0 to 1.
    pub confidence: f64,
    /// Short plain-language reasons, strongest first.
    pub reasons: Vec<String>,
    /// One concrete thing the sender should do next.
    pub advice: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_through_their_names() {
        let cases = [
            (Label::Scam, "scam"),
            (Label::Suspicious, "suspicious"),
            (Label::LikelySafe, "likely_safe"),
            (Label::Unknown, "unknown"),
        ];
        for (label, name) in cases {
            assert_eq!(label.as_str(), name);
            assert_eq!(label.to_string(), name);
            assert_eq!(name.parse::<Label>(), Ok(label));
            let json = format!("\"{name}\"");
            assert_eq!(serde_json::to_string(&label).ok().as_deref(), Some(json.as_str()));
            assert_eq!(serde_json::from_str::<Label>(&json).ok(), Some(label));
        }
    }

    #[test]
    fn parsing_tolerates_case_spaces_and_hyphens_only() {
        let cases = [
            ("Likely Safe", Some(Label::LikelySafe)),
            (" likely-safe ", Some(Label::LikelySafe)),
            ("SCAM", Some(Label::Scam)),
            ("", None),
            ("safe", None),
            ("scammy", None),
            ("ｓｃａｍ", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(raw.parse::<Label>().ok(), expected, "{raw:?}");
        }
    }

    #[test]
    fn a_bad_label_names_itself_in_the_error() {
        let err = "maybe".parse::<Label>().err();
        assert_eq!(err.as_ref().map(ParseLabelError::label), Some("maybe"));
        let message = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("\"maybe\""), "{message}");
    }

    #[test]
    fn a_verdict_serialises_with_snake_case_label() {
        let verdict = Verdict {
            label: Label::LikelySafe,
            confidence: 0.5,
            reasons: vec!["r".into()],
            advice: "a".into(),
        };
        let json = serde_json::to_value(&verdict).unwrap_or_default();
        assert_eq!(json["label"], "likely_safe");
        let back: Option<Verdict> = serde_json::from_value(json).ok();
        assert_eq!(back, Some(verdict));
    }
}
