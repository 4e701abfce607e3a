//! Measuring an analyser on labelled tips: precision, recall and false-positive rate for
//! "scam or suspicious" against benign, a confusion matrix over the four labels, the same
//! per language, and the misclassified tips. Used by `tipline eval`, the training command's
//! provenance and the tests that hold the analyser to its goals.
//!
//! Two file formats: JSONL as in `processor/tests/fixtures/offline_eval.jsonl` (`text`,
//! `expected` or `label`, optional `id`, `lang`, `forwarded`, `frequently_forwarded`) and
//! TSV `label<TAB>text` as in the SMS Spam Collection. Labels: scam/spam/suspicious for the
//! positive class, benign/ham/safe/likely_safe for the negative one.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::tip::Tip;
use super::verdict::{Label, Verdict};

/// One tip with its true class.
#[derive(Debug, Clone)]
pub struct LabelledTip {
    pub id: Option<String>,
    pub lang: Option<String>,
    pub tip: Tip,
    /// Spam or scam.
    pub scam: bool,
}

impl LabelledTip {
    /// What decides the held-out split: the id if there is one, else the text.
    pub fn key(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.tip.text)
    }
}

/// Why a labelled file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("line {line}: {message}")]
    Line { line: usize, message: String },
    #[error("the file has no labelled tips")]
    Empty,
}

#[derive(Deserialize)]
struct JsonCase {
    id: Option<String>,
    lang: Option<String>,
    text: String,
    #[serde(default)]
    forwarded: bool,
    #[serde(default)]
    frequently_forwarded: bool,
    expected: Option<String>,
    label: Option<String>,
}

/// Reads the class name of a labelled file.
fn parse_class(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "scam" | "spam" | "suspicious" | "smishing" | "1" => Some(true),
        "benign" | "ham" | "safe" | "likely_safe" | "0" => Some(false),
        _ => None,
    }
}

/// Parses a JSONL or TSV labelled file; a TSV header line (`Label<TAB>SMS`) is skipped.
pub fn parse_labelled(contents: &str) -> Result<Vec<LabelledTip>, EvalError> {
    let json = contents.trim_start().starts_with('{');
    let mut out = Vec::new();
    for (n, line) in contents.lines().enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |message: String| EvalError::Line { line: line_no, message };
        if json {
            let case: JsonCase = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
            let class = case.expected.as_deref().or(case.label.as_deref()).unwrap_or_default();
            let scam = parse_class(class).ok_or_else(|| err(format!("unknown label {class:?}")))?;
            out.push(LabelledTip {
                id: case.id,
                lang: case.lang,
                tip: Tip {
                    text: case.text,
                    forwarded: case.forwarded,
                    frequently_forwarded: case.frequently_forwarded,
                    media: Vec::new(),
                },
                scam,
            });
        } else {
            let (class, text) = line
                .split_once('\t')
                .ok_or_else(|| err("expected label<TAB>text".to_owned()))?;
            match parse_class(class) {
                Some(scam) => out.push(LabelledTip {
                    id: None,
                    lang: None,
                    tip: Tip::from_text(text),
                    scam,
                }),
                None if out.is_empty() => {} // the header
                None => return Err(err(format!("unknown label {class:?}"))),
            }
        }
    }
    if out.is_empty() {
        return Err(EvalError::Empty);
    }
    Ok(out)
}

/// The labels in the order the confusion matrix shows them.
const LABELS: [Label; 4] = [Label::Scam, Label::Suspicious, Label::LikelySafe, Label::Unknown];

/// Counts for one set of tips: rows are the true class (scam, benign), columns the labels.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confusion {
    pub counts: [[usize; 4]; 2],
}

impl Confusion {
    fn add(&mut self, scam: bool, label: Label) {
        let column = LABELS.iter().position(|l| *l == label).unwrap_or(3);
        self.counts[usize::from(!scam)][column] += 1;
    }

    fn flagged(row: &[usize; 4]) -> usize {
        row[0] + row[1]
    }

    /// Scams and spam among the tips.
    pub fn positives(&self) -> usize {
        self.counts[0].iter().sum()
    }

    /// Benign tips.
    pub fn negatives(&self) -> usize {
        self.counts[1].iter().sum()
    }

    /// Of the tips flagged scam or suspicious, the share that were.
    pub fn precision(&self) -> f64 {
        let tp = Self::flagged(&self.counts[0]);
        ratio(tp, tp + Self::flagged(&self.counts[1]))
    }

    /// Of the scams, the share flagged scam or suspicious.
    pub fn recall(&self) -> f64 {
        ratio(Self::flagged(&self.counts[0]), self.positives())
    }

