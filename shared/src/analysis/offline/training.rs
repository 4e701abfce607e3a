//! Training the text model: logistic regression by AdaGrad over the hashed features of
//! `model.rs`, on the public SMS Spam Collection and the project's own labelled tips.
//!
//! Everything is deterministic given the seed: the shuffle uses SplitMix64, arithmetic is
//! plain IEEE `f64` in a fixed order and the exponential is hand-written, so the same data
//! and seed give a byte-identical model file. The held-out split is fixed by a hash of each
//! example's key (its id, or its text) and never depends on the seed, so every model is
//! measured on the same messages and duplicates of a message all land on the same side.

use sha2::{Digest, Sha256};

use super::model::{sigmoid, Features, TextModel, LOG2_BUCKETS};
use crate::analysis::eval::{parse_labelled, EvalError, LabelledTip};

/// The public data set, kept in the repository so training needs nothing else.
pub const UCI_FILE: &str = "shared/data/uci_sms_spam_collection.tsv";
/// The project's own labelled tips.
pub const PROJECT_FILE: &str = "processor/tests/fixtures/offline_eval.jsonl";
/// The model's probability from which it flags a text, for the provenance metrics.
pub const FLAG_FROM: f64 = 0.5;
/// How much one of the project's own examples counts against one public SMS: they are few
/// and they are today's WhatsApp scams, in six languages.
pub const PROJECT_WEIGHT: f64 = 3.0;

/// One labelled text to learn from.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    /// Spam or scam.
    pub scam: bool,
    /// How much this example counts (the project's own examples count more).
    pub weight: f64,
}

/// The knobs of one training run; recorded in the provenance file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrainConfig {
    pub seed: u64,
    pub epochs: u32,
    pub learning_rate: f64,
    /// L2 penalty per update, on the weights an example touches.
    pub l2: f64,
    /// Extra weight of spam examples, which are the minority.
    pub positive_weight: f64,
    pub log2_buckets: u8,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            seed: 13,
            epochs: 12,
            learning_rate: 0.5,
            l2: 1e-6,
            positive_weight: 1.5,
            log2_buckets: LOG2_BUCKETS,
        }
    }
}

/// One in this many keys is held out.
const HELD_OUT_ONE_IN: u64 = 5;

/// Whether the example with this key (an id, or the text itself) is in the held-out split.
pub fn is_held_out(key: &str) -> bool {
    let key = key.trim().to_lowercase();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    splitmix(h).is_multiple_of(HELD_OUT_ONE_IN)
}

/// Trains a model on the examples.
pub fn train(examples: &[Example], config: &TrainConfig) -> TextModel {
    let buckets = 1usize << config.log2_buckets;
    let mask = (buckets - 1) as u32;
    let features: Vec<Features> = examples.iter().map(|e| Features::of(&e.text, mask)).collect();
    let mut weights = vec![0.0f64; buckets];
    let mut squares = vec![0.0f64; buckets];
    let (mut bias, mut bias_square) = (0.0f64, 0.0f64);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = config.seed;
    for _ in 0..config.epochs {
        shuffle(&mut order, &mut state);
        for &i in &order {
            let (example, x) = (&examples[i], &features[i]);
            let norm = x.norm();
            let z = bias + x.buckets.iter().map(|&b| weights[b as usize]).sum::<f64>() * norm;
            let target = if example.scam { 1.0 } else { 0.0 };
            let class_weight = if example.scam { config.positive_weight } else { 1.0 };
            let error = (sigmoid(z) - target) * class_weight * example.weight;
            for &b in &x.buckets {
                let b = b as usize;
                let gradient = error * norm + config.l2 * weights[b];
                squares[b] += gradient * gradient;
                weights[b] -= config.learning_rate * gradient / (squares[b].sqrt() + 1e-9);
            }
            bias_square += error * error;
            bias -= config.learning_rate * error / (bias_square.sqrt() + 1e-9);
        }
    }
    TextModel::from_weights(&weights, bias)
}

/// A trained model and the record of how it was made.
#[derive(Debug, Clone)]
pub struct Trained {
    pub model: TextModel,
    /// Data, seed, hyper-parameters and held-out metrics, as written beside the model.
    pub provenance: serde_json::Value,
}

