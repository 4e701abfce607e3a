//! Measures the offline analyser on a labelled set of realistic messages, so a rule change
//! is judged by precision and recall on the whole set, not by the one example it was made for.
//!
//! Run with `--nocapture` to see the confusion table and the misclassified ids.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use tipline_shared::analysis::{offline::OfflineAnalyzer, tip::Tip, verdict::Label};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/offline_eval.jsonl");
const MIN_PRECISION: f64 = 0.85;
const MIN_RECALL: f64 = 0.85;

/// One labelled message of the evaluation set.
#[derive(Debug, Deserialize)]
struct Case {
    id: String,
    lang: String,
    text: String,
    forwarded: bool,
    frequently_forwarded: bool,
    expected: Expected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Expected {
    Scam,
    Benign,
}

fn load_cases() -> Vec<Case> {
    let raw = std::fs::read_to_string(FIXTURE).unwrap_or_else(|e| panic!("read {FIXTURE}: {e}"));
    raw.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| serde_json::from_str(line).unwrap_or_else(|e| panic!("{FIXTURE} line {}: {e}", n + 1)))
        .collect()
}

#[test]
fn the_eval_set_is_big_balanced_and_multilingual() {
    let cases = load_cases();
    assert!(cases.len() >= 80, "only {} cases", cases.len());
    let ids: HashSet<&str> = cases.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids.len(), cases.len(), "ids must be unique");
    let langs: HashSet<&str> = cases.iter().map(|c| c.lang.as_str()).collect();
    assert!(langs.len() >= 3, "languages: {langs:?}");
    let scams = cases.iter().filter(|c| c.expected == Expected::Scam).count();
    let share = scams as f64 / cases.len() as f64;
    assert!((0.35..=0.65).contains(&share), "{scams} scams of {}", cases.len());
}

#[test]
fn offline_rules_meet_precision_and_recall() {
    let cases = load_cases();
    let analyzer = OfflineAnalyzer;
    let (mut tp, mut fp, mut tn, mut fn_) = (0usize, 0usize, 0usize, 0usize);
    let mut missed = Vec::new();
    let mut false_alarms = Vec::new();
    // Per language: (cases, correct).
    let mut by_lang: BTreeMap<&str, (usize, usize)> = BTreeMap::new();

    for case in &cases {
        let tip = Tip {
            text: case.text.clone(),
            forwarded: case.forwarded,
            frequently_forwarded: case.frequently_forwarded,
            media: Vec::new(),
        };
        let verdict = analyzer.analyze(&tip);
        let flagged = matches!(verdict.label, Label::Scam | Label::Suspicious);
        let correct = flagged == (case.expected == Expected::Scam);
        let entry = by_lang.entry(case.lang.as_str()).or_default();
        entry.0 += 1;
        entry.1 += usize::from(correct);
        match (case.expected, flagged) {
            (Expected::Scam, true) => tp += 1,
            (Expected::Scam, false) => {
                fn_ += 1;
                missed.push(format!("{} ({}, {:.2})", case.id, verdict.label, verdict.confidence));
            }
            (Expected::Benign, true) => {
                fp += 1;
                false_alarms.push(format!(
                    "{} ({}, {:.2}): {:?}",
                    case.id, verdict.label, verdict.confidence, verdict.reasons
                ));
            }
            (Expected::Benign, false) => tn += 1,
        }
    }

    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    println!("offline analyser on {} messages", cases.len());
    println!("                 flagged  not flagged");
    println!("expected scam    {tp:>7}  {fn_:>11}");
    println!("expected benign  {fp:>7}  {tn:>11}");
    println!("scam precision {precision:.3}, recall {recall:.3}");
    for (lang, (total, correct)) in &by_lang {
        println!("  {lang}: {correct}/{total} correct");
    }
    println!("missed scams: {missed:#?}");
    println!("false alarms: {false_alarms:#?}");

    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.3} < {MIN_PRECISION}; false alarms: {false_alarms:?}"
    );
    assert!(
        recall >= MIN_RECALL,
        "recall {recall:.3} < {MIN_RECALL}; missed: {missed:?}"
    );
}