    /// Of the benign tips, the share flagged scam or suspicious.
    pub fn false_positive_rate(&self) -> f64 {
        ratio(Self::flagged(&self.counts[1]), self.negatives())
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A tip the analyser got wrong.
#[derive(Debug, Clone)]
pub struct Miss {
    pub key: String,
    pub scam: bool,
    pub verdict: Verdict,
}

/// The result of one evaluation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub overall: Confusion,
    pub by_lang: BTreeMap<String, Confusion>,
    pub misses: Vec<Miss>,
    /// How many misclassified tips `Display` lists.
    pub show: usize,
}

impl Report {
    /// Runs `analyze` on every tip and counts.
    pub fn measure<'a>(cases: impl IntoIterator<Item = &'a LabelledTip>, analyze: impl Fn(&Tip) -> Verdict) -> Self {
        let mut report = Report {
            show: 20,
            ..Report::default()
        };
        for case in cases {
            let verdict = analyze(&case.tip);
            report.overall.add(case.scam, verdict.label);
            if let Some(lang) = &case.lang {
                report
                    .by_lang
                    .entry(lang.clone())
                    .or_default()
                    .add(case.scam, verdict.label);
            }
            let flagged = matches!(verdict.label, Label::Scam | Label::Suspicious);
            if flagged != case.scam {
                report.misses.push(Miss {
                    key: case.key().chars().take(120).collect(),
                    scam: case.scam,
                    verdict,
                });
            }
        }
        report
    }
}

impl fmt::Display for Confusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} tips ({} scam/spam, {} benign): precision {:.3}, recall {:.3}, false-positive rate {:.3}",
            self.positives() + self.negatives(),
            self.positives(),
            self.negatives(),
            self.precision(),
            self.recall(),
            self.false_positive_rate()
        )?;
        writeln!(
            f,
            "{:>18} {:>6} {:>10} {:>11} {:>7}",
            "true \\ verdict", "scam", "suspicious", "likely_safe", "unknown"
        )?;
        for (name, row) in ["scam/spam", "benign"].iter().zip(&self.counts) {
            writeln!(
                f,
                "{name:>18} {:>6} {:>10} {:>11} {:>7}",
                row[0], row[1], row[2], row[3]
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.overall)?;
        for (lang, confusion) in &self.by_lang {
            writeln!(
                f,
                "  {lang}: {} tips, precision {:.3}, recall {:.3}, false-positive rate {:.3}",
                confusion.positives() + confusion.negatives(),
                confusion.precision(),
                confusion.recall(),
                confusion.false_positive_rate()
            )?;
        }
        if !self.misses.is_empty() {
            writeln!(f, "misclassified ({}, showing up to {}):", self.misses.len(), self.show)?;
            for miss in self.misses.iter().take(self.show) {
                let truth = if miss.scam { "scam" } else { "benign" };
                let reason = miss.verdict.reasons.first().map_or("", String::as_str);
                writeln!(
                    f,
                    "  [{truth} -> {} {:.2}] {} | {reason}",
                    miss.verdict.label, miss.verdict.confidence, miss.key
                )?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats() {
        let tsv = "Label\tSMS\nham\thello there\nspam\tWIN a prize\n";
        let cases = parse_labelled(tsv).unwrap_or_default();
        assert_eq!(cases.iter().map(|c| c.scam).collect::<Vec<_>>(), [false, true]);
        let jsonl = r#"{"id": "a", "lang": "es", "text": "hola", "expected": "benign"}
{"text": "pay now", "label": "scam", "forwarded": true}"#;
        let cases = parse_labelled(jsonl).unwrap_or_default();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].key(), "a");
        assert!(cases[1].tip.forwarded && cases[1].scam);
        assert!(parse_labelled("").is_err());
        assert!(parse_labelled("ham\tok\nmaybe\tx").is_err());
    }

    #[test]
    fn counts_flagged_against_true_class() {
        let verdict = |label| Verdict {
            label,
            confidence: 0.5,
            reasons: vec!["r".into()],
            advice: "a".into(),
        };
        let mut c = Confusion::default();
        for (scam, label) in [
            (true, Label::Scam),
            (true, Label::Suspicious),
            (true, Label::LikelySafe),
            (false, Label::LikelySafe),
            (false, Label::Unknown),
            (false, Label::Suspicious),
        ] {
            c.add(scam, verdict(label).label);
        }
        assert!((c.recall() - 2.0 / 3.0).abs() < 1e-9);
        assert!((c.false_positive_rate() - 1.0 / 3.0).abs() < 1e-9);
        assert!((c.precision() - 2.0 / 3.0).abs() < 1e-9);
        assert!(c.to_string().contains("benign"));
    }
}