/// Trains on the training split of both data sets and measures on their held-out splits.
pub fn train_on(uci_tsv: &str, project_jsonl: &str, config: &TrainConfig) -> Result<Trained, EvalError> {
    let uci = parse_labelled(uci_tsv)?;
    let project = parse_labelled(project_jsonl)?;
    let (uci_train, uci_held): (Vec<&LabelledTip>, Vec<&LabelledTip>) = uci.iter().partition(|c| !is_held_out(c.key()));
    let (project_train, project_held): (Vec<&LabelledTip>, Vec<&LabelledTip>) =
        project.iter().partition(|c| !is_held_out(c.key()));
    let example = |case: &&LabelledTip, weight: f64| Example {
        text: case.tip.text.clone(),
        scam: case.scam,
        weight,
    };
    let examples: Vec<Example> = uci_train
        .iter()
        .map(|c| example(c, 1.0))
        .chain(project_train.iter().map(|c| example(c, PROJECT_WEIGHT)))
        .collect();
    let model = train(&examples, config);
    let metrics = |cases: &[&LabelledTip]| {
        let (mut tp, mut fp, mut pos, mut neg) = (0usize, 0usize, 0usize, 0usize);
        for case in cases {
            let flagged = model.score(&case.tip.text).probability >= FLAG_FROM;
            if case.scam {
                pos += 1;
                tp += usize::from(flagged);
            } else {
                neg += 1;
                fp += usize::from(flagged);
            }
        }
        serde_json::json!({
            "messages": cases.len(),
            "scam_or_spam": pos,
            "recall": round3(tp as f64 / pos.max(1) as f64),
            "false_positive_rate": round3(fp as f64 / neg.max(1) as f64),
            "precision": round3(tp as f64 / (tp + fp).max(1) as f64),
        })
    };
    let data = |path: &str, contents: &str, all: usize, train: usize, held: usize| {
        serde_json::json!({
            "file": path,
            "sha256": hex::encode(Sha256::digest(contents.as_bytes())),
            "messages": all,
            "training": train,
            "held_out": held,
        })
    };
    let provenance = serde_json::json!({
        "model": {
            "kind": "logistic regression (AdaGrad), binary hashed features scaled to unit length",
            "features": "word unigrams and bigrams, character 2-5-grams per word (digits as 0), numbers as their length and first two digits; text NFKC-normalised, invisible controls removed, look-alikes folded, lowercased, first 4096 bytes",
            "buckets": 1u64 << config.log2_buckets,
            "weights": "i16, one scale",
            "bytes": model.as_bytes().len(),
            "sha256": hex::encode(Sha256::digest(model.as_bytes())),
        },
        "training": config,
        "project_example_weight": PROJECT_WEIGHT,
        "held_out_split": "one in five by a hash of the id (project) or the lowercased text (public data), independent of the seed",
        "data": [
            data(UCI_FILE, uci_tsv, uci.len(), uci_train.len(), uci_held.len()),
            data(PROJECT_FILE, project_jsonl, project.len(), project_train.len(), project_held.len()),
        ],
        "held_out_metrics_model_alone": {
            "flag_from_probability": FLAG_FROM,
            "uci_sms_spam_collection": metrics(&uci_held),
            "project": metrics(&project_held),
        },
        "citation": "Almeida, T. A., & Gómez Hidalgo, J. M. (2011). SMS Spam Collection [Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C5CC84 (CC BY 4.0)",
    });
    Ok(Trained { model, provenance })
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Fisher–Yates with SplitMix64.
fn shuffle(order: &mut [usize], state: &mut u64) {
    for i in (1..order.len()).rev() {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let j = (splitmix(*state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

fn splitmix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Example> {
        let spam = [
            "WINNER! You have won a £1000 prize, call 09061701461 to claim",
            "Free entry in a weekly competition, text WIN to 80086 now",
            "URGENT your account is suspended, verify at http://bit.ly/x",
            "Congratulations you won a free holiday, reply YES to claim",
        ];
        let ham = [
            "Are we still on for dinner tonight?",
            "I'll call you when I get home",
            "Can you pick up some milk on the way back",
            "Happy birthday! See you at the party",
        ];
        spam.iter()
            .map(|t| (t, true))
            .chain(ham.iter().map(|t| (t, false)))
            .map(|(t, scam)| Example {
                text: (*t).to_owned(),
                scam,
                weight: 1.0,
            })
            .collect()
    }

    #[test]
    fn training_is_deterministic_and_learns_the_sample() {
        let config = TrainConfig {
            log2_buckets: 14,
            epochs: 20,
            ..TrainConfig::default()
        };
        let model = train(&sample(), &config);
        assert_eq!(model.as_bytes(), train(&sample(), &config).as_bytes());
        let other_seed = train(
            &sample(),
            &TrainConfig {
                seed: 7,
                ..config.clone()
            },
        );
        assert_ne!(model.as_bytes(), other_seed.as_bytes());
        assert!(model.score("You won a prize, call now to claim").probability > 0.6);
        assert!(model.score("see you at dinner tonight").probability < 0.4);
    }

    #[test]
    fn the_held_out_split_is_about_a_fifth_and_ignores_case() {
        let held = (0..10_000).filter(|i| is_held_out(&format!("message {i}"))).count();
        assert!((1_700..2_300).contains(&held), "{held}");
        assert_eq!(is_held_out("Hello There "), is_held_out("hello there"));
    }
}
